// The elementwise kernels of a backend (see backend.ts): maps over one, two or three operands,
// with NumPy broadcasting given by the operands' shapes (arrays are contiguous, row-major).
// Operations are named by code (with numeric parameters where they have some), never by a
// JavaScript function, so that a backend that cannot call JavaScript (a GPU) implements each one.
import type { KernelArray } from '../tensor/device.js';

/** Codes of the binary operations. Comparisons give 1 or 0 in the output's type. */
export const Binary = {
  add: 0, sub: 1, mul: 2, div: 3, pow: 4, maximum: 5, minimum: 6,
  greater: 7, greaterEqual: 8, less: 9, lessEqual: 10, equal: 11, notEqual: 12,
} as const;
export type BinaryCode = (typeof Binary)[keyof typeof Binary];

/**
 * Codes of the unary operations. Some take parameters a and b (0 where unused), named beside
 * them; the masks give 1 or 0 (or a slope) in the output's type, for the activations' VJPs.
 */
export const Unary = {
  /** -x, e^x, ln x, √x, |x|, and sign (-1, 0 or 1; NaN stays NaN). */
  neg: 0, exp: 1, log: 2, sqrt: 3, abs: 4, sign: 5,
  /** 1/(1 + e^{-x}), evaluated without overflow. */
  sigmoid: 6,
  tanh: 7,
  /** x·σ(x). */
  silu: 8,
  /** log σ(x) = −softplus(−x). */
  logSigmoid: 9,
  /** log(1 + e^{a·x})/a, or x where a·x > b (a = β, b = threshold; PyTorch's softplus). */
  softplus: 10,
  /** [a·x > b] and its complement (a = β, b = threshold): softplus's linear and curved parts. */
  softplusLinear: 11, softplusCurved: 12,
  /** min(max(x, 0), 6), NaN and -0 kept (PyTorch's hardtanh). */
  relu6: 13,
  /** [0 < x < 6]. */
  relu6Pass: 14,
  /** x for x > 0, a·x otherwise (a = the negative slope). */
  leakyRelu: 15,
  /** 1 for x > 0, a otherwise (leakyRelu's derivative; a = the negative slope). */
  leakyReluSlope: 16,
  /** x for x > 0, a·(e^x − 1) otherwise (a = α). */
  elu: 17,
  /** [x > 0] and its complement (NaN: 0 and 1). */
  positive: 18, notPositive: 19,
  /** erf(x), to a few ulp in float64. */
  erf: 20,
  /** x·Φ(x) with Φ(x) = erfc(−x/√2)/2 (the exact GELU). */
  gelu: 21,
  /** min(max(x, a), b) (a = lo, b = hi; -∞ / ∞ for no bound; every value is b when a > b). */
  clamp: 22,
  /** [a ≤ x ≤ b] (clamp's derivative: the bounds pass gradient). */
  clampPass: 23,
  /** max(x, a) then min(·, b), NaN and -0 kept (PyTorch's hardtanh: min a, max b; b where a > b). */
  hardtanh: 24,
  /** [a < x < b] (hardtanh's and hardsigmoid's derivative masks: 0 at the bounds and for NaN). */
  hardtanhPass: 25,
  /** min(max(x + 3, 0), 6) / 6. */
  hardsigmoid: 26,
  /** x · min(max(x + 3, 0), 6) / 6. */
  hardswish: 27,
  /** x·scale for x > 0, (e^x − 1)·α·scale otherwise (α, scale: PyTorch's SELU constants). */
  selu: 28,
  /** x for x > 0, (e^{x·(1/a)} − 1)·a otherwise (a = α ≠ 0). */
  celu: 29,
  /** x·tanh(log(1 + e^x)). */
  mish: 30,
  /** x / (|x| + 1) (NaN at ±∞, as PyTorch's). */
  softsign: 31,
  /** 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) (GELU, approximate 'tanh'). */
  geluTanh: 32,
} as const;
export type UnaryCode = (typeof Unary)[keyof typeof Unary];

export interface ElementwiseKernels<A = KernelArray> {
  /** out[i] = op(x[i]) with the operation's parameters a and b (out has x's length). */
  unary(op: UnaryCode, x: A, out: A, a?: number, b?: number): void;
  /** out = a ⊕ b, with a and b broadcast to outShape (out contiguous, of shape outShape). */
  binary(
    op: BinaryCode,
    a: A, aShape: readonly number[],
    b: A, bShape: readonly number[],
    out: A, outShape: readonly number[],
  ): void;
  /** out = cond ≠ 0 ? a : b, all three broadcast to outShape. */
  where(
    cond: A, condShape: readonly number[],
    a: A, aShape: readonly number[],
    b: A, bShape: readonly number[],
    out: A, outShape: readonly number[],
  ): void;
  /** out = max(x, 0), with -0 → 0, NaN kept and -∞ → 0 (relu's forward). */
  relu(x: A, out: A): void;
  /** out = g · [x > 0] for g and x of one shape (relu's backward; an infinite or NaN g is exact). */
  reluGrad(g: A, x: A, out: A): void;
}
