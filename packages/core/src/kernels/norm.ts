// Reductions of the normalization layers over one contiguous run [from, to) of a group.
// Each keeps four independent float64 partial sums: a single running sum waits on the previous
// add every element (add latency, ~4 cycles), four let the additions overlap (batch norm's
// forward and backward were bound by exactly that).
import type { TypedArray } from '../tensor/dtype.js';

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
