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

/** The array type of each dtype (their constructors take a length, or a buffer, offset and length alike). */
const ARRAYS: Record<DType, { new (length: number): TypedArray; new (buffer: ArrayBuffer, byteOffset: number, length: number): TypedArray }> = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
};

/**
 * Arrays of at least this many elements that a kernel will overwrite whole are taken from Node's
 * `Buffer.allocUnsafeSlow` when it exists: memory that is not zero-filled first. A fresh zeroed
 * 12.8 MB Float32Array costs ~1.6 ms more to make and fill than an unzeroed one (3.3 vs 1.7 ms,
 * malloc tunables on, this project's Xeon). A 1-thread fmnist-cnn training step takes ~15.7M
 * elements of fresh activations and gradients (traced; the rest come back from the pool), all
 * written whole by their kernels: 171-185 vs 186-189 ms per step, two alternated rounds. The
 * stale contents are this process's own freed memory; `setUninitializedPoison` (core/testing) fills
 * such arrays with NaN so a test suite proves that no kernel reads them. Browsers have no such call
 * and get zero-filled arrays. Smaller arrays live on V8's heap, where zeroing is cheap.
 */
export const UNINITIALIZED_MIN_LENGTH = 4096;

/** Node's Buffer.allocUnsafeSlow, looked up on the global object (no import: main entries stay free of Node built-ins). */
const allocUnsafeSlow: ((bytes: number) => { buffer: ArrayBuffer }) | undefined = (() => {
  const buffer = (globalThis as { Buffer?: { allocUnsafeSlow?: unknown } }).Buffer;
  return typeof buffer?.allocUnsafeSlow === 'function' ? (buffer.allocUnsafeSlow.bind(buffer) as (bytes: number) => { buffer: ArrayBuffer }) : undefined;
})();

/**
 * A new array for a `dtype` tensor of `shape` (`length` = its element count): zero-filled, or,
 * when `zeroed` is false, with whatever the memory held (see UNINITIALIZED_MIN_LENGTH).
 * Throws an AllocationError, named by `op` when given (else by the op's public entry), when the
 * size is not a count, exceeds MAX_TENSOR_ELEMENTS, or the engine refuses the memory.
 */
export function newArray(dtype: DType, length: number, shape: readonly number[] = [length], op?: string, zeroed = true): TypedArray {
  checkAllocation(dtype, length, shape, op);
  try {
    // allocUnsafeSlow never pools: the Buffer owns its whole ArrayBuffer (byteOffset 0).
    const unzeroed = !zeroed && length >= UNINITIALIZED_MIN_LENGTH && allocUnsafeSlow ? allocUnsafeSlow(length * BYTES[dtype]).buffer : null;
    const Typed = ARRAYS[dtype];
    return unzeroed ? new Typed(unzeroed, 0, length) : new Typed(length);
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
