import { DTypeError } from '../errors.js';
import { takeArray } from './pool.js';

export type DType = 'float32' | 'float64' | 'int32';
export type FloatDType = 'float32' | 'float64';
export type TypedArray = Float32Array | Float64Array | Int32Array;
export type FloatArray = Float32Array | Float64Array;

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32'];

export function isDType(value: unknown): value is DType {
  return value === 'float32' || value === 'float64' || value === 'int32';
}

export function isFloatDType(dtype: DType): dtype is FloatDType {
  return dtype !== 'int32';
}

/** A zero-filled array (recycled storage when the pool has one of this dtype and length). */
export function allocate(dtype: DType, length: number): TypedArray {
  return takeArray(dtype, length, true);
}

/** An array whose contents are stale: for kernels that write every element. */
export function allocateUninitialized(dtype: DType, length: number): TypedArray {
  return takeArray(dtype, length, false);
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
