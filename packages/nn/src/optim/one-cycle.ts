// The 1cycle policy (Smith & Topin, "Super-Convergence"), as PyTorch 1.13's OneCycleLR: the lr
// rises from maxLr / divFactor to maxLr over the first pctStart of the steps, then falls to
// maxLr / divFactor / finalDivFactor (threePhase: falls back to the initial lr symmetrically,
// then to the minimum), while the momentum (SGD's and RMSprop's momentum, Adam's beta1) moves the
// opposite way between maxMomentum and baseMomentum. Stepped once per batch; not chainable.
import { ArgumentError, checkNumber, checkOptions, optionKeys, portableCos } from '@tensorgrad/core';
import { checkBool, show } from '../check.js';
import { LRScheduler } from './lr-scheduler.js';
import { Optimizer } from './optimizer.js';

/**
 * Options of `OneCycleLR` (torch.optim.lr_scheduler.OneCycleLR's arguments, camelCase, PyTorch's
 * defaults).
 */
export interface OneCycleLROptions {
  /** The peak lr: one for every group, or one per group. */
  maxLr: number | readonly number[];
  /** The number of steps in the cycle; else epochs × stepsPerEpoch. */
  totalSteps?: number;
  /** Number of epochs, with stepsPerEpoch, when totalSteps is not given. */
  epochs?: number;
  /** Steps (batches) per epoch, with epochs, when totalSteps is not given. */
  stepsPerEpoch?: number;
  /** The fraction of the steps spent raising the lr (default 0.3). */
  pctStart?: number;
  /** 'cos' (default) or 'linear' annealing within each phase. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle the momentum inversely to the lr (default true); the optimizer needs a momentum or betas. */
  cycleMomentum?: boolean;
  /** The momentum at the peak lr (default 0.85), for every group or per group. */
  baseMomentum?: number | readonly number[];
  /** The momentum at the start (and end) of the cycle (default 0.95), for every group or per group. */
  maxMomentum?: number | readonly number[];
  /** initial lr = maxLr / divFactor (default 25). */
  divFactor?: number;
  /** minimum lr = initial lr / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Three phases as in the paper (up, down to the initial lr, down to the minimum) instead of fastai's two. */
  threePhase?: boolean;
}

const ONE_CYCLE_OPTIONS = optionKeys<OneCycleLROptions>()([
  'maxLr', 'totalSteps', 'epochs', 'stepsPerEpoch', 'pctStart', 'annealStrategy', 'cycleMomentum',
  'baseMomentum', 'maxMomentum', 'divFactor', 'finalDivFactor', 'threePhase',
]);

/** Which of a group's values a phase starts or ends at. */
type Level = 'initial' | 'max' | 'min';
type MomentumLevel = 'max' | 'base';

interface Phase {
  /** The last step of the phase (fractional, as PyTorch computes it from pctStart). */
  end: number;
  lr: [Level, Level];
  momentum: [MomentumLevel, MomentumLevel];
}

/**
 * PyTorch 1.13's OneCycleLR. Construction sets each group's lr to maxLr / divFactor (its
 * initial lr, which becomes the groups' initial lr for schedulers attached later, as PyTorch's
 * group['initial_lr']) and, with cycleMomentum, its momentum (Adam: beta1) to maxMomentum. Each
 * step() moves to the next step of the cycle; stepping past totalSteps throws, as PyTorch does
 * (the step numbered totalSteps itself is allowed: it extrapolates the last phase by one step).
 * step(epoch) jumps to that step. The momentum belongs to the optimizer's state, like the lr.
 */
export class OneCycleLR extends LRScheduler {
  /** Steps in the cycle (given, or epochs × stepsPerEpoch). */
  readonly totalSteps: number;
  readonly #momentumAt: ((step: number, group: number) => number) | null;
  readonly #momentumKey: 'momentum' | 'betas';

  constructor(optimizer: Optimizer<any>, options: OneCycleLROptions) {
    const fn = 'OneCycleLR';
    if (!(optimizer instanceof Optimizer)) throw new ArgumentError(`${fn}: optimizer must be an Optimizer (SGD, Adam...), got ${show(optimizer)}`);
    if (options === undefined) throw new ArgumentError(`${fn}: options must be an object with at least maxLr, and totalSteps or epochs and stepsPerEpoch, got undefined`);
    checkOptions(fn, options, ONE_CYCLE_OPTIONS);
    const {
      maxLr, pctStart = 0.3, annealStrategy = 'cos', cycleMomentum = true, baseMomentum = 0.85, maxMomentum = 0.95,
      divFactor = 25, finalDivFactor = 1e4, threePhase = false,
    } = options;
    const groups = optimizer.paramGroups.length;
    const totalSteps = readTotalSteps(fn, options);
    checkNumber(fn, 'pctStart', pctStart, { min: 0, max: 1 });
    if (annealStrategy !== 'cos' && annealStrategy !== 'linear') throw new ArgumentError(`${fn}: annealStrategy must be 'cos' or 'linear', got ${show(annealStrategy)}`);
    checkBool(fn, 'cycleMomentum', cycleMomentum);
    checkNumber(fn, 'divFactor', divFactor, { min: 0, minExclusive: true });
    checkNumber(fn, 'finalDivFactor', finalDivFactor, { min: 0, minExclusive: true });
    checkBool(fn, 'threePhase', threePhase);
    const maxLrs = perGroup(fn, 'maxLr', maxLr, groups);
    const initial = maxLrs.map((m) => m / divFactor);
    const levels: Record<Level, number[]> = { initial, max: maxLrs, min: initial.map((i) => i / finalDivFactor) };

    const phases: Phase[] = threePhase
      ? [
          { end: pctStart * totalSteps - 1, lr: ['initial', 'max'], momentum: ['max', 'base'] },
          { end: 2 * pctStart * totalSteps - 2, lr: ['max', 'initial'], momentum: ['base', 'max'] },
          { end: totalSteps - 1, lr: ['initial', 'min'], momentum: ['max', 'max'] },
        ]
      : [
          { end: pctStart * totalSteps - 1, lr: ['initial', 'max'], momentum: ['max', 'base'] },
          { end: totalSteps - 1, lr: ['max', 'min'], momentum: ['base', 'max'] },
        ];
    const anneal = annealStrategy === 'cos' ? annealCos : annealLinear;
    // PyTorch's get_lr: the first phase whose end is not before the step (the last one past it),
    // and the fraction of that phase done.
    const locate = (step: number): [Phase, number] => {
      if (step > totalSteps) throw new ArgumentError(`${fn}.step: tried to step ${step + 1} times; the cycle has totalSteps ${totalSteps}`);
      let start = 0;
      for (let i = 0; ; i++) {
        const phase = phases[i]!;
        if (step <= phase.end || i === phases.length - 1) {
          // PyTorch divides by zero here (ZeroDivisionError): a phase of zero length holds a step.
          if (phase.end === start) throw new ArgumentError(`${fn}.step: step ${step} falls in phase ${i + 1}, which has zero length (pctStart ${pctStart}, totalSteps ${totalSteps})`);
          return [phase, (step - start) / (phase.end - start)];
        }
        start = phase.end;
      }
    };

    let momentumAt: ((step: number, group: number) => number) | null = null;
    let momentumKey: 'momentum' | 'betas' = 'momentum';
    if (cycleMomentum) {
      const first = optimizer.paramGroups[0] as Record<string, unknown>;
      if (!('momentum' in first) && !('betas' in first)) {
        throw new ArgumentError(`${fn}: cycleMomentum needs an optimizer with a momentum or betas (SGD, RMSprop, Adam...), got ${optimizer.typeName}; pass cycleMomentum: false`);
      }
      momentumKey = 'betas' in first ? 'betas' : 'momentum';
      const m: Record<MomentumLevel, number[]> = {
        max: perGroup(fn, 'maxMomentum', maxMomentum, groups),
        base: perGroup(fn, 'baseMomentum', baseMomentum, groups),
      };
      momentumAt = (step, group) => {
        const [phase, pct] = locate(step);
        return anneal(m[phase.momentum[0]][group]!, m[phase.momentum[1]][group]!, pct);
      };
    }
    super(
      optimizer,
      (_base, step, group) => {
        const [phase, pct] = locate(step);
        return anneal(levels[phase.lr[0]][group]!, levels[phase.lr[1]][group]!, pct);
      },
      undefined,
      initial,
    );
    this.totalSteps = totalSteps;
    this.#momentumAt = momentumAt;
    this.#momentumKey = momentumKey;
    // The step to step 0 (in the base constructor) set the lrs; the momenta follow it.
    this.#setMomenta();
  }

  /** Moves to the next step (or to step `epoch`): the lr and, with cycleMomentum, the momentum. */
  override step(epoch?: number): void {
    super.step(epoch);
    this.#setMomenta();
  }

  #setMomenta(): void {
    const at = this.#momentumAt;
    if (at === null) return;
    this.optimizer.paramGroups.forEach((g, i) => setMomentum(g, this.#momentumKey, at(this.lastEpoch, i)));
  }

  override checkStateDict(state: unknown): string[] {
    const problems = super.checkStateDict(state);
    const { lastEpoch } = (state ?? {}) as { lastEpoch?: unknown };
    if (typeof lastEpoch === 'number' && lastEpoch > this.totalSteps) problems.push(`lastEpoch ${lastEpoch} is past the cycle's totalSteps ${this.totalSteps}`);
    return problems;
  }
}

/** SGD's and RMSprop's momentum, or Adam's beta1 (beta2 kept). */
function setMomentum(group: Record<string, unknown>, key: 'momentum' | 'betas', value: number): void {
  if (key === 'momentum') group.momentum = value;
  else group.betas = [value, (group.betas as readonly number[])[1]!];
}

function readTotalSteps(fn: string, { totalSteps, epochs, stepsPerEpoch }: OneCycleLROptions): number {
  const positiveInt = { min: 1, integer: true };
  if (totalSteps !== undefined) {
    checkNumber(fn, 'totalSteps', totalSteps, positiveInt);
    // PyTorch lets totalSteps win silently; a contradicting epochs × stepsPerEpoch is a mistake.
    if ((epochs !== undefined || stepsPerEpoch !== undefined) && totalSteps !== (epochs ?? NaN) * (stepsPerEpoch ?? NaN)) {
      throw new ArgumentError(`${fn}: totalSteps ${totalSteps} contradicts epochs ${show(epochs)} × stepsPerEpoch ${show(stepsPerEpoch)}; give one or the other`);
    }
    return totalSteps;
  }
  if (epochs === undefined || stepsPerEpoch === undefined) {
    throw new ArgumentError(`${fn}: needs totalSteps, or epochs and stepsPerEpoch, got epochs ${show(epochs)} and stepsPerEpoch ${show(stepsPerEpoch)}`);
  }
  checkNumber(fn, 'epochs', epochs, positiveInt);
  checkNumber(fn, 'stepsPerEpoch', stepsPerEpoch, positiveInt);
  return epochs * stepsPerEpoch;
}

/** A value for every group, or one per group (PyTorch's _format_param); each finite and >= 0. */
function perGroup(fn: string, name: string, value: number | readonly number[], groups: number): number[] {
  if (Array.isArray(value)) {
    if (value.length !== groups) throw new ArgumentError(`${fn}: ${name} must be one number or ${groups} (one per param group), got ${value.length}`);
    value.forEach((v, i) => checkNumber(fn, `${name}[${i}]`, v, { min: 0 }));
    return [...value];
  }
  checkNumber(fn, name, value, { min: 0 });
  return Array.from({ length: groups }, () => value as number);
}

/** Cosine from start (pct 0) to end (pct 1), PyTorch's float expression (with portableCos: the same bits in every engine). */
function annealCos(start: number, end: number, pct: number): number {
  return end + ((start - end) / 2) * (portableCos(Math.PI * pct) + 1);
}

function annealLinear(start: number, end: number, pct: number): number {
  return (end - start) * pct + start;
}
