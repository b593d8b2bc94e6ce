// Per-run moments of a conv's output for the batch norm that follows it. A batch norm's forward
// starts with one pass over x for each run's sum and second moment (run = one image's plane of
// one channel: normRunMoments). When x is a conv's output, the conv's task program can take those
// moments itself, per task, while the task's output planes are still in cache, and on whichever
// thread runs the task; the batch norm then skips that pass (the calling thread's alone, and a
// copy of x into wasm memory) and combines the runs as before, so the bits are the same.
// The conv2d op asks for them (requestRunMoments with its output array) and takes them
// (takeRunMoments) right after its kernel; a kernel that can take them checks runMomentsWanted.
// One slot: a request or result is only ever for the op being applied now.

let wanted: object | null = null;
let taken: { out: object; moments: Float64Array } | null = null;

/** Asks the next conv kernel writing `out` for its per-run moments (null: asks for none). */
export function requestRunMoments(out: object | null): void {
  wanted = out;
  taken = null;
}

/** Whether the kernel writing `out` should take its per-run moments. */
export function runMomentsWanted(out: object): boolean {
  return wanted === out;
}

/** Called by a kernel that took them: [Σ, Σ(x − run mean)²] per run of `out`, in run order. */
export function recordRunMoments(out: object, moments: Float64Array): void {
  if (wanted === out) taken = { out, moments };
}

/** The moments recorded for `out` (once), else undefined; ends the request. */
export function takeRunMoments(out: object): Float64Array | undefined {
  const hit = taken !== null && taken.out === out ? taken.moments : undefined;
  wanted = null;
  taken = null;
  return hit;
}
