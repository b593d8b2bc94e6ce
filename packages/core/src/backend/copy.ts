// The copy kernels of a backend (see backend.ts): moving elements between contiguous row-major
// tensors without arithmetic (but for gatherAlong's transpose, which sums what it moves), and
// the checks that go with them (values int32 can store, class indices in range).
import type { KernelArray } from '../tensor/device.js';

export interface CopyKernels<A = KernelArray> {
  /** out = x with dims permuted: out's dim i is x's dim perm[i]. */
  permute(x: A, shape: readonly number[], perm: readonly number[], out: A): void;
  /** out (shape outShape) = x repeated along the dims where x broadcasts (NumPy rules). */
  broadcast(x: A, shape: readonly number[], out: A, outShape: readonly number[]): void;
  /**
   * Copies a box of extent `box` from src (shape srcShape, corner srcStart) into dst (shape
   * dstShape, corner dstStart); the rest of dst is left as it is (slice, pad, concat).
   */
  box(
    src: A, srcShape: readonly number[], srcStart: readonly number[],
    dst: A, dstShape: readonly number[], dstStart: readonly number[],
    box: readonly number[],
  ): void;
  /**
   * out[o, j, i] = x[o, index[j], i], x viewed as [outer, size, inner] and out as
   * [outer, index.length, inner] (every index in [0, size)): index_select along one dim, the
   * strided slice and the reflect / replicate / circular pads.
   */
  gatherAlong(x: A, outer: number, size: number, inner: number, index: A, out: A): void;
  /**
   * out[o, index[j], i] += g[o, j, i], g viewed as [outer, index.length, inner] and out as
   * [outer, size, inner] (zero-filled by the caller): gatherAlong's transpose (index_add).
   */
  scatterAddAlong(g: A, outer: number, size: number, inner: number, index: A, out: A): void;
  /**
   * out[o, j, i] = x[o, index[o, j, i], i], x viewed as [outer, size, inner] and index and out as
   * [outer, m, inner] with m = index.length / (outer · inner), every index in [0, size):
   * torch.gather along one dim (topk's values).
   */
  takeAlong(x: A, outer: number, size: number, inner: number, index: A, out: A): void;
  /**
   * out[o, index[o, j, i], i] += g[o, j, i], g and index viewed as [outer, m, inner] and out as
   * [outer, size, inner] (zero-filled by the caller): takeAlong's transpose (torch.scatter_add).
   */
  putAddAlong(g: A, outer: number, size: number, inner: number, index: A, out: A): void;
  /** out[k, c] = 1 if c = indices[k], out viewed as [indices.length, classes] and zero-filled by the caller (indices in range). */
  oneHot(indices: A, classes: number, out: A): void;
  /** dst[i] = src[i] converted to dst's element type (a typed-array set: to int32 truncates). */
  convert(src: A, dst: A): void;
  /**
   * Flat index of the first value that int32 cannot store (NaN, ±∞, or truncated outside
   * [-2³¹, 2³¹ − 1]: not in (-2³¹ − 1, 2³¹)), or -1: convert's check, read back by the caller.
   * A device that cannot read back synchronously (a GPU) returns -1 and checks on the device
   * instead: a bad value makes its next readback reject with a DeviceError naming the check.
   */
  firstNotInt32(x: A): number;
  /**
   * Flat index of the first value outside [lo, hi] (NaN included), or -1: an argument check (e.g.
   * binaryCrossEntropy's probabilities). A GPU backend returns -1 and defers the check to its next
   * readback, as firstNotInt32.
   */
  firstOutside(x: A, lo: number, hi: number): number;
  /**
   * y[o, i] = x[o, target[o, i], i] (0 where target = ignoreIndex), x viewed as
   * [outer, classes, inner] and target as [outer, inner] (y has target's length).
   */
  classGather(x: A, target: A, classes: number, inner: number, ignoreIndex: number, out: A): void;
  /** out[o, target[o, i], i] = g[o, i] where target ≠ ignoreIndex (out zero-filled by the caller). */
  classScatter(g: A, target: A, classes: number, inner: number, ignoreIndex: number, out: A): void;
  /**
   * Flat index of the first target that is neither ignoreIndex nor a class in [0, classes), or -1
   * (the class-index losses' argument check, read back by the caller). A GPU backend returns -1
   * and defers the check to its next readback, as firstNotInt32.
   */
  firstInvalidClass(target: A, classes: number, ignoreIndex: number): number;
  /** out[k] = 0 where target[k] = ignoreIndex, else weight[target[k]] (1 where weight is null). */
  classWeights(target: A, weight: A | null, ignoreIndex: number, out: A): void;
}
