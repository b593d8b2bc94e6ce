// Adaptive timing: warm up, then repeat until enough runs and enough time, with a cap for the
// very slow cases (TensorFlow.js-cpu backward takes tens of seconds per run).

export interface TimingPolicy {
  /** Runs wanted at least (unless capMs is reached first). */
  minReps: number;
  /** Keep repeating until this much time has been spent (and minReps reached). */
  targetMs: number;
  /** Stop as soon as this much time has been spent, whatever the run count. */
  capMs: number;
  maxReps: number;
  /** Warm-up runs stop after this many runs or this much time, whichever comes first (at least one). */
  warmupReps: number;
  warmupMs: number;
}

export interface Timing {
  medianMs: number;
  minMs: number;
  maxMs: number;
  reps: number;
  warmupReps: number;
  /** Minor page faults per timed run (whole process: includes GEMM worker threads). */
  minorFaultsPerRun: number;
}

export function timeIt(run: () => void, policy: TimingPolicy): Timing {
  let warm = 0;
  const w0 = performance.now();
  do {
    run();
    warm++;
  } while (warm < policy.warmupReps && performance.now() - w0 < policy.warmupMs);

  const times: number[] = [];
  const faults0 = process.resourceUsage().minorPageFault;
  const start = performance.now();
  for (;;) {
    const t0 = performance.now();
    run();
    const t1 = performance.now();
    times.push(t1 - t0);
    const elapsed = t1 - start;
    if (times.length >= policy.maxReps || elapsed >= policy.capMs) break;
    if (times.length >= policy.minReps && elapsed >= policy.targetMs) break;
  }
  const faults = process.resourceUsage().minorPageFault - faults0;
  const sorted = [...times].sort((a, b) => a - b);
  return {
    medianMs: median(sorted),
    minMs: sorted[0]!,
    maxMs: sorted[sorted.length - 1]!,
    reps: times.length,
    warmupReps: warm,
    minorFaultsPerRun: faults / times.length,
  };
}

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
