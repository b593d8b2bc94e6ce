/// <reference types="@webgpu/types" />
// WebGPU for the Node job: Dawn from the 'webgpu' package. A real GPU first (Dawn's default
// backends: Vulkan on Linux); without one (no driver, no Vulkan loader, a container) Mesa's
// llvmpipe through OpenGL ES, headless (EGL surfaceless), which every machine with Debian's
// libegl-mesa0 and libgl1-mesa-dri has: a software adapter, slow but the same kernels.
import { DeviceError, type WebGPUInfo, initWebGPU } from '@tensorgrad/core';
import { create } from 'webgpu';

/** What initNodeWebGPU found: the adapter's info, and which Dawn backend gave it. */
export interface NodeWebGPU {
  info: WebGPUInfo;
  /** 'default' (Dawn's own choice: Vulkan on Linux) or 'opengles' (the software fallback). */
  backend: 'default' | 'opengles';
}

/**
 * initWebGPU on Dawn's default backends, else on OpenGL ES; a DeviceError with both reasons
 * when neither gives an adapter.
 */
export async function initNodeWebGPU(): Promise<NodeWebGPU> {
  // Read by Mesa's EGL when Dawn opens OpenGL ES: no display needed.
  process.env.EGL_PLATFORM ??= 'surfaceless';
  let reason: string;
  try {
    return { info: await initWebGPU({ gpu: create([]) }), backend: 'default' };
  } catch (e) {
    if (!(e instanceof DeviceError)) throw e;
    reason = e.message;
  }
  try {
    return { info: await initWebGPU({ gpu: create(['backend=opengles']) }), backend: 'opengles' };
  } catch (e) {
    if (!(e instanceof DeviceError)) throw e;
    throw new DeviceError(`--device webgpu: no WebGPU adapter in Node (Dawn): on its default backends, ${reason}; on OpenGL ES (Mesa llvmpipe: Debian's libegl-mesa0 libgl1-mesa-dri), ${e.message}`);
  }
}

/** One line naming the adapter, e.g. "llvmpipe (LLVM 15.0.6, 256 bits), Mesa, OpenGL ES backend, compatibility mode". */
export function describeAdapter({ info, backend }: NodeWebGPU): string {
  const name = [info.description, info.device].find((s) => s !== '') ?? 'an unnamed adapter';
  const vendor = info.vendor === '' ? '' : ` (${info.vendor}${info.architecture === '' ? '' : `, ${info.architecture}`})`;
  return `${name}${vendor}, Dawn ${backend === 'default' ? 'default (Vulkan)' : 'OpenGL ES'} backend${info.compatibilityMode ? ', compatibility mode' : ''}`;
}
