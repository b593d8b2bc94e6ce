// C[M×N] (+)= op(A)[M×K] · op(B)[K×N] over typed arrays with explicit offsets and strides.
// Reference kernel: i-k-j order so the inner loop runs along contiguous rows of B and C;
// a transposed B is first packed into a contiguous row-major scratch panel.
import type { TypedArray } from '../tensor/dtype.js';

export interface MatrixView {
  data: TypedArray;
  offset: number;
  /** Distance between consecutive rows and consecutive columns of the logical matrix. */
  rowStride: number;
  colStride: number;
}

let scratch = new Float64Array(0);

export function gemm(M: number, N: number, K: number, A: MatrixView, B: MatrixView, C: TypedArray, cOffset: number, accumulate: boolean): void {
  if (!accumulate) C.fill(0, cOffset, cOffset + M * N);
  if (K === 0) return;
  let b = B.data;
  let bOff = B.offset;
  let bRow = B.rowStride;
  if (B.colStride !== 1) {
    if (scratch.length < K * N) scratch = new Float64Array(K * N);
    for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) scratch[k * N + n] = B.data[B.offset + k * B.rowStride + n * B.colStride]!;
    b = scratch;
    bOff = 0;
    bRow = N;
  }
  const a = A.data;
  for (let i = 0; i < M; i++) {
    const cRow = cOffset + i * N;
    const aRow = A.offset + i * A.rowStride;
    for (let k = 0; k < K; k++) {
      const aik = a[aRow + k * A.colStride]!;
      if (aik === 0) continue;
      const bRowStart = bOff + k * bRow;
      for (let n = 0; n < N; n++) C[cRow + n]! += aik * b[bRowStart + n]!;
    }
  }
}
