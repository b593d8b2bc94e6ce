// The GPU of the nn's WebGPU tests: Dawn (the 'webgpu' package, a devDependency) on Mesa's
// llvmpipe through OpenGL ES, headless: a software adapter, so the tests keep their problem tiny.
import { initWebGPU } from '@tensorgrad/core';
import { create } from 'webgpu';

let ready: Promise<unknown> | null = null;

/** initWebGPU on Dawn's OpenGL ES backend, once per process. */
export function initDawn(): Promise<unknown> {
  process.env.EGL_PLATFORM ??= 'surfaceless';
  ready ??= initWebGPU({ gpu: create(['backend=opengles']) });
  return ready;
}
