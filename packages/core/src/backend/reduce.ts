// The reduce kernels of a backend (see backend.ts): reductions over a set of dims of a contiguous
// row-major tensor, and the softmax family along one dim.
import type { TypedArray } from '../tensor/dtype.js';

export interface ReduceKernels {
  /**
   * out += Σ over `dims` of x (x of shape `shape`; out holds the kept dims in order, and is
   * zero-filled by the caller for a plain sum).
   */
  sum(x: TypedArray, shape: readonly number[], dims: readonly number[], out: TypedArray): void;
  /** out = largest value over `dims` (NaN propagates); out is overwritten. */
  max(x: TypedArray, shape: readonly number[], dims: readonly number[], out: TypedArray): void;
  /** out = smallest value over `dims` (NaN propagates); out is overwritten. */
  min(x: TypedArray, shape: readonly number[], dims: readonly number[], out: TypedArray): void;
  /** out = softmax of x along `dim` (the max subtracted first). */
  softmax(x: TypedArray, shape: readonly number[], dim: number, out: TypedArray): void;
  /** out = log-softmax of x along `dim` ((x − max) − log Σ e^{x − max}). */
  logSoftmax(x: TypedArray, shape: readonly number[], dim: number, out: TypedArray): void;
}
