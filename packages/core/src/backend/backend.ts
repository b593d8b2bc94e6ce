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
import type { OptimizerKernels } from './optimizer.js';
import type { PoolKernels } from './pool.js';
import type { RandomKernels } from './random.js';
import type { ReduceKernels } from './reduce.js';
import type { Device, KernelArray, StorageKernels } from './storage.js';

export type { Device } from './storage.js';

/**
 * The kernels of one device. `A` is the device's array type: the CPU backend is a
 * `Backend<TypedArray>`; ops see every backend as a `Backend` over KernelArrays.
 */
export interface Backend<A = KernelArray> {
  readonly device: Device;
  /** Allocation, upload, readback and release of the device's arrays. */
  readonly storage: StorageKernels;
  readonly gemm: GemmKernels<A>;
  readonly conv: ConvKernels<A>;
  readonly pool: PoolKernels<A>;
  readonly norm: NormKernels<A>;
  readonly elementwise: ElementwiseKernels<A>;
  readonly reduce: ReduceKernels<A>;
  readonly copy: CopyKernels<A>;
  readonly random: RandomKernels<A>;
  /** In-place parameter updates (SGD, Adam, RMSprop) and gradient-norm clipping. */
  readonly optimizer: OptimizerKernels<A>;
  /**
   * How long the backend's worker threads have been busy so far, where it has any (the CPU
   * backend's, setNumThreads): profileOps bills each op the workers' time during it.
   */
  readonly workerActivity?: () => WorkerActivity;
}

/** What a backend's worker threads have done since they started (cumulative; sample it around work). */
export interface WorkerActivity {
  /** Workers running beside the calling thread (0: none). */
  workers: number;
  /** Milliseconds the workers spent in the calling thread's jobs (GEMM blocks, conv tasks), summed over workers. */
  jobsMs: number;
  /** Milliseconds they spent in background programs (a conv's filter gradient while backward goes on), summed over workers. */
  backgroundMs: number;
}
