// Early stopping on a value of the epoch records ('validation.loss', 'train.accuracy'...): the
// run ends once `patience` epochs in a row have not improved on the best value by more than
// minDelta (Keras' and Lightning's rule). Its state goes into checkpoints.
import { ArgumentError } from '@tensorgrad/core';
import type { EpochRecord } from './records.js';

/** When to end a run early: after `patience` epochs in a row without an improvement of more than minDelta on `monitor`. */
export interface EarlyStoppingOptions {
  /** The value watched: 'validation.<name>' or 'train.<name>', name being 'loss' or a metric (default 'validation.loss', or 'train.loss' without validation). */
  monitor?: string;
  /** 'min' (default for a name containing 'loss') or 'max' (default otherwise). */
  mode?: 'min' | 'max';
  /** Epochs without improvement after which the run stops. */
  patience: number;
  /** The least change that counts as an improvement (default 0: any). */
  minDelta?: number;
}

/** Early stopping's progress, stored in checkpoints. */
export interface EarlyStoppingState {
  /** The best monitored value so far; null before the first epoch (or while every value was NaN). */
  best: number | null;
  /** The epoch of `best`, from 1 (0 before the first). */
  bestEpoch: number;
  /** Epochs since the best one. */
  wait: number;
}

/** The value `monitor` names in an epoch record, or undefined when the record lacks it. */
export function monitoredValue(record: EpochRecord, monitor: string): number | undefined {
  const [part, name] = splitMonitor(monitor);
  return (part === 'train' ? record.train : record.validation)?.[name];
}

/** 'validation.loss' → ['validation', 'loss']; anything else is refused. */
export function splitMonitor(monitor: string, fn = 'fit'): ['train' | 'validation', string] {
  const match = /^(train|validation)\.(.+)$/.exec(String(monitor));
  if (match === null) throw new ArgumentError(`${fn}: a monitor must be 'train.<name>' or 'validation.<name>' (name: 'loss' or a metric's), got ${JSON.stringify(monitor)}`);
  return [match[1] as 'train' | 'validation', match[2]!];
}

export const defaultMode = (monitor: string): 'min' | 'max' => (splitMonitor(monitor)[1].includes('loss') ? 'min' : 'max');

export class EarlyStopping {
  state: EarlyStoppingState = { best: null, bestEpoch: 0, wait: 0 };

  constructor(
    readonly monitor: string,
    readonly mode: 'min' | 'max',
    readonly patience: number,
    readonly minDelta: number,
  ) {}

  /** Takes an epoch's record; true when the run should stop after it. */
  update(record: EpochRecord): boolean {
    const value = monitoredValue(record, this.monitor)!;
    const { best } = this.state;
    const better = best === null ? !Number.isNaN(value) : this.mode === 'min' ? value < best - this.minDelta : value > best + this.minDelta;
    if (better) this.state = { best: value, bestEpoch: record.epoch, wait: 0 };
    else this.state = { ...this.state, wait: this.state.wait + 1 };
    return this.state.wait >= this.patience && !better;
  }
}
