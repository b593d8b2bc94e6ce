import * as cls from '../ops/loss/classification.js';
import * as reg from '../ops/loss/regression.js';
import * as robust from '../ops/loss/robust.js';
import * as bce from '../ops/loss/binary-cross-entropy.js';
import * as kl from '../ops/loss/kl-div.js';
import type { Tensor } from '../tensor/tensor.js';
import { type TensorLike, publicFn } from './typed.js';

export type { Reduction as LossReduction } from '../ops/loss/reduction.js';
export type { NllLossOptions, CrossEntropyOptions } from '../ops/loss/classification.js';
export type { BceWithLogitsOptions, MseLossOptions } from '../ops/loss/regression.js';
export type { L1LossOptions, SmoothL1LossOptions, HuberLossOptions } from '../ops/loss/robust.js';
export type { BinaryCrossEntropyOptions } from '../ops/loss/binary-cross-entropy.js';
export type { KlDivOptions, KlDivReduction } from '../ops/loss/kl-div.js';

type Loss<O> = (input: TensorLike, target: TensorLike, options?: O) => Tensor;

function loss<O>(name: string, params: [string, string], f: (a: Tensor, b: Tensor, o?: O) => Tensor): Loss<O> {
  return publicFn<Loss<O>>(name, [...params, 'options'], {
    'Tensor, Tensor': (a: Tensor, b: Tensor) => f(a, b),
    'Tensor, Tensor, Object': f,
  });
}

/**
 * Cross-entropy of logits [N, C, ...] against class indices (int32 [N, ...]) or class probabilities
 * (logits' shape), as F.cross_entropy: log-softmax over dim 1, then the negative log-likelihood;
 * see CrossEntropyOptions.
 */
export const crossEntropy = loss<cls.CrossEntropyOptions>('crossEntropy', ['logits', 'target'], cls.crossEntropy);
/**
 * Negative log-likelihood of log-probabilities [N, C, ...] against int32 class indices [N, ...]
 * (F.nll_loss).
 */
export const nllLoss = loss<cls.NllLossOptions>('nllLoss', ['input', 'target'], cls.nllLoss);
/** Mean squared error (input − target)², reduced (F.mse_loss); input and target have the same shape. */
export const mseLoss = loss<reg.MseLossOptions>('mseLoss', ['input', 'target'], reg.mseLoss);
/**
 * Binary cross-entropy of logits against targets in [0, 1], computed stably from the logits
 * (F.binary_cross_entropy_with_logits).
 */
export const binaryCrossEntropyWithLogits = loss<reg.BceWithLogitsOptions>(
  'binaryCrossEntropyWithLogits',
  ['logits', 'target'],
  reg.binaryCrossEntropyWithLogits,
);
/** Mean (or sum, or elementwise) absolute error |input − target| (F.l1_loss). */
export const l1Loss = loss<robust.L1LossOptions>('l1Loss', ['input', 'target'], robust.l1Loss);
/** 0.5·d²/β where |d| < β, else |d| − 0.5·β, with d = input − target (F.smooth_l1_loss; β = 0 is l1Loss). */
export const smoothL1Loss = loss<robust.SmoothL1LossOptions>('smoothL1Loss', ['input', 'target'], robust.smoothL1Loss);
/** 0.5·d² where |d| < δ, else δ·(|d| − 0.5·δ), with d = input − target (F.huber_loss). */
export const huberLoss = loss<robust.HuberLossOptions>('huberLoss', ['input', 'target'], robust.huberLoss);
/** Binary cross entropy of probabilities `input` in [0, 1] (F.binary_cross_entropy: logs clamped at −100). */
export const binaryCrossEntropy = loss<bce.BinaryCrossEntropyOptions>('binaryCrossEntropy', ['input', 'target'], bce.binaryCrossEntropy);
/** KL divergence t·(ln t − input) of log-probabilities `input` from target t (F.kl_div; 'batchmean', logTarget). */
export const klDiv = loss<kl.KlDivOptions>('klDiv', ['input', 'target'], kl.klDiv);
