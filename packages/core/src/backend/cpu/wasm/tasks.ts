// Task programs: whole per-image (or per-chunk) pipelines of wasm kernel calls that the threads
// share out, so a conv's gather, GEMM, scatter and Winograd transforms all run on the thread
// that claims the task, not only its GEMM. A program is `count` tasks of the same sequence of
// calls; call k runs `reps` times and each of its arguments is
//   base + task·taskStride + thread·threadStride + rep·repStride
// (byte addresses or plain numbers), so each task reads and writes its own images and each
// thread its own scratch. A call names any function the module exports (gemm, the conv kernels,
// any kernel of assembly/*.ts). Tasks must be independent (no task reads what another writes):
// then results do not depend on which thread runs which task, nor on how many threads there are.
// Calls stay synchronous: runTasks returns when every task is done (threads.ts's executor lets
// the workers claim tasks beside the calling thread; with one thread it runs them all itself).
import { markSettled, markUnsettled } from '../../../tensor/storage.js';
import { type GemmExecutor, type WasmRuntime, releaseScratch, requireWasmRuntime, wasmRuntime } from './runtime.js';

/** A function the module exports (any kernel of assembly/*.ts), by name. */
export type TaskFunction = string;

type Kernel = (...args: number[]) => void;

/**
 * The module's exported functions in export order: a program names a kernel by its index here.
 * Every instance of one module lists them in the same order, so the calling thread and the
 * workers agree. Shared verbatim (via toString) with the workers: self-contained.
 */
export function exportedFunctions(exports: WebAssembly.Exports): Kernel[] {
  return Object.values(exports).filter((f) => typeof f === 'function') as Kernel[];
}

/** exportedFunctions' names, by instance exports object. */
const names = new WeakMap<WebAssembly.Exports, string[]>();

function functionIndex(exports: WebAssembly.Exports, fn: TaskFunction): number {
  let list = names.get(exports);
  if (!list) names.set(exports, (list = Object.keys(exports).filter((k) => typeof exports[k] === 'function')));
  const index = list.indexOf(fn);
  if (index < 0) throw new Error(`TaskProgram: the wasm module exports no function '${fn}'`);
  return index;
}

/** An argument: a number, or [base, taskStride, threadStride?, repStride?]. */
export type TaskArg = number | readonly [number, number, number?, number?];

/**
 * Runs tasks of `program` (at `at` in `mem`) until none is left, claiming each from the counter
 * mem[claim]; calls `before` with the task first (a worker waits there until its inputs are
 * staged; the calling thread on its own stages them there), marks each task done in
 * mem[done + task] (where that is inside mem; done < 0: no marks) and then calls `after` (the
 * calling thread: it copies out finished tasks meanwhile). Shared verbatim (via toString) by the
 * calling thread and the workers, so it must not reference anything outside itself.
 */
export function runTaskProgram(mem: Int32Array, at: number, claim: number, fns: Kernel[], thread: number, done: number, after?: () => void, before?: (task: number) => void): void {
  const count = mem[at]!;
  const calls = mem[at + 1]!;
  const args: number[] = [];
  for (let task = Atomics.add(mem, claim, 1); task < count; task = Atomics.add(mem, claim, 1)) {
    if (before) before(task);
    let p = at + 2;
    for (let k = 0; k < calls; k++) {
      const fn = fns[mem[p]!]!;
      const nargs = mem[p + 1]!;
      const reps = mem[p + 2]!;
      p += 3;
      args.length = nargs;
      for (let r = 0; r < reps; r++) {
        for (let a = 0; a < nargs; a++) {
          const q = p + 4 * a;
          args[a] = mem[q]! + task * mem[q + 1]! + thread * mem[q + 2]! + r * mem[q + 3]!;
        }
        fn.apply(null, args);
      }
      p += 4 * nargs;
    }
    if (done >= 0 && done + task < mem.length) Atomics.store(mem, done + task, 1);
    if (after) after();
  }
}

/** Builds a program: add calls, then run it with runTasks. */
export class TaskProgram {
  private readonly calls: { fn: TaskFunction; ints: number[] }[] = [];

  constructor(readonly count: number) {}

  /** Adds a call of the exported function `fn` with `args`, run `reps` times per task. */
  call(fn: TaskFunction, args: readonly TaskArg[], reps = 1): this {
    if (reps <= 0) return this;
    const ints = [args.length, reps];
    for (const a of args) {
      if (typeof a === 'number') ints.push(a, 0, 0, 0);
      else ints.push(a[0], a[1], a[2] ?? 0, a[3] ?? 0);
    }
    this.calls.push({ fn, ints });
    return this;
  }

  /** The program encoded for the instance `exports` (and every instance of its module). */
  encode(exports: WebAssembly.Exports): Int32Array {
    const ints = [this.count, this.calls.length];
    for (const c of this.calls) ints.push(functionIndex(exports, c.fn), ...c.ints);
    for (const v of ints) {
      if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) throw new Error(`TaskProgram: argument ${v} does not fit in int32`);
    }
    return Int32Array.from(ints);
  }
}

/** Byte distance between consecutive threads' GEMM workspaces (the `work` argument of gemm). */
export function workspaceStride(runtime: WasmRuntime): number {
  const w = runtime.workspaces;
  return w.length > 1 ? w[1]! - w[0]! : 0;
}

let serialFns: { exports: WebAssembly.Exports; fns: Kernel[] } | null = null;

/**
 * Tasks [first, end) are done: their outputs may be read. Called for consecutive ranges in
 * order, every task once, before runTasks returns.
 */
export type TasksDone = (first: number, end: number) => void;

/**
 * Copies the inputs of tasks [first, end) into wasm memory (from arrays only the calling thread
 * can read). Called for consecutive ranges in order, every task once, each before any thread runs
 * those tasks.
 */
export type TasksStage = (first: number, end: number) => void;

/**
 * Runs every task of the program: across the threads when they are on, else on the calling
 * thread (thread index 0). withSerialGemm does not hold a program back: its tasks are whole
 * pipelines, worth sharing out (the conv algorithms' /1t variants thus run like the others).
 * `onDone` (copying outputs out of wasm memory, say) runs on the calling thread, with threads
 * between its own tasks and while it waits, so the copies overlap the workers' tasks; alone, after
 * each task, while its outputs are in cache (1 thread, interleaved forward and input-gradient
 * convs of fmnist-cnn's and resnet20's layers: 314-325 ms against 320-327 with one copy at the end).
 * `stage` copies the tasks' inputs in: with threads on, the calling thread stages task after task
 * while the workers start on those staged (so the copy overlaps their work); alone, it stages each
 * task just before running it (so the task reads its inputs from cache).
 */
export function runTasks(program: TaskProgram, onDone?: TasksDone, stage?: TasksStage): void {
  if (program.count === 0) return;
  const runtime = requireWasmRuntime('runTasks');
  const encoded = program.encode(runtime.exports);
  if (runtime.executor) {
    runtime.executor.runTasks(encoded, onDone, stage);
    return;
  }
  if (serialFns?.exports !== runtime.exports) serialFns = { exports: runtime.exports, fns: exportedFunctions(runtime.exports) };
  runSerially(encoded, serialFns.fns, onDone, stage);
}

/**
 * Runs every task of an encoded program on the calling thread, staging each just before it runs
 * and handing each to onDone right after (its outputs are then still in cache).
 */
export function runSerially(encoded: Int32Array, fns: Kernel[], onDone?: TasksDone, stage?: TasksStage): void {
  const mem = new Int32Array(encoded.length + 1);
  mem.set(encoded);
  let finished = 0;
  runTaskProgram(mem, 0, encoded.length, fns, 0, -1, onDone && (() => onDone(finished, ++finished)), stage && ((task) => stage(task, task + 1)));
}

// Background programs. A conv's filter gradient is not needed until its weight's gradient is read
// (the optimizer, after backward), while backward's next steps (the input gradient, batch norm,
// pooling) are, and those run on the calling thread alone. So with threads on, the filter gradient's
// tasks can run on a worker while the calling thread goes on: runTasksAsync starts them, and the
// output array is marked unsettled (tensor/storage.ts), so the first read of it (Tensor.storage or
// .data), the next background program or disableWasmGemmThreads settles them: the calling thread
// takes the tasks the worker has not begun, waits for the worker, and runs `finish` (adding the
// chunks, writing the output). The tasks and their sums are the same as runTasks', so are the bits.

let background: { executor: GemmExecutor; out: object; finish: () => void } | null = null;

/**
 * Settles the background program, if one runs, and tells whether a new one can run: threads are
 * on (a worker to hand it to). The caller then takes its scratch from runtime.ts reserveScratch
 * and starts it with runTasksAsync (or runTasksThen).
 */
export function prepareBackgroundTasks(): boolean {
  settleAsyncTasks();
  const runtime = wasmRuntime();
  if (runtime === null) return false;
  // No program runs now: a reservation left by a caller that threw before starting one is freed.
  releaseScratch();
  return runtime.executor !== null && runtime.workspaces.length >= 2;
}

/**
 * Runs `program` (its scratch from reserveScratch) on a worker in the background, then, once
 * settled, `finish` on the calling thread, which writes `out` (see above). Where the program
 * cannot go to the background, runs both now.
 */
export function runTasksAsync(program: TaskProgram, out: object, finish: () => void): void {
  const runtime = requireWasmRuntime('runTasksAsync');
  const executor = runtime.executor;
  if (executor !== null && program.count > 0 && executor.runTasksAsync(program.encode(runtime.exports))) {
    background = { executor, out, finish };
    markUnsettled(out, settleAsyncTasks);
    return;
  }
  try {
    runTasks(program);
    finish();
  } finally {
    releaseScratch();
  }
}

/**
 * Runs `program` and then `finish`, which writes `out`: in the background where prepareBackgroundTasks
 * said so (`background`; the scratch then from reserveScratch), else now.
 */
export function runTasksThen(program: TaskProgram, background: boolean, out: object, finish: () => void): void {
  if (background) return runTasksAsync(program, out, finish);
  runTasks(program);
  finish();
}

/** Finishes the background program, if one runs (see above). */
export function settleAsyncTasks(): void {
  const job = background;
  if (job === null) return;
  background = null;
  markSettled(job.out);
  try {
    job.executor.finishAsync();
    job.finish();
  } finally {
    releaseScratch();
  }
}
