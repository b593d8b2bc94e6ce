import { expect } from 'chai';
import fc from 'fast-check';
import type { MatrixView } from '../gemm.js';
import { disableWasmGemmThreads, enableWasmGemmThreads } from './threads.js';
import { type GemmExports, gemmBatchedInMemory, gemmInMemory, gemmWasm, packGemmAInMemory, packedALength } from './gemm.js';
import { requireWasmRuntime, wasmAvailable, wasmScratch } from './runtime.js';
import { fillTensor } from '../../../testing/arbitraries.js';

/** Deterministic float32 values in [-1, 1) so failures replay. */
const randomArray = (length: number, seed: number): Float32Array =>
  fillTensor([length], seed, { dtype: 'float32', min: -1, max: 1 }).data as Float32Array;

/** An M×K matrix stored at `offset` in a padded buffer, row-major or transposed, rows `pad` longer. */
function matrix(rows: number, cols: number, transposed: boolean, offset: number, pad: number, seed: number): MatrixView {
  const ld = (transposed ? rows : cols) + pad;
  const data = randomArray(offset + ld * (transposed ? cols : rows), seed);
  return transposed ? { data, offset, rowStride: 1, colStride: ld } : { data, offset, rowStride: ld, colStride: 1 };
}

const at = (v: MatrixView, i: number, j: number): number => v.data[v.offset + i * v.rowStride + j * v.colStride]!;

/** Checks C against a float64 triple loop, with the float32 rounding bound for a K-term sum. */
function check(M: number, N: number, K: number, A: MatrixView, B: MatrixView, C0: Float32Array, cOffset: number, accumulate: boolean, C: Float32Array): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      const c0 = accumulate ? C0[cOffset + i * N + j]! : 0;
      let sum = c0;
      let abs = Math.abs(c0);
      for (let k = 0; k < K; k++) {
        const p = at(A, i, k) * at(B, k, j);
        sum += p;
        abs += Math.abs(p);
      }
      const got = C[cOffset + i * N + j]!;
      const tol = 1.2e-7 * (K + 2) * abs + 1e-30;
      if (!(Math.abs(got - sum) <= tol)) expect.fail(`C[${i},${j}] = ${got}, expected ${sum} ± ${tol} (M=${M} N=${N} K=${K})`);
    }
  }
  expect(Array.from(C.subarray(0, cOffset))).to.deep.equal(Array.from(C0.subarray(0, cOffset)));
  expect(Array.from(C.subarray(cOffset + M * N))).to.deep.equal(Array.from(C0.subarray(cOffset + M * N)));
}

interface Case {
  M: number;
  N: number;
  K: number;
  transA: boolean;
  transB: boolean;
  offsets: [number, number, number];
  pads: [number, number];
  accumulate: boolean;
  seed: number;
}

function runCase({ M, N, K, transA, transB, offsets, pads, accumulate, seed }: Case): void {
  const A = matrix(M, K, transA, offsets[0], pads[0], seed);
  const B = matrix(K, N, transB, offsets[1], pads[1], seed + 1);
  const C0 = randomArray(offsets[2] + M * N + 3, seed + 2);
  const C = C0.slice();
  gemmWasm(M, N, K, A, B, C, offsets[2], accumulate);
  check(M, N, K, A, B, C0, offsets[2], accumulate, C);
}

const arbCase = (maxDim: number, minDim = 1): fc.Arbitrary<Case> =>
  fc.record({
    M: fc.integer({ min: minDim, max: maxDim }),
    N: fc.integer({ min: minDim, max: maxDim }),
    K: fc.integer({ min: minDim, max: maxDim }),
    transA: fc.boolean(),
    transB: fc.boolean(),
    offsets: fc.tuple(fc.nat(9), fc.nat(9), fc.nat(9)),
    pads: fc.tuple(fc.nat(3), fc.nat(3)),
    accumulate: fc.boolean(),
    seed: fc.nat(1e6),
  });


/**
 * gemmBatchedInMemory against one gemmInMemory per product, bit for bit (a product's result does
 * not depend on how products are shared out): `count` products, A transposed, C with a row stride.
 */
function checkBatched(count: number, M: number, N: number, K: number, accumulate: boolean, seed: number): void {
  const ldc = N + 3;
  const [aStride, bStride, cStride] = [M * K + 5, K * N + 2, M * ldc + 7];
  const [a, b, c, expected] = wasmScratch([count * aStride, count * bStride, count * cStride, count * cStride]) as [Float32Array, Float32Array, Float32Array, Float32Array];
  a.set(randomArray(a.length, seed));
  b.set(randomArray(b.length, seed + 1));
  c.set(randomArray(c.length, seed + 2));
  expected.set(c);
  const A: MatrixView = { data: a, offset: 3, rowStride: 1, colStride: M };
  const B: MatrixView = { data: b, offset: 1, rowStride: N, colStride: 1 };
  for (let i = 0; i < count; i++) {
    gemmInMemory(M, N, K, { ...A, offset: 3 + i * aStride }, { ...B, offset: 1 + i * bStride }, expected, 2 + i * cStride, accumulate, ldc);
  }
  gemmBatchedInMemory(count, M, N, K, A, aStride, B, bStride, c, 2, cStride, accumulate, ldc);
  expect(Buffer.from(c.buffer, c.byteOffset, c.byteLength).equals(Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength))).to.equal(true);
}

describe('gemmWasm (WebAssembly SIMD SGEMM)', () => {
  it('is available on Node 20', () => {
    expect(wasmAvailable()).to.equal(true);
  });

  it('matches a float64 reference on random shapes, layouts, offsets and accumulate', () => {
    fc.assert(fc.property(arbCase(70), runCase), { numRuns: 150 });
  });

  it('matches on tile-edge shapes around MR=4, NR=8', () => {
    for (const M of [1, 3, 4, 5, 8, 9]) {
      for (const N of [1, 7, 8, 9, 16, 17]) {
        runCase({ M, N, K: 5, transA: false, transB: false, offsets: [0, 0, 0], pads: [0, 0], accumulate: M % 2 === 0, seed: M * 31 + N });
      }
    }
  });

  it('matches on larger shapes that cross the KC, MC and NC blocks', () => {
    const base = { offsets: [3, 1, 2] as [number, number, number], pads: [0, 0] as [number, number], seed: 7 };
    runCase({ ...base, M: 257, N: 513, K: 300, transA: false, transB: false, accumulate: false });
    runCase({ ...base, M: 130, N: 70, K: 601, transA: true, transB: true, accumulate: true });
    runCase({ ...base, M: 9, N: 4200, K: 20, transA: false, transB: true, accumulate: true });
  });

  it('reads strided views that are not compact (a column block of a wider matrix)', () => {
    const wide = randomArray(40 * 100, 3);
    const A: MatrixView = { data: wide, offset: 5, rowStride: 100, colStride: 1 }; // 40×10 block
    const B: MatrixView = { data: wide, offset: 2, rowStride: 1, colStride: 300 }; // 10×12, strided
    const C0 = randomArray(40 * 12, 4);
    const C = C0.slice();
    gemmWasm(40, 12, 10, A, B, C, 0, true);
    check(40, 12, 10, A, B, C0, 0, true, C);
  });

  it('gemmWasm on operands that already live in wasm memory computes in place, and refuses a mix', () => {
    const [a, b, c] = wasmScratch([5 * 6, 6 * 7, 5 * 7]) as [Float32Array, Float32Array, Float32Array];
    a.set(randomArray(a.length, 31));
    b.set(randomArray(b.length, 32));
    const C0 = randomArray(c.length, 33);
    c.set(C0);
    const A: MatrixView = { data: a, offset: 0, rowStride: 6, colStride: 1 };
    const B: MatrixView = { data: b, offset: 0, rowStride: 7, colStride: 1 };
    gemmWasm(5, 7, 6, A, B, c, 0, true);
    check(5, 7, 6, A, B, C0, 0, true, c);
    expect(() => gemmWasm(5, 7, 6, A, { ...B, data: b.slice() }, c, 0, true)).to.throw(/all live in wasm memory/);
  });

  it('handles K = 0 and empty outputs like the TS kernel', () => {
    const A: MatrixView = { data: new Float32Array(0), offset: 0, rowStride: 0, colStride: 1 };
    const C = new Float32Array([1, 2, 3, 4, 5, 6]);
    gemmWasm(2, 2, 0, A, A, C, 1, true);
    expect(Array.from(C)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    gemmWasm(2, 2, 0, A, A, C, 1, false);
    expect(Array.from(C)).to.deep.equal([1, 0, 0, 0, 0, 6]);
    gemmWasm(0, 3, 4, A, A, C, 0, false);
    expect(Array.from(C)).to.deep.equal([1, 0, 0, 0, 0, 6]);
  });

  it('rejects non-float32 operands', () => {
    const A: MatrixView = { data: new Float64Array(4), offset: 0, rowStride: 2, colStride: 1 };
    expect(() => gemmWasm(2, 2, 2, A, A, new Float64Array(4), 0, false)).to.throw(TypeError);
  });

  it('gemmBatchedInMemory equals one gemmInMemory per product (strided batch)', () => {
    checkBatched(16, 9, 37, 13, false, 31);
    checkBatched(3, 64, 70, 40, true, 41);
  });

  it('gemmInMemory multiplies views that live in wasm memory, with a row stride for C', () => {
    const M = 6;
    const N = 10;
    const K = 7;
    const ldc = 13;
    const [a, b, c] = wasmScratch([K * M, K * N, M * ldc]) as [Float32Array, Float32Array, Float32Array];
    a.set(randomArray(K * M, 11));
    b.set(randomArray(K * N, 12));
    c.fill(0.5);
    const A: MatrixView = { data: a, offset: 0, rowStride: 1, colStride: M }; // stored K×M: A transposed
    const B: MatrixView = { data: b, offset: 0, rowStride: N, colStride: 1 };
    gemmInMemory(M, N, K, A, B, c, 0, true, ldc);
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < ldc; j++) {
        let want = 0.5;
        if (j < N) for (let k = 0; k < K; k++) want += at(A, i, k) * at(B, k, j);
        expect(c[i * ldc + j]).to.be.closeTo(want, 1e-5);
      }
    }
    expect(() => gemmInMemory(1, 1, 1, { data: new Float32Array(1), offset: 0, rowStride: 1, colStride: 1 }, B, c, 0, false)).to.throw(/wasmScratch/);
  });
});

/**
 * gemm and gemmPackedA on one A (M×K, row-major or transposed) against the same B and C: the
 * packed product must give the same bits, the C around the product untouched.
 */
function checkPackedA(M: number, N: number, K: number, transA: boolean, accumulate: boolean, seed: number): void {
  const ldc = N + 3;
  const [a, b, c1, c2, pa] = wasmScratch([M * K, K * N, M * ldc, M * ldc, packedALength(M, K) + 5]) as Float32Array[];
  a!.set(randomArray(a!.length, seed));
  b!.set(randomArray(b!.length, seed + 1));
  c1!.set(randomArray(c1!.length, seed + 2));
  c2!.set(c1!);
  pa!.fill(NaN); // anything packGemmA does not write and gemmPackedA reads shows up as NaN
  const [rs, cs] = transA ? [1, M] : [K, 1];
  packGemmAInMemory(M, K, a!, 0, rs, cs, pa!, 5);
  const runtime = requireWasmRuntime('test');
  const wasm = runtime.exports as unknown as GemmExports;
  const work = runtime.workspaces[0]!;
  wasm.gemm(M, N, K, a!.byteOffset, rs, cs, b!.byteOffset, N, 1, c1!.byteOffset, ldc, accumulate ? 1 : 0, work);
  wasm.gemmPackedA(M, N, K, pa!.byteOffset + 20, b!.byteOffset, N, 1, c2!.byteOffset, ldc, accumulate ? 1 : 0, work);
  const bits = (v: Float32Array): number[] => Array.from(new Uint32Array(v.buffer, v.byteOffset, v.length));
  expect(bits(c2!), `M=${M} N=${N} K=${K} transA=${transA}`).to.deep.equal(bits(c1!));
  expect(c2!.some(Number.isNaN), 'NaN in C').to.equal(false);
}

describe('gemmPackedA (A packed once by packGemmA)', () => {
  it('gives gemm\'s bits on shapes around the tile and across the KC and MC blocks', () => {
    // M past MC = 120 (two row blocks), K past KC = 256 (two depth blocks), ragged MR and NR edges.
    const shapes: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [4, 8, 16], [64, 16, 32], [128, 16, 64], [130, 9, 300], [250, 33, 513], [7, 100, 1]];
    shapes.forEach(([M, N, K], i) => {
      checkPackedA(M, N, K, false, false, 70 + i);
      checkPackedA(M, N, K, true, true, 90 + i);
    });
  });

  it('packedALength is what packGemmA writes: a dst one float short is refused', () => {
    const [a, short, full] = wasmScratch([10 * 20, packedALength(10, 20) - 1, packedALength(10, 20)]) as Float32Array[];
    expect(packedALength(10, 20)).to.equal(12 * 20);
    expect(() => packGemmAInMemory(10, 20, a!, 0, 20, 1, short!)).to.throw(RangeError, /packGemmAInMemory: dst needs 240 floats/);
    expect(() => packGemmAInMemory(10, 20, new Float32Array(200), 0, 20, 1, full!)).to.throw(/packGemmAInMemory: A must be a Float32Array view from wasmScratch/);
  });
});

describe('gemmWasm on 2 threads (worker_threads, shared memory)', () => {
  before(async () => {
    expect(await enableWasmGemmThreads(2)).to.equal(true);
  });
  after(() => disableWasmGemmThreads());

  it('matches the reference when split by columns or by rows (shapes above the split threshold)', () => {
    const base = { offsets: [1, 2, 3] as [number, number, number], pads: [1, 0] as [number, number], accumulate: true, seed: 5 };
    runCase({ ...base, M: 149, N: 100, K: 300, transA: false, transB: false });
    runCase({ ...base, M: 100, N: 301, K: 200, transA: true, transB: false });
    runCase({ ...base, M: 7, N: 3001, K: 200, transA: false, transB: true });
    runCase({ ...base, M: 3001, N: 5, K: 150, transA: true, transB: true });
  });

  it('matches the reference on random shapes', () => {
    fc.assert(fc.property(arbCase(200, 60), runCase), { numRuns: 12 });
  });

  it('gemmBatchedInMemory shares whole products between threads: equal to one product at a time, bit for bit', () => {
    checkBatched(16, 64, 300, 32, false, 51); // the Winograd shape: products too small to split alone
    checkBatched(16, 64, 300, 32, true, 52);
    checkBatched(1, 200, 300, 100, false, 53); // fewer products than threads: each product splits
    checkBatched(5, 3, 4, 5, true, 54); // too little work: no split at all
  });

  it('gemmInMemory works on the shared memory', () => {
    const [a, b, c] = wasmScratch([200 * 100, 100 * 120, 200 * 120]) as [Float32Array, Float32Array, Float32Array];
    a.set(randomArray(a.length, 21));
    b.set(randomArray(b.length, 22));
    const C0 = randomArray(c.length, 23);
    c.set(C0);
    const A: MatrixView = { data: a, offset: 0, rowStride: 100, colStride: 1 };
    const B: MatrixView = { data: b, offset: 0, rowStride: 120, colStride: 1 };
    gemmInMemory(200, 120, 100, A, B, c, 0, false);
    check(200, 120, 100, A, B, C0, 0, false, c);
  });
});
