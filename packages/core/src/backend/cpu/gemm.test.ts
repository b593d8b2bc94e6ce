import { expect } from 'chai';
import fc from 'fast-check';
import { Generator } from '../../tensor/random.js';
import { type MatrixView, cpuGemm, gemm, gemmReference } from './gemm.js';
import { gemmWasm } from './wasm/gemm.js';

/** A random op(X) of rows×cols inside a larger buffer: offset, transposed or not, padded strides. */
function view(rows: number, cols: number, trans: boolean, pad: number, offset: number, f32: boolean, rng: Generator): MatrixView {
  const ld = (trans ? rows : cols) + pad;
  const length = offset + (trans ? cols : rows) * ld;
  const data = f32 ? new Float32Array(length) : new Float64Array(length);
  for (let i = 0; i < length; i++) data[i] = rng.uniform(-1, 1);
  return trans ? { data, offset, rowStride: 1, colStride: ld } : { data, offset, rowStride: ld, colStride: 1 };
}

function check(M: number, N: number, K: number, o: { transA: boolean; transB: boolean; pad: number; offset: number; f32: boolean; accumulate: boolean; seed: number }): void {
  const rng = new Generator(o.seed);
  const A = view(M, K, o.transA, o.pad, o.offset, o.f32, rng);
  const B = view(K, N, o.transB, o.pad, o.offset + 1, o.f32, rng);
  const cOffset = o.offset + 2;
  const C = o.f32 ? new Float32Array(cOffset + M * N + 3) : new Float64Array(cOffset + M * N + 3);
  for (let i = 0; i < C.length; i++) C[i] = rng.uniform(-1, 1);
  const expected = C.slice();
  gemm(M, N, K, A, B, C, cOffset, o.accumulate);
  gemmReference(M, N, K, A, B, expected, cOffset, o.accumulate);
  const tol = o.f32 ? 1e-5 * Math.max(1, Math.sqrt(K)) : 1e-12 * Math.max(1, K);
  for (let i = 0; i < C.length; i++) {
    if (!(Math.abs(C[i]! - expected[i]!) <= tol)) expect.fail(`M=${M} N=${N} K=${K} ${JSON.stringify(o)}: element ${i} is ${C[i]}, reference ${expected[i]}`);
  }
}

const options = fc.record({
  transA: fc.boolean(), transB: fc.boolean(), pad: fc.nat(3), offset: fc.nat(5), f32: fc.boolean(), accumulate: fc.boolean(), seed: fc.nat(1e6),
});

describe('gemm (cache-blocked, register-tiled)', () => {
  it('equals the reference triple loop on random small shapes, strides, offsets, transposes, dtypes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 13 }), options, (M, N, K, o) => check(M, N, K, o)),
      { numRuns: 300 },
    );
  });

  it('equals the reference across block boundaries (K > 256, M > 128, N > 2048) with edge tiles', () => {
    fc.assert(
      fc.property(fc.constantFrom([130, 7, 300], [5, 2051, 9], [3, 6, 515], [133, 5, 257], [4, 4, 256]), options, ([M, N, K], o) => check(M!, N!, K!, o)),
      { numRuns: 15 },
    );
  });

  it('leaves C outside [cOffset, cOffset + M·N) untouched and K = 0 gives zeros (or C unchanged when accumulating)', () => {
    const A: MatrixView = { data: new Float64Array(0), offset: 0, rowStride: 0, colStride: 1 };
    const C = new Float64Array([7, 1, 2, 3, 4, 7]);
    gemm(2, 2, 0, A, A, C, 1, true);
    expect(Array.from(C)).to.deep.equal([7, 1, 2, 3, 4, 7]);
    gemm(2, 2, 0, A, A, C, 1, false);
    expect(Array.from(C)).to.deep.equal([7, 0, 0, 0, 0, 7]);
  });

  it('computes a hand-checked product', () => {
    const A: MatrixView = { data: new Float64Array([1, 2, 3, 4, 5, 6]), offset: 0, rowStride: 3, colStride: 1 }; // [[1,2,3],[4,5,6]]
    const B: MatrixView = { data: new Float64Array([1, 0, 0, 1, 1, 1]), offset: 0, rowStride: 2, colStride: 1 }; // [[1,0],[0,1],[1,1]]
    const C = new Float64Array(4);
    gemm(2, 2, 3, A, B, C, 0, false);
    expect(Array.from(C)).to.deep.equal([4, 5, 10, 11]);
  });
});

describe('cpuGemm (the CPU backend\'s GEMM kernels)', () => {
  const bits = (c: Float32Array | Float64Array): string => Buffer.from(c.buffer, c.byteOffset, c.byteLength).toString('hex');

  /** C from `kernel` on views of M×K and K×N (A transposed) in one random buffer each. */
  function run(kernel: typeof gemm, M: number, N: number, K: number, f32: boolean): Float32Array | Float64Array {
    const rng = new Generator(M * 1000 + N * 10 + K);
    const A = view(M, K, true, 1, 2, f32, rng);
    const B = view(K, N, false, 0, 1, f32, rng);
    const C = f32 ? new Float32Array(M * N + 2) : new Float64Array(M * N + 2);
    kernel(M, N, K, A, B, C, 1, false);
    return C;
  }

  it('runs float32 products of 512 multiply-adds or more in WebAssembly, the rest (and float64) in TypeScript, bit for bit', () => {
    const big = run(cpuGemm.gemm, 20, 30, 300, true);
    expect(bits(big)).to.equal(bits(run(gemmWasm, 20, 30, 300, true)));
    expect(bits(big)).to.not.equal(bits(run(gemm, 20, 30, 300, true))); // the two kernels round differently
    expect(bits(run(cpuGemm.gemm, 8, 8, 7, true))).to.equal(bits(run(gemm, 8, 8, 7, true))); // 448 < 512
    expect(bits(run(cpuGemm.gemm, 20, 30, 300, false))).to.equal(bits(run(gemm, 20, 30, 300, false)));
  });

  it('gemmBatched equals one gemm per product at the given offsets, C blocks side by side', () => {
    for (const [M, N, K, f32] of [[9, 12, 10, true], [3, 4, 5, true], [6, 5, 4, false]] as const) {
      const rng = new Generator(M + N + K);
      const A = view(3 * M, K, false, 0, 0, f32, rng); // three M×K blocks stacked
      const B = view(K, 2 * N, false, 0, 0, f32, rng); // two K×N blocks side by side
      const [aOffsets, bOffsets] = [[0, 2 * M * K, M * K], [N, 0, N]];
      const C = f32 ? new Float32Array(3 * M * N + 1) : new Float64Array(3 * M * N + 1);
      const expected = C.slice();
      cpuGemm.gemmBatched(M, N, K, A, aOffsets, B, bOffsets, C, 1, false);
      aOffsets.forEach((_, i) => {
        cpuGemm.gemm(M, N, K, { ...A, offset: aOffsets[i]! }, { ...B, offset: bOffsets[i]! }, expected, 1 + i * M * N, false);
      });
      expect(bits(C)).to.equal(bits(expected));
    }
  });
});
