import { expect } from 'chai';
import { fillTensor } from '../../../testing/arbitraries.js';
import { gemmInMemory } from './gemm.js';
import { disableWasmGemmThreads, enableWasmGemmThreads } from './threads.js';
import { gemmExecutor, gemmThreads, isWasmView, wasmAvailable, wasmRuntime, wasmScratch, withSerialGemm } from './runtime.js';

const randomArray = (length: number, seed: number): Float32Array =>
  fillTensor([length], seed, { dtype: 'float32', min: -1, max: 1 }).data as Float32Array;

describe('wasm runtime', () => {
  it('hands out 64-byte-aligned, non-overlapping scratch views of its memory, growing it on demand', () => {
    expect(wasmAvailable()).to.equal(true);
    const before = wasmRuntime()!.memory.buffer.byteLength;
    const views = wasmScratch([3, 1, before / 4]); // the last one cannot fit without growing
    expect(wasmRuntime()!.memory.buffer.byteLength).to.be.greaterThan(before);
    views.forEach((v, i) => {
      expect(v.byteOffset % 64, `view ${i}`).to.equal(0);
      expect(isWasmView(v)).to.equal(true);
      if (i > 0) expect(v.byteOffset).to.be.at.least(views[i - 1]!.byteOffset + views[i - 1]!.byteLength);
    });
    expect(views[0]!.byteOffset).to.equal(wasmRuntime()!.scratchBase);
    expect(isWasmView(new Float32Array(4))).to.equal(false);
  });

  it('single-threaded: one thread and no executor', () => {
    expect(gemmThreads()).to.equal(1);
    expect(gemmExecutor(wasmRuntime()!)).to.equal(null);
  });

  describe('with 2 threads', () => {
    before(async () => {
      expect(await enableWasmGemmThreads(2)).to.equal(true);
    });
    after(() => disableWasmGemmThreads());

    it('reports 2 threads and an executor, which withSerialGemm withholds for its call only (nested, and after a throw)', () => {
      const runtime = wasmRuntime()!;
      expect(gemmThreads()).to.equal(2);
      expect(gemmExecutor(runtime)).to.equal(runtime.executor).and.not.equal(null);
      withSerialGemm(true, () => {
        expect(gemmExecutor(runtime)).to.equal(null);
        expect(gemmThreads()).to.equal(2); // the runtime's count, not the call's
        withSerialGemm(false, () => expect(gemmExecutor(runtime)).to.equal(null));
        withSerialGemm(true, () => expect(gemmExecutor(runtime)).to.equal(null));
        expect(gemmExecutor(runtime)).to.equal(null);
      });
      expect(gemmExecutor(runtime)).to.equal(runtime.executor);
      expect(() => withSerialGemm(true, () => { throw new Error('boom'); })).to.throw('boom');
      expect(gemmExecutor(runtime)).to.equal(runtime.executor);
      expect(withSerialGemm(false, () => gemmExecutor(runtime))).to.equal(runtime.executor);
    });

    it('a product split across the threads equals the calling thread alone, bit for bit', () => {
      const [M, N, K] = [150, 170, 200]; // 2·M·N·K above the split threshold
      const [a, b, c1, c2] = wasmScratch([M * K, K * N, M * N, M * N]) as [Float32Array, Float32Array, Float32Array, Float32Array];
      a.set(randomArray(a.length, 1));
      b.set(randomArray(b.length, 2));
      const A = { data: a, offset: 0, rowStride: K, colStride: 1 };
      const B = { data: b, offset: 0, rowStride: 1, colStride: K }; // transposed
      gemmInMemory(M, N, K, A, B, c1, 0, false);
      withSerialGemm(true, () => gemmInMemory(M, N, K, A, B, c2, 0, false));
      expect(Buffer.from(c1.buffer, c1.byteOffset, c1.byteLength).equals(Buffer.from(c2.buffer, c2.byteOffset, c2.byteLength))).to.equal(true);
    });

    it('disabling returns to a fresh single-threaded runtime without executor', async () => {
      const threaded = wasmRuntime()!;
      await disableWasmGemmThreads();
      expect(threaded.executor).to.equal(null);
      expect(wasmRuntime()).to.not.equal(threaded);
      expect(gemmThreads()).to.equal(1);
      expect(gemmExecutor(wasmRuntime()!)).to.equal(null);
    });
  });
});
