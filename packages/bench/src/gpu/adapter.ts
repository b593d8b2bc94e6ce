/// <reference types="@webgpu/types" />
// The GPU both frameworks run on, from Dawn (the npm package 'webgpu'). One adapter choice, two
// devices from it (one per framework, requested from two adapter objects of the same kind), so
// that a validation error or device loss in one framework cannot poison the other's device.
//   vulkan    create(['backend=vulkan']), a core (full WebGPU) adapter: a real GPU where Vulkan is.
//   opengles  create(['backend=opengles']) on EGL surfaceless, featureLevel 'compatibility':
//             Mesa's llvmpipe on machines without a GPU (a CPU/software adapter).
//   auto      create([]) (Dawn's default backend: Vulkan on Linux) first, then opengles.
import { create, globals } from 'webgpu';

export type AdapterChoice = 'auto' | 'vulkan' | 'opengles';

export interface AdapterInfo {
  backend: 'default' | 'vulkan' | 'opengles';
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** No 'core-features-and-limits': WebGPU compatibility mode. */
  compatibility: boolean;
  /** A CPU implementation (llvmpipe, SwiftShader, lavapipe, or Dawn's fallback flag). */
  software: boolean;
  /** The limits both devices are requested with (the adapter's own values). */
  limits: Record<string, number>;
}

export interface BenchGpu {
  info: AdapterInfo;
  /** Device for tensorgrad (initWebGPU({ adapter, device })). */
  tensorgrad: { adapter: GPUAdapter; device: GPUDevice };
  /** Device for TensorFlow.js (new WebGPUBackend(device, adapter.info)). */
  tfjs: { adapter: GPUAdapter; device: GPUDevice };
}

// Limits either framework requests from its adapter (tensorgrad: core's NEEDED_LIMITS; tfjs-webgpu
// 4.22: its registration's list); both devices get the adapter's own values of all of them.
const LIMITS = [
  'maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupSizeX', 'maxComputeWorkgroupSizeY', 'maxComputeWorkgroupSizeZ',
  'maxStorageBufferBindingSize', 'maxBufferSize', 'maxStorageBuffersPerShaderStage', 'maxComputeWorkgroupStorageSize',
  'maxComputeWorkgroupsPerDimension',
] as const;

const SOFTWARE = /llvmpipe|swiftshader|lavapipe|softpipe/i;

/**
 * Makes `navigator.gpu` and the WebGPU globals (GPUBufferUsage, GPUMapMode, ...) that
 * tfjs-backend-webgpu reads; must run before that package is imported (its registration checks
 * navigator.gpu at import time).
 */
function exposeGlobals(gpu: GPU): void {
  Object.assign(globalThis, globals);
  // Node 21+ defines navigator as a configurable getter; Node 20 has none.
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
}

async function adapterFrom(gpu: GPU, compatibility: boolean): Promise<GPUAdapter | null> {
  return gpu.requestAdapter(compatibility ? { featureLevel: 'compatibility', powerPreference: 'high-performance' } : { powerPreference: 'high-performance' });
}

async function deviceOf(adapter: GPUAdapter): Promise<GPUDevice> {
  const l = adapter.limits as unknown as Record<string, number>;
  const requiredLimits = Object.fromEntries(LIMITS.map((k) => [k, l[k]!]));
  const requiredFeatures: GPUFeatureName[] = adapter.features.has('core-features-and-limits') ? ['core-features-and-limits'] : [];
  return adapter.requestDevice({ requiredLimits, requiredFeatures });
}

/** Two adapters of one kind from one GPU object (null when it has none). */
async function pair(gpu: GPU, compatibility: boolean): Promise<[GPUAdapter, GPUAdapter] | null> {
  const a = await adapterFrom(gpu, compatibility);
  if (a === null) return null;
  const b = await adapterFrom(gpu, compatibility);
  return b === null ? null : [a, b];
}

/** Finds the adapter (see the file comment) and makes both devices; throws saying what was tried. */
export async function benchGpu(choice: AdapterChoice): Promise<BenchGpu> {
  // Dawn's OpenGL ES backend needs a headless EGL platform on machines without a display.
  process.env.EGL_PLATFORM ??= 'surfaceless';
  const tried: string[] = [];
  let found: { gpu: GPU; adapters: [GPUAdapter, GPUAdapter]; backend: AdapterInfo['backend'] } | null = null;
  const attempts: { backend: AdapterInfo['backend']; flags: string[] }[] =
    choice === 'vulkan' ? [{ backend: 'vulkan', flags: ['backend=vulkan'] }]
    : choice === 'opengles' ? [{ backend: 'opengles', flags: ['backend=opengles'] }]
    : [{ backend: 'default', flags: [] }, { backend: 'opengles', flags: ['backend=opengles'] }];
  for (const { backend, flags } of attempts) {
    const gpu = create(flags);
    // A core adapter first; the OpenGL ES backend only offers compatibility ones.
    const adapters = (await pair(gpu, false)) ?? (await pair(gpu, true));
    if (adapters !== null) {
      found = { gpu, adapters, backend };
      break;
    }
    tried.push(`create(${JSON.stringify(flags)}): no adapter (core or compatibility)`);
  }
  if (found === null) throw new Error(`no WebGPU adapter: ${tried.join('; ')}`);
  exposeGlobals(found.gpu);
  const [a, b] = found.adapters;
  const i = a.info;
  const compatibility = !a.features.has('core-features-and-limits');
  const text = `${i.vendor} ${i.architecture} ${i.device} ${i.description}`;
  const info: AdapterInfo = {
    backend: found.backend,
    vendor: i.vendor,
    architecture: i.architecture,
    device: i.device,
    description: i.description,
    compatibility,
    software: SOFTWARE.test(text) || (i as { isFallbackAdapter?: boolean }).isFallbackAdapter === true,
    limits: Object.fromEntries(LIMITS.map((k) => [k, (a.limits as unknown as Record<string, number>)[k]!])),
  };
  return { info, tensorgrad: { adapter: a, device: await deviceOf(a) }, tfjs: { adapter: b, device: await deviceOf(b) } };
}

export const describeAdapter = (i: AdapterInfo): string =>
  `${[i.vendor, i.architecture, i.device, i.description].filter((s) => s !== '').join(' / ')} (Dawn ${i.backend} backend, ${i.compatibility ? 'compatibility' : 'core'} mode${i.software ? ', software' : ''})`;
