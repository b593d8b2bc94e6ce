import * as cls from '../ops/loss/classification.js';
import * as reg from '../ops/loss/regression.js';
import type { Tensor } from '../tensor/tensor.js';
import { type TensorLike, publicFn } from './typed.js';

export type { Reduction as LossReduction } from '../ops/loss/reduction.js';
export type { NllLossOptions, CrossEntropyOptions } from '../ops/loss/classification.js';
export type { BceWithLogitsOptions, MseLossOptions } from '../ops/loss/regression.js';

type Loss<O> = (input: TensorLike, target: TensorLike, options?: O) => Tensor;

function loss<O>(name: string, params: [string, string], f: (a: Tensor, b: Tensor, o?: O) => Tensor): Loss<O> {
  return publicFn<Loss<O>>(name, [...params, 'options'], {
    'Tensor, Tensor': (a: Tensor, b: Tensor) => f(a, b),
    'Tensor, Tensor, Object': f,
  });
}

export const crossEntropy = loss<cls.CrossEntropyOptions>('crossEntropy', ['logits', 'target'], cls.crossEntropy);
export const nllLoss = loss<cls.NllLossOptions>('nllLoss', ['input', 'target'], cls.nllLoss);
export const mseLoss = loss<reg.MseLossOptions>('mseLoss', ['input', 'target'], reg.mseLoss);
export const binaryCrossEntropyWithLogits = loss<reg.BceWithLogitsOptions>(
  'binaryCrossEntropyWithLogits',
  ['logits', 'target'],
  reg.binaryCrossEntropyWithLogits,
);
