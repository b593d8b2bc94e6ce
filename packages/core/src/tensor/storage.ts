// Storage: the one place that hands out tensors' arrays, takes them back and counts them.
// First touch of fresh memory is slow (~0.3 GB/s on a small VM) and every fresh ArrayBuffer
// feeds the garbage collector, so an array that the framework KNOWS nobody can reach any more
// is kept here for the next tensor of the same dtype and length.
// Who may recycle: only autograd's backward, for the gradients it created and consumed itself
// (see autograd/recycler.ts). Anything a user could hold is never recycled.
import { ArgumentError } from '../errors.js';
import type { DType, TypedArray } from './dtype.js';
import { newArray } from './limits.js';

/**
 * Arrays below this many elements are left to the GC: V8 allocates them cheaply. A kernel that
 * takes a temporary on every call asks for at least this many, so the temporary is reused.
 */
export const MIN_POOLED_LENGTH = 4096;
const DEFAULT_LIMIT_BYTES = 512 * 1024 * 1024;

const free: Record<DType, Map<number, TypedArray[]>> = { float32: new Map(), float64: new Map(), int32: new Map() };
let pooledBytes = 0;
let limitBytes = DEFAULT_LIMIT_BYTES;
let reused = 0;
let freshLarge = 0;
// Tests set this: every array handed out uninitialised is filled with NaN (int32: -2^31) first.
let poison = false;

// Backward asks which arrays it allocated: only those can be its to recycle.
let tracker: Set<object> | null = null;

/**
 * Records every array handed out from now on into `into` (null stops recording): the buffer of a
 * CPU array, the DeviceArray itself for a device's (its storage calls noteAllocation).
 * Returns the previous recorder, to be restored by the caller (backward may nest).
 */
export function recordAllocations(into: Set<object> | null): Set<object> | null {
  const previous = tracker;
  tracker = into;
  return previous;
}

/** Called by a device's storage for every array it hands out (see recordAllocations). */
export function noteAllocation(array: object): void {
  tracker?.add(array);
}

/**
 * A zero-filled array (recycled when the pool holds one of this dtype and length).
 * `shape` and `op` name the tensor in the AllocationError a too-large size throws (limits.ts).
 */
export function allocate(dtype: DType, length: number, shape?: readonly number[], op?: string): TypedArray {
  return takeArray(dtype, length, true, shape, op);
}

/** An array whose contents are stale values: for kernels that write every element. */
export function allocateUninitialized(dtype: DType, length: number, shape?: readonly number[]): TypedArray {
  return takeArray(dtype, length, false, shape);
}

/** A recycled array when one of this dtype and length is kept, else a new one (limits.ts checks the size). */
function takeArray(dtype: DType, length: number, zeroed: boolean, shape?: readonly number[], op?: string): TypedArray {
  let data: TypedArray | undefined;
  if (length >= MIN_POOLED_LENGTH) {
    const list = free[dtype].get(length);
    data = list?.pop();
    if (data !== undefined) {
      pooledBytes -= data.byteLength;
      reused++;
      if (zeroed) data.fill(0);
    }
  }
  if (data === undefined) {
    data = newArray(dtype, length, shape, op, zeroed);
    if (length >= MIN_POOLED_LENGTH) freshLarge++;
  }
  if (poison && !zeroed) data.fill(dtype === 'int32' ? -(2 ** 31) : NaN);
  tracker?.add(data.buffer);
  return data;
}

/**
 * While on, every array handed out uninitialised (a kernel's output that it must write whole,
 * recycled or fresh) is first filled with NaN, or -2^31 for int32, so a kernel that reads an
 * element it did not write shows up as NaN in a test rather than as a result that depends on what
 * the memory held. Off by default; every tensorgrad package's test suite turns it on
 * (@tensorgrad/core/testing/poison-uninitialized).
 */
export function setUninitializedPoison(on: boolean): void {
  if (typeof on !== 'boolean') throw new ArgumentError(`setUninitializedPoison: on must be a boolean, got ${typeof on}`);
  poison = on;
}

// Arrays whose elements a background job is still computing (an asynchronous filter gradient on a
// worker thread: backend/cpu/wasm/tasks.ts runTasksAsync). Reading one through Tensor.storage or
// Tensor.data first waits for that job and lets it write the array.
const unsettled = new Map<object, () => void>();

/** Marks `array` as being written by a background job; `settle` finishes the job and writes it (it must call markSettled). */
export function markUnsettled(array: object, settle: () => void): void {
  unsettled.set(array, settle);
}

/** The job writing `array` has written it. */
export function markSettled(array: object): void {
  unsettled.delete(array);
}

/** Waits for the background job writing `array`, if there is one (a map lookup only while some job runs). */
export function settleStorage(array: object): void {
  if (unsettled.size !== 0) unsettled.get(array)?.();
}

/** Whether recycle would keep this array (it must own its whole buffer and be large enough). */
export function isPoolable(data: TypedArray): boolean {
  // A view into a larger buffer (e.g. wasm or shared memory) is not ours to hand out.
  return data.length >= MIN_POOLED_LENGTH && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && !isShared(data.buffer);
}

/**
 * Gives `data` back for reuse. The caller guarantees that nothing can read or write it any more
 * (every tensor that wraps it has been released). Dropped to the GC when the pool is full.
 */
export function recycle(data: TypedArray, dtype: DType): void {
  if (!isPoolable(data) || pooledBytes + data.byteLength > limitBytes) return;
  let list = free[dtype].get(data.length);
  if (list === undefined) free[dtype].set(data.length, (list = []));
  list.push(data);
  pooledBytes += data.byteLength;
}

/**
 * Bytes and arrays currently held for reuse; how many poolable-size arrays were served from the
 * pool (`reused`) and how many had to be allocated fresh (`allocated`) so far.
 */
export function poolStats(): {
  /** Bytes of the arrays held for reuse. */
  bytes: number;
  /** Number of arrays held for reuse. */
  arrays: number;
  /** Poolable-size arrays served from the pool so far. */
  reused: number;
  /** Poolable-size arrays allocated fresh so far. */
  allocated: number;
} {
  let arrays = 0;
  for (const byLength of Object.values(free)) for (const list of byLength.values()) arrays += list.length;
  return { bytes: pooledBytes, arrays, reused, allocated: freshLarge };
}

/**
 * Caps the memory kept for reuse (default 512 MiB); 0 turns reuse off. Lowering the cap drops
 * what is above it.
 */
export function setPoolLimit(bytes: number): void {
  if (typeof bytes !== 'number' || !(bytes >= 0)) {
    throw new ArgumentError(`setPoolLimit: bytes must be a number >= 0 (Infinity for no cap), got ${typeof bytes === 'number' ? bytes : typeof bytes}`);
  }
  limitBytes = bytes;
  if (pooledBytes > limitBytes) clearPool();
}

/** Drops every array kept for reuse (they become garbage). */
export function clearPool(): void {
  for (const byLength of Object.values(free)) byLength.clear();
  pooledBytes = 0;
}

function isShared(buffer: ArrayBufferLike): boolean {
  return typeof SharedArrayBuffer === 'function' && buffer instanceof SharedArrayBuffer;
}
