import { disableWasmGemmThreads, enableWasmGemmThreads } from './kernels/wasm/gemm-threads.js';

/**
 * Number of threads for large float32 GEMMs (conv, linear, matmul): 1 runs everything on the
 * calling thread; n > 1 starts n-1 workers sharing the WebAssembly memory (Node worker_threads,
 * or Web Workers in a browser, which must be cross-origin isolated: COOP same-origin and COEP
 * require-corp). Resolves to false where threads are unavailable (the single-threaded kernel
 * stays in use).
 */
export async function setNumThreads(n: number): Promise<boolean> {
  if (n <= 1) {
    await disableWasmGemmThreads();
    return true;
  }
  return enableWasmGemmThreads(n);
}
