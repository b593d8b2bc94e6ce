// The op profiler: wall time per op application and per VJP, for finding where a training step's
// time goes (the bench's per-op profile). While off it costs one null test per op application
// (op-table.ts) and per VJP call (engine.ts); nothing is recorded and no closure is made.
import { ArgumentError } from '../errors.js';
import type { WorkerActivity } from '../backend/backend.js';
import { backendFor } from '../backend/index.js';

/** One op's share of a profiled call: an op application ('op') or its VJP in a backward ('vjp'). */
export interface OpTiming {
  /** The op's registered name (`defineOp`'s `name`). */
  op: string;
  /** 'op': the op applied (its forward, argument checks and recording); 'vjp': its VJP and gradient thunks run by backward. */
  kind: 'op' | 'vjp';
  /** How many times it was applied (for 'vjp': how many nodes' VJPs ran) outside any other profiled op. */
  calls: number;
  /** Wall time it took in all, milliseconds (ops it applied inside included). */
  ms: number;
  /**
   * Where worker threads ran during the profile (setNumThreads): milliseconds they spent in the
   * calling thread's jobs meanwhile (conv tasks, GEMM blocks), summed over workers.
   */
  workerJobsMs?: number;
  /** Likewise, in background programs (a conv's filter gradient: it runs on across later ops, billed task by task). */
  workerBackgroundMs?: number;
}

/** What `profileOps` measured: the time of the whole call and of each op and VJP in it. */
export interface OpProfile {
  /** Wall time of the whole call, milliseconds. */
  totalMs: number;
  /** Per op and kind, slowest first. */
  ops: OpTiming[];
  /** totalMs minus the ops' time: work outside any op (the backward walk, optimizers writing `.data`, JavaScript between ops). */
  untrackedMs: number;
  /**
   * The CPU backend's worker threads during the call (0 without threads). With workers, each
   * op's entry carries their time during it: workers × its ms less those is how long they waited
   * for the calling thread.
   */
  workers: number;
  /** With workers: their time in the calling thread's jobs during the whole call, ms (untracked work included). */
  workerJobsMs?: number;
  /** With workers: their time in background programs during the whole call, ms. */
  workerBackgroundMs?: number;
}

/** What `profileOps` returns. */
export interface ProfiledCall<T> {
  /** What fn returned. */
  result: T;
  /** The time of the call and of each op and VJP in it. */
  profile: OpProfile;
}

/** A profile being recorded (internal to the autograd room). */
export interface Recorder {
  readonly times: Map<string, OpTiming>;
  /** >0 while an op or VJP is being timed: what it runs is counted as part of it, never twice. */
  depth: number;
  /** Samples the CPU backend's workers where it has some (null: none). */
  readonly workers: (() => WorkerActivity) | null;
}

let recorder: Recorder | null = null;

/** The profiler in effect, or null (the usual case): the hooks test this before anything else. */
export const activeOpProfiler = (): Recorder | null => recorder;

/**
 * Runs fn as part of one op or VJP of the profile (nested inside another one, it only runs).
 * `call` false adds the time without counting a call (a VJP's gradient thunks, run after it).
 */
export function timeOp<T>(r: Recorder, kind: OpTiming['kind'], op: string, fn: () => T, call = true): T {
  if (r.depth > 0) return fn();
  r.depth++;
  const before = r.workers?.();
  const t0 = performance.now();
  try {
    return fn();
  } finally {
    const ms = performance.now() - t0;
    r.depth--;
    const key = `${kind}:${op}`;
    let entry = r.times.get(key);
    if (entry === undefined) {
      entry = { op, kind, calls: 0, ms: 0, ...(before && { workerJobsMs: 0, workerBackgroundMs: 0 }) };
      r.times.set(key, entry);
    }
    if (call) entry.calls++;
    entry.ms += ms;
    if (before) {
      const after = r.workers!();
      entry.workerJobsMs! += after.jobsMs - before.jobsMs;
      entry.workerBackgroundMs! += after.backgroundMs - before.backgroundMs;
    }
  }
}

/**
 * Runs fn and times every op it applies and every VJP a backward inside it runs: returns fn's
 * result and an `OpProfile` (wall time per op name and kind, slowest first). An op applied
 * inside another op's forward or inside a VJP counts towards that op or VJP, so no time is
 * counted twice and the ops' times sum to at most `totalMs`; a gradient sum that backward adds
 * between VJPs is its own entry (op 'accumulateGrad').
 *
 * With worker threads on (setNumThreads), each entry also carries the workers' time during it
 * (`workerJobsMs`, `workerBackgroundMs`), so a profile shows which ops leave them waiting.
 *
 * Profiling adds two clock reads and a closure per op; while no profileOps call is running the
 * hooks cost one null test per op. Calls do not nest, and fn must be synchronous (a returned
 * Promise is an ArgumentError: ops after its first `await` would not be counted).
 *
 * @example
 * const { profile } = profileOps(() => loss(model.invoke(x)).backward());
 * for (const t of profile.ops.slice(0, 5)) console.log(t.kind, t.op, t.calls, t.ms.toFixed(2));
 */
export function profileOps<T>(fn: () => T): ProfiledCall<T> {
  if (typeof fn !== 'function') throw new ArgumentError(`profileOps: fn must be a function, got ${typeof fn}`);
  if (recorder !== null) throw new ArgumentError('profileOps: already profiling (calls do not nest); profile the outer call only');
  const sample = backendFor('cpu').workerActivity;
  const workers = sample?.().workers ?? 0;
  const r: Recorder = { times: new Map(), depth: 0, workers: workers > 0 ? sample! : null };
  recorder = r;
  const before = r.workers?.();
  const t0 = performance.now();
  let result: T;
  try {
    result = fn();
  } finally {
    recorder = null;
  }
  const totalMs = performance.now() - t0;
  const after = r.workers?.();
  if (result instanceof Promise) {
    throw new ArgumentError('profileOps: fn returned a Promise, but the profile covers synchronous code only (ops after the first await would be missed)');
  }
  const ops = [...r.times.values()].sort((a, b) => b.ms - a.ms);
  const opsMs = ops.reduce((s, t) => s + t.ms, 0);
  const workerMs = before && after && { workerJobsMs: after.jobsMs - before.jobsMs, workerBackgroundMs: after.backgroundMs - before.backgroundMs };
  return { result, profile: { totalMs, ops, untrackedMs: Math.max(0, totalMs - opsMs), workers, ...workerMs } };
}
