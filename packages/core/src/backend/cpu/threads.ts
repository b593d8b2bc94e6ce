import { ArgumentError } from '../../errors.js';
import type { WorkerActivity } from '../backend.js';
import { disableWasmGemmThreads, enableWasmGemmThreads, workerActivity } from './wasm/threads.js';

/** More would only add hand-offs: the work is split in a handful of blocks per thread. */
const MAX_THREADS = 64;

/**
 * Number of threads for float32 convs (whole per-image pipelines, conv/pipeline.ts) and large
 * GEMMs (linear, matmul): 1 runs everything on the calling thread; n > 1 starts n-1 workers
 * sharing the WebAssembly memory (Node worker_threads,
 * or Web Workers in a browser, which must be cross-origin isolated: COOP same-origin and COEP
 * require-corp). Resolves to false where threads are unavailable (the single-threaded kernel
 * stays in use).
 */
export async function setNumThreads(n: number): Promise<boolean> {
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) {
    throw new ArgumentError(`setNumThreads: n must be an integer from 1 to ${MAX_THREADS}, got ${typeof n === 'number' ? n : typeof n}`);
  }
  if (n === 1) {
    await disableWasmGemmThreads();
    return true;
  }
  return enableWasmGemmThreads(n);
}

/** What the worker threads have done since setNumThreads last started them (see threadActivity). */
export type ThreadActivity = WorkerActivity;

/**
 * How long the worker threads (setNumThreads) have been busy since they were started: in the
 * calling thread's jobs (GEMM blocks, conv tasks) and in background programs (a conv's filter
 * gradient while backward goes on), summed over workers, plus how many there are. Sample it
 * before and after a piece of work: workers × its wall time minus the two differences is how
 * long the workers waited for the calling thread meanwhile (the bench's 2-thread profile).
 * All zeros with one thread. A worker adds a job's time when the job ends, a background
 * program's after each of its tasks.
 */
export function threadActivity(): ThreadActivity {
  return workerActivity();
}
