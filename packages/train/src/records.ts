// What a training run records: per step, per validation, per epoch, and the run as a whole.
// Plain JSON data: checkpoints carry it, so a resumed run continues the same history.

/** The loss and each metric, by name: batch means averaged over samples (weighted by batch size). */
export interface Values {
  /** The loss's mean. */
  loss: number;
  [metric: string]: number;
}

/** One optimizer step, as onStepEnd receives it. */
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

/** One pass over the validation loader, as onValidationEnd receives it. */
export interface ValidationRecord {
  /** Steps done when the validation ran. */
  step: number;
  /** The epoch it ran in or at the end of, from 1. */
  epoch: number;
  /** The loss and metrics on the validation set (eval mode; batch means weighted by batch size). */
  values: Values;
}

/** One finished epoch, as onEpochEnd receives it and history keeps it. */
export interface EpochRecord {
  /** From 1. */
  epoch: number;
  /** Batches in the epoch: the train loader's length. */
  steps: number;
  /** Training samples in the epoch (the sum of its batch sizes). */
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
  /** samples / seconds (wall time, like seconds). */
  samplesPerSecond: number;
}

/** Per-step curves: entry i belongs to step i + 1. */
export interface StepCurves {
  /** Each step's training loss: its batch's mean, before the update. */
  loss: number[];
  /** Each step's learning rate (first parameter group), the one it used. */
  lr: number[];
}

/** A run's records: what fit() resolves with, and Trainer.result(). */
export interface FitResult {
  /** One record per finished epoch, in order. */
  history: EpochRecord[];
  /** One record per validation, in order (one per step at most). */
  validations: ValidationRecord[];
  /** The loss and learning rate of every step. */
  steps: StepCurves;
  /** Batches per epoch: the train loader's length. */
  stepsPerEpoch: number;
  /** Optimizer steps done in all. */
  stepsDone: number;
  /** Epochs finished (their end ran). */
  epochsDone: number;
  /** Every requested epoch (or maxSteps) is done, or early stopping ended the run. */
  complete: boolean;
  /** Early stopping ended the run. */
  stoppedEarly: boolean;
  /** Training time over all invocations (a resumed run adds its time to the checkpoint's). */
  trainingSeconds: number;
}
