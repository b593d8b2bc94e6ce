// The gathered filter gradient's transposed products (dWᵀ = gather(x) · dyᵀ, for few columns K)
// give the bits of the untransposed ones: the same products summed in the same order.
import { expect } from 'chai';
import { Generator } from '../../../tensor/random.js';
import { window2d } from '../../../ops/window.js';
import { wasmAvailable } from '../wasm/runtime.js';
import { filterGradTasks, filterGradTransposed, forceFilterGradTransposed } from './gathered-tasks.js';
import { convShape } from './types.js';

/** Mostly [-1, 1), some values far from 1 (large and subnormal), zeros of both signs. */
function values(length: number, seed: number): Float32Array {
  const rng = new Generator(seed);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const kind = rng.uniform(0, 1);
    if (kind < 0.8) out[i] = rng.uniform(-1, 1);
    else if (kind < 0.9) out[i] = rng.uniform(-1, 1) * 2 ** Math.floor(rng.uniform(-130, 60));
    else out[i] = rng.uniform(0, 1) < 0.5 ? 0 : -0;
  }
  return out;
}

const bits = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

describe('gathered filter gradient, transposed products', () => {
  before(function () {
    if (!wasmAvailable()) this.skip();
  });
  afterEach(() => forceFilterGradTransposed(null));

  it('is chosen where it pads less and the outputs fill whole panels: K = 9 of 32 outputs, not K = 288 nor 6 outputs', () => {
    expect(filterGradTransposed(32, 9)).to.equal(true);
    expect(filterGradTransposed(6, 25)).to.equal(false);
    expect(filterGradTransposed(32, 288)).to.equal(false);
    expect(filterGradTransposed(8, 8)).to.equal(false);
  });

  it('gives the bits of the untransposed products (strides, groups, chunks longer than the GEMM depth block)', () => {
    // [n, cin, hw, kernel, cout, stride, padding, groups]
    const shapes: [number, number, number, number, number, number, number, number][] = [
      [20, 1, 28, 3, 32, 1, 1, 1], [9, 1, 13, 5, 12, 2, 2, 1], [6, 2, 10, 3, 24, 1, 0, 2], [5, 3, 11, 3, 7, 1, 1, 1], [4, 16, 6, 3, 16, 1, 1, 1],
    ];
    for (const [i, [n, cin, hw, kernel, cout, stride, padding, groups]] of shapes.entries()) {
      const s = convShape({ n, cin, cout, groups, window: window2d('conv2d', hw, hw, { kernelSize: kernel, stride, padding }) });
      const x = values(n * cin * hw * hw, 10 * i + 1);
      const dy = values(n * cout * s.S.positions, 10 * i + 2);
      const run = (transposed: boolean): Float32Array => {
        forceFilterGradTransposed(transposed);
        const dw = new Float32Array(cout * (cin / groups) * kernel * kernel).fill(NaN);
        filterGradTasks(s, dw, x, dy);
        return dw;
      };
      const plain = run(false);
      expect(plain.some(Number.isNaN), `shape ${i}: dW written whole`).to.equal(false);
      expect(bits(run(true)), `shape ${i}`).to.deep.equal(bits(plain));
    }
  });
});
