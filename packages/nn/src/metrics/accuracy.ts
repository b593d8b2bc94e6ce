// Classification accuracy from logits (or predicted classes) and int32 class targets. They read
// values, not gradients: nothing is recorded on the tape.
import { ArgumentError, ShapeError, type Tensor, checkNumber, checkOptions, formatShape, optionKeys, shapesEqual } from '@tensorgrad/core';
import { show } from '../check.js';
import { checkNotEmpty, checkTarget, checkTensor, type Logits, rankOf, readLogits, readTarget } from './classes.js';

/** Options of `accuracy` and `topKAccuracy`. */
export interface AccuracyOptions {
  /** 'mean' (default): the fraction of positions scored correct; 'sum': their number. */
  reduction?: 'mean' | 'sum';
}
const ACCURACY_OPTIONS = optionKeys<AccuracyOptions>()(['reduction']);

/**
 * The fraction of positions whose top class is the target: `input` is logits laid out as
 * crossEntropy's ([N, C], [N, C, d1, ...] or [C]; the class dim is 1, or 0 for 1-d logits) with
 * an int32 target of their shape without the class dim, or int32 predicted classes of the
 * target's shape. The top class is torch.argmax's: the first maximal score (a NaN ranks above
 * every number). `{ reduction: 'sum' }` gives the number of correct positions instead.
 */
export function accuracy(input: Tensor, target: Tensor, options: AccuracyOptions = {}): number {
  const fn = 'accuracy';
  const reduction = readReduction(fn, options);
  checkTensor(fn, 'input', input);
  if (input.dtype !== 'int32') return topKCorrect(fn, readLogits(fn, input, target), target, 1, reduction);
  checkTarget(fn, target);
  if (!shapesEqual(input.shape, target.shape)) {
    throw new ShapeError(`${fn}: int32 predicted classes must have the target's shape ${formatShape(target.shape)}, got ${formatShape(input.shape)} (logits must be float)`);
  }
  checkNotEmpty(fn, target.size);
  const p = input.data;
  const t = target.data;
  let correct = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i]! < 0) throw new ArgumentError(`${fn}: target class ${t[i]} at flat index ${i} is out of range (negative)`);
    if (p[i]! < 0) throw new ArgumentError(`${fn}: predicted class ${p[i]} at flat index ${i} is out of range (negative)`);
    if (p[i] === t[i]) correct++;
  }
  return reduction === 'sum' ? correct : correct / t.length;
}

/**
 * The fraction of positions whose target is among the k top-scoring classes (logits and target
 * laid out as for accuracy). Ties rank the lower class index first, as torch.argmax and a stable
 * descending torch.sort do, so k = 1 equals accuracy; PyTorch's own CPU torch.topk leaves the order
 * of tied scores unspecified (it changes with the row length), and a NaN ranks above every number
 * as in torch.topk. k must be an integer in [1, C].
 */
export function topKAccuracy(logits: Tensor, target: Tensor, k: number, options: AccuracyOptions = {}): number {
  const fn = 'topKAccuracy';
  const reduction = readReduction(fn, options);
  const l = readLogits(fn, logits, target);
  checkNumber(fn, 'k', k, { min: 1, max: l.classes, integer: true });
  return topKCorrect(fn, l, target, k, reduction);
}

function topKCorrect(fn: string, l: Logits, target: Tensor, k: number, reduction: 'mean' | 'sum'): number {
  checkNotEmpty(fn, l.positions);
  const t = readTarget(fn, target, l.classes);
  let correct = 0;
  for (let p = 0; p < l.positions; p++) {
    if (rankOf(l, p, t[p]!) < k) correct++;
  }
  return reduction === 'sum' ? correct : correct / l.positions;
}

function readReduction(fn: string, options: AccuracyOptions): 'mean' | 'sum' {
  checkOptions(fn, options, ACCURACY_OPTIONS);
  const { reduction = 'mean' } = options;
  if (reduction !== 'mean' && reduction !== 'sum') throw new ArgumentError(`${fn}: reduction must be 'mean' or 'sum', got ${show(reduction)}`);
  return reduction;
}
