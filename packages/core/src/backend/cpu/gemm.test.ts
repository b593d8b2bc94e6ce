import { expect } from 'chai';
import fc from 'fast-check';
import { Generator } from '../../tensor/random.js';
import { type MatrixView, gemm, gemmReference } from './gemm.js';

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
