// The WebGPU backend: the kernel areas (one file each, WGSL on the runtime) and the storage area,
// assembled into one Backend that initWebGPU registers for device 'webgpu'. Float32 and int32
// only (WGSL has no float64); every kernel runs within compatibility-mode limits.
import type { Backend } from '../backend.js';
import { webgpuConv } from './conv.js';
import { webgpuCopy } from './copy.js';
import { webgpuElementwise } from './elementwise.js';
import { webgpuGemm } from './gemm.js';
import { webgpuNorm } from './norm.js';
import { webgpuOptimizer } from './optimizer.js';
import { webgpuPool } from './pool.js';
import { webgpuRandom } from './random.js';
import { webgpuReduce } from './reduce.js';
import { webgpuStorage } from './storage.js';

export const webgpuBackend: Backend = {
  device: 'webgpu',
  storage: webgpuStorage,
  gemm: webgpuGemm,
  conv: webgpuConv,
  pool: webgpuPool,
  norm: webgpuNorm,
  elementwise: webgpuElementwise,
  reduce: webgpuReduce,
  copy: webgpuCopy,
  random: webgpuRandom,
  optimizer: webgpuOptimizer,
};
