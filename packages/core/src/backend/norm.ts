// The normalisation kernels of a backend (see backend.ts). batchNorm and layerNorm normalise x
// viewed as [outer, groups, inner] per group (ops/norm/normalize.ts); statistics are float64
// arrays of one value per group. localResponseNorm sums over a window of channels. (Dropout's
// mask is a random kernel, random.ts.)
import type { TypedArray } from '../tensor/dtype.js';

export interface NormKernels {
  /** Per-group mean and biased variance of x (two passes, in float64), written into mean and variance. */
  groupStats(x: TypedArray, outer: number, groups: number, inner: number, mean: Float64Array, variance: Float64Array): void;
  /**
   * y = (x − μ)·scale + shift per group, with μ and the biased σ² of x's group (written into mean
   * and variance), scale = w/√(σ² + eps) and shift = b (w = 1 and b = 0 where weight, bias are null).
   */
  normalize(
    x: TypedArray, outer: number, groups: number, inner: number,
    weight: TypedArray | null, bias: TypedArray | null, eps: number,
    y: TypedArray, mean: Float64Array, variance: Float64Array,
  ): void;
  /** out[c] = Σ g, out[groups + c] = invstd[c]·Σ g·(x − mean[c]), sums over group c. */
  normalizeSums(g: TypedArray, x: TypedArray, outer: number, groups: number, inner: number, mean: Float64Array, invstd: Float64Array, out: TypedArray): void;
  /**
   * dx = s·g + t·(x − μ) + k per group, with s = invstd·w (w = 1 where weight is null),
   * t = −s·invstd·sums[groups + c]/count and k = −s·sums[c]/count (sums as normalizeSums writes them).
   */
  normalizeBackward(
    g: TypedArray, x: TypedArray, outer: number, groups: number, inner: number,
    mean: Float64Array, invstd: Float64Array, count: number, sums: TypedArray, weight: TypedArray | null, dx: TypedArray,
  ): void;
  /** running = (1 − momentum)·running + momentum·batch per channel (the variance's batch value times `unbiased`). */
  updateRunningStats(runningMean: TypedArray, runningVar: TypedArray, mean: Float64Array, variance: Float64Array, momentum: number, unbiased: number): void;
  /** y (zero-filled) [n, c] = Σ x[n, c'] over c' ∈ [c − before, c + after] ∩ channels, x and y [outer, channels, inner]. */
  channelWindowSum(x: TypedArray, outer: number, channels: number, inner: number, before: number, after: number, y: TypedArray): void;
}
