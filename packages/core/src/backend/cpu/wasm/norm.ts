// Normalisation in WebAssembly SIMD (assembly/norm.ts) for float32, streamed: x (and g) go
// through wasm scratch a chunk of whole runs at a time (copy in, kernel, copy out), so every
// pass reads its operands once from memory and works on them in cache, and the scratch stays
// small (on stream.ts's plain memory while threads are on). The kernels carry each group's float64 sums across chunks, adding the runs in the order
// of one whole-array pass, so the results do not depend on the chunking. Running the passes as task
// programs over the threads (operands staged whole in the shared memory, sums split by groups) was
// built and measured slower at every size once the streamed kernels ran on an unshared memory
// (fwd+bwd at 2 threads: [128,128,7,7] 9.9 vs 6.8-7.6 ms, [32,16,32,32] 6.6-9.0 vs 5.6-6.5): only
// the calling thread can copy the operands in and out. The TypeScript kernels
// beside them are ../norm.ts.
import { wasmAvailable } from './runtime.js';
import { streamScratch } from './stream.js';

/** assembly/norm.ts. */
export interface NormExports {
  normRunMoments(x: number, runs: number, inner: number, out: number): void;
  normCombine(g: number, x: number, y: number, r0: number, runs: number, groups: number, inner: number, mean: number, a: number, b: number, k: number): void;
  normGradSums(g: number, x: number, r0: number, runs: number, groups: number, inner: number, mean: number, out: number): void;
}

/** Float32 arrays of at least this many elements take the WebAssembly kernels (copies cost little then). */
export const WASM_NORM_MIN_SIZE = 4096;

/** Floats per data operand in one chunk (32 KiB; a chunk holds at least one whole run). */
const CHUNK = 8192;

/** Whether the wasm kernels should run for x. */
export function useWasmNorm(x: ArrayLike<number>): x is Float32Array {
  return x instanceof Float32Array && x.length >= WASM_NORM_MIN_SIZE && wasmAvailable();
}

interface Scratch {
  /** The kernels to run on these views (stream.ts: a plain memory's while threads are on). */
  exports: NormExports;
  /** One chunk per data operand. */
  data: Float32Array[];
  /** Float64 arrays of `groups` values each. */
  group: Float64Array[];
  /** Whole runs per chunk. */
  runsPerChunk: number;
}

/** Scratch for a chunk of `operands` data operands of runs of `inner` floats, and `perGroup` float64 arrays of `groups` values. */
function scratch(inner: number, operands: number, groups: number, perGroup: number): Scratch {
  const runsPerChunk = Math.max(1, Math.floor(CHUNK / inner));
  const { exports, views } = streamScratch<NormExports>('normalize', [...Array<number>(operands).fill(runsPerChunk * inner), ...Array<number>(perGroup).fill(2 * groups)]);
  return {
    exports,
    data: views.slice(0, operands),
    group: views.slice(operands).map((v) => new Float64Array(v.buffer, v.byteOffset, groups)),
    runsPerChunk,
  };
}

/**
 * Calls pass(r0, runs, n) for consecutive chunks of whole runs after copying each chunk of the
 * `inputs` into the matching `chunks` (n floats, starting at run r0).
 */
function streamRuns(inputs: Float32Array[], chunks: Float32Array[], totalRuns: number, inner: number, runsPerChunk: number, pass: (r0: number, runs: number, n: number) => void): void {
  for (let r0 = 0; r0 < totalRuns; r0 += runsPerChunk) {
    const runs = Math.min(runsPerChunk, totalRuns - r0);
    const from = r0 * inner;
    const n = runs * inner;
    for (let k = 0; k < inputs.length; k++) chunks[k]!.set(inputs[k]!.subarray(from, from + n));
    pass(r0, runs, n);
  }
}

/**
 * Per-group mean and biased variance of x (written into meanOut and varianceOut), then
 * y = scale·(x − mean) + shift with the per-group scale and shift that `affine` derives from them.
 * The statistics take one read of x: each run's sum and its second moment about its own mean
 * (normRunMoments), then per group, in run order, mean = Σ sums / count (the same adds as one
 * running sum over the runs) and variance = Σ (M2ᵣ + inner·(meanᵣ − mean)²) / count, which is
 * Σ (x − mean)² regrouped by run (Chan et al.'s pairwise combination, as accurate as two passes).
 */
export function normalizeForwardWasm(
  x: Float32Array, y: Float32Array, outer: number, groups: number, inner: number, meanOut: Float64Array, varianceOut: Float64Array,
  affine: (mean: Float64Array, variance: Float64Array) => { scale: ArrayLike<number>; shift: ArrayLike<number> },
  runMoments?: Float64Array,
): void {
  groupStatsWasm(x, outer, groups, inner, meanOut, varianceOut, runMoments);
  const a = affine(meanOut, varianceOut);
  normalizeApplyWasm(x, y, outer, groups, inner, meanOut, a.scale, a.shift);
}

/** normalizeForwardWasm's statistics: the per-group mean and biased variance of x, from runMoments where given. */
export function groupStatsWasm(x: Float32Array, outer: number, groups: number, inner: number, meanOut: Float64Array, varianceOut: Float64Array, runMoments?: Float64Array): void {
  if (runMoments !== undefined) {
    // The pairs normRunMoments would write, taken by the conv that wrote x: no pass over x for them.
    groupMoments(runMoments, outer, groups, inner, meanOut, varianceOut);
    return;
  }
  const runs = outer * groups;
  const { exports: w, data: [xs], group: [moments], runsPerChunk } = scratch(inner, 1, 2 * runs, 1) as unknown as Scratch & { data: [Float32Array]; group: [Float64Array] };
  streamRuns([x], [xs], runs, inner, runsPerChunk, (r0, n) => w.normRunMoments(xs.byteOffset, n, inner, moments.byteOffset + 16 * r0));
  groupMoments(moments, outer, groups, inner, meanOut, varianceOut);
}

/** Per-group mean and biased variance from the runs' [Σx, M2] pairs (see normalizeForwardWasm). */
function groupMoments(moments: Float64Array, outer: number, groups: number, inner: number, mean: Float64Array, variance: Float64Array): void {
  const count = outer * inner;
  for (let c = 0; c < groups; c++) {
    let s = 0;
    for (let o = 0; o < outer; o++) s += moments[2 * (o * groups + c)]!;
    const mu = s / count;
    let m2 = 0;
    for (let o = 0; o < outer; o++) {
      const r = 2 * (o * groups + c);
      const d = moments[r]! / inner - mu;
      m2 += moments[r + 1]! + inner * d * d;
    }
    mean[c] = mu;
    variance[c] = m2 / count;
  }
}

/** y = scale·(x − mean) + shift per group (normalize's last pass; batchNorm's eval mode all of it). */
export function normalizeApplyWasm(
  x: Float32Array, y: Float32Array, outer: number, groups: number, inner: number,
  mean: ArrayLike<number>, scale: ArrayLike<number>, shift: ArrayLike<number>,
): void {
  const { exports: w, data: [xs], group: [mu, sv, kv], runsPerChunk } = scratch(inner, 1, groups, 3) as unknown as Scratch & { data: [Float32Array]; group: [Float64Array, Float64Array, Float64Array] };
  mu.set(mean);
  sv.set(scale);
  kv.set(shift);
  streamRuns([x], [xs], outer * groups, inner, runsPerChunk, (r0, n, len) => {
    w.normCombine(0, xs.byteOffset, xs.byteOffset, r0, n, groups, inner, mu.byteOffset, sv.byteOffset, sv.byteOffset, kv.byteOffset);
    y.set(xs.subarray(0, len), r0 * inner);
  });
}

/** [Σg per group, Σg·(x − mean) per group] as one float64 array of 2·groups. */
export function gradSumsWasm(g: Float32Array, x: Float32Array, outer: number, groups: number, inner: number, mean: Float64Array): Float64Array {
  const { exports: w, data: [gs, xs], group: [mu, out], runsPerChunk } = scratch(inner, 2, 2 * groups, 2) as unknown as Scratch & { data: [Float32Array, Float32Array]; group: [Float64Array, Float64Array] };
  mu.set(mean);
  out.fill(0);
  streamRuns([g, x], [gs, xs], outer * groups, inner, runsPerChunk, (r0, n) => w.normGradSums(gs.byteOffset, xs.byteOffset, r0, n, groups, inner, mu.byteOffset, out.byteOffset));
  return out.slice();
}

/** dx = s·g + t·(x − mean) + k per group. */
export function normalizeBackwardWasm(
  g: Float32Array, x: Float32Array, dx: Float32Array, outer: number, groups: number, inner: number,
  mean: ArrayLike<number>, s: ArrayLike<number>, t: ArrayLike<number>, k: ArrayLike<number>,
): void {
  const { exports: w, data: [gs, xs], group: [mu, sv, tv, kv], runsPerChunk } = scratch(inner, 2, groups, 4) as unknown as Scratch & { data: [Float32Array, Float32Array]; group: [Float64Array, Float64Array, Float64Array, Float64Array] };
  mu.set(mean);
  sv.set(s);
  tv.set(t);
  kv.set(k);
  streamRuns([g, x], [gs, xs], outer * groups, inner, runsPerChunk, (r0, n, len) => {
    // dx is written over xs: each element is read before it is written.
    w.normCombine(gs.byteOffset, xs.byteOffset, xs.byteOffset, r0, n, groups, inner, mu.byteOffset, sv.byteOffset, tv.byteOffset, kv.byteOffset);
    dx.set(xs.subarray(0, len), r0 * inner);
  });
}
