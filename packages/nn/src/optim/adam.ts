import { ArgumentError, type Tensor, adamUpdate_, checkNumber, checkOptions, optionKeys } from '@tensorgrad/core';
import { Optimizer, type ParamGroup, type ParamState, type ParamsInput, typeNameOf } from './optimizer.js';
import { checkBool } from '../check.js';

/**
 * Hyperparameters of `Adam` and `AdamW` (torch.optim.Adam's, camelCase; every one optional in the
 * constructor).
 */
export type AdamOptions = {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates [β₁, β₂] of the first and second moment averages (default [0.9, 0.999]). */
  betas: readonly [number, number];
  /** Added to the denominator for stability (default 1e-8). */
  eps: number;
  /**
   * Weight decay λ: an L2 penalty for Adam, decoupled decay for AdamW (default 0 for Adam; AdamW's
   * default is 1e-2).
   */
  weightDecay: number;
  /** Use the maximum of past second moments (AMSGrad; default false). */
  amsgrad: boolean;
};

const ADAM_OPTIONS = optionKeys<AdamOptions>()(['lr', 'betas', 'eps', 'weightDecay', 'amsgrad']);

/**
 * Adam (Kingma & Ba) as PyTorch computes it: m = β₁m + (1-β₁)g, v = β₂v + (1-β₂)g²,
 * p = p - lr/(1-β₁ᵗ) · m / (√v / √(1-β₂ᵗ) + ε). Adam adds λp to g (L2 penalty); AdamW
 * instead decays p by (1 - lr·λ) before the step (decoupled weight decay, Loshchilov & Hutter).
 */
export class Adam extends Optimizer<AdamOptions> {
  /** The name checkpoints record for this optimizer (survives minification). */
  static readonly typeName: string = 'Adam';
  protected readonly decoupled: boolean = false;

  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    checkOptions(typeNameOf(new.target), options, ADAM_OPTIONS);
    const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0, amsgrad = false } = options;
    super(params, { lr, betas, eps, weightDecay, amsgrad });
  }

  protected validate(g: ParamGroup<AdamOptions>, fn: string): void {
    checkNumber(fn, 'lr', g.lr, { min: 0 });
    // eps = 0 would give 0/0 = NaN wherever a gradient entry is 0 at the first step.
    checkNumber(fn, 'eps', g.eps, { min: 0, minExclusive: true });
    if (!Array.isArray(g.betas) || g.betas.length !== 2) throw new ArgumentError(`${fn}: betas must be a pair [beta1, beta2], got ${JSON.stringify(g.betas)}`);
    checkNumber(fn, 'betas[0]', g.betas[0], { min: 0, max: 1, maxExclusive: true });
    checkNumber(fn, 'betas[1]', g.betas[1], { min: 0, max: 1, maxExclusive: true });
    checkNumber(fn, 'weightDecay', g.weightDecay, { min: 0 });
    checkBool(fn, 'amsgrad', g.amsgrad);
  }

  protected update(p: Tensor, grad: Tensor, { lr, betas: [beta1, beta2], eps, weightDecay, amsgrad }: ParamGroup<AdamOptions>, state: ParamState): void {
    const step = (state.step = ((state.step as number | undefined) ?? 0) + 1);
    const m = this.buffer(state, 'expAvg', p);
    const v = this.buffer(state, 'expAvgSq', p);
    const vMax = amsgrad ? this.buffer(state, 'maxExpAvgSq', p) : null;
    // The bias corrections 1 − βᵗ are computed by core with portablePow (the same bits in every engine).
    adamUpdate_(p, grad, m, v, vMax, { lr, beta1, beta2, eps, weightDecay, decoupled: this.decoupled, step });
  }
}

/** Adam with decoupled weight decay (default λ = 0.01, as in PyTorch). */
export class AdamW extends Adam {
  /** The name checkpoints record for this optimizer (survives minification). */
  static override readonly typeName: string = 'AdamW';
  protected override readonly decoupled: boolean = true;

  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    checkOptions('AdamW', options, ADAM_OPTIONS);
    super(params, { weightDecay: 0.01, ...options });
  }
}
