// Learning-rate schedules as closed forms of the epoch (PyTorch's _get_closed_form_lr), so a
// schedule can be resumed from its epoch counter alone and chained with SequentialLR.
import { ArgumentError } from '@tensorgrad/core';
import type { Optimizer } from './optimizer.js';

type AnyOptimizer = Optimizer<any>;

// The lr each group had when the first scheduler was attached (PyTorch's group['initial_lr']),
// so chained schedulers all start from the same base.
const initialLrs = new WeakMap<object, number>();

export interface SchedulerState {
  lastEpoch: number;
  baseLrs: number[];
}

/** The lr at `epoch` of a group whose base lr is `base`. */
export type Schedule = (base: number, epoch: number) => number;

/**
 * Sets each group's lr to schedule(base lr, epoch). Subclasses pass their schedule to the
 * constructor (a closure over their arguments), so it is usable from the first epoch.
 */
export class LRScheduler {
  lastEpoch = 0;
  baseLrs: number[];

  constructor(
    readonly optimizer: AnyOptimizer,
    readonly lrAt: Schedule,
  ) {
    this.baseLrs = optimizer.paramGroups.map((g) => {
      if (!initialLrs.has(g)) initialLrs.set(g, g.lr);
      return initialLrs.get(g)!;
    });
    this.apply();
  }

  /** Advances one epoch (call after optimizer.step(), once per epoch or per iteration). */
  step(): void {
    this.lastEpoch++;
    this.apply();
  }

  getLastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  stateDict(): SchedulerState {
    return { lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs] };
  }

  loadStateDict(state: SchedulerState): void {
    if (!Number.isInteger(state.lastEpoch) || state.baseLrs.length !== this.baseLrs.length) {
      throw new ArgumentError(`${this.constructor.name}.loadStateDict: expected an integer lastEpoch and ${this.baseLrs.length} base lr(s), got ${JSON.stringify(state)}`);
    }
    this.lastEpoch = state.lastEpoch;
    this.baseLrs = [...state.baseLrs];
    this.apply();
  }

  protected apply(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = this.lrAt(this.baseLrs[i]!, this.lastEpoch);
    });
  }
}

function checkPositiveInt(where: string, name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new ArgumentError(`${where}: ${name} must be a positive integer, got ${v}`);
}

/** lr = base · γ^⌊epoch / stepSize⌋. */
export class StepLR extends LRScheduler {
  constructor(optimizer: AnyOptimizer, stepSize: number, gamma = 0.1) {
    checkPositiveInt('StepLR', 'stepSize', stepSize);
    super(optimizer, (base, epoch) => base * gamma ** Math.floor(epoch / stepSize));
  }
}

/** lr = base · γ^(number of milestones ≤ epoch). */
export class MultiStepLR extends LRScheduler {
  constructor(optimizer: AnyOptimizer, milestones: readonly number[], gamma = 0.1) {
    milestones.forEach((m) => checkPositiveInt('MultiStepLR', 'each milestone', m));
    super(optimizer, (base, epoch) => base * gamma ** milestones.filter((m) => m <= epoch).length);
  }
}

/** lr = ηmin + (base - ηmin)(1 + cos(π·epoch / tMax)) / 2 (SGDR without restarts). */
export class CosineAnnealingLR extends LRScheduler {
  constructor(optimizer: AnyOptimizer, tMax: number, etaMin = 0) {
    checkPositiveInt('CosineAnnealingLR', 'tMax', tMax);
    super(optimizer, (base, epoch) => etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * epoch) / tMax))) / 2);
  }
}

/** Linear warm-up: lr = base · (start + (end - start) · min(epoch, totalIters) / totalIters). */
export class LinearLR extends LRScheduler {
  constructor(optimizer: AnyOptimizer, startFactor = 1 / 3, endFactor = 1, totalIters = 5) {
    if (!(startFactor > 0 && startFactor <= 1) || !(endFactor >= 0 && endFactor <= 1)) {
      throw new ArgumentError(`LinearLR: startFactor must be in (0, 1] and endFactor in [0, 1], got ${startFactor} and ${endFactor}`);
    }
    checkPositiveInt('LinearLR', 'totalIters', totalIters);
    super(optimizer, (base, epoch) => base * (startFactor + ((endFactor - startFactor) * Math.min(epoch, totalIters)) / totalIters));
  }
}

/**
 * Runs schedulers one after another: schedulers[i] takes over at milestones[i-1], counting its
 * epochs from there — e.g. LinearLR warm-up for 5 epochs, then CosineAnnealingLR.
 */
export class SequentialLR extends LRScheduler {
  constructor(optimizer: AnyOptimizer, schedulers: readonly LRScheduler[], milestones: readonly number[]) {
    if (schedulers.length !== milestones.length + 1) {
      throw new ArgumentError(`SequentialLR: needs one milestone fewer than schedulers, got ${schedulers.length} scheduler(s) and ${milestones.length} milestone(s)`);
    }
    if (schedulers.some((s) => s.optimizer !== optimizer)) throw new ArgumentError('SequentialLR: every scheduler must drive the same optimizer');
    milestones.forEach((m, i) => {
      checkPositiveInt('SequentialLR', 'each milestone', m);
      if (i > 0 && m <= milestones[i - 1]!) throw new ArgumentError(`SequentialLR: milestones must increase, got [${milestones.join(', ')}]`);
    });
    super(optimizer, (base, epoch) => {
      const i = milestones.filter((m) => m <= epoch).length;
      return schedulers[i]!.lrAt(base, epoch - (i === 0 ? 0 : milestones[i - 1]!));
    });
  }
}
