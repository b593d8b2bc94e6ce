import type { FromWorker } from './prefetch-protocol.js';
import type { PrefetchWorker } from './prefetcher.js';

/**
 * A Web Worker running `serveDataWorker()` as a DataLoader prefetch worker, for
 * `prefetch({ worker: () => fromWebWorker(new Worker(new URL('./data-worker.js', import.meta.url), { type: 'module' })) })`.
 * Browsers cannot wait for a message synchronously, so `loader.batch()` takes a batch that
 * has arrived and builds one that has not on the calling thread (same bits); `for await` and
 * `prefetched()` await the worker.
 */
export function fromWebWorker(worker: Worker): PrefetchWorker {
  return {
    postMessage: (message, transfer) => worker.postMessage(message, transfer),
    onMessage: (listener) => worker.addEventListener('message', (event) => listener(event.data as FromWorker)),
    onError: (listener) => worker.addEventListener('error', (event) => listener(new Error(`DataLoader prefetch worker failed: ${event.message || 'it could not start (script URL, Content-Security-Policy worker-src?)'}`))),
    terminate: () => worker.terminate(),
  };
}
