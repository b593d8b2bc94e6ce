/// <reference types="@webgpu/types" preserve="true" />
// A tensor's elements in a GPU buffer: the WebGPU backend's DeviceArray. Its buffer comes from the
// runtime's BufferPool (buffer-pool.ts) and goes back there when the array is released or
// garbage-collected; after a release the array refuses to hand its buffer out, so a kernel that
// binds it throws instead of reading a buffer that another tensor now owns.
import { DTypeError, DeviceError } from '../../errors.js';
import type { DeviceArray, KernelArray } from '../storage.js';

/** The dtypes WebGPU holds (WGSL has no 64-bit floats). */
export type GpuDType = 'float32' | 'int32';

/** The WebGPU backend's dtypes, in the order error messages list them. */
export const GPU_DTYPES: readonly GpuDType[] = ['float32', 'int32'];

/** Buffer usage flags (numeric: Node has no GPUBufferUsage global without the webgpu package's). */
export const BufferUsage = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 } as const;

/** The usage of every array's buffer: bound as storage, copied from and to. */
export const ARRAY_USAGE = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;

/**
 * `length` elements of `dtype` (4 bytes each) at offset 0 of `buffer`. The buffer's size is the
 * pool's size class for `byteLength` (a multiple of 16, at least 256 bytes): bytes past
 * `byteLength` hold stale values.
 */
export class GpuArray implements DeviceArray {
  readonly device = 'webgpu' as const;
  #buffer: GPUBuffer | null;

  constructor(
    readonly dtype: GpuDType,
    /** Number of elements. */
    readonly length: number,
    buffer: GPUBuffer,
    /** The BufferPool the buffer came from (an array only goes back to, and binds on, its own device). */
    readonly owner: object,
  ) {
    this.#buffer = buffer;
  }

  /** The GPU buffer (usage STORAGE | COPY_SRC | COPY_DST). Throws a DeviceError once released. */
  get buffer(): GPUBuffer {
    if (this.#buffer === null) {
      throw new DeviceError(`GpuArray: this ${this.dtype} array of ${this.length} elements was released; its buffer may now hold another tensor's values`);
    }
    return this.#buffer;
  }

  /** Bytes of the elements: 4 * length (the buffer itself may be larger). */
  get byteLength(): number {
    return 4 * this.length;
  }

  /** True after the pool took the buffer back. */
  get released(): boolean {
    return this.#buffer === null;
  }

  /** Takes the buffer away for the pool (BufferPool.release); later uses of `buffer` throw. */
  detach(): GPUBuffer {
    const buffer = this.buffer;
    this.#buffer = null;
    return buffer;
  }
}

/**
 * Tensor data handed to a WebGPU kernel, as the GpuArray it must be: a backend only receives
 * arrays of its own device (host metadata goes through host-arrays.ts's deviceArrayOf instead), so
 * anything else is the caller's error, thrown here with the op and argument (`name`) rather than
 * from a binding. `dtype`: the dtype the kernel's shader reads, for kernels of one dtype.
 */
export function gpuArrayOf(a: KernelArray, op: string, name = 'tensor data', dtype?: GpuDType): GpuArray {
  if (!(a instanceof GpuArray)) {
    const what = ArrayBuffer.isView(a) ? `a CPU ${a.constructor.name}` : `a '${a.device}' array that is not a GpuArray`;
    throw new DeviceError(`${op}: the WebGPU backend got ${what} as ${name}; move the tensor with .to('webgpu') first`);
  }
  if (dtype !== undefined && a.dtype !== dtype) throw new DTypeError(`${op}: ${name} must be ${dtype} on WebGPU, got ${a.dtype}`);
  return a;
}
