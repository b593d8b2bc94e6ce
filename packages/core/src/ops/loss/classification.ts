// nllLoss and crossEntropy with PyTorch's semantics: class dim 1 (0 for a single 1-D sample),
// int32 class targets (or class probabilities for crossEntropy), per-class weights,
// ignoreIndex and label smoothing. Built from logSoftmax and classGather, so every gradient
// (and gradients of gradients) comes from registered VJPs.
import { backendOf } from '../../backend/index.js';
import { ArgumentError, DTypeError, ShapeError, formatShape } from '../../errors.js';
import { checkOptions, optionKeys } from '../../options.js';
import { zeroFilled } from '../../tensor/creation.js';
import { assertFloat } from '../../tensor/dtype.js';
import { shapesEqual } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkTensorOption } from './reduction.js';
import { add, div, mul, mulScalar, neg, scalarLike, where } from '../elementwise/arithmetic.js';
import { mean } from '../reduce/mean.js';
import { sum } from '../reduce/sum.js';
import { reshape } from '../shape/reshape.js';
import { logSoftmax } from '../activation/softmax.js';
import { classGather } from './class-index.js';
import { type Reduction, checkReduction, reduce } from './reduction.js';

/** Options of `nllLoss` (F.nll_loss's). */
export interface NllLossOptions {
  /** 'mean' (default: the weighted mean over non-ignored targets), 'sum' or 'none' (per-sample losses). */
  reduction?: Reduction;
  /** Targets equal to this contribute nothing (default -100). */
  ignoreIndex?: number;
  /** Per-class weights, shape [C]. */
  weight?: Tensor | null;
}
const NLL_LOSS_OPTIONS = optionKeys<NllLossOptions>()(['reduction', 'ignoreIndex', 'weight']);

/** Options of `crossEntropy` (F.cross_entropy's). */
export interface CrossEntropyOptions extends NllLossOptions {
  /** Mixes the target with the uniform distribution: (1 − ε)·onehot + ε/C (default 0). */
  labelSmoothing?: number;
}
const CROSS_ENTROPY_OPTIONS = optionKeys<CrossEntropyOptions>()(['reduction', 'ignoreIndex', 'weight', 'labelSmoothing']);

interface Checked {
  classDim: number;
  classes: number;
  reduction: Reduction;
  ignoreIndex: number;
  weight: Tensor | null;
}

function checkInput(op: string, input: Tensor, options: NllLossOptions, accepted: readonly string[]): Checked {
  checkOptions(op, options, accepted);
  assertFloat(op, 'input', input.dtype);
  if (input.ndim === 0) throw new ShapeError(`${op}: input must have a class dim ([C], [N, C] or [N, C, d1, ...]), got a 0-d tensor`);
  const classDim = input.ndim === 1 ? 0 : 1;
  const classes = input.shape[classDim]!;
  const weight = options.weight ?? null;
  if (weight !== null) {
    checkTensorOption(op, 'weight', weight);
    assertFloat(op, 'weight', weight.dtype);
    if (weight.ndim !== 1 || weight.shape[0] !== classes) {
      throw new ShapeError(`${op}: weight must have shape [${classes}] (one per class of input ${formatShape(input.shape)}), got ${formatShape(weight.shape)}`);
    }
  }
  const ignoreIndex = options.ignoreIndex ?? -100;
  if (!Number.isInteger(ignoreIndex)) throw new ArgumentError(`${op}: ignoreIndex must be an integer, got ${ignoreIndex}`);
  return { classDim, classes, reduction: checkReduction(op, options.reduction ?? 'mean'), ignoreIndex, weight };
}

function checkClassTarget(op: string, input: Tensor, target: Tensor, c: Checked): void {
  const expected = input.shape.filter((_, d) => d !== c.classDim);
  if (!shapesEqual(target.shape, expected)) {
    throw new ShapeError(
      `${op}: target must have input's shape without the class dim, ${formatShape(expected)}, got ${formatShape(target.shape)} (input ${formatShape(input.shape)})`,
    );
  }
  // Read back: the index of the first bad target (and its value, for the message).
  const k = backendOf(target).copy.firstInvalidClass(target.storage, c.classes, c.ignoreIndex);
  if (k >= 0) {
    throw new ArgumentError(`${op}: target class ${target.data[k]} at flat index ${k} is out of range [0, ${c.classes}) (ignoreIndex ${c.ignoreIndex})`);
  }
}

/**
 * weight[target] per target element (1 without weight), 0 where ignored: a constant in input's
 * dtype (weights are not differentiated). Without weight it is the mask of non-ignored targets.
 */
function targetWeights(input: Tensor, target: Tensor, c: Checked, weight: Tensor | null = c.weight): Tensor {
  const w = zeroFilled(target.shape, input.dtype, target.device);
  backendOf(target).copy.classWeights(target.storage, weight?.storage ?? null, c.ignoreIndex, w.storage);
  return w;
}

/** loss_i = −w[t_i]·input[i, t_i]; 'mean' divides by Σ w[t_i] over non-ignored elements. */
function nll(input: Tensor, target: Tensor, c: Checked): Tensor {
  const w = targetWeights(input, target, c);
  const losses = neg(mul(classGather(input, target, { ignoreIndex: c.ignoreIndex, classes: c.classes }), w));
  if (c.reduction !== 'mean') return reduce(losses, c.reduction);
  return div(sum(losses), sum(w));
}

/** The negative log-likelihood of int32 class targets given log-probabilities `input`. */
export function nllLoss(input: Tensor, target: Tensor, options: NllLossOptions = {}): Tensor {
  const c = checkInput('nllLoss', input, options, NLL_LOSS_OPTIONS);
  if (target.dtype !== 'int32') throw new DTypeError(`nllLoss: target must be int32 class indices, got ${target.dtype}`);
  checkClassTarget('nllLoss', input, target, c);
  return nll(input, target, c);
}

/** Shape of a per-class tensor broadcast against input: [C] at the class dim, 1 elsewhere. */
const classBroadcast = (input: Tensor, c: Checked): number[] => input.shape.map((d, i) => (i === c.classDim ? d : 1));

/**
 * Cross entropy of logits against int32 class targets (or float class probabilities of
 * logits' shape), PyTorch's torch.nn.functional.cross_entropy.
 */
export function crossEntropy(logits: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const c = checkInput('crossEntropy', logits, options, CROSS_ENTROPY_OPTIONS);
  const eps = options.labelSmoothing ?? 0;
  if (!(eps >= 0 && eps <= 1)) throw new ArgumentError(`crossEntropy: labelSmoothing must be in [0, 1], got ${eps}`);
  const lsm = logSoftmax(logits, c.classDim);
  const weighted = c.weight === null ? lsm : mul(lsm, reshape(c.weight, classBroadcast(logits, c)));
  if (target.dtype !== 'int32') return probabilityCrossEntropy(logits, target, weighted, c, eps);
  checkClassTarget('crossEntropy', logits, target, c);
  const hard = nll(lsm, target, c);
  if (eps === 0) return hard;
  // Smoothing term −Σ_c w_c·lsm_c per element, 0 where ignored; 'mean' divides by Σ w[t] like nll.
  const w = targetWeights(logits, target, c);
  const keep = targetWeights(logits, target, c, null);
  // where, not a product with the mask: when every target is ignored, 'mean' divides by 0 and
  // the ∞ gradient must stop at the mask (0), not become 0·∞ = NaN (PyTorch's masked_fill).
  const smooth = where(keep, neg(sum(weighted, c.classDim)), scalarLike(keep, 0));
  const smoothReduced = c.reduction === 'mean' ? div(sum(smooth), sum(w)) : reduce(smooth, c.reduction);
  return add(mulScalar(hard, 1 - eps), mulScalar(smoothReduced, eps / c.classes));
}

function probabilityCrossEntropy(logits: Tensor, target: Tensor, weighted: Tensor, c: Checked, eps: number): Tensor {
  assertFloat('crossEntropy', 'target', target.dtype);
  if (!shapesEqual(target.shape, logits.shape)) {
    throw new ShapeError(
      `crossEntropy: class-probability target must have logits' shape ${formatShape(logits.shape)}, got ${formatShape(target.shape)} ` +
        `(for class indices pass an int32 target of shape ${formatShape(logits.shape.filter((_, d) => d !== c.classDim))})`,
    );
  }
  const p = eps === 0 ? target : add(mulScalar(target, 1 - eps), scalarLike(target, eps / c.classes));
  const losses = neg(sum(mul(weighted, p), c.classDim));
  return c.reduction === 'mean' ? mean(losses) : reduce(losses, c.reduction);
}

