// Scalar forms of the smooth activations that the unary kernel (elementwise.ts) runs per element,
// each evaluated in a form that cannot overflow for large |v|.
import { erfc } from './erf.js';

/** σ(v) without overflow: e^{-|v|} only. */
export function sigmoidOf(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/** log(1 + eᵛ) without overflow or loss for large |v|. */
export function softplusOf(v: number): number {
  return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
}

/** Φ(v) = erfc(−v/√2)/2: accurate in the left tail, where 1 + erf would cancel. */
export function normalCdf(v: number): number {
  return 0.5 * erfc(-v * Math.SQRT1_2);
}
