// The CPU backend: WebAssembly SIMD kernels (wasm/), with the TypeScript kernels beside them as the
// reference and the fallback where WebAssembly SIMD is unavailable (or for float64).
import { cpuStorage } from '../../tensor/device.js';
import type { TypedArray } from '../../tensor/dtype.js';
import type { Backend } from '../backend.js';
import { cpuConv } from './conv/index.js';
import { cpuCopy } from './copy.js';
import { cpuElementwise } from './elementwise.js';
import { cpuGemm } from './gemm.js';
import { cpuNorm } from './norm.js';
import { cpuOptimizer } from './optimizer.js';
import { cpuPool } from './pool.js';
import { cpuRandom } from './random.js';
import { cpuReduce } from './reduce.js';
import { workerActivity } from './wasm/threads.js';

export const cpuBackend: Backend<TypedArray> = {
  device: 'cpu',
  storage: cpuStorage,
  gemm: cpuGemm,
  conv: cpuConv,
  pool: cpuPool,
  norm: cpuNorm,
  elementwise: cpuElementwise,
  reduce: cpuReduce,
  copy: cpuCopy,
  random: cpuRandom,
  optimizer: cpuOptimizer,
  workerActivity,
};
