// binaryCrossEntropy on probabilities, PyTorch 1.13's torch.nn.functional.binary_cross_entropy:
// the same clamped logs in the forward, and PyTorch's own gradient formulas (which are not the
// derivative of the clamps: at input 0 or 1 they stay finite for input and infinite for target).
import { defineOp } from '../../autograd/registry.js';
import { backendOf } from '../../backend/index.js';
import { ArgumentError, ShapeError, formatShape } from '../../errors.js';
import { checkOptions, optionKeys } from '../../options.js';
import { assertFloat } from '../../tensor/dtype.js';
import { broadcastShapes, shapesEqual } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { div, log, mul, neg, scalarLike, sub } from '../elementwise/arithmetic.js';
import { clamp } from '../elementwise/clamp.js';
import { max, min } from '../reduce/max.js';
import { binaryCrossEntropyCases } from './cases.js';
import { type Reduction, checkReduction, checkTensorOption, reduce } from './reduction.js';
import { checkPair } from './regression.js';

/** PyTorch's floor on x·(1 − x) in the input gradient: 1e-12 as a float (its EPSILON). */
const EPSILON = Math.fround(1e-12);

// y = (t − 1)·max(ln(1 − x), −100) − t·max(ln x, −100)
// dx = dy·(x − t)/max((1 − x)·x, ε);  dt = dy·(−logit x) = dy·(−ln(x/(1 − x)))
const bceOp = defineOp({
  name: 'binaryCrossEntropy',
  inputs: ['x', 'target'],
  forward: ({ x, target }) => {
    const one = scalarLike(x, 1);
    return sub(mul(sub(target, one), clamp(log(sub(one, x)), -100)), mul(target, clamp(log(x), -100)));
  },
  vjp: ({ dy, x, target }) => ({
    x: () => div(mul(dy, sub(x, target)), clamp(mul(sub(scalarLike(x, 1), x), x), EPSILON)),
    target: () => mul(dy, neg(log(div(x, sub(scalarLike(x, 1), x))))),
  }),
  cases: binaryCrossEntropyCases,
});

/** Options of `binaryCrossEntropy` (F.binary_cross_entropy's). */
export interface BinaryCrossEntropyOptions {
  /** 'mean' (default), 'sum' or 'none' (elementwise). */
  reduction?: Reduction;
  /** Per-element rescaling, broadcast to input's shape (PyTorch's weight). */
  weight?: Tensor | null;
}
const BINARY_CROSS_ENTROPY_OPTIONS = optionKeys<BinaryCrossEntropyOptions>()(['reduction', 'weight']);

/**
 * Every input value must be a probability. PyTorch checks each element in its kernel; here the
 * smallest and largest values are read back (two numbers; NaN propagates into both).
 */
function checkProbabilities(op: string, input: Tensor): void {
  if (input.size === 0) return;
  if (input.device !== 'cpu') {
    // A GPU checks on the device; a bad value makes the next readback reject naming the check.
    backendOf(input).copy.firstOutside(input.storage, 0, 1);
    return;
  }
  const lo = min(input.detach()).item();
  const hi = max(input.detach()).item();
  if (lo >= 0 && hi <= 1) return;
  const got = Number.isNaN(lo) ? 'a NaN' : `values in [${lo}, ${hi}]`;
  throw new ArgumentError(`${op}: every element of input must be a probability in [0, 1], got ${got} (for logits use binaryCrossEntropyWithLogits)`);
}

/**
 * −w·[t·max(ln x, −100) + (1 − t)·max(ln(1 − x), −100)] of probabilities x (input) and targets
 * t, reduced. Targets are not range-checked (PyTorch 1.13 takes any value); weight is
 * differentiated too (PyTorch refuses a weight that requires grad).
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options: BinaryCrossEntropyOptions = {}): Tensor {
  const op = 'binaryCrossEntropy';
  checkOptions(op, options, BINARY_CROSS_ENTROPY_OPTIONS);
  const reduction = checkReduction(op, options.reduction ?? 'mean');
  checkTensorOption(op, 'weight', options.weight);
  checkPair(op, input, target, ['input', 'target']);
  const weight = options.weight ?? null;
  if (weight !== null) {
    assertFloat(op, 'weight', weight.dtype);
    if (!shapesEqual(broadcastShapes(op, weight.shape, input.shape, ['weight', 'input']), input.shape)) {
      throw new ShapeError(`${op}: weight shape ${formatShape(weight.shape)} must broadcast to input shape ${formatShape(input.shape)}`);
    }
  }
  checkProbabilities(op, input);
  const losses = bceOp({ x: input, target }, {});
  return reduce(weight === null ? losses : mul(losses, weight), reduction);
}
