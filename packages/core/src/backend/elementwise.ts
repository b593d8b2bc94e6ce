// The elementwise kernels of a backend (see backend.ts): maps over one, two or three operands,
// with NumPy broadcasting given by the operands' shapes (arrays are contiguous, row-major).
// Operations are named by code, so that a backend that cannot call JavaScript (a GPU) implements
// each one itself. The one exception is `unary`, which also takes a scalar JavaScript function:
// the activations (sigmoid, gelu, softplus, ...), clamp and the VJP masks are written that way
// for now, and only the CPU backend can run them.
import type { TypedArray } from '../tensor/dtype.js';

/** Codes of the binary operations. Comparisons give 1 or 0 in the output's type. */
export const Binary = {
  add: 0, sub: 1, mul: 2, div: 3, pow: 4, maximum: 5, minimum: 6,
  greater: 7, greaterEqual: 8, less: 9, lessEqual: 10, equal: 11, notEqual: 12,
} as const;
export type BinaryCode = (typeof Binary)[keyof typeof Binary];

/** Codes of the unary operations (sign: -1, 0 or 1, NaN stays NaN). */
export const Unary = { neg: 0, exp: 1, log: 2, sqrt: 3, abs: 4, sign: 5 } as const;
export type UnaryCode = (typeof Unary)[keyof typeof Unary];

/** A scalar function applied per element (CPU only; see the note above). */
export type UnaryFn = (a: number) => number;
export type UnaryOp = UnaryCode | UnaryFn;

export interface ElementwiseKernels {
  /** out[i] = op(x[i]) (out has x's length). */
  unary(op: UnaryOp, x: TypedArray, out: TypedArray): void;
  /** out = a ⊕ b, with a and b broadcast to outShape (out contiguous, of shape outShape). */
  binary(
    op: BinaryCode,
    a: TypedArray, aShape: readonly number[],
    b: TypedArray, bShape: readonly number[],
    out: TypedArray, outShape: readonly number[],
  ): void;
  /** out = cond ≠ 0 ? a : b, all three broadcast to outShape. */
  where(
    cond: TypedArray, condShape: readonly number[],
    a: TypedArray, aShape: readonly number[],
    b: TypedArray, bShape: readonly number[],
    out: TypedArray, outShape: readonly number[],
  ): void;
  /** out = max(x, 0), with -0 → 0, NaN kept and -∞ → 0 (relu's forward). */
  relu(x: TypedArray, out: TypedArray): void;
  /** out = g · [x > 0] for g and x of one shape (relu's backward; an infinite or NaN g is exact). */
  reluGrad(g: TypedArray, x: TypedArray, out: TypedArray): void;
}
