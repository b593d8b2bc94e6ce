// The gathered strategy (gathered.ts) for float32 with the wasm conv kernels, as task programs
// (pipeline.ts): each task gathers its images' columns side by side (row length L = m·P for m
// images, so the GEMM is one wide product), multiplies and scatters, all on the thread that
// claims it. Same products, same summation order per element as gathered.ts's chunk loop for
// the forward and the input gradient; the filter gradient sums FILTER_CHUNKS partial products.
import type { TypedArray } from '../../../tensor/dtype.js';
import { roundUp } from '../align.js';
import { rangesLength, stageRanges, sumChunksWasm } from '../wasm/conv.js';
import { GEMM_MR, GEMM_NR } from '../wasm/gemm.js';
import { currentView } from '../wasm/runtime.js';
import { type TaskArg, TaskProgram, prepareBackgroundTasks, runTasks, runTasksThen } from '../wasm/tasks.js';
import { addRunMoments, at, copyTaskImages, imagesPerFilterChunk, imagesPerTask, pipelineScratch, recordTaskMoments, runMomentsLength, stagePadded } from './pipeline.js';
import type { ConvShape } from './types.js';

function dims(s: ConvShape) {
  const cinG = s.cin / s.groups;
  const coutG = s.cout / s.groups;
  const K = cinG * s.S.taps;
  return { cinG, coutG, K, P: s.S.positions };
}

/** The window's 13 geometry arguments of gatherColumns / scatterAddColumns, after channels. */
function geometry(s: ConvShape): number[] {
  const g = s.S.window;
  return [g.inH, g.inW, g.kH, g.kW, g.strideH, g.strideW, g.dilationH, g.dilationW, g.padTop, g.padLeft, g.outH, g.outW];
}

/**
 * Adds, for the m images of a task, cols[.., i·P..] ← gather(image i, group) with row length L:
 * x = [address of the group's first plane of the task's first image, bytes per task], images
 * `image` bytes apart; cols = [thread 0's columns, 0, bytes per thread].
 */
function gather(prog: TaskProgram, s: ConvShape, x: readonly [number, number], image: number, ranges: number, cols: readonly [number, number, number], m: number, L: number): void {
  const { cinG, P } = dims(s);
  const src: TaskArg = [x[0], x[1], 0, image];
  const dst: TaskArg = [cols[0], 0, cols[2], 4 * P];
  if (s.S.identity) prog.call('copyPlanes', [src, s.plane, 0, dst, L, 0, cinG, 1, P], m);
  else prog.call('gatherColumns', [src, cinG, ...geometry(s), ranges, dst, L], m);
}

/**
 * Adds blk[co·L + i·P ..] ← t[image i, group channel co, :] for the m images of a task (dy laid
 * out for the GEMM): t = [the group's first plane of the task's first image, bytes per task].
 */
function packChannels(prog: TaskProgram, s: ConvShape, t: readonly [number, number], blk: readonly [number, number, number], m: number, L: number): void {
  const { coutG, P } = dims(s);
  prog.call('copyPlanes', [[t[0], t[1], 0, 4 * s.cout * P], 0, P, [blk[0], 0, blk[2], 4 * P], 0, L, 1, coutG, P], m);
}

/** y = W · gather(x) (+ b). */
export function forwardTasks(s: ConvShape, y: TypedArray, x: TypedArray, w: TypedArray, b: TypedArray | null): void {
  const { cinG, coutG, K, P } = dims(s);
  const m = imagesPerTask(s.n, Math.max(K, coutG) * P);
  const tasks = Math.ceil(s.n / m);
  const L = m * P;
  const sc = pipelineScratch(
    [tasks * m * s.cin * s.plane, rangesLength(s.S), w.length, b !== null ? s.cout * L : 0, tasks * m * s.cout * P, runMomentsLength(y, tasks, m, s.cout)],
    [K * L, coutG * L],
  );
  const [xs, ranges, wk, bias, ys, moments] = sc.shared as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
  const [cols, out] = sc.local as [Float32Array, Float32Array];
  const tS = sc.threadStride;
  stageRanges(s.S, ranges);
  wk.set(w);
  // Each output row starts from its bias (the GEMM then accumulates, as gathered.ts does).
  if (b !== null) for (let co = 0; co < s.cout; co++) bias.fill(b[co]!, co * L, (co + 1) * L);
  const prog = new TaskProgram(tasks);
  for (let g = 0; g < s.groups; g++) {
    const colsArg = [at(cols), 0, tS] as const;
    gather(prog, s, [at(xs, g * cinG * s.plane), 4 * m * s.cin * s.plane], 4 * s.cin * s.plane, at(ranges), colsArg, m, L);
    if (b !== null) prog.call('copyPlanes', [at(bias, g * coutG * L), 0, L, [at(out), 0, tS], 0, L, 1, coutG, L]);
    prog.call('gemm', [coutG, L, K, at(wk, g * coutG * K), K, 1, [at(cols), 0, tS], L, 1, [at(out), 0, tS], L, b !== null ? 1 : 0, sc.work]);
    prog.call('copyPlanes', [[at(out), 0, tS, 4 * P], 0, L, [at(ys, g * coutG * P), 4 * m * s.cout * P, 0, 4 * s.cout * P], 0, P, 1, coutG, P], m);
  }
  addRunMoments(prog, ys, moments, m, s.cout, P);
  runTasks(prog, copyTaskImages(ys, y, m, s.n, s.cout * P), copyTaskImages(x, xs, m, s.n, s.cin * s.plane));
  recordTaskMoments(y, moments, s.n, s.cout);
}

/** dx = scatterAdd(Wᵀ · dy). */
export function inputGradTasks(s: ConvShape, dx: TypedArray, dy: TypedArray, w: TypedArray): void {
  const { cinG, coutG, K, P } = dims(s);
  const m = imagesPerTask(s.n, Math.max(K, coutG) * P);
  const tasks = Math.ceil(s.n / m);
  const L = m * P;
  const size = s.cin * s.plane;
  const sc = pipelineScratch([tasks * m * s.cout * P, rangesLength(s.S), w.length, tasks * m * size], [coutG * L, K * L]);
  const [dys, ranges, wk, dxs] = sc.shared as [Float32Array, Float32Array, Float32Array, Float32Array];
  const [dyk, cols] = sc.local as [Float32Array, Float32Array];
  const tS = sc.threadStride;
  stageRanges(s.S, ranges);
  wk.set(w);
  const prog = new TaskProgram(tasks);
  // The scatter adds into the task's images, zeroed first (each dx element gets one group's sums).
  if (!s.S.identity) prog.call('zeroFloats', [[at(dxs), 4 * m * size], m * size]);
  for (let g = 0; g < s.groups; g++) {
    packChannels(prog, s, [at(dys, g * coutG * P), 4 * m * s.cout * P], [at(dyk), 0, tS], m, L);
    prog.call('gemm', [K, L, coutG, at(wk, g * coutG * K), 1, K, [at(dyk), 0, tS], L, 1, [at(cols), 0, tS], L, 0, sc.work]);
    const src: TaskArg = [at(cols), 0, tS, 4 * P];
    const dst: TaskArg = [at(dxs, g * cinG * s.plane), 4 * m * size, 0, 4 * size];
    if (s.S.identity) prog.call('copyPlanes', [src, L, 0, dst, s.plane, 0, cinG, 1, P], m);
    else prog.call('scatterAddColumns', [src, cinG, ...geometry(s), at(ranges), dst, L], m);
  }
  runTasks(prog, copyTaskImages(dxs, dx, m, s.n, size), copyTaskImages(dy, dys, m, s.n, s.cout * P));
}

/**
 * Whether the filter gradient's products run transposed, dWᵀ = gather(x) · dyᵀ: the GEMM pads
 * the rows of C to its register tile's 4 and the columns to its 8, so with few columns K (a conv
 * of one input channel: K = 9 pads to 16) the transposed product does less work. Only where the
 * output channels fill whole 8-column panels: the GEMM packs a partial panel element by element,
 * which cost more than the padding saved on lenet5's first conv (6 channels, K = 25: 1.60 vs
 * 1.46 ms). Each element is the same products summed in the same order either way (a·b = b·a
 * exactly): the same bits.
 */
export function filterGradTransposed(coutG: number, K: number): boolean {
  if (orientationOverride !== null) return orientationOverride;
  const padded = (rows: number, cols: number): number => roundUp(rows, GEMM_MR) * roundUp(cols, GEMM_NR);
  return coutG % GEMM_NR === 0 && padded(K, coutG) < padded(coutG, K);
}

let orientationOverride: boolean | null = null;

/** For tests: run every filter gradient transposed (true), not (false), or choose by shape (null). */
export function forceFilterGradTransposed(transposed: boolean | null): void {
  orientationOverride = transposed;
}

/** dW = Σ_chunks (Σ_{n in chunk} dy · gather(x)ᵀ), chunk partials added in order. */
export function filterGradTasks(s: ConvShape, dw: TypedArray, x: TypedArray, dy: TypedArray): void {
  const { cinG, coutG, K, P } = dims(s);
  const m = imagesPerFilterChunk(s.n);
  const chunks = Math.ceil(s.n / m);
  const L = m * P;
  // With threads on, the tasks run in the background while backward goes on (tasks.ts runTasksAsync).
  const background = prepareBackgroundTasks();
  const sc = pipelineScratch([chunks * m * s.cin * s.plane, chunks * m * s.cout * P, rangesLength(s.S), chunks * dw.length, dw.length], [coutG * L, K * L], background);
  const [xs, dys, ranges, partials, sumsView] = sc.shared as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
  const [dyk, cols] = sc.local as [Float32Array, Float32Array];
  const tS = sc.threadStride;
  // Padding images are zeros in both operands: they add exact zeros.
  stagePadded(xs, x, xs.length);
  stagePadded(dys, dy, dys.length);
  stageRanges(s.S, ranges);
  const transposed = filterGradTransposed(coutG, K);
  const prog = new TaskProgram(chunks);
  for (let g = 0; g < s.groups; g++) {
    packChannels(prog, s, [at(dys, g * coutG * P), 4 * m * s.cout * P], [at(dyk), 0, tS], m, L);
    gather(prog, s, [at(xs, g * cinG * s.plane), 4 * m * s.cin * s.plane], 4 * s.cin * s.plane, at(ranges), [at(cols), 0, tS], m, L);
    const partial: TaskArg = [at(partials, g * coutG * K), 4 * dw.length];
    // The group's partial is coutG×K, or K×coutG when transposed (sums are transposed back below).
    if (transposed) prog.call('gemm', [K, coutG, L, [at(cols), 0, tS], L, 1, [at(dyk), 0, tS], 1, L, partial, coutG, 0, sc.work]);
    else prog.call('gemm', [coutG, K, L, [at(dyk), 0, tS], L, 1, [at(cols), 0, tS], 1, L, partial, K, 0, sc.work]);
  }
  const finish = (): void => {
    // Later calls may have grown the memory since the scratch was taken (a background program).
    const sums = currentView(sumsView);
    sumChunksWasm(currentView(partials), chunks, dw.length, sums);
    if (!transposed) return void dw.set(sums);
    for (let g = 0; g < s.groups; g++) {
      const base = g * coutG * K;
      for (let co = 0; co < coutG; co++) for (let k = 0; k < K; k++) dw[base + co * K + k] = sums[base + k * coutG + co]!;
    }
  };
  runTasksThen(prog, background, dw, finish);
}
