// Multi-threaded wasm GEMM (Node worker_threads): the shared-memory build of the kernel is
// instantiated on one shared WebAssembly.Memory by the calling thread and by threads-1 workers.
// A large product is split into column blocks of C (or row blocks when M > N, so that the
// duplicated packing is of the smaller operand); the caller runs the first block itself and then
// waits on an Atomics flag per worker. Calls stay synchronous; only enabling is asynchronous.
import { compileGemmModule, createEngine, setGemmEngine, type GemmEngine } from './gemm-wasm.js';

/** Below this many flops the split costs more (wake-up ≈ tens of µs) than it saves. */
const MIN_SPLIT_FLOPS = 1 << 22;
const NR = 8;
const MR = 4;
/** Int32 slots per worker in the control block: state, then the 13 gemm arguments. */
const SLOT = 16;
const IDLE = 0;
const BUSY = 1;
const EXIT = 2;

// Plain CommonJS (eval workers are scripts): the job loop of one worker.
const workerSource = `
const { workerData, parentPort } = require('node:worker_threads');
const { module, memory, control, slot } = workerData;
const { gemm } = new WebAssembly.Instance(module, { env: { memory } }).exports;
const s = slot * ${SLOT};
parentPort.postMessage('ready');
for (;;) {
  Atomics.wait(control, s, ${IDLE});
  if (Atomics.load(control, s) === ${EXIT}) break;
  const c = control;
  gemm(c[s + 1], c[s + 2], c[s + 3], c[s + 4] >>> 0, c[s + 5], c[s + 6], c[s + 7] >>> 0, c[s + 8], c[s + 9], c[s + 10] >>> 0, c[s + 11], c[s + 12], c[s + 13] >>> 0);
  Atomics.store(control, s, ${IDLE});
  Atomics.notify(control, s);
}
`;

interface WorkerLike {
  terminate(): Promise<number>;
  unref(): void;
}

let active: { workers: WorkerLike[]; control: Int32Array } | null = null;

/** Split point of n items into `parts` blocks, rounded to multiples of `unit`. */
function splitAt(n: number, parts: number, part: number, unit: number): number {
  return part >= parts ? n : Math.min(n, Math.round((n * part) / parts / unit) * unit);
}

/**
 * Makes the wasm GEMM use `threads` threads (the caller plus threads-1 workers). Resolves to
 * false, leaving the single-threaded engine, where worker_threads, SharedArrayBuffer or the
 * shared-memory build are unavailable. Views from earlier wasmScratch calls become invalid.
 */
export async function enableWasmGemmThreads(threads = 2): Promise<boolean> {
  await disableWasmGemmThreads();
  if (threads <= 1) return true;
  if (typeof SharedArrayBuffer !== 'function') return false;
  const module = compileGemmModule(true);
  if (!module) return false;
  let Worker: typeof import('node:worker_threads').Worker;
  try {
    ({ Worker } = await import('node:worker_threads'));
  } catch {
    return false;
  }
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 32768, shared: true });
  const control = new Int32Array(new SharedArrayBuffer(4 * SLOT * threads));
  const engine = createEngine(module, memory, threads);
  const workers = await Promise.all(
    Array.from({ length: threads - 1 }, (_, w) => {
      const worker = new Worker(workerSource, { eval: true, workerData: { module, memory, control, slot: w + 1 } });
      return new Promise<WorkerLike>((resolve, reject) => {
        worker.once('message', () => resolve(worker));
        worker.once('error', reject);
      });
    }),
  );
  for (const worker of workers) worker.unref();
  const { gemm } = engine.exports;
  const { workspaces } = engine;
  engine.run = (M, N, K, a, aRs, aCs, b, bRs, bCs, c, ldc, accumulate) => {
    const acc = accumulate ? 1 : 0;
    if (2 * M * N * K < MIN_SPLIT_FLOPS) {
      gemm(M, N, K, a, aRs, aCs, b, bRs, bCs, c, ldc, acc, workspaces[0]!);
      return;
    }
    const byColumns = N >= M;
    const job = (t: number): number[] => {
      const total = byColumns ? N : M;
      const unit = byColumns ? NR : MR;
      const from = splitAt(total, threads, t, unit);
      const to = splitAt(total, threads, t + 1, unit);
      if (to <= from) return [];
      return byColumns
        ? [M, to - from, K, a, aRs, aCs, b + 4 * from * bCs, bRs, bCs, c + 4 * from, ldc, acc, workspaces[t]!]
        : [to - from, N, K, a + 4 * from * aRs, aRs, aCs, b, bRs, bCs, c + 4 * from * ldc, ldc, acc, workspaces[t]!];
    };
    const posted: number[] = [];
    for (let t = 1; t < threads; t++) {
      const args = job(t);
      if (args.length === 0) continue;
      const s = t * SLOT;
      control.set(args, s + 1);
      Atomics.store(control, s, BUSY);
      Atomics.notify(control, s);
      posted.push(s);
    }
    const own = job(0);
    if (own.length > 0) gemm(...(own as Parameters<typeof gemm>));
    for (const s of posted) {
      while (Atomics.load(control, s) === BUSY) Atomics.wait(control, s, BUSY);
    }
  };
  setGemmEngine(engine);
  active = { workers, control };
  return true;
}

/** Stops the workers and returns to the single-threaded engine (a fresh, unshared memory). */
export async function disableWasmGemmThreads(): Promise<void> {
  if (!active) return;
  const { workers, control } = active;
  active = null;
  setGemmEngine(null);
  for (let w = 1; w <= workers.length; w++) {
    Atomics.store(control, w * SLOT, EXIT);
    Atomics.notify(control, w * SLOT);
  }
  await Promise.all(workers.map((worker) => worker.terminate()));
}
