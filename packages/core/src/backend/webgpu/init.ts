/// <reference types="@webgpu/types" preserve="true" />
// initWebGPU: finds a GPU adapter, asks it for a device with the limits tensorgrad's kernels use,
// and makes the WebGPU runtime. Every way this can fail says why (no navigator.gpu, no adapter,
// limits too low, the device refused, no answer in time) instead of hanging or failing later.
import { DeviceError } from '../../errors.js';
import { checkNumber, checkOptions, optionKeys } from '../../options.js';
import { registerBackend } from '../index.js';
import { WebGPURuntime, activateRuntime } from './runtime.js';
import { webgpuBackend } from './index.js';

import type { GpuMemoryStats } from './buffer-pool.js';
import { webgpuRuntime } from './runtime.js';

export { webgpuRuntime, isWebGPUReady } from './runtime.js';
export type { GpuMemoryStats } from './buffer-pool.js';

/** How initWebGPU finds its device. */
export interface InitWebGPUOptions {
  /** The GPU object (Node: `create([...])` from the 'webgpu' package). Default: navigator.gpu. */
  gpu?: GPU;
  /** Use this adapter instead of requesting one. */
  adapter?: GPUAdapter;
  /** Use this device (its limits must suffice) instead of requesting one. */
  device?: GPUDevice;
  /** Passed to requestAdapter. */
  powerPreference?: 'low-power' | 'high-performance';
  /** Milliseconds to wait for the adapter and the device together before a DeviceError (default 10000). */
  timeoutMs?: number;
}

const INIT_OPTIONS = optionKeys<InitWebGPUOptions>()(['gpu', 'adapter', 'device', 'powerPreference', 'timeoutMs']);

/**
 * The limits the kernels are written for, with the least each must be: WebGPU's compatibility-mode
 * defaults, except 8 storage buffers per stage (kernels bind at most 8). The device is requested
 * with the adapter's own values of these limits (compatibility adapters default to less than
 * they have, e.g. 128 invocations per workgroup where llvmpipe allows 1024).
 */
export const NEEDED_LIMITS = {
  maxComputeInvocationsPerWorkgroup: 128,
  maxComputeWorkgroupSizeX: 128,
  maxComputeWorkgroupSizeY: 128,
  maxStorageBufferBindingSize: 134217728,
  maxBufferSize: 268435456,
  maxStorageBuffersPerShaderStage: 8,
  maxComputeWorkgroupStorageSize: 16384,
  maxComputeWorkgroupsPerDimension: 65535,
} as const;

/** A limit initWebGPU requests and checks. */
export type WebGPULimit = keyof typeof NEEDED_LIMITS;

/** What initWebGPU found. */
export interface WebGPUInfo {
  /** adapter.info.vendor ('' when the browser hides it). */
  readonly vendor: string;
  /** adapter.info.architecture. */
  readonly architecture: string;
  /** adapter.info.description. */
  readonly description: string;
  /** adapter.info.device (Dawn on Mesa: 'llvmpipe-llvm-...'). */
  readonly device: string;
  /**
   * True when the device runs in WebGPU compatibility mode (no 'core-features-and-limits'
   * feature: e.g. Dawn on OpenGL ES).
   */
  readonly compatibilityMode: boolean;
  /** The device's values of the limits the kernels use. */
  readonly limits: Readonly<Record<WebGPULimit, number>>;
}

interface Current {
  readonly info: WebGPUInfo;
  readonly runtime: WebGPURuntime;
  readonly gpu: GPU | undefined;
  readonly adapter: GPUAdapter | undefined;
  readonly device: GPUDevice;
}

let current: Current | null = null;
let pending: Promise<unknown> | null = null;

/**
 * Sets up the WebGPU backend and says which adapter it got. Adapter choice: a core (full WebGPU)
 * adapter first, else a compatibility-mode one (requestAdapter({ featureLevel: 'compatibility' }):
 * Dawn on OpenGL ES, older GPUs); a compatibility adapter that can do core is upgraded by requiring
 * 'core-features-and-limits'. Calling it again returns the same info (the runtime stays) unless
 * another gpu, adapter or device is given, or the device was lost (then a call without options
 * asks the same gpu again). The new runtime replaces the old one: arrays of the old device are
 * refused by the new one. Throws a DeviceError when WebGPU
 * is missing, no adapter is given, a limit is too low (named, needed vs got), or the adapter and
 * device take longer than timeoutMs.
 */
export async function initWebGPU(options: InitWebGPUOptions = {}): Promise<WebGPUInfo> {
  checkOptions('initWebGPU', options, INIT_OPTIONS);
  if (options.timeoutMs !== undefined) checkNumber('initWebGPU', 'options.timeoutMs', options.timeoutMs, { min: 1 });
  while (pending !== null) await pending.catch(() => undefined);
  const previous = current;
  if (
    previous !== null && previous.runtime.lostReason === null &&
    (options.gpu === undefined || options.gpu === previous.gpu) &&
    (options.adapter === undefined || options.adapter === previous.adapter) &&
    (options.device === undefined || options.device === previous.device)
  ) {
    return previous.info;
  }
  // After a device loss, a call without options starts again from the GPU object used before.
  const retry = previous !== null && options.gpu === undefined && options.adapter === undefined && options.device === undefined;
  const setup = setUp(retry && previous.gpu !== undefined ? { ...options, gpu: previous.gpu } : options);
  pending = setup;
  try {
    current = await setup;
  } finally {
    pending = null;
  }
  activateRuntime(current.runtime);
  registerBackend(webgpuBackend);
  return current.info;
}

async function setUp(options: InitWebGPUOptions): Promise<Current> {
  const timeoutMs = options.timeoutMs ?? 10000;
  const deadline = Date.now() + timeoutMs;
  let device = options.device;
  let adapter = options.adapter;
  let compatibilityRequested = false;
  const gpu = options.gpu ?? (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (device === undefined && adapter === undefined) {
    if (gpu === undefined) {
      throw new DeviceError(
        "initWebGPU: WebGPU is not available: navigator.gpu is undefined (browsers: a secure context (https or localhost) in a browser with WebGPU enabled; Node: pass { gpu: create([...]) } from the 'webgpu' package)",
      );
    }
    const powerPreference = options.powerPreference === undefined ? {} : { powerPreference: options.powerPreference };
    adapter = (await answer('gpu.requestAdapter()', gpu.requestAdapter(powerPreference), deadline, timeoutMs)) ?? undefined;
    if (adapter === undefined) {
      compatibilityRequested = true;
      adapter = (await answer("gpu.requestAdapter({ featureLevel: 'compatibility' })", gpu.requestAdapter({ ...powerPreference, featureLevel: 'compatibility' }), deadline, timeoutMs)) ?? undefined;
    }
    if (adapter === undefined) {
      throw new DeviceError('initWebGPU: no WebGPU adapter: gpu.requestAdapter() returned null for both core and compatibility feature levels (no usable GPU or software adapter, or WebGPU is disabled)');
    }
  }
  if (device === undefined) {
    const found = adapter!;
    checkLimits('the adapter', found.limits);
    const requiredLimits = Object.fromEntries(Object.keys(NEEDED_LIMITS).map((k) => [k, found.limits[k as WebGPULimit]]));
    const requiredFeatures: GPUFeatureName[] = found.features.has('core-features-and-limits') ? ['core-features-and-limits'] : [];
    device = await answer('adapter.requestDevice() (with the adapter\'s own limits)', found.requestDevice({ requiredLimits, requiredFeatures }), deadline, timeoutMs);
  } else {
    checkLimits('the device', device.limits);
  }
  // A core adapter without the feature (browsers from before compatibility mode) is core too.
  const compatibilityMode = !device.features.has('core-features-and-limits') && (compatibilityRequested || options.adapter !== undefined || options.device !== undefined);
  const adapterInfo = adapter?.info ?? device.adapterInfo;
  const limits = Object.fromEntries(Object.keys(NEEDED_LIMITS).map((k) => [k, device.limits[k as WebGPULimit]])) as Record<WebGPULimit, number>;
  const info: WebGPUInfo = {
    vendor: adapterInfo?.vendor ?? '',
    architecture: adapterInfo?.architecture ?? '',
    description: adapterInfo?.description ?? '',
    device: adapterInfo?.device ?? '',
    compatibilityMode,
    limits,
  };
  return { info, runtime: new WebGPURuntime(device), gpu: options.gpu, adapter: options.adapter, device: options.device ?? device };
}

/** Throws a DeviceError naming every limit below NEEDED_LIMITS. */
function checkLimits(whose: string, limits: GPUSupportedLimits): void {
  const low = (Object.keys(NEEDED_LIMITS) as WebGPULimit[])
    .filter((k) => !(limits[k] >= NEEDED_LIMITS[k]))
    .map((k) => `${k} ${limits[k]} (needed >= ${NEEDED_LIMITS[k]})`);
  if (low.length > 0) throw new DeviceError(`initWebGPU: ${whose}'s limits are too low for tensorgrad's kernels: ${low.join(', ')}`);
}

/**
 * `promise`, or a DeviceError when it rejects or has not settled by `deadline`, initWebGPU's start
 * plus `timeoutMs` (the timer is always cleared, so a finished init leaves nothing that keeps Node
 * running). The message names timeoutMs, the budget the caller set, not the part of it left for
 * this call, which depends on how long the earlier calls took.
 */
async function answer<T>(what: string, promise: Promise<T>, deadline: number, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    const message = `initWebGPU: ${what} did not answer within ${timeoutMs} ms (options.timeoutMs, counted from the start of initWebGPU); the GPU process may be hung`;
    timer = setTimeout(() => reject(new DeviceError(message)), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([
      promise.catch((error: unknown) => {
        throw new DeviceError(`initWebGPU: ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
      }),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The WebGPU backend's allocation counters (live arrays and bytes, pooled buffers, buffers created
 * and reused): GPU memory in use is liveBytes + pooledBytes. A DeviceError before initWebGPU.
 */
export function webgpuMemoryStats(): GpuMemoryStats {
  return webgpuRuntime().stats();
}
