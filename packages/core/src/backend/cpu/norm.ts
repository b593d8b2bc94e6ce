// Reductions of the normalization layers over one contiguous run [from, to) of a group.
// Each keeps four independent float64 partial sums: a single running sum waits on the previous
// add every element (add latency, ~4 cycles), four let the additions overlap (batch norm's
// forward and backward were bound by exactly that).
import type { TypedArray } from '../../tensor/dtype.js';
import { wasmKernels, wasmScratch } from './wasm/runtime.js';

/** Σ x[i] over [from, to). */
export function sumRange(x: TypedArray, from: number, to: number): number {
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
export function sumSquaredDeviations(x: TypedArray, from: number, to: number, mu: number): number {
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
export function accumulateGradSums(g: TypedArray, x: TypedArray, from: number, to: number, mu: number, out: Float64Array): void {
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

// ---------------------------------------------------------------------------------------
// Float32 in WebAssembly SIMD (assembly/norm.ts): operands are copied into wasm scratch (a
// memcpy runs ~30 GB/s here, the JavaScript passes ~1 G elements/s), computed there, copied back.

const normExports = () => wasmKernels('normalize');

/** Scratch for n floats per data operand and `perGroup` float64 arrays of `groups` values. */
function scratch(n: number, operands: number, groups: number, perGroup: number): { data: Float32Array[]; group: Float64Array[] } {
  const views = wasmScratch([...Array<number>(operands).fill(n), ...Array<number>(perGroup).fill(2 * groups)]);
  return {
    data: views.slice(0, operands),
    group: views.slice(operands).map((v) => new Float64Array(v.buffer, v.byteOffset, groups)),
  };
}

/**
 * Per-group mean and biased variance of x, then y = scale·(x − mean) + shift with the per-group
 * scale and shift that `affine` derives from them. Returns copies of mean and variance.
 */
export function normalizeForwardWasm(
  x: Float32Array, y: Float32Array, outer: number, groups: number, inner: number,
  affine: (mean: Float64Array, variance: Float64Array) => { scale: ArrayLike<number>; shift: ArrayLike<number> },
): { mean: Float64Array; variance: Float64Array } {
  const { data: [xs, ys], group: [mean, variance, scale, shift] } = scratch(x.length, 2, groups, 4) as unknown as { data: [Float32Array, Float32Array]; group: [Float64Array, Float64Array, Float64Array, Float64Array] };
  const w = normExports();
  xs.set(x);
  w.normStats(xs.byteOffset, outer, groups, inner, mean.byteOffset, variance.byteOffset);
  const stats = { mean: mean.slice(), variance: variance.slice() };
  const a = affine(stats.mean, stats.variance);
  scale.set(a.scale);
  shift.set(a.shift);
  w.normCombine(0, xs.byteOffset, ys.byteOffset, outer, groups, inner, mean.byteOffset, scale.byteOffset, scale.byteOffset, shift.byteOffset);
  y.set(ys);
  return stats;
}

/** [Σg per group, Σg·(x − mean) per group] as one float64 array of 2·groups. */
export function gradSumsWasm(g: Float32Array, x: Float32Array, outer: number, groups: number, inner: number, mean: Float64Array): Float64Array {
  const { data: [gs, xs], group: [mu, out] } = scratch(x.length, 2, 2 * groups, 2) as unknown as { data: [Float32Array, Float32Array]; group: [Float64Array, Float64Array] };
  gs.set(g);
  xs.set(x);
  mu.set(mean);
  normExports().normGradSums(gs.byteOffset, xs.byteOffset, outer, groups, inner, mu.byteOffset, out.byteOffset);
  return out.slice();
}

/** dx = s·g + t·(x − mean) + k per group. */
export function normalizeBackwardWasm(
  g: Float32Array, x: Float32Array, dx: Float32Array, outer: number, groups: number, inner: number,
  mean: ArrayLike<number>, s: ArrayLike<number>, t: ArrayLike<number>, k: ArrayLike<number>,
): void {
  const { data: [gs, xs], group: [mu, sv, tv, kv] } = scratch(x.length, 2, groups, 4) as unknown as { data: [Float32Array, Float32Array]; group: [Float64Array, Float64Array, Float64Array, Float64Array] };
  gs.set(g);
  xs.set(x);
  mu.set(mean);
  sv.set(s);
  tv.set(t);
  kv.set(k);
  // dx is written over xs: each element is read before it is written.
  normExports().normCombine(gs.byteOffset, xs.byteOffset, xs.byteOffset, outer, groups, inner, mu.byteOffset, sv.byteOffset, tv.byteOffset, kv.byteOffset);
  dx.set(xs);
}
