/// <reference types="@webgpu/types" />
// GPU buffers recycled in size classes, so that training (the same shapes every step) stops
// creating buffers after its first step and GPU memory stays flat without dispose(): an array's
// buffer comes back when the array is released (autograd's recycler, StorageKernels.release) or
// when the array is garbage-collected (a FinalizationRegistry whose target is the GpuArray and
// whose held value is its GPUBuffer: the buffer itself must not keep the array alive).
import { AllocationError, DeviceError } from '../../errors.js';
import { ARRAY_USAGE, GpuArray, type GpuDType } from './gpu-array.js';

/** The pool's allocation counters (the backend's own measure of GPU memory). */
export interface GpuMemoryStats {
  /** GpuArrays handed out and neither released nor collected. */
  readonly liveArrays: number;
  /** Bytes of the buffers of the live arrays (their size classes). */
  readonly liveBytes: number;
  /** Free buffers kept for reuse. */
  readonly pooledBuffers: number;
  /** Bytes of the free buffers. */
  readonly pooledBytes: number;
  /** Buffers created with device.createBuffer since the pool was made. */
  readonly createdBuffers: number;
  /** Allocations served by a free buffer instead of a new one. */
  readonly reusedBuffers: number;
}

/** Default cap on the bytes of free buffers kept (beyond it, returned buffers are destroyed). */
export const DEFAULT_MAX_POOLED_BYTES = 512 * 2 ** 20;

const MIN_CLASS_BYTES = 256;
const FINE_CLASSES_ABOVE = 2 ** 20;

/**
 * The buffer size that holds `bytes`: powers of two from 256 bytes up to 1 MiB; above 1 MiB,
 * multiples of a sixteenth of the next power of two (1.125, 1.25 ... 2, 2.25, 2.5 ... MiB: eight
 * classes per doubling), so a large tensor wastes less than 12.5% while a training step's sizes
 * still fall into few classes.
 */
export function sizeClass(bytes: number): number {
  if (bytes <= MIN_CLASS_BYTES) return MIN_CLASS_BYTES;
  const power = 2 ** Math.ceil(Math.log2(bytes));
  if (power <= FINE_CLASSES_ABOVE) return power;
  const step = power / 16;
  return Math.ceil(bytes / step) * step;
}

/** Limits of the device the pool allocates on. */
export interface PoolLimits {
  /** The device's maxBufferSize. */
  readonly maxBufferSize: number;
  /** The device's maxStorageBufferBindingSize: a larger array could not be bound by a kernel. */
  readonly maxStorageBufferBindingSize: number;
}

/** Buffers of one GPUDevice, recycled by size class; see GpuMemoryStats for its counters. */
export class BufferPool {
  readonly #device: GPUDevice;
  readonly #limits: PoolLimits;
  readonly #free = new Map<number, GPUBuffer[]>();
  readonly #registry = new FinalizationRegistry<GPUBuffer>((buffer) => this.reclaim(buffer));
  #maxPooledBytes = DEFAULT_MAX_POOLED_BYTES;
  #liveArrays = 0;
  #liveBytes = 0;
  #pooledBuffers = 0;
  #pooledBytes = 0;
  #createdBuffers = 0;
  #reusedBuffers = 0;

  constructor(device: GPUDevice, limits: PoolLimits) {
    this.#device = device;
    this.#limits = limits;
  }

  /** Cap on the bytes of free buffers kept; lowering it destroys the free buffers beyond it. */
  get maxPooledBytes(): number {
    return this.#maxPooledBytes;
  }

  set maxPooledBytes(bytes: number) {
    this.#maxPooledBytes = bytes;
    for (const [size, buffers] of this.#free) {
      while (this.#pooledBytes > bytes && buffers.length > 0) {
        buffers.pop()!.destroy();
        this.#pooledBuffers--;
        this.#pooledBytes -= size;
      }
    }
  }

  /**
   * An array of `length` elements of `dtype` in a free buffer of its size class, else a new one.
   * Values are stale when `zeroed` is false; when true a reused buffer is cleared (a queue
   * submission, ordered before any later kernel) and a new one is already zero (WebGPU's rule).
   * `what` names the tensor (`op`, `shape`) in the AllocationError of an impossible size.
   */
  acquire(dtype: GpuDType, length: number, zeroed: boolean, what: { op?: string; shape?: readonly number[] } = {}): GpuArray {
    const bytes = 4 * length;
    const maxBytes = Math.min(this.#limits.maxStorageBufferBindingSize, this.#limits.maxBufferSize);
    if (!Number.isSafeInteger(length) || length < 0 || bytes > maxBytes) {
      const tensor = what.shape === undefined ? `${length} elements` : `shape [${what.shape.join(',')}] (${length} elements, ${bytes} bytes)`;
      const detail = !Number.isSafeInteger(length) || length < 0
        ? `cannot allocate a ${dtype} WebGPU array of ${length} elements: the length must be a non-negative integer`
        : `cannot allocate a ${dtype} WebGPU array of ${tensor}: this device binds at most ${maxBytes} bytes per buffer (maxStorageBufferBindingSize ${this.#limits.maxStorageBufferBindingSize}, maxBufferSize ${this.#limits.maxBufferSize})`;
      throw new AllocationError(detail, what.op);
    }
    const size = Math.min(sizeClass(bytes), Math.floor(maxBytes / 16) * 16);
    let buffer = this.#free.get(size)?.pop();
    if (buffer !== undefined) {
      this.#pooledBuffers--;
      this.#pooledBytes -= size;
      this.#reusedBuffers++;
      if (zeroed) {
        const encoder = this.#device.createCommandEncoder();
        encoder.clearBuffer(buffer, 0, size);
        this.#device.queue.submit([encoder.finish()]);
      }
    } else {
      buffer = this.#device.createBuffer({ size, usage: ARRAY_USAGE });
      this.#createdBuffers++;
    }
    const array = new GpuArray(dtype, length, buffer, this);
    this.#registry.register(array, buffer, array);
    this.#liveArrays++;
    this.#liveBytes += size;
    return array;
  }

  /**
   * Takes `array`'s buffer back now (the array must not be used again: binding it or reading it
   * throws). Releasing twice, or an array of another pool, throws a DeviceError.
   */
  release(array: GpuArray): void {
    if (array.owner !== this) {
      throw new DeviceError(`release: this ${array.dtype} array of ${array.length} elements belongs to another WebGPU device (initWebGPU was called again with a different one)`);
    }
    if (array.released) {
      throw new DeviceError(`release: this ${array.dtype} array of ${array.length} elements was already released`);
    }
    this.#registry.unregister(array);
    this.reclaim(array.detach());
  }

  /**
   * The FinalizationRegistry's callback (also the end of release): a live array's buffer becomes
   * free, kept for reuse within the cap on pooled bytes, destroyed beyond it.
   */
  reclaim(buffer: GPUBuffer): void {
    const size = buffer.size;
    this.#liveArrays--;
    this.#liveBytes -= size;
    if (this.#pooledBytes + size > this.#maxPooledBytes) {
      buffer.destroy();
      return;
    }
    let buffers = this.#free.get(size);
    if (buffers === undefined) this.#free.set(size, (buffers = []));
    buffers.push(buffer);
    this.#pooledBuffers++;
    this.#pooledBytes += size;
  }

  /** The allocation counters now. */
  stats(): GpuMemoryStats {
    return {
      liveArrays: this.#liveArrays,
      liveBytes: this.#liveBytes,
      pooledBuffers: this.#pooledBuffers,
      pooledBytes: this.#pooledBytes,
      createdBuffers: this.#createdBuffers,
      reusedBuffers: this.#reusedBuffers,
    };
  }
}
