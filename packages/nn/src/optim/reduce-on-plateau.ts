// ReduceLROnPlateau as PyTorch 1.13's: multiplies every group's lr by `factor` once the metric
// passed to step(metric) has not improved for more than `patience` steps, then waits `cooldown`
// steps before counting again. It changes the groups' current lrs, so it composes with a
// per-batch scheduler on the same optimizer as PyTorch's does.
import { ArgumentError, Tensor, checkNumber, checkOptions, optionKeys } from '@tensorgrad/core';
import { show } from '../check.js';
import { StateDictError } from '../errors.js';
import { LRScheduler, type SchedulerState } from './lr-scheduler.js';
import { Optimizer } from './optimizer.js';

/**
 * Options of `ReduceLROnPlateau` (torch.optim.lr_scheduler.ReduceLROnPlateau's arguments,
 * camelCase, PyTorch's defaults).
 */
export interface ReduceLROnPlateauOptions {
  /** 'min' (default): reduce when the metric stops decreasing; 'max': when it stops increasing. */
  mode?: 'min' | 'max';
  /** new lr = lr · factor, in [0, 1) (default 0.1). */
  factor?: number;
  /** Steps without improvement tolerated before reducing (default 10). */
  patience?: number;
  /** How much better than the best a metric must be to count as an improvement (default 1e-4). */
  threshold?: number;
  /** 'rel' (default): better than best · (1 ∓ threshold); 'abs': better than best ∓ threshold. */
  thresholdMode?: 'rel' | 'abs';
  /** Steps after a reduction during which bad steps are not counted (default 0). */
  cooldown?: number;
  /** The lowest lr, for every group or per group (default 0). */
  minLr?: number | readonly number[];
  /** A reduction smaller than eps is skipped (default 1e-8). */
  eps?: number;
}

const PLATEAU_OPTIONS = optionKeys<ReduceLROnPlateauOptions>()(['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps']);

/**
 * ReduceLROnPlateau's state: the base scheduler's (lastEpoch counts step(metric) calls) plus the
 * best metric so far (±Infinity, JSON's null, written as the string 'Infinity' / '-Infinity'),
 * the bad steps counted and the cooldown steps left.
 */
export interface PlateauState extends SchedulerState {
  /** The best metric so far. */
  best: number | 'Infinity' | '-Infinity';
  /** Steps without improvement counted so far. */
  numBadEpochs: number;
  /** Cooldown steps left. */
  cooldownCounter: number;
}

/**
 * Reduces the lrs when a metric has stopped improving: call `step(metric)` once per epoch with
 * the validation loss (mode 'min') or accuracy (mode 'max'), a number or a one-element tensor.
 * As in PyTorch, a NaN metric never counts as an improvement. It has no closed form, so
 * `step()` without a metric, `step(epoch)` and SequentialLR are refused.
 */
export class ReduceLROnPlateau extends LRScheduler {
  /** As given in the options (default 'min'). */
  readonly mode: 'min' | 'max';
  /** As given in the options (default 0.1). */
  readonly factor: number;
  /** As given in the options (default 10). */
  readonly patience: number;
  /** As given in the options (default 1e-4). */
  readonly threshold: number;
  /** As given in the options (default 'rel'). */
  readonly thresholdMode: 'rel' | 'abs';
  /** As given in the options (default 0). */
  readonly cooldown: number;
  /** The lowest lr of each group (minLr, expanded to one per group). */
  readonly minLrs: readonly number[];
  /** As given in the options (default 1e-8). */
  readonly eps: number;
  /** The best metric so far (the mode's worst, ±Infinity, before the first step). */
  best: number;
  /** Steps since the last improvement (reset by a reduction and during cooldown). */
  numBadEpochs = 0;
  /** Steps of cooldown left after the last reduction. */
  cooldownCounter = 0;

  constructor(optimizer: Optimizer<any>, options: ReduceLROnPlateauOptions = {}) {
    const fn = 'ReduceLROnPlateau';
    if (!(optimizer instanceof Optimizer)) throw new ArgumentError(`${fn}: optimizer must be an Optimizer (SGD, Adam...), got ${show(optimizer)}`);
    checkOptions(fn, options, PLATEAU_OPTIONS);
    const { mode = 'min', factor = 0.1, patience = 10, threshold = 1e-4, thresholdMode = 'rel', cooldown = 0, minLr = 0, eps = 1e-8 } = options;
    if (mode !== 'min' && mode !== 'max') throw new ArgumentError(`${fn}: mode must be 'min' or 'max', got ${show(mode)}`);
    checkNumber(fn, 'factor', factor, { min: 0, max: 1, maxExclusive: true });
    checkNumber(fn, 'patience', patience, { min: 0, integer: true });
    checkNumber(fn, 'threshold', threshold, { min: 0 });
    if (thresholdMode !== 'rel' && thresholdMode !== 'abs') throw new ArgumentError(`${fn}: thresholdMode must be 'rel' or 'abs', got ${show(thresholdMode)}`);
    checkNumber(fn, 'cooldown', cooldown, { min: 0, integer: true });
    const groups = optimizer.paramGroups.length;
    let minLrs: number[];
    if (Array.isArray(minLr)) {
      if (minLr.length !== groups) throw new ArgumentError(`${fn}: minLr must be one number or ${groups} (one per param group), got ${minLr.length}`);
      minLr.forEach((v, i) => checkNumber(fn, `minLr[${i}]`, v, { min: 0 }));
      minLrs = [...minLr];
    } else {
      checkNumber(fn, 'minLr', minLr, { min: 0 });
      minLrs = Array.from({ length: groups }, () => minLr as number);
    }
    checkNumber(fn, 'eps', eps, { min: 0 });
    // The step to epoch 0 leaves the lrs as they are; PyTorch's starts at last_epoch 0 too.
    super(
      optimizer,
      () => {
        throw new ArgumentError(`${fn}: has no closed form (its lr follows the metric), so it cannot jump to an epoch or run in a SequentialLR`);
      },
      (lr) => lr,
      'current',
    );
    this.mode = mode;
    this.factor = factor;
    this.patience = patience;
    this.threshold = threshold;
    this.thresholdMode = thresholdMode;
    this.cooldown = cooldown;
    this.minLrs = minLrs;
    this.eps = eps;
    this.best = mode === 'min' ? Infinity : -Infinity; // the mode's worst
  }

  override get stepsOnMetric(): boolean {
    return true;
  }

  /** Counts one epoch with this value of the metric, and reduces the lrs after too many bad ones. */
  override step(metric?: number | Tensor): void {
    const fn = 'ReduceLROnPlateau.step';
    let current: number;
    if (metric instanceof Tensor) {
      if (metric.size !== 1) throw new ArgumentError(`${fn}: metric must be a number or a one-element tensor, got a tensor of shape [${metric.shape.join(',')}]`);
      current = metric.item();
    } else if (typeof metric === 'number') current = metric;
    else throw new ArgumentError(`${fn}: metric must be a number or a one-element tensor (the value to watch, e.g. the validation loss), got ${show(metric)}`);
    this.lastEpoch += 1;
    if (this.#isBetter(current)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0; // bad epochs during cooldown are ignored
    }
    if (this.numBadEpochs > this.patience) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const lr = Math.max(g.lr * this.factor, this.minLrs[i]!);
        if (g.lr - lr > this.eps) g.lr = lr;
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** PyTorch's is_better, with its float expressions. */
  #isBetter(a: number): boolean {
    const { best, threshold } = this;
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - threshold) : a < best - threshold;
    return this.thresholdMode === 'rel' ? a > best * (threshold + 1) : a > best + threshold;
  }

  override stateDict(): PlateauState {
    const best = Number.isFinite(this.best) ? this.best : this.best > 0 ? 'Infinity' : '-Infinity';
    return { ...super.stateDict(), best, numBadEpochs: this.numBadEpochs, cooldownCounter: this.cooldownCounter };
  }

  override checkStateDict(state: unknown): string[] {
    const problems = super.checkStateDict(state);
    if (typeof state !== 'object' || state === null) return problems;
    const { lastLr, best, numBadEpochs, cooldownCounter } = state as Partial<PlateauState>;
    if (lastLr === undefined) problems.push('lastLr is missing (ReduceLROnPlateau has no closed form to recompute it)');
    if (!(typeof best === 'number' && Number.isFinite(best)) && best !== 'Infinity' && best !== '-Infinity') {
      problems.push(`best must be a finite number, 'Infinity' or '-Infinity', got ${JSON.stringify(best)}`);
    }
    if (!Number.isInteger(numBadEpochs) || numBadEpochs! < 0) problems.push(`numBadEpochs must be an integer >= 0, got ${JSON.stringify(numBadEpochs)}`);
    if (!Number.isInteger(cooldownCounter) || cooldownCounter! < 0) problems.push(`cooldownCounter must be an integer >= 0, got ${JSON.stringify(cooldownCounter)}`);
    return problems;
  }

  /** Restores the state saved by stateDict() (the lrs themselves come with the optimizer's state). */
  override loadStateDict(state: SchedulerState): void {
    const problems = this.checkStateDict(state);
    if (problems.length > 0) throw new StateDictError('ReduceLROnPlateau.loadStateDict', problems);
    super.loadStateDict(state);
    const { best, numBadEpochs, cooldownCounter } = state as PlateauState;
    this.best = typeof best === 'number' ? best : best === 'Infinity' ? Infinity : -Infinity;
    this.numBadEpochs = numBadEpochs;
    this.cooldownCounter = cooldownCounter;
  }
}
