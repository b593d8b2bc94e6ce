// Learning-rate schedules with PyTorch 1.13's semantics. Each step() computes every group's new
// lr from its *current* lr (PyTorch's chainable get_lr), so two schedulers on one optimizer
// compose multiplicatively, e.g. a LinearLR warm-up and a StepLR decay both apply at each epoch.
// step(epoch) jumps to an epoch with the closed form (PyTorch's _get_closed_form_lr).
import { ArgumentError, checkNumber, portableCos, portablePow } from '@tensorgrad/core';
import { show } from '../check.js';
import { StateDictError } from '../errors.js';
import { Optimizer } from './optimizer.js';

type AnyOptimizer = Optimizer<any>;

// The lr each group had when the first scheduler was attached (PyTorch's group['initial_lr']),
// so chained schedulers all start from the same base.
const initialLrs = new WeakMap<object, number>();

/** A scheduler's state as plain data (PyTorch's scheduler state_dict): what a checkpoint stores. */
export interface SchedulerState {
  /** The epoch (step count) of the last step; 0 right after construction. */
  lastEpoch: number;
  /** Each group's initial lr, the base of the schedule. */
  baseLrs: number[];
  /** getLastLr() after the last step (absent in checkpoints written before chaining existed). */
  lastLr?: number[];
  /** SequentialLR: the state of each of its schedulers. */
  schedulers?: SchedulerState[];
}

/** The lr at `epoch` of group number `group` whose base lr is `base` (the closed form). */
export type Schedule = (base: number, epoch: number, group: number) => number;

/** The lr at `epoch` computed from the group's current lr (PyTorch's chainable get_lr). */
export type ChainedSchedule = (lr: number, epoch: number, base: number, group: number) => number;

/**
 * How a scheduler sets the groups' initial lrs (PyTorch's group['initial_lr'], its baseLrs):
 * 'keep' (default) takes the lr a group had when its first scheduler was attached
 * (setdefault); an array overwrites them for every later scheduler too (OneCycleLR sets
 * maxLr / divFactor); 'current' takes the groups' current lrs and records nothing
 * (ReduceLROnPlateau, which has no base lrs in PyTorch).
 */
export type InitialLrs = 'keep' | 'current' | readonly number[];

/**
 * Sets each group's lr at every step. Subclasses pass their schedule to the constructor as
 * closures over their arguments: the closed form `lrAt` (used by step(epoch)) and the chainable
 * form (used by step()); without a chainable form the closed form serves for both, as in
 * PyTorch's LambdaLR. Constructing a scheduler performs its step to epoch 0.
 */
export class LRScheduler {
  /** The epoch (number of steps) reached; construction steps to 0 (PyTorch's last_epoch). */
  lastEpoch = -1;
  /** Each group's initial lr, the base of the schedule (PyTorch's base_lrs). */
  baseLrs: number[];
  protected lastLr: number[] = [];
  readonly #chained: ChainedSchedule;

  constructor(
    /** The optimizer whose groups' lr this scheduler sets. */
    readonly optimizer: AnyOptimizer,
    /** The closed form: the lr at an epoch from a group's base lr (used by step(epoch)). */
    readonly lrAt: Schedule,
    chained?: ChainedSchedule,
    initial: InitialLrs = 'keep',
  ) {
    const name = new.target.name;
    if (!(optimizer instanceof Optimizer)) throw new ArgumentError(`${name}: optimizer must be an Optimizer (SGD, Adam...), got ${show(optimizer)}`);
    if (typeof lrAt !== 'function') throw new ArgumentError(`${name}: lrAt must be a function (base lr, epoch) => lr, got ${show(lrAt)}`);
    this.#chained = chained ?? ((_lr, epoch, base, group) => lrAt(base, epoch, group));
    const groups = optimizer.paramGroups;
    this.baseLrs = groups.map((g, i) => (initial === 'current' ? g.lr : initial === 'keep' ? initialLrs.get(g) ?? g.lr : initial[i]!));
    this.#advance(undefined);
    // Recorded once the step to epoch 0 succeeded: a scheduler that failed to construct leaves no trace.
    if (initial !== 'current') groups.forEach((g, i) => initialLrs.set(g, this.baseLrs[i]!));
  }

  /**
   * Advances one epoch (call after optimizer.step(), once per epoch or per iteration), or with
   * `epoch`, jumps to that epoch using the closed form.
   */
  step(epoch?: number): void {
    this.#advance(epoch);
  }

  #advance(epoch: number | undefined): void {
    const where = `${this.constructor.name}.step`;
    const groups = this.optimizer.paramGroups;
    let next: number;
    let lrs: number[];
    if (epoch === undefined) {
      next = this.lastEpoch + 1;
      lrs = groups.map((g, i) => this.#chained(g.lr, next, this.baseLrs[i]!, i));
    } else {
      checkNumber(where, 'epoch', epoch, { min: 0, integer: true });
      next = epoch;
      lrs = this.baseLrs.map((base, i) => this.lrAt(base, next, i));
    }
    // A non-finite or negative lr never reaches the optimizer (it would drive weights to ±Infinity).
    lrs.forEach((lr, i) => checkNumber(where, `the lr of group ${i} at epoch ${next}`, lr, { min: 0 }));
    this.lastEpoch = next;
    groups.forEach((g, i) => {
      g.lr = lrs[i]!;
    });
    this.lastLr = lrs;
  }

  /**
   * Whether step() takes a metric (ReduceLROnPlateau's step(metric), once per epoch) rather
   * than advancing a schedule.
   */
  get stepsOnMetric(): boolean {
    return false;
  }

  /** The lrs this scheduler set at its last step (PyTorch's get_last_lr). */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The scheduler's state (epoch, base lrs, last lrs) as plain data for a checkpoint. */
  stateDict(): SchedulerState {
    return { lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs], lastLr: [...this.lastLr] };
  }

  /** Every way `state` does not fit this scheduler (empty when it fits). */
  checkStateDict(state: unknown): string[] {
    const groups = this.optimizer.paramGroups.length;
    if (typeof state !== 'object' || state === null) return [`expected a scheduler state object, got ${show(state)}`];
    const { lastEpoch, baseLrs, lastLr } = state as Partial<SchedulerState>;
    const problems: string[] = [];
    // -1: a SequentialLR's scheduler that has not started yet.
    if (!Number.isInteger(lastEpoch) || lastEpoch! < -1) problems.push(`lastEpoch must be an integer >= -1, got ${JSON.stringify(lastEpoch)}`);
    if (!isLrList(baseLrs, groups)) problems.push(`baseLrs must be ${groups} finite lr(s) >= 0, got ${JSON.stringify(baseLrs)}`);
    if (lastLr !== undefined && !isLrList(lastLr, groups)) problems.push(`lastLr must be ${groups} finite lr(s) >= 0, got ${JSON.stringify(lastLr)}`);
    return problems;
  }

  /**
   * Restores the state saved by stateDict(). As in PyTorch, the groups' current lrs are the
   * optimizer's state: load the optimizer's state dict too (loadCheckpoint does both).
   */
  loadStateDict(state: SchedulerState): void {
    const problems = this.checkStateDict(state);
    if (problems.length > 0) throw new StateDictError(`${this.constructor.name}.loadStateDict`, problems);
    this.lastEpoch = state.lastEpoch;
    this.baseLrs = [...state.baseLrs];
    this.lastLr = state.lastLr === undefined ? this.baseLrs.map((base, i) => this.lrAt(base, this.lastEpoch, i)) : [...state.lastLr];
  }
}

function isLrList(v: unknown, n: number): v is number[] {
  return Array.isArray(v) && v.length === n && v.every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0);
}


const positiveInt = { min: 1, integer: true };

/** lr = base · γ^⌊epoch / stepSize⌋; chained: ×γ every stepSize epochs. */
export class StepLR extends LRScheduler {
  constructor(optimizer: AnyOptimizer, stepSize: number, gamma = 0.1) {
    checkNumber('StepLR', 'stepSize', stepSize, positiveInt);
    checkNumber('StepLR', 'gamma', gamma, { min: 0 });
    super(
      optimizer,
      (base, epoch) => base * portablePow(gamma, Math.floor(epoch / stepSize)),
      (lr, epoch) => (epoch === 0 || epoch % stepSize !== 0 ? lr : lr * gamma),
    );
  }
}

/** lr = base · γ^(number of milestones ≤ epoch); chained: ×γ^(times epoch is listed) at each milestone. */
export class MultiStepLR extends LRScheduler {
  constructor(optimizer: AnyOptimizer, milestones: readonly number[], gamma = 0.1) {
    if (!Array.isArray(milestones)) throw new ArgumentError(`MultiStepLR: milestones must be an array of epochs, got ${show(milestones)}`);
    milestones.forEach((m, i) => checkNumber('MultiStepLR', `milestones[${i}]`, m, positiveInt));
    checkNumber('MultiStepLR', 'gamma', gamma, { min: 0 });
    const count = (epoch: number): number => milestones.filter((m) => m === epoch).length;
    super(
      optimizer,
      (base, epoch) => base * portablePow(gamma, milestones.filter((m) => m <= epoch).length),
      (lr, epoch) => (count(epoch) === 0 ? lr : lr * portablePow(gamma, count(epoch))),
    );
  }
}

/**
 * lr = ηmin + (base - ηmin)(1 + cos(π·epoch / tMax)) / 2 (SGDR without restarts). Chained, as
 * PyTorch: the lr moves by the ratio of consecutive cosine factors, so it composes with others.
 * The cosine is core's portableCos (fdlibm's in + − × ÷), not Math.cos: the same lrs in every
 * engine, for epochs up to 524288·tMax (past it, portableCos throws a RangeError).
 */
export class CosineAnnealingLR extends LRScheduler {
  constructor(optimizer: AnyOptimizer, tMax: number, etaMin = 0) {
    checkNumber('CosineAnnealingLR', 'tMax', tMax, positiveInt);
    checkNumber('CosineAnnealingLR', 'etaMin', etaMin, { min: 0 });
    super(
      optimizer,
      (base, epoch) => etaMin + ((base - etaMin) * (1 + portableCos((Math.PI * epoch) / tMax))) / 2,
      (lr, epoch, base) => {
        if (epoch === 0) return lr;
        // At the minimum the ratio below would be 0/0; PyTorch adds the step from the minimum instead.
        if ((epoch - 1 - tMax) % (2 * tMax) === 0) return lr + ((base - etaMin) * (1 - portableCos(Math.PI / tMax))) / 2;
        return ((1 + portableCos((Math.PI * epoch) / tMax)) / (1 + portableCos((Math.PI * (epoch - 1)) / tMax))) * (lr - etaMin) + etaMin;
      },
    );
  }
}

/**
 * Linear warm-up: lr = base · (start + (end - start) · min(epoch, totalIters) / totalIters);
 * chained: ×start at epoch 0, then the ratio of consecutive factors until totalIters.
 */
export class LinearLR extends LRScheduler {
  constructor(optimizer: AnyOptimizer, startFactor = 1 / 3, endFactor = 1, totalIters = 5) {
    checkNumber('LinearLR', 'startFactor', startFactor, { min: 0, minExclusive: true, max: 1 });
    checkNumber('LinearLR', 'endFactor', endFactor, { min: 0, max: 1 });
    checkNumber('LinearLR', 'totalIters', totalIters, positiveInt);
    const slope = endFactor - startFactor;
    super(
      optimizer,
      (base, epoch) => base * (startFactor + (slope * Math.min(totalIters, epoch)) / totalIters),
      (lr, epoch) => {
        if (epoch === 0) return lr * startFactor;
        if (epoch > totalIters) return lr;
        return lr * (1 + slope / (totalIters * startFactor + (epoch - 1) * slope));
      },
    );
  }
}

/**
 * Runs schedulers one after another: schedulers[i] takes over at milestones[i-1], restarting
 * from its epoch 0 there — e.g. LinearLR warm-up for 5 epochs, then CosineAnnealingLR. As in
 * PyTorch, only the active scheduler steps; the others keep their state.
 */
export class SequentialLR extends LRScheduler {
  readonly #schedulers: readonly LRScheduler[];
  readonly #milestones: readonly number[];

  constructor(optimizer: AnyOptimizer, schedulers: readonly LRScheduler[], milestones: readonly number[]) {
    if (!Array.isArray(schedulers) || !schedulers.every((s) => s instanceof LRScheduler)) {
      throw new ArgumentError(`SequentialLR: schedulers must be an array of LRSchedulers, got ${show(schedulers)}`);
    }
    if (!Array.isArray(milestones)) throw new ArgumentError(`SequentialLR: milestones must be an array of epochs, got ${show(milestones)}`);
    if (schedulers.length !== milestones.length + 1) {
      throw new ArgumentError(`SequentialLR: needs one milestone fewer than schedulers, got ${schedulers.length} scheduler(s) and ${milestones.length} milestone(s)`);
    }
    schedulers.forEach((s, i) => {
      if (s.stepsOnMetric) throw new ArgumentError(`SequentialLR: schedulers[${i}] is a ${s.constructor.name}, which steps on a metric and has no schedule to sequence`);
      if (s.optimizer !== optimizer) throw new ArgumentError(`SequentialLR: schedulers[${i}] drives another optimizer; every scheduler must drive the same optimizer`);
    });
    milestones.forEach((m, i) => {
      checkNumber('SequentialLR', `milestones[${i}]`, m, positiveInt);
      if (i > 0 && m <= milestones[i - 1]!) throw new ArgumentError(`SequentialLR: milestones must increase, got [${milestones.join(', ')}]`);
    });
    // The base class's step to epoch 0 leaves the lrs as they are (identity); PyTorch's set-up follows.
    super(
      optimizer,
      (base, epoch, group) => {
        const i = phaseOf(milestones, epoch);
        return schedulers[i]!.lrAt(base, epoch - (i === 0 ? 0 : milestones[i - 1]!), group);
      },
      (lr) => lr,
    );
    this.#schedulers = schedulers;
    this.#milestones = milestones;
    // PyTorch: reset the lrs to their initial values, undo every scheduler's step to epoch 0,
    // and redo it for the first one only.
    optimizer.paramGroups.forEach((g, i) => {
      g.lr = this.baseLrs[i]!;
    });
    for (const s of schedulers) s.lastEpoch -= 1;
    schedulers[0]!.step();
    this.lastLr = schedulers[0]!.getLastLr();
  }

  /** Steps the active scheduler; at a milestone the next one starts at its epoch 0 (closed form). */
  override step(epoch?: number): void {
    if (epoch !== undefined) throw new ArgumentError(`SequentialLR.step: takes no epoch (PyTorch's SequentialLR only advances one epoch at a time), got ${epoch}`);
    const next = this.lastEpoch + 1;
    const i = phaseOf(this.#milestones, next);
    const scheduler = this.#schedulers[i]!;
    if (i > 0 && this.#milestones[i - 1] === next) scheduler.step(0);
    else scheduler.step();
    this.lastEpoch = next;
    this.lastLr = scheduler.getLastLr();
  }

  override stateDict(): SchedulerState {
    return { ...super.stateDict(), schedulers: this.#schedulers.map((s) => s.stateDict()) };
  }

  override checkStateDict(state: unknown): string[] {
    const problems = super.checkStateDict(state);
    const subs = (state as SchedulerState | null)?.schedulers;
    if (subs === undefined) return problems;
    if (!Array.isArray(subs) || subs.length !== this.#schedulers.length) {
      return [...problems, `schedulers must hold ${this.#schedulers.length} scheduler state(s), got ${JSON.stringify(subs)}`];
    }
    return [...problems, ...subs.flatMap((s, i) => this.#schedulers[i]!.checkStateDict(s).map((p) => `schedulers[${i}]: ${p}`))];
  }

  override loadStateDict(state: SchedulerState): void {
    super.loadStateDict(state);
    if (state.schedulers !== undefined) {
      state.schedulers.forEach((s, i) => this.#schedulers[i]!.loadStateDict(s));
      return;
    }
    // A state saved before SequentialLR recorded its schedulers: the active one's epoch follows
    // from the milestones (the others are not stepped again before they restart at epoch 0).
    const i = phaseOf(this.#milestones, state.lastEpoch);
    const start = i === 0 ? 0 : this.#milestones[i - 1]!;
    this.#schedulers[i]!.loadStateDict({ lastEpoch: state.lastEpoch - start, baseLrs: state.baseLrs });
  }
}

/** Which of a SequentialLR's schedulers is active at `epoch` (PyTorch's bisect_right). */
function phaseOf(milestones: readonly number[], epoch: number): number {
  return milestones.filter((m) => m <= epoch).length;
}
