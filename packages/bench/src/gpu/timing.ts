// Timing GPU work: a run only encodes and submits, so a timed sample is `group` runs followed by
// one wait for completion (the workload's `sync`: a 1-element result read back, which resolves
// only after every kernel submitted before it has finished: WebGPU queues run in order). Fast runs
// (under ~1 ms, where the read-back's latency would be most of the sample) are grouped so that a
// sample lasts ≥ SAMPLE_MS; the reported time is per run (sample / group).
import type { Timing, TimingPolicy } from '../timing.js';

export interface GpuWorkload {
  /** Encodes and submits one run's work; keeps its check value's tensor for `sync`. */
  run(): void;
  /** Waits until the GPU has finished everything submitted so far; the last run's check value. */
  sync(): Promise<number>;
  dispose?(): void;
}

export interface GpuTiming extends Timing {
  /** Runs per timed sample (one sync each). */
  group: number;
  /** The last run's check value (a sum of squares of its outputs, or the loss). */
  check: number;
}

const SAMPLE_MS = 10;
const MAX_GROUP = 64;

/** A sync that has not resolved after this long means a hung GPU (or a lost device that never says so). */
export class GpuHangError extends Error {}

async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new GpuHangError(`no completion within ${ms / 1000} s (GPU hung or device lost)`)), ms);
  });
  try {
    return await Promise.race([p, hang]);
  } finally {
    clearTimeout(timer);
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/**
 * `once`: one synced run, no warm-up (the smoke test: the time includes compiling pipelines).
 * A sample whose sync takes longer than `hangMs` throws a GpuHangError.
 */
export async function timeGpu(w: GpuWorkload, policy: TimingPolicy, once: boolean, hangMs: number): Promise<GpuTiming> {
  const sample = async (group: number): Promise<{ ms: number; check: number }> => {
    const t0 = performance.now();
    for (let i = 0; i < group; i++) w.run();
    const check = await within(hangMs, w.sync());
    return { ms: performance.now() - t0, check };
  };
  if (once) {
    const { ms, check } = await sample(1);
    return { medianMs: ms, minMs: ms, maxMs: ms, reps: 1, warmupReps: 0, minorFaultsPerRun: 0, group: 1, check };
  }
  let warm = 0;
  let last = 0;
  const w0 = performance.now();
  do {
    last = (await sample(1)).ms;
    warm++;
  } while (warm < policy.warmupReps && performance.now() - w0 < policy.warmupMs);
  const group = Math.min(MAX_GROUP, Math.max(1, Math.ceil(SAMPLE_MS / Math.max(last, 1e-3))));
  const times: number[] = [];
  let check = NaN;
  const faults0 = process.resourceUsage().minorPageFault;
  const start = performance.now();
  for (;;) {
    const s = await sample(group);
    times.push(s.ms / group);
    check = s.check;
    const elapsed = performance.now() - start;
    if (times.length >= policy.maxReps || elapsed >= policy.capMs) break;
    if (times.length >= policy.minReps && elapsed >= policy.targetMs) break;
  }
  const faults = process.resourceUsage().minorPageFault - faults0;
  return {
    medianMs: median(times),
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
    reps: times.length,
    warmupReps: warm,
    minorFaultsPerRun: faults / (times.length * group),
    group,
    check,
  };
}
