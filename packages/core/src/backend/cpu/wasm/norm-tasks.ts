// Normalisation's float32 wasm kernels (assembly/norm.ts) as task programs over the threads
// (tasks.ts): the operands are staged in wasm memory once per call (the forward's three passes
// all read that one copy of x), the threads share out each pass, and the calling thread copies
// finished tasks' outputs out while the workers run theirs.
// Only for operands that stay in cache once staged (up to MAX_TASK_ELEMENTS): only the calling
// thread can copy them in (they are plain JavaScript arrays), and for larger ones a copy into
// memory that does not stay in cache, and passes that then read memory instead of cache, cost
// more than the second thread saves; norm.ts's streamed kernels (32 KiB chunks that stay in L1)
// run those, and every size on one thread. Measured, 2 threads, forward kernel medians on a loaded
// 2-core machine, tasks vs streamed: [128,128,7,7] (3.2 MB) 2.1-2.5 vs 2.8-3.1 ms; [128,64,14,14]
// (6.4 MB) 3.3-4.9 vs 2.9-4.4 ms; [128,32,28,28] 10-12 vs 7-9 ms.
// Bit-identical to the streamed kernels of norm.ts on any thread count:
// - The sums (normRunSums, normGradSums) split the groups into blocks: a task owns a block's
//   float64 accumulators and adds the block's runs in increasing o, sample by sample, as the
//   single pass does; no other task touches them, so every group's sum is the same chain of adds
//   (normGradSums adds a run's tail elements to the running sum one by one, so only a split by
//   groups, not by samples, keeps its bits for every inner size).
// - The combine (normCombine) is elementwise: any split of the runs gives the same values. Its
//   last task is padded to whole tasks: the extra runs combine whatever the scratch holds and
//   are never copied out.
import { gemmThreads, wasmScratch } from './runtime.js';
import { TaskProgram, type TasksDone, runTasks } from './tasks.js';

/** Elements of x from which normalisation runs as tasks over the threads: below, the hand-off costs more than it saves. */
const MIN_TASK_ELEMENTS = 1 << 16;
/** Elements of x up to which it does (4 MiB per operand): above, the staged operands fall out of cache (see the top). */
const MAX_TASK_ELEMENTS = 1 << 20;
/** Elements per combine task to aim for (256 KiB per operand: it stays in L2). */
const COMBINE_ELEMENTS = 1 << 16;
/** Sums tasks per thread to aim for (blocks of groups), so uneven threads even out. */
const SUM_TASKS_PER_THREAD = 4;

/** Whether normalising x (float32, `elements` values) runs as tasks over the threads. */
export function useNormTasks(elements: number): boolean {
  return gemmThreads() > 1 && elements >= MIN_TASK_ELEMENTS && elements <= MAX_TASK_ELEMENTS;
}

/** Groups per sums task: the largest divisor of `groups` that gives at least SUM_TASKS_PER_THREAD tasks per thread (1 if none). */
function groupsPerTask(groups: number): number {
  const most = Math.max(1, Math.floor(groups / (SUM_TASKS_PER_THREAD * gemmThreads())));
  for (let m = most; m > 1; m--) if (groups % m === 0) return m;
  return 1;
}

/** Runs per combine task (the last task padded to whole tasks). */
function runsPerTask(runs: number, inner: number): number {
  return Math.max(1, Math.min(Math.ceil(runs / (SUM_TASKS_PER_THREAD * gemmThreads())), Math.floor(COMBINE_ELEMENTS / inner)));
}

interface Layout {
  outer: number;
  groups: number;
  inner: number;
  /** Runs per combine task, and combine tasks. */
  m: number;
  tasks: number;
}

function layout(outer: number, groups: number, inner: number): Layout {
  const m = runsPerTask(outer * groups, inner);
  return { outer, groups, inner, m, tasks: Math.ceil((outer * groups) / m) };
}

/** Staged operand length: whole combine tasks. */
const padded = (l: Layout): number => l.tasks * l.m * l.inner;

/** Float64 view of a float32 scratch view of 2·n floats. */
const f64 = (v: Float32Array, n: number): Float64Array => new Float64Array(v.buffer, v.byteOffset, n);

/**
 * A program of normRunSums (gs = 0) or normGradSums over blocks of groups: task t adds the runs of
 * groups [t·m, t·m + m) sample by sample into acc (the kernel's own per-group arrays).
 */
function sumsProgram(l: Layout, gs: Float32Array | null, xs: Float32Array, mean: Float64Array, acc: Float64Array, squares: boolean): TaskProgram {
  const { outer, groups, inner } = l;
  const m = groupsPerTask(groups);
  // A data operand's task t, sample o: run o·groups + t·m.
  const data = (v: Float32Array) => [v.byteOffset, 4 * m * inner, 0, 4 * groups * inner] as const;
  const r0 = [0, m, 0, groups] as const;
  const program = new TaskProgram(groups / m);
  if (gs) program.call('normGradSums', [data(gs), data(xs), r0, m, groups, inner, mean.byteOffset, acc.byteOffset], outer);
  else program.call('normRunSums', [data(xs), r0, m, groups, inner, mean.byteOffset, squares ? 1 : 0, acc.byteOffset], outer);
  return program;
}

/** A program of normCombine over runs of m, writing over xs: y = a·g + b·(x − mean) + k per group (gs null: the forward's g = 0). */
function combineProgram(l: Layout, gs: Float32Array | null, xs: Float32Array, mean: Float64Array, a: Float64Array, b: Float64Array, k: Float64Array): TaskProgram {
  const { m, groups, inner } = l;
  const data = (v: Float32Array) => [v.byteOffset, 4 * m * inner] as const;
  return new TaskProgram(l.tasks).call('normCombine', [gs ? data(gs) : 0, data(xs), data(xs), [0, m], m, groups, inner, mean.byteOffset, a.byteOffset, b.byteOffset, k.byteOffset]);
}

/** The onDone that copies finished combine tasks' runs from the staged `from` to `to` (the padding left out). */
function copyOut(l: Layout, from: Float32Array, to: Float32Array): TasksDone {
  const n = to.length;
  return (first, end) => to.set(from.subarray(first * l.m * l.inner, Math.min(end * l.m * l.inner, n)), first * l.m * l.inner);
}

/** norm.ts's normalizeForwardWasm, as tasks: x staged once for the mean, variance and combine passes. */
export function normalizeForwardTasks(
  x: Float32Array, y: Float32Array, outer: number, groups: number, inner: number, meanOut: Float64Array, varianceOut: Float64Array,
  affine: (mean: Float64Array, variance: Float64Array) => { scale: ArrayLike<number>; shift: ArrayLike<number> },
): void {
  const l = layout(outer, groups, inner);
  const views = wasmScratch([padded(l), 2 * groups, 2 * groups, 2 * groups, 2 * groups]);
  const xs = views[0]!;
  const [mean, variance, scale, shift] = views.slice(1).map((v) => f64(v, groups)) as [Float64Array, Float64Array, Float64Array, Float64Array];
  const count = outer * inner;
  xs.set(x);
  mean.fill(0);
  variance.fill(0);
  runTasks(sumsProgram(l, null, xs, mean, mean, false));
  for (let c = 0; c < groups; c++) mean[c]! /= count;
  runTasks(sumsProgram(l, null, xs, mean, variance, true));
  for (let c = 0; c < groups; c++) variance[c]! /= count;
  meanOut.set(mean);
  varianceOut.set(variance);
  const a = affine(meanOut, varianceOut);
  scale.set(a.scale);
  shift.set(a.shift);
  runTasks(combineProgram(l, null, xs, mean, scale, scale, shift), copyOut(l, xs, y));
}

/** norm.ts's gradSumsWasm, as tasks. */
export function gradSumsTasks(g: Float32Array, x: Float32Array, outer: number, groups: number, inner: number, mean: Float64Array): Float64Array {
  const l = layout(outer, groups, inner);
  const n = outer * groups * inner;
  const views = wasmScratch([n, n, 2 * groups, 4 * groups]);
  const [gs, xs] = views as [Float32Array, Float32Array];
  const mu = f64(views[2]!, groups);
  const out = f64(views[3]!, 2 * groups);
  gs.set(g);
  xs.set(x);
  mu.set(mean);
  out.fill(0);
  runTasks(sumsProgram(l, gs, xs, mu, out, false));
  return out.slice();
}

/** norm.ts's normalizeBackwardWasm, as tasks: dx = s·g + t·(x − mean) + k per group. */
export function normalizeBackwardTasks(
  g: Float32Array, x: Float32Array, dx: Float32Array, outer: number, groups: number, inner: number,
  mean: ArrayLike<number>, s: ArrayLike<number>, t: ArrayLike<number>, k: ArrayLike<number>,
): void {
  const l = layout(outer, groups, inner);
  const views = wasmScratch([padded(l), padded(l), 2 * groups, 2 * groups, 2 * groups, 2 * groups]);
  const [gs, xs] = views as [Float32Array, Float32Array];
  const [mu, sv, tv, kv] = views.slice(2).map((v) => f64(v, groups)) as [Float64Array, Float64Array, Float64Array, Float64Array];
  gs.set(g);
  xs.set(x);
  mu.set(mean);
  sv.set(s);
  tv.set(t);
  kv.set(k);
  // dx is written over xs: each element is read before it is written.
  runTasks(combineProgram(l, gs, xs, mu, sv, tv, kv), copyOut(l, xs, dx));
}
