/// <reference types="@webgpu/types" />
// Tests' GPU: Dawn from the 'webgpu' npm package (a devDependency; nothing else imports it) on
// Mesa's llvmpipe through OpenGL ES, headless (EGL surfaceless). A compatibility-mode adapter:
// initWebGPU falls back to featureLevel 'compatibility' and requests the adapter's own limits.
// Software speed (~0.2-1 GFLOP/s): keep test shapes small.
import { create } from 'webgpu';
import { initWebGPU, type WebGPUInfo } from './init.js';
import { webgpuRuntime, type WebGPURuntime } from './runtime.js';

let gpu: GPU | null = null;
let ready: Promise<WebGPUInfo> | null = null;

/** Dawn's GPU object (one per process). */
export function dawnGpu(): Promise<GPU> {
  if (gpu === null) {
    process.env.EGL_PLATFORM ??= 'surfaceless';
    gpu = create(['backend=opengles']);
  }
  return Promise.resolve(gpu);
}

/** initWebGPU({ gpu: Dawn }), once per process; resolves to the runtime it made. */
export async function initDawnWebGPU(): Promise<WebGPURuntime> {
  ready ??= dawnGpu().then((g) => initWebGPU({ gpu: g }));
  await ready;
  return webgpuRuntime();
}

/**
 * Runs `fn` inside validation and out-of-memory error scopes of the runtime's device and throws
 * the first GPU error they caught (WebGPU reports those asynchronously and never throws them).
 */
export async function expectNoGpuErrors<T>(runtime: WebGPURuntime, fn: () => T | Promise<T>): Promise<T> {
  runtime.device.pushErrorScope('validation');
  runtime.device.pushErrorScope('out-of-memory');
  let result: T;
  try {
    result = await fn();
  } finally {
    const oom = await runtime.device.popErrorScope();
    const validation = await runtime.device.popErrorScope();
    const error = validation ?? oom;
    if (error !== null) throw new Error(`GPU error: ${error.message}`);
  }
  return result;
}
