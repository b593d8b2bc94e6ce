// The GEMM kernels of a backend (see backend.ts): C (+)= op(A)·op(B) on typed arrays, where a
// matrix operand is a strided view into a flat array, so transposed and batched operands need no
// copies.
import type { KernelArray } from '../tensor/device.js';

/** A rows×cols matrix inside `data`: element (i, j) is data[offset + i·rowStride + j·colStride]. */
export interface MatrixView<Arr = KernelArray> {
  data: Arr;
  offset: number;
  /** Distance between consecutive rows and consecutive columns of the logical matrix. */
  rowStride: number;
  colStride: number;
}

export interface GemmKernels<Arr = KernelArray> {
  /**
   * C[cOffset.., row-major M×N] (+)= A·B for A M×K and B K×N (any non-negative strides); A, B
   * and C of one dtype. Without `accumulate` C's prior contents are ignored.
   */
  gemm(M: number, N: number, K: number, A: MatrixView<Arr>, B: MatrixView<Arr>, C: Arr, cOffset: number, accumulate: boolean): void;
  /**
   * One gemm per entry of aOffsets (as many as bOffsets): product i reads A and B displaced by
   * aOffsets[i] and bOffsets[i] elements and writes the row-major M×N block at cOffset + i·M·N.
   */
  gemmBatched(
    M: number, N: number, K: number, A: MatrixView<Arr>, aOffsets: readonly number[], B: MatrixView<Arr>, bOffsets: readonly number[], C: Arr, cOffset: number,
    accumulate: boolean,
  ): void;
}
