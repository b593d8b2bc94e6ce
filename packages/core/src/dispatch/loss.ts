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
export const l1Loss = loss<robust.L1LossOptions>('l1Loss', ['input', 'target'], robust.l1Loss);
export const smoothL1Loss = loss<robust.SmoothL1LossOptions>('smoothL1Loss', ['input', 'target'], robust.smoothL1Loss);
export const huberLoss = loss<robust.HuberLossOptions>('huberLoss', ['input', 'target'], robust.huberLoss);
export const binaryCrossEntropy = loss<bce.BinaryCrossEntropyOptions>('binaryCrossEntropy', ['input', 'target'], bce.binaryCrossEntropy);
export const klDiv = loss<kl.KlDivOptions>('klDiv', ['input', 'target'], kl.klDiv);
