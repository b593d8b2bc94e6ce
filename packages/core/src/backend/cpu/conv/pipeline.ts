// What the float32 conv strategies share to run as task programs (wasm/tasks.ts): each task is
// a fixed set of images that one thread takes through the whole pipeline (gather → GEMM →
// scatter, or the Winograd transforms around their GEMMs) in scratch of its own. The batch is
// staged in wasm memory once, padded to whole tasks; the calling thread copies finished tasks'
// outputs out while the other threads run theirs.
// Forward and input gradient: every output element comes from one image, summed in the same
// order however the images are grouped into tasks and whichever thread runs them, so results
// do not depend on the thread count (nor on the task size). Filter gradient: the sum over
// images is split into FILTER_CHUNKS chunks, a function of the batch size alone; each task
// writes its chunk's partial sum and the caller adds the partials in chunk order (wasm sumChunks:
// float64, rounded once), so 1 and n threads give the same bits.
import type { TypedArray } from '../../../tensor/dtype.js';
import { recordRunMoments, runMomentsWanted } from '../../run-moments.js';
import { roundUp } from '../align.js';
import { type TaskArg, type TaskProgram, type TasksDone, type TasksStage, workspaceStride } from '../wasm/tasks.js';
import { requireWasmRuntime, reserveScratch, wasmScratch } from '../wasm/runtime.js';

/** Image chunks of a filter gradient (fewer for smaller batches): enough to share out, few partial sums to add. */
export const FILTER_CHUNKS = 8;
/** Floats of a task's largest per-image operand (columns, transformed tiles) to aim for: it stays in cache. */
const TASK_FLOATS = 1 << 17;

/** Images per task of a forward or input gradient, when an image needs `floatsPerImage` of scratch: at least 4 tasks where the batch allows. */
export function imagesPerTask(n: number, floatsPerImage: number): number {
  return Math.max(1, Math.min(Math.ceil(n / 4), Math.floor(TASK_FLOATS / floatsPerImage)));
}

/** Images per chunk of a filter gradient's sum over the batch (a function of the batch size alone). */
export function imagesPerFilterChunk(n: number): number {
  return Math.ceil(n / Math.min(n, FILTER_CHUNKS));
}

/** Byte address of element `off` of a wasm scratch view. */
export const at = (v: Float32Array, off = 0): number => v.byteOffset + 4 * off;

export interface PipelineScratch {
  /** One view per shared length. */
  shared: Float32Array[];
  /** Thread 0's view of each per-thread length; thread t's is threadStride bytes further. */
  local: Float32Array[];
  threadStride: number;
  /** Threads that may run tasks (each has its block of the per-thread lengths). */
  threads: number;
  /** The `work` argument of gemm calls: each thread's packing workspace. */
  work: TaskArg;
}

/**
 * Wasm scratch for a task program: the shared regions, then one block of the per-thread regions
 * for each thread (views valid until the next wasmScratch; for a background program, until it is
 * settled: runtime.ts reserveScratch).
 */
export function pipelineScratch(shared: readonly number[], perThread: readonly number[], background = false): PipelineScratch {
  const runtime = requireWasmRuntime('pipelineScratch');
  const threads = runtime.workspaces.length;
  const offsets: number[] = [];
  let block = 0;
  for (const n of perThread) {
    offsets.push(block);
    block = roundUp(block + n, 16); // 64-byte aligned
  }
  const lengths = [...shared, threads * block];
  const views = background ? reserveScratch(lengths) : wasmScratch(lengths);
  const base = views[shared.length]!;
  return {
    shared: views.slice(0, shared.length),
    local: perThread.map((n, i) => new Float32Array(base.buffer, base.byteOffset + 4 * offsets[i]!, n)),
    threadStride: 4 * block,
    threads,
    work: [runtime.workspaces[0]!, 0, workspaceStride(runtime)],
  };
}

/**
 * Zeroes `view` (one of sc.local) of every thread, once, before a program whose tasks write only
 * its interior (the image planes inside their zero padding): the padding stays zero from task to
 * task, so the tasks need not zero it each time (they did until session 28: a forward zeroed
 * tasks × m planes where threads × m planes do).
 */
export function zeroPerThread(sc: PipelineScratch, view: Float32Array): void {
  for (let t = 0; t < sc.threads; t++) new Float32Array(view.buffer, view.byteOffset + t * sc.threadStride, view.length).fill(0);
}

/**
 * Copies the images of tasks [first, end) of m images each (`size` floats per image) from `from`
 * to `to`, leaving out the padding images past n: the stage of runTasks (the tasks' inputs into
 * the staged operand in wasm memory) and its onDone (finished tasks' outputs out of the staged
 * result, while the other threads still run theirs). The last task's padding images are never
 * staged (their outputs are dropped).
 */
export function copyTaskImages(from: { subarray(begin: number, end: number): ArrayLike<number> }, to: { set(a: ArrayLike<number>, offset: number): void }, m: number, n: number, size: number): TasksDone & TasksStage {
  return (first, end) => to.set(from.subarray(first * m * size, Math.min(end * m, n) * size), first * m * size);
}

/** Copies the images of `src` into the front of `dst` and zeroes the padding images after them. */
export function stagePadded(dst: Float32Array, src: ArrayLike<number> & { length: number }, padded: number): void {
  dst.set(src as Float32Array);
  dst.fill(0, src.length, padded);
}

/**
 * Floats of shared scratch for the per-run moments of a forward's output y (backend/run-moments.ts:
 * 16 bytes a run, `cout` runs per image, for `tasks` tasks of m images) when the conv2d op asked for
 * them; else 0, and addRunMoments and recordTaskMoments then do nothing.
 */
export const runMomentsLength = (y: TypedArray, tasks: number, m: number, cout: number): number =>
  y instanceof Float32Array && runMomentsWanted(y) ? tasks * m * cout * 4 : 0;

/**
 * Adds to each task, after its writes to ys (m images of cout compact planes of P floats each),
 * the moments of those planes (wasm normRunMoments, as batch norm's forward takes them) into its
 * part of `moments`: on the thread that ran the task, while the planes are in its cache.
 */
export function addRunMoments(prog: TaskProgram, ys: Float32Array, moments: Float32Array, m: number, cout: number, P: number): void {
  if (moments.length === 0) return;
  prog.call('normRunMoments', [[at(ys), 4 * m * cout * P], m * cout, P, [at(moments), 16 * m * cout]]);
}

/** After the program: records the moments of y's n images (the padding images' are dropped). */
export function recordTaskMoments(y: TypedArray, moments: Float32Array, n: number, cout: number): void {
  if (moments.length === 0) return;
  recordRunMoments(y, new Float64Array(moments.buffer, moments.byteOffset, 2 * n * cout).slice());
}
