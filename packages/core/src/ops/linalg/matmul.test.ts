import { expect } from 'chai';
import { randn } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { wasmAvailable } from '../../backend/cpu/wasm/runtime.js';
import { grad } from '../../autograd/grad.js';
import { cast } from '../elementwise/cast.js';
import { mul } from '../elementwise/arithmetic.js';
import { sum } from '../reduce/sum.js';
import { linear, matmulTransposed } from './matmul.js';

function expectClose(actual: Tensor, expected: Tensor, tol: number, what: string): void {
  expect(actual.shape).to.deep.equal(expected.shape);
  for (let i = 0; i < actual.size; i++) {
    const e = expected.data[i]!;
    if (!(Math.abs(actual.data[i]! - e) <= tol * (1 + Math.abs(e)))) expect.fail(`${what}: element ${i} is ${actual.data[i]}, float64 gives ${e}`);
  }
}

describe('matmul float32 (WebAssembly GEMM when large enough)', () => {
  before(function () {
    if (!wasmAvailable()) this.skip();
  });
  // Shapes on both sides of the size threshold, with transposes and broadcast batch dims.
  const cases: [number[], number[], boolean, boolean][] = [
    [[37, 53], [53, 29], false, false],
    [[53, 37], [53, 29], true, false],
    [[37, 53], [29, 53], false, true],
    [[53, 37], [29, 53], true, true],
    [[3, 17, 19], [19, 23], false, false],
    [[2, 1, 9, 11], [3, 11, 13], false, false],
    [[4, 3], [3, 5], false, false],
  ];
  for (const [sa, sb, transA, transB] of cases) {
    it(`a ${sa}${transA ? 'ᵀ' : ''} · b ${sb}${transB ? 'ᵀ' : ''} equals float64 in value and gradients`, () => {
      const a64 = randn(sa, { dtype: 'float64' });
      const b64 = randn(sb, { dtype: 'float64' });
      const a32 = cast(a64, 'float32');
      const b32 = cast(b64, 'float32');
      const y64 = matmulTransposed(a64, b64, transA, transB);
      const w = randn(y64.shape, { dtype: 'float64' });
      const loss = (a: Tensor, b: Tensor): Tensor => sum(mul(matmulTransposed(a, b, transA, transB), cast(w, a.dtype)));
      expectClose(matmulTransposed(a32, b32, transA, transB), y64, 1e-5, 'y');
      const [ga32, gb32] = grad(loss, { argnums: [0, 1] })(a32, b32);
      const [ga64, gb64] = grad(loss, { argnums: [0, 1] })(a64, b64);
      expectClose(ga32!, ga64!, 1e-5, 'da');
      expectClose(gb32!, gb64!, 1e-5, 'db');
    });
  }

  it('linear with bias on float32 equals float64', () => {
    const x = randn([64, 300], { dtype: 'float64' });
    const w = randn([40, 300], { dtype: 'float64' });
    const b = randn([40], { dtype: 'float64' });
    expectClose(linear(cast(x, 'float32'), cast(w, 'float32'), cast(b, 'float32')), linear(x, w, b), 1e-4, 'linear');
  });
});
