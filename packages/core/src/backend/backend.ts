// The backend boundary. An op (ops/) checks its arguments, computes output shapes and defines its
// VJP; every loop over a tensor's elements runs in a backend's kernels, reached through
// `backendOf(tensor)` (backend/index.ts). The CPU backend (backend/cpu/: WebAssembly SIMD kernels,
// with the TypeScript kernels as reference and fallback) is the first implementation; a second one
// (WebGPU) implements the same interface, and ops do not change.
// Each area's kernels are declared in their own file beside this one.
import type { ConvKernels } from './conv.js';
import type { CopyKernels } from './copy.js';
import type { ElementwiseKernels } from './elementwise.js';
import type { GemmKernels } from './gemm.js';
import type { NormKernels } from './norm.js';
import type { PoolKernels } from './pool.js';
import type { RandomKernels } from './random.js';
import type { ReduceKernels } from './reduce.js';

/** Where a tensor's elements live. */
export type Device = 'cpu';

export interface Backend {
  readonly device: Device;
  readonly gemm: GemmKernels;
  readonly conv: ConvKernels;
  readonly pool: PoolKernels;
  readonly norm: NormKernels;
  readonly elementwise: ElementwiseKernels;
  readonly reduce: ReduceKernels;
  readonly copy: CopyKernels;
  readonly random: RandomKernels;
}
