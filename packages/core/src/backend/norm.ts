// The normalisation kernels of a backend (see backend.ts). batchNorm and layerNorm normalise x
// viewed as [outer, groups, inner] per group (ops/norm/normalize.ts); statistics are float64
// arrays of one value per group. localResponseNorm sums over a window of channels. (Dropout's
// mask is a random kernel, random.ts.)
import type { KernelArray } from '../tensor/device.js';
import type { PoolWindows } from './window.js';

export interface NormKernels<A = KernelArray> {
  /** Per-group mean and biased variance of x (two passes, in float64), written into mean and variance. */
  groupStats(x: A, outer: number, groups: number, inner: number, mean: A, variance: A): void;
  /**
   * y = (x − μ)·scale + shift per group, with μ and the biased σ² of x's group (written into mean
   * and variance), scale = w/√(σ² + eps) and shift = b (w = 1 and b = 0 where weight, bias are null).
   * runMoments, where given: [Σ x, Σ (x − its run's mean)²] of each run of `inner` values, as the
   * conv that wrote x took them (backend/run-moments.ts); a backend may use them or not.
   */
  normalize(
    x: A, outer: number, groups: number, inner: number,
    weight: A | null, bias: A | null, eps: number,
    y: A, mean: A, variance: A, runMoments?: Float64Array,
  ): void;
  /**
   * Optional fusion, for batch norm then max pooling (ops/norm/batch-norm-max-pool.ts): normalize's
   * statistics of x into mean and variance, then PoolKernels.maxPool of normalize's output into out
   * and argmax, its planes being the runs of `inner` values (inner = inH·inW), without writing that
   * output. Returns false, having written nothing, where the backend does not fuse this case: the
   * op then runs normalize and maxPool.
   */
  normalizeMaxPool?(
    x: A, outer: number, groups: number, inner: number,
    weight: A | null, bias: A | null, eps: number,
    mean: A, variance: A, windows: PoolWindows, out: A, argmax: A, runMoments?: Float64Array,
  ): boolean;
  /**
   * Optional fusion, for batch norm in eval mode then max pooling: as normalizeMaxPool, with the
   * given statistics of normalizeWithStats (of x's dtype) instead of x's own.
   */
  normalizeWithStatsMaxPool?(
    x: A, outer: number, groups: number, inner: number,
    mean: A, variance: A, weight: A | null, bias: A | null, eps: number, windows: PoolWindows, out: A, argmax: A,
  ): boolean;
  /**
   * y = (x − mean)·scale + shift per group with the given statistics (batchNorm in eval mode:
   * the running ones), scale = w/√(variance + eps) and shift = b as in normalize; mean and
   * variance have x's dtype.
   */
  normalizeWithStats(
    x: A, outer: number, groups: number, inner: number,
    mean: A, variance: A, weight: A | null, bias: A | null, eps: number, y: A,
  ): void;
  /**
   * out[c] = Σ g, out[groups + c] = invstd[c]·Σ g·(x − mean[c]), sums over group c, with
   * invstd = 1/√(variance + eps).
   */
  normalizeSums(g: A, x: A, outer: number, groups: number, inner: number, mean: A, variance: A, eps: number, out: A): void;
  /**
   * dx = s·g + t·(x − μ) + k per group, with invstd = 1/√(variance + eps), s = invstd·w (w = 1 where weight is null),
   * t = −s·invstd·sums[groups + c]/count and k = −s·sums[c]/count (sums as normalizeSums writes them).
   */
  normalizeBackward(
    g: A, x: A, outer: number, groups: number, inner: number,
    mean: A, variance: A, eps: number, count: number, sums: A, weight: A | null, dx: A,
  ): void;
  /** running = (1 − momentum)·running + momentum·batch per channel (the variance's batch value times `unbiased`). */
  updateRunningStats(runningMean: A, runningVar: A, mean: A, variance: A, momentum: number, unbiased: number): void;
  /** y (zero-filled) [n, c] = Σ x[n, c'] over c' ∈ [c − before, c + after] ∩ channels, x and y [outer, channels, inner]. */
  channelWindowSum(x: A, outer: number, channels: number, inner: number, before: number, after: number, y: A): void;
}
