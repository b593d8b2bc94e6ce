/// <reference types="@webgpu/types" preserve="true" />
// The WebGPU runtime: one GPUDevice, its buffer pool, and the single way kernels run on it
// (`run`: a WGSL compute shader, its arrays bound in order, its scalar parameters in one uniform
// struct). Kernels are synchronous to the caller: each run encodes one compute pass and submits it
// at once. Submitting per run keeps every operation in the queue's order: queue.writeBuffer (an
// upload, a kernel's parameters) and clearBuffer submissions take their place in the same queue, so
// a reused uniform buffer or a recycled array buffer is never overwritten before an earlier kernel
// has read it. Batching passes into one encoder would need a flush before every writeBuffer and
// readback to keep that order. Only readAsync waits for the GPU.
import { ArgumentError, DeviceError } from '../../errors.js';
import { checkInt32Values } from '../../tensor/dtype.js';
import type { TypedArray } from '../../tensor/dtype.js';
import { BufferPool, type GpuMemoryStats } from './buffer-pool.js';
import { platformCollector } from './collect-garbage.js';
import { BufferUsage, GpuArray, type GpuDType } from './gpu-array.js';

/**
 * A compute shader and how its parameters are typed. The WGSL `code` has one `@compute` entry
 * point and declares, for `run(kernel, arrays, params, ...)`:
 * - `@group(0) @binding(i)` a storage buffer for arrays[i] (`var<storage, read>` or
 *   `var<storage, read_write>`, `array<f32>`, `array<i32>` or `array<vec4<f32>>`...), each bound
 *   from byte 0 with size byteLength rounded up to 16 (`arrayLength` may exceed the array's length
 *   by up to 3 elements: pass lengths as parameters);
 * - when params are given, `@group(0) @binding(arrays.length) var<uniform> p: Params;` where
 *   `struct Params` has one scalar member per parameter, in order, typed as `paramTypes` says
 *   (params are packed as 32-bit words, word i at byte 4*i, the buffer padded to a multiple of 16
 *   bytes; scalar members only, so that WGSL's offsets are exactly 4*i).
 * With layout 'auto' a binding the entry point never uses is dropped from the layout and binding it
 * fails: every declared binding must be used.
 */
export interface GpuKernel {
  /** Names the kernel in errors. */
  readonly name: string;
  /** WGSL source; also the pipeline cache's key. */
  readonly code: string;
  /** The WGSL type of each parameter, comma-separated ('u32,u32,f32'); 'u32', 'i32' or 'f32'. Default: all u32. */
  readonly paramTypes?: string;
}

/** Workgroup counts of a dispatch: x, and y and z (default 1). */
export type Workgroups = readonly [number, number?, number?];

type ParamType = 'u32' | 'i32' | 'f32';

/** WebGPU's guaranteed maxComputeWorkgroupsPerDimension (every adapter allows at least this). */
const MIN_WORKGROUPS_PER_DIMENSION = 65535;

/**
 * The grid for `n` invocations in workgroups of `size` (the shader's @workgroup_size(size)):
 * [x, 1] when ceil(n/size) workgroups fit in one dimension (65535), else [x, y] with x * y >=
 * ceil(n/size). The kernel computes its linear index, and must check it against n, as
 * `let i = gid.x + gid.y * (nwg.x * size);  if (i >= n) { return; }`
 * with `@builtin(global_invocation_id) gid: vec3<u32>` and `@builtin(num_workgroups) nwg: vec3<u32>`.
 */
export function workgroups1d(n: number, size: number): [number, number] {
  if (!Number.isSafeInteger(n) || n < 0 || !Number.isSafeInteger(size) || size < 1) {
    throw new ArgumentError(`workgroups1d: n must be a non-negative integer and size a positive integer, got n ${n}, size ${size}`);
  }
  const groups = Math.ceil(n / size);
  if (groups <= MIN_WORKGROUPS_PER_DIMENSION) return [groups, 1];
  const y = Math.ceil(groups / MIN_WORKGROUPS_PER_DIMENSION);
  if (y > MIN_WORKGROUPS_PER_DIMENSION) {
    throw new ArgumentError(`workgroups1d: ${n} invocations in workgroups of ${size} need ${groups} workgroups, more than 65535² in two dimensions`);
  }
  return [Math.ceil(groups / y), y];
}

interface CachedPipeline {
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
}

/** The WebGPU backend's device, buffers and kernel launcher (made by initWebGPU). */
export class WebGPURuntime {
  readonly device: GPUDevice;
  /** The device's limits. */
  readonly limits: GPUSupportedLimits;
  /** Invocations allowed per workgroup (maxComputeInvocationsPerWorkgroup; 128 on compatibility defaults). */
  readonly maxWorkgroupSize: number;
  /** The buffers of this device's arrays. */
  readonly pool: BufferPool;
  readonly #pipelines = new Map<string, CachedPipeline>();
  readonly #paramTypes = new Map<string, readonly ParamType[]>();
  /** One uniform buffer per size, reused by every run (writeBuffer is ordered with the submissions). */
  readonly #uniforms = new Map<number, GPUBuffer>();
  #words = new ArrayBuffer(64);
  #lost: string | null = null;
  #gpuError: string | null = null;
  /** Checks deferred by kernels (deferCheck), read by the next readAsync. */
  #pendingChecks: PendingCheck[] = [];

  constructor(device: GPUDevice) {
    this.device = device;
    this.limits = device.limits;
    this.maxWorkgroupSize = device.limits.maxComputeInvocationsPerWorkgroup;
    this.pool = new BufferPool(device, device.limits);
    this.pool.collectGarbage = platformCollector();
    void device.lost.then((info) => {
      this.#lost = `reason '${info.reason}'${info.message ? `: ${info.message}` : ''}`;
    });
    // Validation errors of earlier commands (bad WGSL, a binding that does not fit) arrive
    // asynchronously: the next call of the runtime throws them instead of computing on garbage.
    device.addEventListener('uncapturederror', (event) => {
      this.#gpuError ??= (event as GPUUncapturedErrorEvent).error.message;
    });
  }

  /** A new array of `length` elements (zero-filled when `zeroed`); `shape`/`op` name it in a size error. */
  allocate(dtype: GpuDType, length: number, zeroed: boolean, shape?: readonly number[], op?: string): GpuArray {
    this.#check(op ?? 'allocate');
    return this.pool.acquire(dtype, length, zeroed, { ...(op === undefined ? {} : { op }), ...(shape === undefined ? {} : { shape }) });
  }

  /** A GPU copy of `data` (float32 or int32 by its type). */
  upload(data: Float32Array | Int32Array): GpuArray {
    const array = this.allocate(data instanceof Float32Array ? 'float32' : 'int32', data.length, false);
    if (data.length > 0) this.device.queue.writeBuffer(array.buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    return array;
  }

  /** Writes host values into `dst` (same length; converted to dst's dtype, int32 values checked). */
  write(dst: GpuArray, data: TypedArray): void {
    this.#check('write');
    if (data.length !== dst.length) {
      throw new ArgumentError(`write: data has ${data.length} elements but the ${dst.dtype} array has ${dst.length}`);
    }
    let words: Float32Array | Int32Array;
    if (dst.dtype === 'float32') words = data instanceof Float32Array ? data : Float32Array.from(data);
    else if (data instanceof Int32Array) words = data;
    else {
      checkInt32Values('write', 'data', data);
      words = Int32Array.from(data);
    }
    if (words.length > 0) this.device.queue.writeBuffer(dst.buffer, 0, words.buffer, words.byteOffset, words.byteLength);
  }

  /** dst = src (same dtype and length), on the GPU. */
  copy(src: GpuArray, dst: GpuArray): void {
    this.#check('copy');
    if (src.dtype !== dst.dtype || src.length !== dst.length) {
      throw new ArgumentError(`copy: src (${src.dtype}, ${src.length} elements) and dst (${dst.dtype}, ${dst.length} elements) must have the same dtype and length`);
    }
    this.#owned('copy', src);
    this.#owned('copy', dst);
    if (src.length === 0) return;
    const encoder = this.device.createCommandEncoder();
    encoder.copyBufferToBuffer(src.buffer, 0, dst.buffer, 0, src.byteLength);
    this.device.queue.submit([encoder.finish()]);
  }

  /**
   * A check that a kernel runs on the GPU instead of reading values back (copy.firstNotInt32,
   * copy.firstInvalidClass: kernels are synchronous, readbacks are not). `flag` is a 1-element
   * int32 array that the checking kernel, already submitted, leaves 0 when the values pass and
   * nonzero when they fail (copy's checks write n − k, k the first bad index of n values). The next readAsync of any array reads
   * every pending flag first (in the same copy as its own elements, so no extra round trip) and
   * rejects with a DeviceError whose message is `describe(value)` for the first nonzero flag, in
   * the order the checks were deferred; no results are returned once a check has failed, since
   * they were computed from values that failed it. The runtime owns `flag` from this call on and
   * releases it once read. `name` names the check in the error when `describe` itself throws.
   */
  deferCheck(name: string, flag: GpuArray, describe: (value: number) => string): void {
    this.#owned(name, flag);
    if (flag.dtype !== 'int32' || flag.length !== 1) {
      throw new ArgumentError(`deferCheck: ${name}'s flag must be a 1-element int32 array, got ${flag.dtype} of ${flag.length} elements`);
    }
    this.#pendingChecks.push({ name, flag, describe });
  }

  /**
   * The elements of `a`, after every kernel submitted before this call has run: copied into a
   * MAP_READ staging buffer, mapped, copied out. Rejects with a DeviceError when a deferred check
   * (deferCheck) failed.
   */
  async readAsync(a: GpuArray): Promise<Float32Array | Int32Array> {
    this.#check('readAsync');
    this.#owned('readAsync', a);
    const Out = a.dtype === 'float32' ? Float32Array : Int32Array;
    const source = a.buffer;
    // The flags go first in the staging buffer, 4 bytes each, then a's elements.
    const checks = this.#pendingChecks;
    this.#pendingChecks = [];
    const flagBytes = 4 * checks.length;
    if (a.length === 0 && checks.length === 0) return new Out(0);
    const staging = this.device.createBuffer({ size: flagBytes + a.byteLength, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
    try {
      const encoder = this.device.createCommandEncoder();
      checks.forEach((c, i) => encoder.copyBufferToBuffer(c.flag.buffer, 0, staging, 4 * i, 4));
      if (a.length > 0) encoder.copyBufferToBuffer(source, 0, staging, flagBytes, a.byteLength);
      this.device.queue.submit([encoder.finish()]);
      for (const c of checks) this.release(c.flag);
      try {
        await staging.mapAsync(1 /* GPUMapMode.READ */);
      } catch (error) {
        this.#check('readAsync');
        throw new DeviceError(`readAsync: mapping the staging buffer failed: ${(error as Error).message}`);
      }
      this.#check('readAsync');
      const words = staging.getMappedRange();
      const flags = new Int32Array(words, 0, checks.length);
      const failed = checks.findIndex((_, i) => flags[i] !== 0);
      if (failed >= 0) throw deferredCheckError(checks[failed]!, flags[failed]!);
      return new Out(words.slice(flagBytes));
    } finally {
      staging.destroy();
    }
  }

  /**
   * Runs `kernel` over `workgroups` with arrays[i] at binding i and `params` in a uniform struct at
   * binding arrays.length (see GpuKernel for the exact layout). Encodes one compute pass and submits
   * it; returns at once. A count of 0 in any dimension runs nothing. Throws a DeviceError for a
   * released array, an array of another device, or a count above maxComputeWorkgroupsPerDimension
   * (use workgroups1d), and an ArgumentError for parameters that do not fit their types.
   */
  run(kernel: GpuKernel, arrays: readonly GpuArray[], params: readonly number[], workgroups: Workgroups): void {
    this.#check(kernel.name);
    const entries: GPUBindGroupEntry[] = arrays.map((a, i) => {
      this.#owned(kernel.name, a);
      const buffer = a.buffer;
      return { binding: i, resource: { buffer, size: Math.min(buffer.size, Math.max(16, Math.ceil(a.byteLength / 16) * 16)) } };
    });
    const [x, y = 1, z = 1] = workgroups;
    const max = this.limits.maxComputeWorkgroupsPerDimension;
    for (const count of [x, y, z]) {
      if (!Number.isSafeInteger(count) || count < 0 || count > max) {
        throw new DeviceError(`${kernel.name}: workgroup counts must be integers from 0 to maxComputeWorkgroupsPerDimension ${max}, got [${x}, ${y}, ${z}] (split large grids with workgroups1d)`);
      }
    }
    if (x === 0 || y === 0 || z === 0) return;
    if (params.length > 0) entries.push({ binding: arrays.length, resource: { buffer: this.#uniform(kernel, params) } });
    const { pipeline, layout } = this.#pipeline(kernel);
    const encoder = this.device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, this.device.createBindGroup({ layout, entries }));
    pass.dispatchWorkgroups(x, y, z);
    pass.end();
    this.device.queue.submit([encoder.finish()]);
    this.#check(kernel.name);
  }

  /** Returns `array`'s buffer to the pool now; the array must not be used again. */
  release(array: GpuArray): void {
    this.pool.release(array);
  }

  /** The pool's allocation counters. */
  stats(): GpuMemoryStats {
    return this.pool.stats();
  }

  /** Why the device was lost, or null while it works. */
  get lostReason(): string | null {
    return this.#lost;
  }

  #check(op: string): void {
    if (this.#lost !== null) {
      throw new DeviceError(`${op}: the WebGPU device was lost (${this.#lost}); call await initWebGPU() again and move the tensors back to the GPU`);
    }
    const error = this.#gpuError;
    if (error !== null) {
      this.#gpuError = null;
      throw new DeviceError(`${op}: a WebGPU command failed (this or an earlier call; its results are not valid): ${error}`);
    }
  }

  #owned(op: string, a: GpuArray): void {
    if (!(a instanceof GpuArray) || a.owner !== this.pool) {
      throw new DeviceError(`${op}: got an array that is not a GpuArray of this WebGPU device (${a instanceof GpuArray ? 'it belongs to a device replaced by a later initWebGPU' : typeof a})`);
    }
  }

  #pipeline(kernel: GpuKernel): CachedPipeline {
    let cached = this.#pipelines.get(kernel.code);
    if (cached === undefined) {
      const module = this.device.createShaderModule({ label: kernel.name, code: kernel.code });
      const pipeline = this.device.createComputePipeline({ label: kernel.name, layout: 'auto', compute: { module } });
      cached = { pipeline, layout: pipeline.getBindGroupLayout(0) };
      this.#pipelines.set(kernel.code, cached);
    }
    return cached;
  }

  /** The parameters, packed per the kernel's paramTypes, written into the uniform buffer of their size. */
  #uniform(kernel: GpuKernel, params: readonly number[]): GPUBuffer {
    const types = this.#typesOf(kernel, params.length);
    const size = Math.ceil(params.length / 4) * 16;
    if (this.#words.byteLength < size) this.#words = new ArrayBuffer(size);
    const u32 = new Uint32Array(this.#words, 0, size / 4);
    const i32 = new Int32Array(this.#words, 0, size / 4);
    const f32 = new Float32Array(this.#words, 0, size / 4);
    u32.fill(0);
    for (let i = 0; i < params.length; i++) {
      const value = params[i]!;
      const type = types[i]!;
      if (type === 'f32') {
        if (typeof value !== 'number') throw paramError(kernel, i, type, value);
        f32[i] = value;
      } else if (type === 'u32') {
        if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw paramError(kernel, i, type, value);
        u32[i] = value;
      } else {
        if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) throw paramError(kernel, i, type, value);
        i32[i] = value;
      }
    }
    let buffer = this.#uniforms.get(size);
    if (buffer === undefined) {
      buffer = this.device.createBuffer({ size, usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST });
      this.#uniforms.set(size, buffer);
    }
    this.device.queue.writeBuffer(buffer, 0, this.#words, 0, size);
    return buffer;
  }

  #typesOf(kernel: GpuKernel, count: number): readonly ParamType[] {
    if (kernel.paramTypes === undefined) return new Array<ParamType>(count).fill('u32');
    let types = this.#paramTypes.get(kernel.paramTypes);
    if (types === undefined) {
      const parsed = kernel.paramTypes.split(',').map((t) => t.trim());
      const bad = parsed.find((t) => t !== 'u32' && t !== 'i32' && t !== 'f32');
      if (bad !== undefined) {
        throw new ArgumentError(`${kernel.name}: paramTypes must list 'u32', 'i32' or 'f32' separated by commas, got '${kernel.paramTypes}' ('${bad}')`);
      }
      types = parsed as ParamType[];
      this.#paramTypes.set(kernel.paramTypes, types);
    }
    if (types.length !== count) {
      throw new ArgumentError(`${kernel.name}: paramTypes '${kernel.paramTypes}' types ${types.length} parameters but ${count} were given`);
    }
    return types;
  }
}

interface PendingCheck {
  readonly name: string;
  readonly flag: GpuArray;
  readonly describe: (value: number) => string;
}

/** The DeviceError of a failed deferred check. */
function deferredCheckError(check: PendingCheck, value: number): DeviceError {
  let message: string;
  try {
    message = check.describe(value);
  } catch (error) {
    message = `${check.name}: a deferred check failed with flag ${value} (describing it threw: ${(error as Error).message})`;
  }
  return new DeviceError(message);
}

function paramError(kernel: GpuKernel, i: number, type: ParamType, value: unknown): ArgumentError {
  const range = type === 'f32' ? 'a number' : type === 'u32' ? 'an integer from 0 to 4294967295' : 'an integer from -2147483648 to 2147483647';
  return new ArgumentError(`${kernel.name}: parameter ${i} (${type}) must be ${range}, got ${String(value)}`);
}

let active: WebGPURuntime | null = null;

/** The runtime initWebGPU made; a DeviceError when WebGPU is not initialised or its device was lost. */
export function webgpuRuntime(): WebGPURuntime {
  if (active === null) throw new DeviceError('webgpuRuntime: WebGPU is not initialised: call await initWebGPU() first');
  const lost = active.lostReason;
  if (lost !== null) throw new DeviceError(`webgpuRuntime: the WebGPU device was lost (${lost}); call await initWebGPU() again`);
  return active;
}

/** True when initWebGPU has succeeded and its device is not lost. */
export function isWebGPUReady(): boolean {
  return active !== null && active.lostReason === null;
}

/** Makes `runtime` the one webgpuRuntime() returns (initWebGPU's last step). */
export function activateRuntime(runtime: WebGPURuntime): void {
  active = runtime;
}
