// What a training run records: per step, per validation, per epoch, and the run as a whole.
// Plain JSON data: checkpoints carry it, so a resumed run continues the same history.

/** The loss and each metric, by name: batch means averaged over samples (weighted by batch size). */
export interface Values {
  loss: number;
  [metric: string]: number;
}

export interface StepRecord {
  /** Steps done in all after this one (1 for the first step of the run). */
  step: number;
  /** The epoch the step belongs to, from 1. */
  epoch: number;
  /** The batch's position in its epoch, from 0. */
  batch: number;
  /** Samples in the batch. */
  samples: number;
  /** Learning rate (of the optimizer's first parameter group) that this step used. */
  lr: number;
  /** The batch's loss and metrics, computed on the training-mode output before the update. */
  values: Values;
}

export interface ValidationRecord {
  /** Steps done when the validation ran. */
  step: number;
  /** The epoch it ran in or at the end of, from 1. */
  epoch: number;
  values: Values;
}

export interface EpochRecord {
  /** From 1. */
  epoch: number;
  steps: number;
  samples: number;
  /** Means over the epoch's training batches (each measured before its own update). */
  train: Values;
  /** The validation run at the end of this epoch (absent when validation runs every N steps or there is none). */
  validation?: Values;
  /** Learning rate (first parameter group) in effect when the epoch's first step ran. */
  lrAtEpochStart: number;
  /** Learning rate in effect when the epoch ended, after its scheduler steps: the next epoch's lrAtEpochStart. */
  lrAtEpochEnd: number;
  /** Wall time of the epoch's steps and validation in this process (not repeatable; excluded from determinism checks). */
  seconds: number;
  samplesPerSecond: number;
}

/** Per-step curves: entry i belongs to step i + 1. */
export interface StepCurves {
  loss: number[];
  lr: number[];
}

export interface FitResult {
  history: EpochRecord[];
  validations: ValidationRecord[];
  steps: StepCurves;
  stepsPerEpoch: number;
  stepsDone: number;
  epochsDone: number;
  /** Every requested epoch (or maxSteps) is done, or early stopping ended the run. */
  complete: boolean;
  /** Early stopping ended the run. */
  stoppedEarly: boolean;
  /** Training time over all invocations (a resumed run adds its time to the checkpoint's). */
  trainingSeconds: number;
}
