// The reduce kernels of a backend (see backend.ts): reductions over a set of dims of a contiguous
// row-major tensor, and the softmax family along one dim.
import type { KernelArray } from '../tensor/device.js';

export interface ReduceKernels<A = KernelArray> {
  /**
   * out += Σ over `dims` of x (x of shape `shape`; out holds the kept dims in order, and is
   * zero-filled by the caller for a plain sum).
   */
  sum(x: A, shape: readonly number[], dims: readonly number[], out: A): void;
  /** out = largest value over `dims` (NaN propagates); out is overwritten. */
  max(x: A, shape: readonly number[], dims: readonly number[], out: A): void;
  /** out = smallest value over `dims` (NaN propagates); out is overwritten. */
  min(x: A, shape: readonly number[], dims: readonly number[], out: A): void;
  /** out = softmax of x along `dim` (the max subtracted first). */
  softmax(x: A, shape: readonly number[], dim: number, out: A): void;
  /** out = log-softmax of x along `dim` ((x − max) − log Σ e^{x − max}). */
  logSoftmax(x: A, shape: readonly number[], dim: number, out: A): void;
  /**
   * out = log Σ e^x over `dims`: the maximum m subtracted first, log Σ e^{x − m} + m, with an
   * infinite m taken as 0 (torch.logsumexp: all −∞ gives −∞, a +∞ gives +∞; NaN propagates).
   */
  logSumExp(x: A, shape: readonly number[], dims: readonly number[], out: A): void;
  /**
   * out = Σ (x − mean)² / max(0, n − correction) over `dims`, n the number of elements reduced
   * (torch.var; two passes, sums in float64).
   */
  variance(x: A, shape: readonly number[], dims: readonly number[], correction: number, out: A): void;
  /**
   * out[o, i] = the j of the largest x[o, j, i], x viewed as [outer, size, inner] (size ≥ 1):
   * NaN above every number, the first j among equals (torch.argmax).
   */
  argmax(x: A, outer: number, size: number, inner: number, out: A): void;
  /** out[o, i] = the j of the smallest x[o, j, i]: NaN wins here too, the first j among equals (torch.argmin). */
  argmin(x: A, outer: number, size: number, inner: number, out: A): void;
  /**
   * out[o, r, i] (r < k) = the j of the r-th largest (or, `largest` false, smallest) x[o, j, i],
   * x viewed as [outer, size, inner] and out as [outer, k, inner]: NaN counts as larger than every
   * number (torch.topk: first among the largest, last among the smallest), and equal values rank
   * by j (the lower first).
   */
  topk(x: A, outer: number, size: number, inner: number, k: number, largest: boolean, out: A): void;
}
