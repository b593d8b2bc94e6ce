import { type Tensor, checkNumber, checkOptions, optionKeys, rmspropUpdate_ } from '@tensorgrad/core';
import { Optimizer, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';
import { checkBool } from '../check.js';

/** Hyperparameters of `RMSprop` (torch.optim.RMSprop's, camelCase; every one optional in the constructor). */
export type RMSpropOptions = {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Smoothing constant of the squared-gradient average (default 0.99). */
  alpha: number;
  /** Added to the denominator for stability (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Normalise by the estimated variance of the gradient instead of its second moment (default false). */
  centered: boolean;
};

const RMSPROP_OPTIONS = optionKeys<RMSpropOptions>()(['lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered']);

/**
 * PyTorch's RMSprop: s = αs + (1-α)g²; with centered, ḡ = αḡ + (1-α)g and s - ḡ² replaces s;
 * a = √s + ε; p -= lr·g/a, or with momentum b = μb + g/a, p -= lr·b.
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  /** The name checkpoints record for this optimizer (survives minification). */
  static readonly typeName: string = 'RMSprop';
  constructor(params: ParamsInput<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    checkOptions('RMSprop', options, RMSPROP_OPTIONS);
    const { lr = 1e-2, alpha = 0.99, eps = 1e-8, weightDecay = 0, momentum = 0, centered = false } = options;
    super(params, { lr, alpha, eps, weightDecay, momentum, centered });
  }

  protected validate(g: ParamGroup<RMSpropOptions>, fn: string): void {
    checkNumber(fn, 'lr', g.lr, { min: 0 });
    // alpha > 1 makes (1 - alpha)·g² negative: the square average, then its root, turns NaN.
    checkNumber(fn, 'alpha', g.alpha, { min: 0, max: 1 });
    // eps = 0 would give 0/0 = NaN wherever a gradient entry is 0 at the first step.
    checkNumber(fn, 'eps', g.eps, { min: 0, minExclusive: true });
    checkNumber(fn, 'momentum', g.momentum, { min: 0 });
    checkNumber(fn, 'weightDecay', g.weightDecay, { min: 0 });
    checkBool(fn, 'centered', g.centered);
  }

  protected update(p: Tensor, grad: Tensor, { lr, alpha, eps, weightDecay, momentum, centered }: ParamGroup<RMSpropOptions>, state: ParamState): void {
    state.step = ((state.step as number | undefined) ?? 0) + 1;
    const s = this.buffer(state, 'squareAvg', p);
    const gAvg = centered ? this.buffer(state, 'gradAvg', p) : null;
    const buf = momentum > 0 ? this.buffer(state, 'momentumBuffer', p) : null;
    rmspropUpdate_(p, grad, s, gAvg, buf, { lr, alpha, eps, weightDecay, momentum });
  }
}
