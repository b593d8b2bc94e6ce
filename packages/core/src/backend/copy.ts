// The copy kernels of a backend (see backend.ts): moving elements between contiguous row-major
// tensors without arithmetic.
import type { TypedArray } from '../tensor/dtype.js';

export interface CopyKernels {
  /** out = x with dims permuted: out's dim i is x's dim perm[i]. */
  permute(x: TypedArray, shape: readonly number[], perm: readonly number[], out: TypedArray): void;
  /** out (shape outShape) = x repeated along the dims where x broadcasts (NumPy rules). */
  broadcast(x: TypedArray, shape: readonly number[], out: TypedArray, outShape: readonly number[]): void;
  /**
   * Copies a box of extent `box` from src (shape srcShape, corner srcStart) into dst (shape
   * dstShape, corner dstStart); the rest of dst is left as it is (slice, pad, concat).
   */
  box(
    src: TypedArray, srcShape: readonly number[], srcStart: readonly number[],
    dst: TypedArray, dstShape: readonly number[], dstStart: readonly number[],
    box: readonly number[],
  ): void;
  /** dst[i] = src[i] converted to dst's element type (a typed-array set: to int32 truncates). */
  convert(src: TypedArray, dst: TypedArray): void;
  /**
   * y[o, i] = x[o, target[o, i], i] (0 where target = ignoreIndex), x viewed as
   * [outer, classes, inner] and target as [outer, inner] (y has target's length).
   */
  classGather(x: TypedArray, target: TypedArray, classes: number, inner: number, ignoreIndex: number, out: TypedArray): void;
  /** out[o, target[o, i], i] = g[o, i] where target ≠ ignoreIndex (out zero-filled by the caller). */
  classScatter(g: TypedArray, target: TypedArray, classes: number, inner: number, ignoreIndex: number, out: TypedArray): void;
}
