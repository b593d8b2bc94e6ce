// What a trainer's checkpoint holds besides model, optimizer and scheduler (which nn's checkpoint
// format stores): the run's position and history, the running means of the epoch in progress,
// early stopping, the generators' states and the conv algorithms used, as JSON metadata
// { trainer, user }. Everything a resumed run needs to continue with the same bits.
import { ArgumentError } from '@tensorgrad/core';
import { CheckpointError, type Json, decodeSafetensors } from '@tensorgrad/nn';
import type { EarlyStoppingState } from './early-stopping.js';
import type { MeansState } from './means.js';
import type { EpochRecord, StepCurves, ValidationRecord } from './records.js';

export const TRAINER_FORMAT = 'tensorgrad-train/1';

/** The trainer's part of a checkpoint (plain JSON): what a resumed run needs besides model, optimizer and scheduler. */
export interface TrainerState {
  /** 'tensorgrad-train/1': the version of this layout. */
  format: typeof TRAINER_FORMAT;
  /** Batches per epoch of the run (load() refuses a trainer whose train loader has another count). */
  stepsPerEpoch: number;
  /** Optimizer steps done in all. */
  stepsDone: number;
  /** Epochs finished. */
  epochsDone: number;
  /** Early stopping ended the run. */
  stoppedEarly: boolean;
  /** Training and validation time in seconds over all invocations so far (wall time). */
  trainingSeconds: number;
  /** One record per finished epoch. */
  history: EpochRecord[];
  /** One record per validation. */
  validations: ValidationRecord[];
  /** The loss and learning rate of every step. */
  steps: StepCurves;
  /** The epoch in progress (null between epochs): its running means, first lr and time so far. */
  epoch: {
    /** Running sums of the loss and metrics (each batch mean × its batch size) and the samples counted. */
    means: MeansState;
    /** The learning rate the epoch's first step used (its record's lrAtEpochStart). */
    lrAtStart: number;
    /** The epoch's time so far, in seconds. */
    seconds: number;
  } | null;
  /** Early stopping's state; null when the run has none. */
  earlyStopping: EarlyStoppingState | null;
  /** The states (Generator.getState()) of TrainerOptions.generators, in order. */
  generators: number[][];
  /** core's convChoices(): the conv algorithm of each layer shape, so a resume rounds the same way. */
  convChoices: Record<string, string>;
}

/** The JSON metadata of a trainer's checkpoint: the trainer's state and the user's metadata. */
export interface CheckpointMetadata {
  /** The run's state. */
  trainer: TrainerState;
  /** TrainerOptions.metadata of the run that wrote it. */
  user?: Json;
}

/**
 * The trainer state and user metadata of a trainer checkpoint, read without loading anything:
 * e.g. a run's options, to build its model before Trainer.load(). Plain JSON.parse of the
 * metadata (a NaN there reads as null; load() restores such numbers exactly). Throws a
 * CheckpointError when the bytes are not a trainer checkpoint.
 */
export function readCheckpointMetadata(bytes: Uint8Array | ArrayBuffer): CheckpointMetadata {
  return metadataOf('readCheckpointMetadata', bytes);
}

/** readCheckpointMetadata, with errors naming `fn`. */
export function metadataOf(fn: string, bytes: Uint8Array | ArrayBuffer): CheckpointMetadata {
  if (!(bytes instanceof Uint8Array) && !(bytes instanceof ArrayBuffer)) {
    throw new ArgumentError(`${fn}: bytes must be a Uint8Array or an ArrayBuffer of a checkpoint, got ${bytes === null ? 'null' : typeof bytes}`);
  }
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const text = decodeSafetensors(data, `${fn}: checkpoint bytes`).metadata['tensorgrad.metadata'];
  let parsed: unknown;
  try {
    parsed = text === undefined ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  checkTrainerMetadata(fn, parsed);
  return parsed;
}

export function checkTrainerMetadata(fn: string, metadata: unknown): asserts metadata is CheckpointMetadata {
  const format = (metadata as { trainer?: { format?: unknown } } | undefined)?.trainer?.format;
  if (format !== TRAINER_FORMAT) {
    throw new CheckpointError(`${fn}: not a checkpoint written by a Trainer (its metadata has no trainer state of format '${TRAINER_FORMAT}'${format === undefined ? '' : `; found '${String(format)}'`})`);
  }
}
