// The CPU backend: WebAssembly SIMD kernels (wasm/), with the TypeScript kernels beside them as the
// reference and the fallback where WebAssembly SIMD is unavailable (or for float64).
import type { Backend } from '../backend.js';

export const cpuBackend: Backend = {
  device: 'cpu',
  gemm: {},
  conv: {},
  pool: {},
  norm: {},
  elementwise: {},
  reduce: {},
  copy: {},
};
