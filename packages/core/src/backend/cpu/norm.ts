// The CPU backend's normalisation kernels (NormKernels, backend/norm.ts): TypeScript loops, with
// batchNorm/layerNorm's passes in WebAssembly for large float32 inputs (wasm/norm.ts).
// The reductions over one contiguous run [from, to) of a group each keep four independent float64
// partial sums: a single running sum waits on the previous add every element (add latency, ~4
// cycles), four let the additions overlap (batch norm's forward and backward were bound by exactly that).
import type { TypedArray } from '../../tensor/dtype.js';
import type { NormKernels } from '../norm.js';
import { gradSumsWasm, groupStatsWasm, normalizeApplyWasm, normalizeBackwardWasm, normalizeForwardWasm, useWasmNorm } from './wasm/norm.js';
import { normalizeMaxPoolWasm } from './wasm/norm-pool.js';

/** Σ x[i] over [from, to). */
function sumRange(x: TypedArray, from: number, to: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = from;
  for (; i + 3 < to; i += 4) {
    s0 += x[i]!;
    s1 += x[i + 1]!;
    s2 += x[i + 2]!;
    s3 += x[i + 3]!;
  }
  for (; i < to; i++) s0 += x[i]!;
  return s0 + s1 + s2 + s3;
}

/** Σ (x[i] − mu)² over [from, to). */
function sumSquaredDeviations(x: TypedArray, from: number, to: number, mu: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = from;
  for (; i + 3 < to; i += 4) {
    const d0 = x[i]! - mu, d1 = x[i + 1]! - mu, d2 = x[i + 2]! - mu, d3 = x[i + 3]! - mu;
    s0 += d0 * d0;
    s1 += d1 * d1;
    s2 += d2 * d2;
    s3 += d3 * d3;
  }
  for (; i < to; i++) {
    const d = x[i]! - mu;
    s0 += d * d;
  }
  return s0 + s1 + s2 + s3;
}

/** Adds Σ g[i] to out[0] and Σ g[i]·(x[i] − mu) to out[1], over [from, to). */
function accumulateGradSums(g: TypedArray, x: TypedArray, from: number, to: number, mu: number, out: Float64Array): void {
  let a0 = 0, a1 = 0, b0 = 0, b1 = 0;
  let i = from;
  for (; i + 1 < to; i += 2) {
    const g0 = g[i]!, g1 = g[i + 1]!;
    a0 += g0;
    a1 += g1;
    b0 += g0 * (x[i]! - mu);
    b1 += g1 * (x[i + 1]! - mu);
  }
  if (i < to) {
    a0 += g[i]!;
    b0 += g[i]! * (x[i]! - mu);
  }
  out[0]! += a0 + a1;
  out[1]! += b0 + b1;
}

/** Per-group mean and biased variance (two passes, in float64). */
function groupStats(x: TypedArray, outer: number, groups: number, inner: number, m: TypedArray, v: TypedArray): void {
  const count = outer * inner;
  m.fill(0);
  v.fill(0);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < groups; c++) {
      const base = (o * groups + c) * inner;
      m[c]! += sumRange(x, base, base + inner);
    }
  }
  for (let c = 0; c < groups; c++) m[c]! /= count;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < groups; c++) {
      const base = (o * groups + c) * inner;
      v[c]! += sumSquaredDeviations(x, base, base + inner, m[c]!);
    }
  }
  for (let c = 0; c < groups; c++) v[c]! /= count;
}

const invstdOf = (variance: TypedArray, eps: number): Float64Array => Float64Array.from(variance, (v) => 1 / Math.sqrt(v + eps));

/** normalize's per-group scale = w/√(σ² + ε) and shift = b (w = 1 and b = 0 where absent). */
function affineOf(weight: TypedArray | null, bias: TypedArray | null, eps: number) {
  return (mu: TypedArray, sigma2: TypedArray): { scale: Float64Array; shift: Float64Array } => ({
    scale: Float64Array.from(sigma2, (v, c) => (weight ? weight[c]! : 1) / Math.sqrt(v + eps)),
    shift: Float64Array.from(mu, (_, c) => (bias ? bias[c]! : 0)),
  });
}

/** y = (x − μ)·scale + shift per group. */
function applyNormalize(x: TypedArray, outer: number, groups: number, inner: number, mean: TypedArray, scale: Float64Array, shift: Float64Array, y: TypedArray): void {
  if (useWasmNorm(x)) {
    normalizeApplyWasm(x, y as Float32Array, outer, groups, inner, mean, scale, shift);
    return;
  }
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < groups; c++) {
      const base = (o * groups + c) * inner;
      const mu = mean[c]!;
      const s = scale[c]!;
      const b = shift[c]!;
      for (let i = base; i < base + inner; i++) y[i] = (x[i]! - mu) * s + b;
    }
  }
}

export const cpuNorm: NormKernels<TypedArray> = {
  groupStats,

  normalize(x, outer, groups, inner, weight, bias, eps, y, mean, variance, runMoments) {
    const affine = affineOf(weight, bias, eps);
    // The wasm kernels combine run moments (the TypeScript ones take two passes instead), so only they use given ones.
    if (useWasmNorm(x)) {
      normalizeForwardWasm(x, y as Float32Array, outer, groups, inner, mean as Float64Array, variance as Float64Array, affine, runMoments);
      return;
    }
    groupStats(x, outer, groups, inner, mean, variance);
    const { scale, shift } = affine(mean, variance);
    applyNormalize(x, outer, groups, inner, mean, scale, shift, y);
  },

  // Fused where both steps would take the wasm kernels (float32, large); elsewhere the op runs the two kernels.
  normalizeMaxPool(x, outer, groups, inner, weight, bias, eps, mean, variance, windows, out, argmax, runMoments) {
    if (!useWasmNorm(x)) return false;
    groupStatsWasm(x, outer, groups, inner, mean as Float64Array, variance as Float64Array, runMoments);
    return cpuNorm.normalizeWithStatsMaxPool!(x, outer, groups, inner, mean, variance, weight, bias, eps, windows, out, argmax);
  },

  normalizeWithStatsMaxPool(x, outer, groups, inner, mean, variance, weight, bias, eps, windows, out, argmax) {
    if (!useWasmNorm(x)) return false;
    const { scale, shift } = affineOf(weight, bias, eps)(mean, variance);
    normalizeMaxPoolWasm(x, outer, groups, inner, mean, scale, shift, windows, out as Float32Array, argmax as Int32Array);
    return true;
  },

  normalizeWithStats(x, outer, groups, inner, mean, variance, weight, bias, eps, y) {
    const { scale, shift } = affineOf(weight, bias, eps)(mean, variance);
    applyNormalize(x, outer, groups, inner, mean, scale, shift, y);
  },

  normalizeSums(g, x, outer, groups, inner, mean, variance, eps, out) {
    const invstd = invstdOf(variance, eps);
    if (useWasmNorm(x)) {
      const sums = gradSumsWasm(g as Float32Array, x, outer, groups, inner, mean as Float64Array);
      for (let c = 0; c < groups; c++) {
        out[c] = sums[c]!;
        out[groups + c] = sums[groups + c]! * invstd[c]!;
      }
      return;
    }
    const sums = new Float64Array(2);
    for (let c = 0; c < groups; c++) {
      sums.fill(0);
      for (let o = 0; o < outer; o++) {
        const base = (o * groups + c) * inner;
        accumulateGradSums(g, x, base, base + inner, mean[c]!, sums);
      }
      out[c] = sums[0]!;
      out[groups + c] = sums[1]! * invstd[c]!;
    }
  },

  normalizeBackward(g, x, outer, groups, inner, mean, variance, eps, count, sums, weight, dx) {
    const invstd = invstdOf(variance, eps);
    // dx = s·g + t·(x − μ) + k per group.
    const s = Float64Array.from(invstd, (v, c) => v * (weight ? weight[c]! : 1));
    const t = Float64Array.from(s, (sc, c) => (-sc * invstd[c]! * sums[groups + c]!) / count);
    const k = Float64Array.from(s, (sc, c) => (-sc * sums[c]!) / count);
    if (useWasmNorm(x)) {
      normalizeBackwardWasm(g as Float32Array, x, dx as Float32Array, outer, groups, inner, mean, s, t, k);
      return;
    }
    for (let c = 0; c < groups; c++) {
      const sc = s[c]!, tc = t[c]!, kc = k[c]!, mu = mean[c]!;
      for (let o = 0; o < outer; o++) {
        const base = (o * groups + c) * inner;
        for (let i = base; i < base + inner; i++) dx[i] = sc * g[i]! + tc * (x[i]! - mu) + kc;
      }
    }
  },

  updateRunningStats(runningMean, runningVar, mean, variance, momentum, unbiased) {
    for (let i = 0; i < mean.length; i++) {
      runningMean[i] = (1 - momentum) * runningMean[i]! + momentum * mean[i]!;
      runningVar[i] = (1 - momentum) * runningVar[i]! + momentum * variance[i]! * unbiased;
    }
  },

  channelWindowSum(x, outer, channels, inner, before, after, y) {
    for (let n = 0; n < outer; n++) {
      for (let c = 0; c < channels; c++) {
        const dst = (n * channels + c) * inner;
        for (let s = Math.max(0, c - before); s <= Math.min(channels - 1, c + after); s++) {
          const src = (n * channels + s) * inner;
          for (let i = 0; i < inner; i++) y[dst + i]! += x[src + i]!;
        }
      }
    }
  },
};
