// How large one tensor may be. Every array a tensor owns is made by `newArray`, which checks the
// size first: a shape of 1e5 × 1e5 must say which tensor could not be made and why, not fail
// with V8's `RangeError: Invalid typed array length` from deep inside a kernel.
import { AllocationError, formatShape } from '../errors.js';
import type { DType, TypedArray } from './dtype.js';

/**
 * Most elements one tensor may hold: kernels index tensors with int32 (Int32Array index maps
 * and argmax, WebAssembly offsets), so 2^31-1 is the largest size every op handles.
 */
export const MAX_TENSOR_ELEMENTS = 2 ** 31 - 1;

const BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4 };

/**
 * A new zero-filled array for a `dtype` tensor of `shape` (`length` = its element count).
 * Throws an AllocationError, named by `op` when given (else by the op's public entry), when the
 * size is not a count, exceeds MAX_TENSOR_ELEMENTS, or the engine refuses the memory.
 */
export function newArray(dtype: DType, length: number, shape: readonly number[] = [length], op?: string): TypedArray {
  checkAllocation(dtype, length, shape, op);
  try {
    switch (dtype) {
      case 'float32': return new Float32Array(length);
      case 'float64': return new Float64Array(length);
      case 'int32': return new Int32Array(length);
    }
  } catch (e) {
    // V8: "Array buffer allocation failed" when the memory is not there.
    if (!(e instanceof RangeError)) throw e;
    throw new AllocationError(`${cannot(dtype, length, shape)}: the JavaScript engine refused the memory (${e.message})`, op);
  }
}

/** The size checks of newArray alone, for an op that must know before it builds anything else. */
export function checkAllocation(dtype: DType, length: number, shape: readonly number[], op?: string): void {
  if (!Number.isInteger(length) || length < 0) {
    throw new AllocationError(`cannot allocate a ${dtype} tensor of shape ${formatShape(shape)}: sizes must be non-negative integers`, op);
  }
  if (length > MAX_TENSOR_ELEMENTS) {
    throw new AllocationError(
      `${cannot(dtype, length, shape)}: one tensor holds at most 2^31-1 elements (${formatBytes(MAX_TENSOR_ELEMENTS * BYTES[dtype])} of ${dtype})`,
      op,
    );
  }
}

const cannot = (dtype: DType, length: number, shape: readonly number[]): string =>
  `cannot allocate a ${dtype} tensor of shape ${formatShape(shape)} (${length} elements, ${formatBytes(length * BYTES[dtype])})`;

/** Decimal units, one decimal place: 40000000000 → '40.0 GB'. */
export function formatBytes(bytes: number): string {
  const units: [number, string][] = [[1e12, 'TB'], [1e9, 'GB'], [1e6, 'MB'], [1e3, 'kB']];
  for (const [size, unit] of units) if (bytes >= size) return `${(bytes / size).toFixed(1)} ${unit}`;
  return `${bytes} bytes`;
}
