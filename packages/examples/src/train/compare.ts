// How closely two runs of the training job agree, step by step: the per-step losses each
// checkpoint holds (the trainer's state), compared as the WebGPU-vs-CPU check does.
import { readCheckpointMetadata } from '@tensorgrad/train';

/** The loss of every step of the run a checkpoint of this job holds. */
export function stepLossesOf(checkpoint: Uint8Array): number[] {
  return readCheckpointMetadata(checkpoint).trainer.steps.loss;
}

export interface CurveComparison {
  /** Steps both runs have. */
  steps: number;
  /** Per step: |a − b| / |a|. */
  relative: number[];
  maxRelative: number;
  /** The first step (from 1) with the largest relative difference. */
  worstStep: number;
}

/** Compares b's per-step values with a's (the reference), over the steps both have. */
export function compareCurves(a: readonly number[], b: readonly number[]): CurveComparison {
  const steps = Math.min(a.length, b.length);
  const relative = Array.from({ length: steps }, (_, i) => Math.abs(a[i]! - b[i]!) / Math.abs(a[i]!));
  // A NaN difference (a loss that became NaN on one side) is the worst of all.
  const rank = (r: number): number => (Number.isNaN(r) ? Infinity : r);
  const worst = relative.reduce((w, r, i) => (rank(r) > rank(relative[w]!) ? i : w), 0);
  return { steps, relative, maxRelative: steps === 0 ? 0 : relative[worst]!, worstStep: worst + 1 };
}
