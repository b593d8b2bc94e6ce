// The ops' side of backend/run-moments.ts: a conv2d output carries the per-run moments its kernel
// took, for a normalize (batch norm) applied to it unchanged. A conv asks its kernel for them only
// where a normalize has already been applied to an output of the same weight (the layers of a
// model run again every step), so convs that feed no batch norm pay nothing; and stops asking once
// the batch norm after it runs with given statistics (eval mode) instead, until it normalizes again.
import { requestRunMoments, takeRunMoments } from '../../backend/run-moments.js';
import type { Tensor } from '../../tensor/tensor.js';

const carried = new WeakMap<Tensor, { moments: Float64Array; version: number }>();
/** Each conv output's weight. */
const weightOf = new WeakMap<Tensor, Tensor>();
/** Weights whose outputs a normalize has been applied to. */
const feedsNormalize = new WeakSet<Tensor>();

/** Runs `kernel`, which writes the conv output y of weight w, asking it for y's per-run moments where they were wanted before. */
export function convWithRunMoments(y: Tensor, w: Tensor, kernel: () => void): void {
  const out = y.storage;
  requestRunMoments(feedsNormalize.has(w) ? out : null);
  let moments: Float64Array | undefined;
  try {
    kernel();
  } finally {
    moments = takeRunMoments(out);
  }
  if (moments !== undefined) carried.set(y, { moments, version: y.version.value });
  weightOf.set(y, w);
}

/**
 * For a normalize of x viewed as `runs` runs: [Σ, Σ(x − run mean)²] per run when a conv wrote x and
 * x is unchanged since (its version); else undefined, and x's conv will take them from now on.
 */
export function runMomentsOf(x: Tensor, runs: number): Float64Array | undefined {
  const hit = carried.get(x);
  if (hit !== undefined && hit.version === x.version.value && hit.moments.length === 2 * runs) return hit.moments;
  const w = weightOf.get(x);
  if (w !== undefined) feedsNormalize.add(w);
  return undefined;
}

/**
 * x is normalized with given statistics (batchNorm in eval mode), which takes no run moments: x's
 * conv stops taking them until a normalize of one of its outputs wants them again (runMomentsOf).
 */
export function normalizedWithGivenStats(x: Tensor): void {
  const w = weightOf.get(x);
  if (w !== undefined) feedsNormalize.delete(w);
}

/** Whether y carries run moments from its conv (tests). */
export function carriesRunMoments(y: Tensor): boolean {
  return carried.has(y);
}
