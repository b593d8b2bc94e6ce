// Devices and their storage: where a tensor's elements live and how they get there and back. On
// the CPU a tensor's storage is its typed array; on a GPU it is a DeviceArray, a handle to device
// memory that JavaScript cannot index. Kernels of every backend area take and write
// `KernelArray`s: a backend receives only arrays of its own device (ops refuse mixed devices).
// This is the tensor room (the lowest): a backend's storage area implements StorageKernels and is
// registered here, so Tensor can move and read its elements without importing any backend.
import { DTypeError, DeviceError } from '../errors.js';
import { type DType, type TypedArray, checkInt32Values, dtypeOfArray } from './dtype.js';
import { allocate, allocateUninitialized, recycle } from './storage.js';

/** Where a tensor's elements live. */
export type Device = 'cpu' | 'webgpu';

/** The devices, in the order error messages list them. */
export const DEVICES: readonly Device[] = ['cpu', 'webgpu'];

/**
 * A tensor's elements in device memory: an opaque handle, read back only asynchronously
 * (`StorageKernels.toHostAsync`). Each backend defines what stands behind it.
 */
export interface DeviceArray {
  /** The device whose memory holds the elements (never 'cpu': a CPU tensor's storage is its typed array). */
  readonly device: Exclude<Device, 'cpu'>;
  /** Element type of the stored values. */
  readonly dtype: DType;
  /** Number of elements. */
  readonly length: number;
}

/** What kernels read and write: a typed array on the CPU, a DeviceArray elsewhere. */
export type KernelArray = TypedArray | DeviceArray;

/** True for a DeviceArray (false for a CPU typed array). */
export function isDeviceArray(a: KernelArray): a is DeviceArray {
  return !ArrayBuffer.isView(a);
}

export interface StorageKernels {
  /**
   * A new array of `length` elements of `dtype`, zero-filled when `zeroed` (else with stale
   * values: for kernels that write every element). `shape` and `op` name the tensor in the error
   * an impossible size throws.
   */
  allocate(dtype: DType, length: number, zeroed: boolean, shape?: readonly number[], op?: string): KernelArray;
  /** A copy of host values on this device (the CPU backend returns `data` itself, not a copy). */
  fromHost(data: TypedArray): KernelArray;
  /** The elements, copied to the host (resolves after every kernel queued before it has run). */
  toHostAsync(array: KernelArray): Promise<TypedArray>;
  /**
   * Takes `array` back for reuse. The caller guarantees that nothing reads or writes it any more
   * (autograd's backward, for the gradients it created and consumed).
   */
  release(array: KernelArray): void;
  /** dst = src, element for element (same device, dtype and length). */
  copy(src: KernelArray, dst: KernelArray): void;
  /** Writes host values into an array of this device (same length; values converted to its dtype). */
  write(dst: KernelArray, data: TypedArray): void;
}

function host(array: KernelArray, op: string): TypedArray {
  if (!ArrayBuffer.isView(array)) throw new DTypeError(`cpu storage ${op}: got a '${array.device}' array`);
  return array;
}

/**
 * The CPU's storage kernels: a CPU tensor's storage is its typed array (tensor/storage.ts hands
 * them out and takes them back). Defined here, not registered by a module of its own, so that a
 * bundle that tree-shakes side-effect-only imports still has it; the CPU backend's storage area
 * is this object.
 */
export const cpuStorage: StorageKernels = {
  allocate: (dtype, length, zeroed, shape, op) => (zeroed ? allocate(dtype, length, shape, op) : allocateUninitialized(dtype, length, shape)),
  fromHost: (data) => data,
  toHostAsync: (array) => Promise.resolve(host(array, 'toHostAsync')),
  release: (array) => {
    const data = host(array, 'release');
    recycle(data, dtypeOfArray(data));
  },
  copy: (src, dst) => host(dst, 'copy').set(host(src, 'copy')),
  write: (dst, data) => {
    const out = host(dst, 'write');
    if (out instanceof Int32Array && !(data instanceof Int32Array)) checkInt32Values('write', 'data', data);
    out.set(data);
  },
};

const storages = new Map<Device, StorageKernels>([['cpu', cpuStorage]]);

/** Called when a device's backend is ready (initWebGPU for 'webgpu'; the CPU at load). */
export function registerStorage(device: Device, storage: StorageKernels): void {
  storages.set(device, storage);
}

/** The storage kernels of `device`; a DeviceError says how to make it available when it is not. */
export function storageOf(device: Device, op: string): StorageKernels {
  const storage = storages.get(device);
  if (storage !== undefined) return storage;
  if (!DEVICES.includes(device)) {
    throw new DeviceError(`${op}: device must be one of ${DEVICES.map((d) => `'${d}'`).join(', ')}, got ${typeof device === 'string' ? `'${device}'` : typeof device}`);
  }
  throw new DeviceError(`${op}: device '${device}' is not initialised: call \`await initWebGPU()\` first`);
}

/** The device of a kernel array. */
export function deviceOfArray(a: KernelArray): Device {
  return ArrayBuffer.isView(a) ? 'cpu' : a.device;
}

/**
 * The dtype in which statistics (batch norm's means and variances) accumulate on a device:
 * float64 where the device has it, else float32.
 */
export function accumulatorDtype(device: Device): 'float32' | 'float64' {
  return device === 'cpu' ? 'float64' : 'float32';
}
