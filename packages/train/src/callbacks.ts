// Callbacks: what a training loop tells the outside, in order. fit() calls onTrainStart, then per
// epoch onEpochStart, onStepEnd after every step, onValidationEnd after every validation,
// onEpochEnd (after the epoch's validation, scheduler step, early-stopping check and
// checkpoint), and onTrainEnd when it returns. Trainer.step() (a driver stepping by hand) calls
// the per-epoch, per-step and validation ones. A callback may return a promise: it is awaited
// before training goes on.
import type { EpochRecord, FitResult, StepRecord, ValidationRecord } from './records.js';

/** The parts of a run that callbacks read (Trainer implements it). */
export interface TrainingRun {
  /** Epochs requested (TrainerOptions.epochs). */
  readonly epochs: number;
  /** Batches per epoch: the train loader's length. */
  readonly stepsPerEpoch: number;
  /** Steps of the whole run (epochs × stepsPerEpoch, or maxSteps when smaller). */
  readonly totalSteps: number;
  /** Optimizer steps done so far in the whole run (a resumed run counts the checkpoint's). */
  readonly stepsDone: number;
  /** Epochs whose end (validation, scheduler, early stopping, checkpoint) has run. */
  readonly epochsDone: number;
  /** One record per finished epoch, in order. */
  readonly history: readonly EpochRecord[];
  /** Ends fit() after the step (and its epoch's end, if it was the last batch) in progress. */
  stop(): void;
  /** Prints through the progress display (closing its status line first), if there is one. */
  log(message: string): void;
}

/**
 * Functions a run calls at its events, all optional: onTrainStart; per epoch onEpochStart,
 * onStepEnd after every step, onValidationEnd after every validation, onEpochEnd; onTrainEnd. One
 * that returns a promise is awaited before training goes on. A plain object may hold no other names.
 */
export interface Callbacks {
  /** fit() starts (also when it continues a resumed run), before its first step; Trainer.step() does not send it. */
  onTrainStart?(event: { run: TrainingRun }): void | Promise<void>;
  /** `epoch` counts from 1; `batches` is how many steps of it remain (fewer when resumed mid-epoch). */
  onEpochStart?(event: { run: TrainingRun; epoch: number; batches: number }): void | Promise<void>;
  /** After each optimizer step (and the scheduler's step when it steps per batch), before any validation or epoch end it makes due. */
  onStepEnd?(event: { run: TrainingRun; record: StepRecord }): void | Promise<void>;
  /** After each validation: at an epoch's end, every validateEvery steps, at the run's end, or Trainer.validate(). */
  onValidationEnd?(event: { run: TrainingRun; record: ValidationRecord }): void | Promise<void>;
  /** `checkpointSaved`: the checkpoint sink received this epoch's checkpoint. */
  onEpochEnd?(event: { run: TrainingRun; record: EpochRecord; checkpointSaved: boolean }): void | Promise<void>;
  /** fit() is about to resolve with `result`: the run is done, or stop() was called. */
  onTrainEnd?(event: { run: TrainingRun; result: FitResult }): void | Promise<void>;
}

/** What shows a run's progress: callbacks, and a way to print a message between status updates. */
export interface ProgressDisplay extends Callbacks {
  /** Prints a message on its own line (Trainer.log(), early stopping's notice). */
  log(message: string): void;
}

export type CallbackName = keyof Callbacks;
export const CALLBACK_NAMES: readonly CallbackName[] = ['onTrainStart', 'onEpochStart', 'onStepEnd', 'onValidationEnd', 'onEpochEnd', 'onTrainEnd'];

/** Calls `name` on each list entry that has it, in order, awaiting each. */
export async function emit<K extends CallbackName>(list: readonly Callbacks[], name: K, event: Parameters<NonNullable<Callbacks[K]>>[0]): Promise<void> {
  for (const callbacks of list) {
    const f = callbacks[name] as ((e: typeof event) => void | Promise<void>) | undefined;
    if (f !== undefined) await f.call(callbacks, event);
  }
}
