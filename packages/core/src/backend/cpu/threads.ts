import { ArgumentError } from '../../errors.js';
import { disableWasmGemmThreads, enableWasmGemmThreads } from './wasm/threads.js';

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
