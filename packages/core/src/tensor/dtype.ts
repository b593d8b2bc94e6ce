import { DTypeError } from '../errors.js';

/** Element types a tensor can hold (PyTorch's torch.float32, torch.float64, torch.int32). */
export type DType = 'float32' | 'float64' | 'int32';
/** The floating-point dtypes: the ones gradients flow through. */
export type FloatDType = 'float32' | 'float64';
/** The typed array behind a tensor of each dtype (`Tensor.data`). */
export type TypedArray = Float32Array | Float64Array | Int32Array;
export type FloatArray = Float32Array | Float64Array;

export function isDType(value: unknown): value is DType {
  return value === 'float32' || value === 'float64' || value === 'int32';
}

export function isFloatDType(dtype: DType): dtype is FloatDType {
  return dtype !== 'int32';
}

/**
 * Throws a DTypeError unless every value can be stored as int32: finite and, truncated toward
 * zero (PyTorch's float → int conversion, which storing does), within [-2^31, 2^31-1].
 * NaN, ±Infinity and 3e10 used to wrap silently (0, 0, -64771072).
 */
export function checkInt32Values(op: string, arg: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v > -2147483649 && v < 2147483648) continue;
    throw int32ValueError(op, arg, values.length, i, v);
  }
}

/** checkInt32Values's error for the value v at flat index i of `length` values. */
export function int32ValueError(op: string, arg: string, length: number, i: number, v: number): DTypeError {
  return new DTypeError(
    `${op}: ${arg}${length === 1 ? '' : `[${i}] (flat index)`} = ${v} cannot be stored as int32 ` +
      '(finite values from -2147483648 to 2147483647; fractions are truncated toward zero as in PyTorch)',
  );
}

export function dtypeOfArray(data: TypedArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  return 'int32';
}

/** PyTorch-style promotion for two tensor operands: int32 < float32 < float64. */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  if (a === 'float64' || b === 'float64') return 'float64';
  return 'float32';
}

export function assertFloat(op: string, arg: string, dtype: DType): asserts dtype is FloatDType {
  if (!isFloatDType(dtype)) {
    throw new DTypeError(`${op}: ${arg} must be a floating-point tensor (float32 or float64), got ${dtype}`);
  }
}
