// mseLoss and binaryCrossEntropyWithLogits (in the stable log-sigmoid form).
import { ShapeError, formatShape } from '../../errors.js';
import { assertFloat } from '../../tensor/dtype.js';
import { shapesEqual } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { add, mul, scalarLike, sub } from '../elementwise/binary.js';
import { logSigmoid } from '../activation/smooth.js';
import { type Reduction, checkReduction, reduce } from './reduction.js';

function checkPair(op: string, input: Tensor, target: Tensor, names: [string, string]): void {
  assertFloat(op, names[0], input.dtype);
  assertFloat(op, names[1], target.dtype);
  if (!shapesEqual(input.shape, target.shape)) {
    throw new ShapeError(`${op}: ${names[1]} shape ${formatShape(target.shape)} must match ${names[0]} shape ${formatShape(input.shape)}`);
  }
}

/** (input − target)², reduced. */
export function mseLoss(input: Tensor, target: Tensor, options: { reduction?: Reduction } = {}): Tensor {
  const reduction = checkReduction('mseLoss', options.reduction ?? 'mean');
  checkPair('mseLoss', input, target, ['input', 'target']);
  const d = sub(input, target);
  return reduce(mul(d, d), reduction);
}

export interface BceWithLogitsOptions {
  reduction?: Reduction;
  /** Weight of the positive term, broadcast against the logits (typically [C]). */
  posWeight?: Tensor | null;
  /** Per-element rescaling, broadcast against the logits. */
  weight?: Tensor | null;
}

/**
 * −[p·t·log σ(x) + (1 − t)·log σ(−x)] = (1 − t)·x − (1 + (p − 1)·t)·log σ(x), with log σ
 * evaluated without overflow (PyTorch's binary_cross_entropy_with_logits).
 */
export function binaryCrossEntropyWithLogits(logits: Tensor, target: Tensor, options: BceWithLogitsOptions = {}): Tensor {
  const reduction = checkReduction('binaryCrossEntropyWithLogits', options.reduction ?? 'mean');
  checkPair('binaryCrossEntropyWithLogits', logits, target, ['logits', 'target']);
  const one = scalarLike(logits, 1);
  const coef = options.posWeight ? add(one, mul(sub(options.posWeight, one), target)) : one;
  let losses = sub(mul(sub(one, target), logits), mul(coef, logSigmoid(logits)));
  if (options.weight) losses = mul(losses, options.weight);
  return reduce(losses, reduction);
}

