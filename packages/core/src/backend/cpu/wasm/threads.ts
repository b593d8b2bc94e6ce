// Multi-threaded wasm kernels (Node worker_threads or browser Web Workers, see worker-host.ts):
// the shared-memory build of the module is instantiated on one shared WebAssembly.Memory by the
// calling thread and by threads-1 workers. Two kinds of job:
//  - a large GEMM, cut into column blocks of C (row blocks when M > N, so that the re-packed
//    operand is the smaller one), or a strided batch of whole products;
//  - a task program (tasks.ts): whole per-image pipelines of kernel calls (a conv's gather, GEMM
//    and scatter, or its Winograd transforms), each task run entirely by one thread.
// All threads, the caller included, claim blocks or tasks from a shared counter; the caller then
// waits on an Atomics flag per worker (spinning where it may not block: a browser page's main
// thread). Idle threads spin briefly before they sleep (spinWhile), so the next job starts at
// once. Calls stay synchronous; only enabling is asynchronous. The splitting is the executor of
// the runtime installed here, which the gemm glue hands every product and tasks.ts every program.
import { GEMM_MR, GEMM_NR, type GemmExports } from './gemm.js';
import { exportedFunctions, runSerially, runTaskProgram, settleAsyncTasks, type TasksStage } from './tasks.js';
import { type GemmExecutor, compileWasmModule, createWasmRuntime, installWasmRuntime, type WasmRuntime } from './runtime.js';
import { canBlockThread, workerHost, type HostKind, type WorkerLike } from './worker-host.js';
import type { WorkerActivity } from '../../backend.js';

/** Below this many flops the split costs more (wake-up ≈ tens of µs) than it saves. */
const MIN_SPLIT_FLOPS = 1 << 22;
/** Blocks per thread: threads claim blocks from a shared counter, so a thread descheduled by a
 *  busy machine delays the product by at most one block. */
const BLOCKS_PER_THREAD = 4;
/** Int32 slots per thread in the control block. Slot 0 holds the job (19 GEMM values, then the
 *  job's kind and the task claim counter, then the background program's counters); slot t its
 *  state, then (BUSY_AT) the float64 milliseconds it has spent in jobs and in background
 *  programs. The programs follow the slots. */
const SLOT = 32;
/** Int32 index, within a worker's slot, of its two float64 busy times (8-byte aligned: SLOT is even). */
const BUSY_AT = 2;
const KIND = 19;
const TASK_CLAIM = 20;
/** The background program's claim counter, and how many threads have finished it (tasks.ts runTasksAsync). */
const ASYNC_CLAIM = 21;
const ASYNC_DONE = 22;
/** 1 while the caller's current job may still be joined; how many workers joined it late (from the background program). */
const JOB_OPEN = 23;
const LATE = 24;
/** How many of the current task program's tasks have their inputs staged (tasks.ts TasksStage). */
const STAGED = 25;
/** STAGED's value when every task's inputs are there (no stage, or one that threw). */
const ALL_STAGED = 0x7fffffff;
const GEMM_JOB = 0;
const TASK_JOB = 1;
/** Int32s of the control block that hold a task program (1 MiB); a longer one runs on the caller. */
const PROGRAM_INTS = 1 << 18;
/** Int32s after the program that mark its tasks done (tasks past these are not marked: their outputs wait for the end). */
const DONE_INTS = 1 << 14;
const IDLE = 0;
const BUSY = 1;
const EXIT = 2;
/** A worker's state while it runs the background program (in the control block before the sync one). */
const ASYNC = 3;

type GemmFn = (...args: number[]) => void;

/**
 * Runs blocks of the job in control[0..18] until none is left: the 12 gemm arguments, then the
 * mode (0: row blocks of one product, 1: column blocks, 2: whole products of a strided batch),
 * block size, block count, the claim counter and the batch's a/b/c strides. Shared verbatim
 * (via toString) by the calling thread and the workers, so it must not reference anything outside itself.
 */
function runBlocks(control: Int32Array, gemm: GemmFn, work: number): void {
  const M = control[0]!, N = control[1]!, K = control[2]!;
  const a = control[3]! >>> 0, aRs = control[4]!, aCs = control[5]!;
  const b = control[6]! >>> 0, bRs = control[7]!, bCs = control[8]!;
  const c = control[9]! >>> 0, ldc = control[10]!, acc = control[11]!;
  const mode = control[12]!, size = control[13]!, count = control[14]!;
  const aStride = control[16]!, bStride = control[17]!, cStride = control[18]!;
  for (let i = Atomics.add(control, 15, 1); i < count; i = Atomics.add(control, 15, 1)) {
    const from = i * size;
    if (mode === 2) gemm(M, N, K, a + 4 * i * aStride, aRs, aCs, b + 4 * i * bStride, bRs, bCs, c + 4 * i * cStride, ldc, acc, work);
    else if (mode === 1) gemm(M, Math.min(size, N - from), K, a, aRs, aCs, b + 4 * from * bCs, bRs, bCs, c + 4 * from, ldc, acc, work);
    else gemm(Math.min(size, M - from), N, K, a + 4 * from * aRs, aRs, aCs, b, bRs, bCs, c + 4 * from * ldc, ldc, acc, work);
  }
}

/**
 * How long an idle thread spins for the next job: 1 ms covers the gap between most conv calls of a
 * training step (resnet20 at 2 threads, Intel Xeon: 170-175 → 164-166 ms per step; 0.3 ms gained
 * half that, 3 ms no more). 5 ms against 1 on the AMD EPYC, steps alternated one by one in one
 * process (bench README, session 33): lenet5 0.97-0.98×, fmnist-cnn 1.00-1.01×, resnet20 1.05×,
 * inside the ±4% a null alternation shows there.
 */
const SPIN_MS = 1;

/** No spinning where the threads outnumber the cores the host reports: a spinning thread would hold a core that a working one needs. */
function spinBudgetMs(threads: number): number {
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return typeof cores === 'number' && threads > cores ? 0 : SPIN_MS;
}

/**
 * Spins while control[at] holds `value`, for at most `ms` milliseconds. A worker that sleeps in
 * Atomics.wait takes tens of µs to wake (~80 µs per job round trip measured on the 2-vCPU host),
 * which a step of many small conv calls pays on every call; spinning a little first, as OpenMP
 * runtimes do, catches the next job at once. Shared verbatim (via toString) with the workers.
 */
function spinWhile(control: Int32Array, at: number, value: number, ms: number): void {
  if (!(ms > 0)) return;
  const end = performance.now() + ms;
  while (Atomics.load(control, at) === value) {
    for (let i = 0; i < 64 && Atomics.load(control, at) === value; i++);
    if (performance.now() > end) return;
  }
}

// The job loop of one worker, for either host: it provides `data` and `ready`.
const workerBody = `
const { module, memory, control, slot, work, spinMs } = data;
const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
const fns = (${exportedFunctions.toString()})(exports);
const runBlocks = ${runBlocks.toString()};
const runTaskProgram = ${runTaskProgram.toString()};
const s = slot * ${SLOT};
const program = control.length - ${PROGRAM_INTS + DONE_INTS};
const done = control.length - ${DONE_INTS};
const asyncProgram = program - ${PROGRAM_INTS};
ready();
const spinWhile = ${spinWhile.toString()};
// Claims blocks or tasks of the caller's current job until none is left.
// A task waits until the caller has staged its inputs (it stages them in order, first thing).
const staged = (task) => { while (Atomics.load(control, ${STAGED}) <= task); };
const runJob = () => {
  if (control[${KIND}] === ${TASK_JOB}) runTaskProgram(control, program, ${TASK_CLAIM}, fns, slot, done, undefined, staged);
  else runBlocks(control, exports.gemm, work);
};
// This worker's time in the caller's jobs [0] and in background programs [1], ms (threadActivity;
// only this worker writes them), added as each job or background task ends.
const busy = new Float64Array(control.buffer, 4 * (s + ${BUSY_AT}), 2);
// A job the caller began without this worker (it ran a background program) may still have blocks
// or tasks left: join it. Counted first, then checked open, so the caller (which closes, then
// waits for the count) never misses one.
const joinOpenJob = () => {
  const t0 = performance.now();
  Atomics.add(control, ${LATE}, 1);
  if (Atomics.load(control, ${JOB_OPEN}) === 1) runJob();
  busy[0] += performance.now() - t0; // before the caller can see the job end
  Atomics.sub(control, ${LATE}, 1);
  Atomics.notify(control, ${LATE});
};
for (;;) {
  spinWhile(control, s, ${IDLE}, spinMs);
  Atomics.wait(control, s, ${IDLE});
  const state = Atomics.load(control, s);
  if (state === ${EXIT}) break;
  let t0 = performance.now();
  if (state === ${ASYNC}) {
    // Between its tasks the worker joins a job the caller started meanwhile (the caller waits for
    // that job, not for this program, which it settles later). Its time is added task by task: a
    // program runs across several of the caller's ops.
    runTaskProgram(control, asyncProgram, ${ASYNC_CLAIM}, fns, slot, -1, () => {
      const t1 = performance.now();
      busy[1] += t1 - t0;
      t0 = t1;
      if (Atomics.load(control, ${JOB_OPEN}) !== 1) return;
      joinOpenJob();
      t0 = performance.now();
    });
    // Free for other jobs first, then counted as done (finishAsync waits for the count).
    Atomics.store(control, s, ${IDLE});
    Atomics.add(control, ${ASYNC_DONE}, 1);
    Atomics.notify(control, ${ASYNC_DONE});
    joinOpenJob();
    continue;
  }
  runJob();
  busy[0] += performance.now() - t0;
  Atomics.store(control, s, ${IDLE});
  Atomics.notify(control, s);
}
`;

/** For tests: force a host or the caller's spin-wait (the browser main thread's mode). */
export interface ThreadOptions {
  host?: HostKind;
  spin?: boolean;
}

/** The running threads; `times` views the control block as float64s (the workers' busy times, BUSY_AT). */
let active: { runtime: WasmRuntime; workers: WorkerLike[]; control: Int32Array; times: Float64Array } | null = null;

/**
 * The workers' busy time since threads were last enabled: sampled before and after a piece of
 * work, the difference against its wall time tells how long the workers waited meanwhile. A
 * worker adds each job's or background program's time when it ends. All zeros with one thread.
 */
export function workerActivity(): WorkerActivity {
  if (active === null) return { workers: 0, jobsMs: 0, backgroundMs: 0 };
  const { workers, times } = active;
  let jobsMs = 0;
  let backgroundMs = 0;
  for (let w = 1; w <= workers.length; w++) {
    const at = (w * SLOT + BUSY_AT) / 2;
    jobsMs += times[at]!;
    backgroundMs += times[at + 1]!;
  }
  return { workers: workers.length, jobsMs, backgroundMs };
}

/**
 * Makes the wasm GEMM use `threads` threads (the caller plus threads-1 workers). Resolves to
 * false, leaving the single-threaded runtime, where workers, SharedArrayBuffer (in browsers:
 * cross-origin isolation) or the shared-memory build are unavailable; rejects if a worker fails
 * to start. Views from earlier wasmScratch calls become invalid.
 */
export async function enableWasmGemmThreads(threads = 2, options: ThreadOptions = {}): Promise<boolean> {
  await disableWasmGemmThreads();
  if (threads <= 1) return true;
  if (typeof SharedArrayBuffer !== 'function') return false;
  const module = compileWasmModule(true);
  if (!module) return false;
  const startWorker = await workerHost(options.host);
  if (!startWorker) return false;
  const block = !options.spin && canBlockThread();
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 32768, shared: true });
  const spinMs = spinBudgetMs(threads);
  // Layout: the slots, the background program, the program, its done marks.
  const control = new Int32Array(new SharedArrayBuffer(4 * (SLOT * threads + 2 * PROGRAM_INTS + DONE_INTS)));
  const runtime = createWasmRuntime(module, memory, threads);
  const { workspaces } = runtime;
  const started = await Promise.allSettled(
    Array.from({ length: threads - 1 }, (_, w) => startWorker(workerBody, { module, memory, control, slot: w + 1, work: workspaces[w + 1]!, spinMs })),
  );
  const workers = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(workers.map((worker) => worker.terminate())); // no half-started pool
    throw failed.reason;
  }
  runtime.executor = splittingExecutor(runtime.exports, workspaces[0]!, threads, control, block, spinMs);
  installWasmRuntime(runtime);
  active = { runtime, workers, control, times: new Float64Array(control.buffer) };
  return true;
}

/** The executor of `threads` threads on `control`: the caller packs in `work` and waits (blocking or spinning). */
function splittingExecutor(exports: WebAssembly.Exports, work: number, threads: number, control: Int32Array, block: boolean, spinMs: number): GemmExecutor {
  const gemm = (exports as unknown as GemmExports).gemm as GemmFn;
  const fns = exportedFunctions(exports);
  const program = control.length - PROGRAM_INTS - DONE_INTS;
  const done = control.length - DONE_INTS;
  const asyncProgram = program - PROGRAM_INTS;
  // The worker that takes background programs, and whether one was handed to it and not yet finished.
  const asyncSlot = (threads - 1) * SLOT;
  let asyncStarted = false;
  // Waits while control[at] holds `value` (blocking where the caller may, else spinning).
  const waitWhile = (at: number, value: number): void => {
    spinWhile(control, at, value, spinMs);
    if (block) while (Atomics.load(control, at) === value) Atomics.wait(control, at, value);
    else while (Atomics.load(control, at) === value); // may not block here: spin
  };
  // Hands a job to every thread (the caller included; not a worker still running the background
  // program) and waits for those workers to finish it; `between` runs after each of the caller's
  // tasks and before it waits for each worker. A task program's inputs are staged by `stage`
  // first, task by task, while the workers start on the staged ones.
  const runJob = (kind: number, between?: () => void, stage?: TasksStage): void => {
    control[KIND] = kind;
    control[TASK_CLAIM] = 0;
    control[STAGED] = stage ? 0 : ALL_STAGED;
    const joined: number[] = [];
    for (let t = 1; t < threads; t++) {
      if (Atomics.load(control, t * SLOT) === ASYNC) continue; // it joins between its background tasks
      Atomics.store(control, t * SLOT, BUSY);
      Atomics.notify(control, t * SLOT);
      joined.push(t);
    }
    const lateJoiners = joined.length < threads - 1;
    if (lateJoiners) Atomics.store(control, JOB_OPEN, 1);
    // A stage that throws must not leave the workers waiting: they are let go (their tasks read
    // whatever is staged, and the results are dropped), the job ends as usual, then it throws.
    let failed: { error: unknown } | null = null;
    if (stage) {
      try {
        for (let task = 0, count = control[program]!; task < count; task++) {
          stage(task, task + 1);
          Atomics.store(control, STAGED, task + 1);
        }
      } catch (error) {
        failed = { error };
        Atomics.store(control, STAGED, ALL_STAGED);
      }
    }
    if (kind === TASK_JOB) runTaskProgram(control, program, TASK_CLAIM, fns, 0, done, between);
    else runBlocks(control, gemm, work);
    if (lateJoiners) Atomics.store(control, JOB_OPEN, 0);
    for (const t of joined) {
      between?.();
      waitWhile(t * SLOT, BUSY);
    }
    if (lateJoiners) {
      for (let n = Atomics.load(control, LATE); n !== 0; n = Atomics.load(control, LATE)) {
        between?.();
        waitWhile(LATE, n);
      }
    }
    if (failed) throw failed.error;
  };
  const executor: GemmExecutor = {
    run(M, N, K, a, aRs, aCs, b, bRs, bCs, c, ldc, accumulate) {
      const acc = accumulate ? 1 : 0;
      if (2 * M * N * K < MIN_SPLIT_FLOPS) {
        gemm(M, N, K, a, aRs, aCs, b, bRs, bCs, c, ldc, acc, work);
        return;
      }
      // Split the larger of M and N: each block re-packs the whole of the other operand's panel.
      const byColumns = N >= M;
      const total = byColumns ? N : M;
      const unit = byColumns ? GEMM_NR : GEMM_MR;
      const size = Math.max(unit, Math.ceil(total / (threads * BLOCKS_PER_THREAD) / unit) * unit);
      control.set([M, N, K, a, aRs, aCs, b, bRs, bCs, c, ldc, acc, byColumns ? 1 : 0, size, Math.ceil(total / size), 0, 0, 0, 0]);
      runJob(GEMM_JOB);
    },
    runBatched(count, M, N, K, a, aRs, aCs, aStride, b, bRs, bCs, bStride, c, ldc, cStride, accumulate) {
      if (count * 2 * M * N * K >= MIN_SPLIT_FLOPS && count >= threads) {
        control.set([M, N, K, a, aRs, aCs, b, bRs, bCs, c, ldc, accumulate ? 1 : 0, 2, 1, count, 0, aStride, bStride, cStride]);
        runJob(GEMM_JOB);
        return;
      }
      // Too little in all, or too few products to share out: each product splits itself.
      for (let i = 0; i < count; i++) executor.run(M, N, K, a + 4 * i * aStride, aRs, aCs, b + 4 * i * bStride, bRs, bCs, c + 4 * i * cStride, ldc, accumulate);
    },
    runTasks(encoded, onDone, stage) {
      const count = encoded[0]!;
      if (encoded.length > PROGRAM_INTS) {
        // Too long for the control block: the caller runs every task (same calls, same results).
        runSerially(encoded, fns, onDone, stage);
        return;
      }
      control.set(encoded, program);
      // Finished tasks are handed to onDone in order as their marks appear (up to DONE_INTS of them).
      let handled = 0;
      const marked = Math.min(count, DONE_INTS);
      const drain = (): void => {
        let end = handled;
        while (end < marked && Atomics.load(control, done + end) === 1) end++;
        if (end > handled) onDone!(handled, end);
        handled = end;
      };
      if (onDone) control.fill(0, done, done + marked);
      runJob(TASK_JOB, onDone && drain, stage);
      if (onDone && handled < count) onDone(handled, count);
    },
    runTasksAsync(encoded) {
      if (asyncStarted || encoded.length > PROGRAM_INTS) return false;
      control.set(encoded, asyncProgram);
      control[ASYNC_CLAIM] = 0;
      control[ASYNC_DONE] = 0;
      asyncStarted = true;
      // The worker is idle: every job before this one has returned.
      Atomics.store(control, asyncSlot, ASYNC);
      Atomics.notify(control, asyncSlot);
      return true;
    },
    finishAsync() {
      if (!asyncStarted) return;
      // The caller takes the tasks the worker has not claimed yet (thread 0's scratch), then waits for the worker's.
      runTaskProgram(control, asyncProgram, ASYNC_CLAIM, fns, 0, -1);
      waitWhile(ASYNC_DONE, 0);
      asyncStarted = false;
    },
  };
  return executor;
}

/** Stops the workers and returns to the single-threaded runtime (a fresh, unshared memory). */
export async function disableWasmGemmThreads(): Promise<void> {
  if (!active) return;
  settleAsyncTasks();
  const { runtime, workers, control } = active;
  active = null;
  runtime.executor = null;
  installWasmRuntime(null);
  for (let w = 1; w <= workers.length; w++) {
    Atomics.store(control, w * SLOT, EXIT);
    Atomics.notify(control, w * SLOT);
  }
  await Promise.all(workers.map((worker) => worker.terminate()));
}
