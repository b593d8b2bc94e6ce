// Scalar forms of the smooth activations that the unary kernel (elementwise.ts) runs per element,
// each evaluated in a form that cannot overflow for large |v|.
import { GELU_TANH_BETA, GELU_TANH_KAPPA, SELU_NEGATIVE, SELU_SCALE } from '../activation-constants.js';
import { portableExp, portableLog1p, portableTanh } from '../../tensor/portable-exp.js';
import { erfc } from './erf.js';

/** σ(v) without overflow: e^{-|v|} only. */
export function sigmoidOf(v: number): number {
  if (v >= 0) return 1 / (1 + portableExp(-v));
  const e = portableExp(v);
  return e / (1 + e);
}

/** log(1 + eᵛ) without overflow or loss for large |v|. */
export function softplusOf(v: number): number {
  return Math.max(v, 0) + portableLog1p(portableExp(-Math.abs(v)));
}

/** Φ(v) = erfc(−v/√2)/2: accurate in the left tail, where 1 + erf would cancel. */
export function normalCdf(v: number): number {
  return 0.5 * erfc(-v * Math.SQRT1_2);
}

// The activations below follow PyTorch 1.13's CPU kernels expression for expression (operand
// order, exp − 1 rather than expm1, the constants), so float64 values agree bit for bit wherever
// the elementary functions (exp, tanh, log1p) do.

/** selu(v) = v·scale for v > 0, (e^v − 1)·α·scale otherwise (torch's elu kernel with scale). */
export function seluOf(v: number): number {
  return v <= 0 ? (portableExp(v) - 1) * SELU_NEGATIVE : v * SELU_SCALE;
}

/** celu(v) = v for v > 0, (e^{v·(1/α)} − 1)·α otherwise (torch: elu with input scale 1/α). */
export function celuOf(v: number, alpha: number, inverseAlpha: number): number {
  return v <= 0 ? (portableExp(v * inverseAlpha) - 1) * alpha : v;
}

/** min(max(t, 0), 6) as std::min(std::max(t, 0), 6): NaN stays NaN. */
const clamp06 = (t: number): number => (t < 0 ? 0 : t > 6 ? 6 : t);

/** hardsigmoid(v) = min(max(v + 3, 0), 6) / 6. */
export function hardsigmoidOf(v: number): number {
  return clamp06(v + 3) / 6;
}

/** hardswish(v) = v · min(max(v + 3, 0), 6) / 6, multiplied before the division as torch. */
export function hardswishOf(v: number): number {
  return (v * clamp06(v + 3)) / 6;
}

/** gelu(v, 'tanh') = 0.5·v·(1 + tanh(β·(v + κ·v³))), v³ as (v·v)·v. */
export function geluTanhOf(v: number): number {
  const inner = GELU_TANH_BETA * (v + GELU_TANH_KAPPA * (v * v * v));
  return 0.5 * v * (1 + portableTanh(inner));
}
