// Starting the GEMM worker threads in Node (worker_threads) or in browsers (Web Workers), and
// how the calling thread may wait for them. The worker body is one script text for both hosts:
// it reads its start-up values from `data` and calls `ready()` once it can take jobs; each host
// only supplies those two names.

/** Start-up values of one worker; all structured-cloneable (Module, shared Memory, SAB view). */
export interface WorkerStartData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: Int32Array;
  slot: number;
  work: number;
  /** How long an idle worker spins for the next job before it sleeps (threads.ts). */
  spinMs: number;
}

export interface WorkerLike {
  terminate(): Promise<unknown>;
}

/** Starts a worker running `body` (see above); resolves once it called ready(). */
export type StartWorker = (body: string, data: WorkerStartData) => Promise<WorkerLike>;

export type HostKind = 'node' | 'web';

/** Whether this looks like a browser page or browser worker with the Web Worker API. */
function isBrowser(): boolean {
  const g = globalThis as { document?: unknown; WorkerGlobalScope?: unknown };
  const inPageOrWorker = typeof g.document === 'object' || typeof g.WorkerGlobalScope === 'function';
  return inPageOrWorker && typeof Worker === 'function' && typeof Blob === 'function' && typeof URL.createObjectURL === 'function';
}

/**
 * The worker starter of this runtime, or null where none works: Web Workers in a browser
 * (which needs cross-origin isolation for the shared memory), else Node's worker_threads.
 */
export async function workerHost(kind: HostKind = isBrowser() ? 'web' : 'node'): Promise<StartWorker | null> {
  if (kind === 'web') {
    // Without COOP/COEP headers a page has no SharedArrayBuffer and cannot post shared memory.
    return (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true ? startWebWorker : null;
  }
  try {
    // Hidden from browser bundlers; only reached outside browsers.
    const { Worker: NodeWorker } = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:worker_threads');
    return (body, data) => {
      // Plain CommonJS: eval workers are scripts.
      const source = `const { workerData: data, parentPort } = require('node:worker_threads');\nconst ready = () => parentPort.postMessage('ready');\n${body}`;
      const worker = new NodeWorker(source, { eval: true, workerData: data });
      return new Promise<WorkerLike>((resolve, reject) => {
        worker.once('message', () => {
          worker.unref(); // parked workers must not keep the process alive
          resolve(worker);
        });
        worker.once('error', reject);
      });
    };
  } catch {
    return null;
  }
}

/** A classic worker from a Blob URL; the start-up values arrive as its first message. */
const startWebWorker: StartWorker = (body, data) => {
  const script = `self.onmessage = function (event) {\nself.onmessage = null;\nconst data = event.data;\nconst ready = () => self.postMessage('ready');\n${body}\n};\n`;
  const url = URL.createObjectURL(new Blob([script], { type: 'text/javascript' }));
  return new Promise<WorkerLike>((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(url);
    } catch (error) {
      URL.revokeObjectURL(url);
      reject(error);
      return;
    }
    worker.onmessage = () => {
      URL.revokeObjectURL(url);
      worker.onmessage = worker.onerror = null;
      resolve({ terminate: async () => worker.terminate() });
    };
    worker.onerror = (event) => {
      URL.revokeObjectURL(url);
      worker.terminate();
      reject(new Error(`gemm worker failed to start: ${event.message || 'blocked (Content-Security-Policy worker-src?)'}`));
    };
    worker.postMessage(data);
  });
};

let blocking: boolean | undefined;

/**
 * Whether this thread may block in Atomics.wait: false on a browser page's main thread (it
 * throws there), where a waiter must spin on Atomics.load instead. Checked once.
 */
export function canBlockThread(): boolean {
  if (blocking === undefined) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 0);
      blocking = true;
    } catch {
      blocking = false;
    }
  }
  return blocking;
}
