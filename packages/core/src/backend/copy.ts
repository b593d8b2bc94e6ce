// The copy kernels of a backend (see backend.ts): moving elements between contiguous row-major
// tensors without arithmetic (but for gatherAlong's transpose, which sums what it moves), and
// the checks that go with them (values int32 can store, class indices in range).
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
  /**
   * out[o, j, i] = x[o, index[j], i], x viewed as [outer, size, inner] and out as
   * [outer, index.length, inner] (every index in [0, size)): index_select along one dim, the
   * strided slice and the reflect / replicate / circular pads.
   */
  gatherAlong(x: TypedArray, outer: number, size: number, inner: number, index: Int32Array, out: TypedArray): void;
  /**
   * out[o, index[j], i] += g[o, j, i], g viewed as [outer, index.length, inner] and out as
   * [outer, size, inner] (zero-filled by the caller): gatherAlong's transpose (index_add).
   */
  scatterAddAlong(g: TypedArray, outer: number, size: number, inner: number, index: Int32Array, out: TypedArray): void;
  /**
   * out[o, j, i] = x[o, index[o, j, i], i], x viewed as [outer, size, inner] and index and out as
   * [outer, m, inner] with m = index.length / (outer · inner), every index in [0, size):
   * torch.gather along one dim (topk's values).
   */
  takeAlong(x: TypedArray, outer: number, size: number, inner: number, index: Int32Array, out: TypedArray): void;
  /**
   * out[o, index[o, j, i], i] += g[o, j, i], g and index viewed as [outer, m, inner] and out as
   * [outer, size, inner] (zero-filled by the caller): takeAlong's transpose (torch.scatter_add).
   */
  putAddAlong(g: TypedArray, outer: number, size: number, inner: number, index: Int32Array, out: TypedArray): void;
  /** out[k, c] = 1 if c = indices[k], out viewed as [indices.length, classes] and zero-filled by the caller (indices in range). */
  oneHot(indices: TypedArray, classes: number, out: TypedArray): void;
  /** dst[i] = src[i] converted to dst's element type (a typed-array set: to int32 truncates). */
  convert(src: TypedArray, dst: TypedArray): void;
  /**
   * Flat index of the first value that int32 cannot store (NaN, ±∞, or truncated outside
   * [-2³¹, 2³¹ − 1]: not in (-2³¹ − 1, 2³¹)), or -1: convert's check, read back by the caller.
   */
  firstNotInt32(x: TypedArray): number;
  /**
   * y[o, i] = x[o, target[o, i], i] (0 where target = ignoreIndex), x viewed as
   * [outer, classes, inner] and target as [outer, inner] (y has target's length).
   */
  classGather(x: TypedArray, target: TypedArray, classes: number, inner: number, ignoreIndex: number, out: TypedArray): void;
  /** out[o, target[o, i], i] = g[o, i] where target ≠ ignoreIndex (out zero-filled by the caller). */
  classScatter(g: TypedArray, target: TypedArray, classes: number, inner: number, ignoreIndex: number, out: TypedArray): void;
  /**
   * Flat index of the first target that is neither ignoreIndex nor a class in [0, classes), or -1
   * (the class-index losses' argument check, read back by the caller).
   */
  firstInvalidClass(target: TypedArray, classes: number, ignoreIndex: number): number;
  /** out[k] = 0 where target[k] = ignoreIndex, else weight[target[k]] (1 where weight is null). */
  classWeights(target: TypedArray, weight: TypedArray | null, ignoreIndex: number, out: TypedArray): void;
}
