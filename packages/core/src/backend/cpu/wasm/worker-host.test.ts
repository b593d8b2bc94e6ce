import { expect } from 'chai';
import { disableWasmGemmThreads, enableWasmGemmThreads } from './threads.js';
import { gemmWasm } from './gemm.js';
import { canBlockThread, workerHost } from './worker-host.js';
import { fillTensor } from '../../../testing/arbitraries.js';

const randomArray = (length: number, seed: number): Float32Array =>
  fillTensor([length], seed, { dtype: 'float32', min: -1, max: 1 }).data as Float32Array;

/** C = A·B for row-major M×K and K×N through whichever engine is installed. */
function product(M: number, N: number, K: number, a: Float32Array, b: Float32Array): Float32Array {
  const c = new Float32Array(M * N);
  gemmWasm(M, N, K, { data: a, offset: 0, rowStride: K, colStride: 1 }, { data: b, offset: 0, rowStride: N, colStride: 1 }, c, 0, false);
  return c;
}

describe('worker host', () => {
  afterEach(() => disableWasmGemmThreads());

  it('a Node main thread may block in Atomics.wait', () => {
    expect(canBlockThread()).to.equal(true);
  });

  it('the Web Worker host is unavailable without cross-origin isolation (Node has none)', async () => {
    expect(await workerHost('web')).to.equal(null);
    expect(await enableWasmGemmThreads(2, { host: 'web' })).to.equal(false);
  });

  // The browser main thread's mode: the caller spins on Atomics.load instead of Atomics.wait.
  for (const threads of [2, 3]) {
    it(`spin-waiting caller with ${threads} threads gives the single-thread result bit for bit`, async () => {
      const shapes: [number, number, number][] = [[256, 192, 160], [300, 40, 200], [33, 517, 129]];
      const inputs = shapes.map(([M, N, K], i) => [randomArray(M * K, 10 + i), randomArray(K * N, 20 + i)] as const);
      const single = shapes.map(([M, N, K], i) => product(M, N, K, inputs[i]![0], inputs[i]![1]));
      expect(await enableWasmGemmThreads(threads, { spin: true })).to.equal(true);
      for (let round = 0; round < 3; round++) {
        shapes.forEach(([M, N, K], i) => {
          expect(product(M, N, K, inputs[i]![0], inputs[i]![1])).to.deep.equal(single[i]);
        });
      }
    });
  }
});
