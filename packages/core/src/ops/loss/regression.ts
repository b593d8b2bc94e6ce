// mseLoss and binaryCrossEntropyWithLogits (in the stable log-sigmoid form).
import { ShapeError, formatShape } from '../../errors.js';
import { checkOptions, optionKeys } from '../../options.js';
import { assertFloat } from '../../tensor/dtype.js';
import { shapesEqual } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { add, mul, scalarLike, sub } from '../elementwise/arithmetic.js';
import { logSigmoid } from '../activation/smooth.js';
import { type Reduction, checkReduction, checkTensorOption, reduce } from './reduction.js';

export function checkPair(op: string, input: Tensor, target: Tensor, names: [string, string]): void {
  assertFloat(op, names[0], input.dtype);
  assertFloat(op, names[1], target.dtype);
  if (!shapesEqual(input.shape, target.shape)) {
    throw new ShapeError(`${op}: ${names[1]} shape ${formatShape(target.shape)} must match ${names[0]} shape ${formatShape(input.shape)}`);
  }
}

/** Options of `mseLoss` (F.mse_loss's). */
export interface MseLossOptions {
  /** 'mean' (default), 'sum' or 'none' (elementwise). */
  reduction?: Reduction;
}
const MSE_LOSS_OPTIONS = optionKeys<MseLossOptions>()(['reduction']);

/** (input − target)², reduced. */
export function mseLoss(input: Tensor, target: Tensor, options: MseLossOptions = {}): Tensor {
  checkOptions('mseLoss', options, MSE_LOSS_OPTIONS);
  const reduction = checkReduction('mseLoss', options.reduction ?? 'mean');
  checkPair('mseLoss', input, target, ['input', 'target']);
  const d = sub(input, target);
  return reduce(mul(d, d), reduction);
}

/** Options of `binaryCrossEntropyWithLogits` (F.binary_cross_entropy_with_logits's). */
export interface BceWithLogitsOptions {
  /** 'mean' (default), 'sum' or 'none' (elementwise). */
  reduction?: Reduction;
  /** Weight of the positive term, broadcast against the logits (typically [C]). */
  posWeight?: Tensor | null;
  /** Per-element rescaling, broadcast against the logits. */
  weight?: Tensor | null;
}
const BCE_WITH_LOGITS_OPTIONS = optionKeys<BceWithLogitsOptions>()(['reduction', 'posWeight', 'weight']);

/**
 * −[p·t·log σ(x) + (1 − t)·log σ(−x)] = (1 − t)·x − (1 + (p − 1)·t)·log σ(x), with log σ
 * evaluated without overflow (PyTorch's binary_cross_entropy_with_logits).
 */
export function binaryCrossEntropyWithLogits(logits: Tensor, target: Tensor, options: BceWithLogitsOptions = {}): Tensor {
  const op = 'binaryCrossEntropyWithLogits';
  checkOptions(op, options, BCE_WITH_LOGITS_OPTIONS);
  const reduction = checkReduction(op, options.reduction ?? 'mean');
  checkTensorOption(op, 'posWeight', options.posWeight);
  checkTensorOption(op, 'weight', options.weight);
  checkPair('binaryCrossEntropyWithLogits', logits, target, ['logits', 'target']);
  const one = scalarLike(logits, 1);
  const coef = options.posWeight ? add(one, mul(sub(options.posWeight, one), target)) : one;
  let losses = sub(mul(sub(one, target), logits), mul(coef, logSigmoid(logits)));
  if (options.weight) losses = mul(losses, options.weight);
  return reduce(losses, reduction);
}

