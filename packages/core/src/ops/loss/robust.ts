// The robust regression losses: l1Loss, smoothL1Loss (beta) and huberLoss (delta), PyTorch 1.13's
// torch.nn.functional.l1_loss / smooth_l1_loss / huber_loss. Each is a function of the difference
// d = input − target, so target's gradient is the negative of input's (as in PyTorch). The
// pieces are ops whose forwards evaluate PyTorch's expressions in its order (identical values)
// and whose VJPs are PyTorch's gradient formulas, written with ops (so second order works).
import { defineOp } from '../../autograd/registry.js';
import { checkOptions, checkNumber, optionKeys } from '../../options.js';
import type { Tensor } from '../../tensor/tensor.js';
import { abs, div, mul, scalarLike, sub, where } from '../elementwise/arithmetic.js';
import { clamp } from '../elementwise/clamp.js';
import { less } from '../elementwise/compare.js';
import { huberCases, smoothL1Cases } from './cases.js';
import { type Reduction, checkReduction, reduce } from './reduction.js';
import { checkPair } from './regression.js';

export interface SmoothL1Attrs {
  beta: number;
}

export interface HuberAttrs {
  delta: number;
}

// z = |d|;  y = z < β ? 0.5·z·z/β : z − 0.5·β;  dd = dy·clamp(d/β, −1, 1)
const smoothL1Op = defineOp({
  name: 'smoothL1',
  inputs: ['d'],
  forward: ({ d }, { beta }: SmoothL1Attrs) => {
    const z = abs(d);
    const b = scalarLike(z, beta);
    return where(less(z, b), div(mul(mul(scalarLike(z, 0.5), z), z), b), sub(z, mul(scalarLike(z, 0.5), b)));
  },
  vjp: ({ dy, d }, { beta }) => ({ d: () => mul(dy, clamp(div(d, scalarLike(d, beta)), -1, 1)) }),
  cases: smoothL1Cases,
});

// z = |d|;  y = z < δ ? 0.5·z·z : δ·(z − 0.5·δ);  dd = dy·clamp(d, −δ, δ)
const huberOp = defineOp({
  name: 'huber',
  inputs: ['d'],
  forward: ({ d }, { delta }: HuberAttrs) => {
    const z = abs(d);
    const c = scalarLike(z, delta);
    return where(less(z, c), mul(mul(scalarLike(z, 0.5), z), z), mul(c, sub(z, mul(scalarLike(z, 0.5), c))));
  },
  vjp: ({ dy, d }, { delta }) => ({ d: () => mul(dy, clamp(d, -delta, delta)) }),
  cases: huberCases,
});

/** Options of `l1Loss` (F.l1_loss's). */
export interface L1LossOptions {
  /** 'mean' (default), 'sum' or 'none' (elementwise). */
  reduction?: Reduction;
}
const L1_LOSS_OPTIONS = optionKeys<L1LossOptions>()(['reduction']);

/** Options of `smoothL1Loss` (F.smooth_l1_loss's). */
export interface SmoothL1LossOptions {
  /** 'mean' (default), 'sum' or 'none' (elementwise). */
  reduction?: Reduction;
  /** Where the loss turns from quadratic to linear (default 1, ≥ 0; 0 is l1Loss, as in PyTorch). */
  beta?: number;
}
const SMOOTH_L1_LOSS_OPTIONS = optionKeys<SmoothL1LossOptions>()(['reduction', 'beta']);

/** Options of `huberLoss` (F.huber_loss's). */
export interface HuberLossOptions {
  /** 'mean' (default), 'sum' or 'none' (elementwise). */
  reduction?: Reduction;
  /** Where the loss turns from quadratic to linear (default 1, > 0). */
  delta?: number;
}
const HUBER_LOSS_OPTIONS = optionKeys<HuberLossOptions>()(['reduction', 'delta']);

/** |input − target|, reduced. */
export function l1Loss(input: Tensor, target: Tensor, options: L1LossOptions = {}): Tensor {
  checkOptions('l1Loss', options, L1_LOSS_OPTIONS);
  const reduction = checkReduction('l1Loss', options.reduction ?? 'mean');
  checkPair('l1Loss', input, target, ['input', 'target']);
  return reduce(abs(sub(input, target)), reduction);
}

/**
 * 0.5·d²/β where |d| < β, else |d| − 0.5·β, with d = input − target, reduced: the Huber loss
 * divided by β (PyTorch's smooth_l1_loss; β = 0 is the L1 loss).
 */
export function smoothL1Loss(input: Tensor, target: Tensor, options: SmoothL1LossOptions = {}): Tensor {
  checkOptions('smoothL1Loss', options, SMOOTH_L1_LOSS_OPTIONS);
  const reduction = checkReduction('smoothL1Loss', options.reduction ?? 'mean');
  const beta = options.beta ?? 1;
  checkNumber('smoothL1Loss', 'beta', beta, { min: 0 });
  checkPair('smoothL1Loss', input, target, ['input', 'target']);
  const d = sub(input, target);
  return reduce(beta === 0 ? abs(d) : smoothL1Op({ d }, { beta }), reduction);
}

/** 0.5·d² where |d| < δ, else δ·(|d| − 0.5·δ), with d = input − target, reduced (PyTorch's huber_loss). */
export function huberLoss(input: Tensor, target: Tensor, options: HuberLossOptions = {}): Tensor {
  checkOptions('huberLoss', options, HUBER_LOSS_OPTIONS);
  const reduction = checkReduction('huberLoss', options.reduction ?? 'mean');
  const delta = options.delta ?? 1;
  checkNumber('huberLoss', 'delta', delta, { min: 0, minExclusive: true });
  checkPair('huberLoss', input, target, ['input', 'target']);
  return reduce(huberOp({ d: sub(input, target) }, { delta }), reduction);
}
