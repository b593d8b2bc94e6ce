/// <reference types="@webgpu/types" preserve="true" />
// GPU buffers recycled in size classes, so that training (the same shapes every step) stops
// creating buffers after its first step and GPU memory stays flat without dispose(): an array's
// buffer comes back when the array is released (autograd's recycler, StorageKernels.release) or
// when the array is garbage-collected (a FinalizationRegistry whose target is the GpuArray and
// whose held value is its GPUBuffer: the buffer itself must not keep the array alive).
// V8 does not see GPU memory, so it would collect dropped arrays far too rarely: the pool asks for
// a full collection itself each time the bytes it handed out and got no buffer back for since the
// last request pass a threshold (collect-garbage.ts). Right after that synchronous collection it
// takes back the buffer of every array whose WeakRef came back empty: the finalizers would do the
// same, but only in a later task, and a training step that ran on meanwhile would create new
// buffers for what was already garbage. The threshold is a count of bytes, not of buffers
// created, so the requests keep their cadence once the pool serves everything from reused buffers.
import { AllocationError, DeviceError } from '../../errors.js';
import { ARRAY_USAGE, GpuArray, type GpuDType } from './gpu-array.js';

/** A live array's buffer, and the array weakly (the entry must not keep it alive). */
interface LiveEntry {
  readonly array: WeakRef<GpuArray>;
  readonly buffer: GPUBuffer;
}

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

/**
 * Default bytes handed out and not released between two requests for a garbage collection (at
 * least; see BufferPool.gcThresholdBytes).
 */
export const DEFAULT_GC_THRESHOLD_BYTES = 64 * 2 ** 20;

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
  /** Every live array's entry: what a collection request sweeps. */
  readonly #live = new Set<LiveEntry>();
  readonly #entries = new WeakMap<GpuArray, LiveEntry>();
  // The entry is both the held value and the unregister token: a buffer comes back once, by
  // release, by the sweep after a collection request, or by this finalizer.
  readonly #registry = new FinalizationRegistry<LiveEntry>((entry) => {
    if (this.#live.delete(entry)) this.reclaim(entry.buffer);
  });
  #maxPooledBytes = DEFAULT_MAX_POOLED_BYTES;
  /** Bytes of buffers handed out since the last collection request, less those returned since. */
  #unreleasedSinceCollect = 0;
  #gcRequests = 0;
  /**
   * The fewest live bytes since the last collection request: after the finalizers, about what
   * the program really holds (parameters, optimizer state); it scales the next request's threshold.
   */
  #lowLiveBytes = 0;
  /**
   * Called for a full garbage collection once the bytes handed out since the last call, less those
   * returned (released or finalized) since, exceed both gcThresholdBytes and half the fewest live
   * bytes seen since that call; null: never (the buffers of dropped arrays then wait for the
   * engine's own collections). The runtime sets the platform's (collect-garbage.ts).
   */
  collectGarbage: (() => void) | null = null;
  /** See collectGarbage; what stays live raises it, so a large model is not collected every step. */
  gcThresholdBytes = DEFAULT_GC_THRESHOLD_BYTES;
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
    this.#unreleasedSinceCollect += size;
    // Arrays handed out and not returned may be garbage that only a full collection returns.
    if (this.collectGarbage !== null && this.#unreleasedSinceCollect > Math.max(this.gcThresholdBytes, this.#lowLiveBytes / 2)) {
      this.#unreleasedSinceCollect = 0;
      this.#lowLiveBytes = this.#liveBytes;
      this.#gcRequests++;
      this.collectGarbage();
      this.#sweep();
    }
    const array = new GpuArray(dtype, length, buffer, this);
    const entry: LiveEntry = { array: new WeakRef(array), buffer };
    this.#live.add(entry);
    this.#entries.set(array, entry);
    this.#registry.register(array, entry, entry);
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
    const entry = this.#entries.get(array)!;
    this.#live.delete(entry);
    this.#registry.unregister(entry);
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
    if (this.#liveBytes < this.#lowLiveBytes) this.#lowLiveBytes = this.#liveBytes;
    this.#unreleasedSinceCollect = Math.max(0, this.#unreleasedSinceCollect - size);
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

  /** Takes back, after a collection, the buffers of the arrays it found dead. */
  #sweep(): void {
    for (const entry of this.#live) {
      if (entry.array.deref() !== undefined) continue;
      this.#live.delete(entry);
      this.#registry.unregister(entry);
      this.reclaim(entry.buffer);
    }
  }

  /** Garbage collections the pool asked for (collectGarbage calls). */
  get gcRequests(): number {
    return this.#gcRequests;
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
