// How the classification metrics read their inputs: logits laid out as crossEntropy's ([N, C],
// [N, C, d1, ...] or [C]) or predicted class indices shaped like the target, and int32 class
// targets. Ties and NaNs are ranked by one rule everywhere (see ranksBefore), so accuracy,
// topKAccuracy with k = 1 and the confusion matrix's predicted class always agree.
import { ArgumentError, DTypeError, ShapeError, Tensor, formatShape, shapesEqual } from '@tensorgrad/core';
import { show } from '../check.js';

/** Logits of `classes` classes at `positions` places (samples × spatial positions). */
export interface Logits {
  values: ArrayLike<number>;
  classes: number;
  positions: number;
  /** Elements between two classes of one position (the product of the dims after the class dim). */
  inner: number;
}

/**
 * Does class score `a` rank before score `b` of a later class? As torch.argmax and a stable
 * descending torch.sort: a higher score first, NaN above every number, and among equal scores
 * (or NaNs) the lower class index first (so only `a` strictly above `b` puts a later class
 * ahead of an earlier one).
 */
export function ranksAbove(a: number, b: number): boolean {
  return a > b || (Number.isNaN(a) && !Number.isNaN(b));
}

/** The flat index of (position p, class c) in logits laid out as `l`. */
export function at(l: Logits, p: number, c: number): number {
  const outer = Math.floor(p / l.inner);
  return (outer * l.classes + c) * l.inner + (p % l.inner);
}

/**
 * The rank of class t's score at position p among the position's classes (0: the top class):
 * the classes ranking above it, by ranksAbove, with the lower index winning ties.
 */
export function rankOf(l: Logits, p: number, t: number): number {
  const v = l.values[at(l, p, t)]!;
  let rank = 0;
  for (let c = 0; c < l.classes; c++) {
    if (c === t) continue;
    const u = l.values[at(l, p, c)]!;
    if (ranksAbove(u, v) || (c < t && !ranksAbove(v, u))) rank++;
  }
  return rank;
}

/** The top class at position p (torch.argmax: the first maximal score; the first NaN if any). */
export function argmaxAt(l: Logits, p: number): number {
  let best = 0;
  for (let c = 1; c < l.classes; c++) if (ranksAbove(l.values[at(l, p, c)]!, l.values[at(l, p, best)]!)) best = c;
  return best;
}

/** Checks a float logits tensor against an int32 target shaped like it without the class dim. */
export function readLogits(fn: string, logits: unknown, target: unknown): Logits {
  checkTensor(fn, 'logits', logits);
  checkTarget(fn, target);
  if (logits.dtype === 'int32') throw new DTypeError(`${fn}: logits must be float32 or float64 class scores, got int32`);
  if (logits.ndim === 0) throw new ShapeError(`${fn}: logits must have a class dim ([N, C], [N, C, ...] or [C]), got shape []`);
  const classDim = logits.ndim === 1 ? 0 : 1;
  const expected = logits.shape.filter((_, d) => d !== classDim);
  if (!shapesEqual(target.shape, expected)) {
    throw new ShapeError(`${fn}: target must have logits' shape without the class dim, ${formatShape(expected)}, got ${formatShape(target.shape)}`);
  }
  const classes = logits.shape[classDim]!;
  if (classes === 0) throw new ShapeError(`${fn}: logits have no classes (shape ${formatShape(logits.shape)})`);
  const inner = logits.shape.slice(classDim + 1).reduce((a, b) => a * b, 1);
  return { values: logits.data, classes, positions: target.size, inner };
}

/** Checks `target` holds int32 class indices in [0, classes); returns its values. */
export function readTarget(fn: string, target: Tensor, classes: number, name = 'target'): ArrayLike<number> {
  const t = target.data;
  for (let i = 0; i < t.length; i++) {
    if (t[i]! < 0 || t[i]! >= classes) throw new ArgumentError(`${fn}: ${name} class ${t[i]} at flat index ${i} is out of range [0, ${classes})`);
  }
  return t;
}

export function checkTarget(fn: string, target: unknown): asserts target is Tensor {
  checkTensor(fn, 'target', target);
  if (target.dtype !== 'int32') throw new DTypeError(`${fn}: target must be int32 class indices, got ${target.dtype}`);
}

export function checkTensor(fn: string, name: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(`${fn}: ${name} must be a Tensor, got ${show(x)}`);
}

/** Refuses an empty batch: a fraction of nothing would be 0/0. */
export function checkNotEmpty(fn: string, positions: number): void {
  if (positions === 0) throw new ShapeError(`${fn}: target is empty, so there is nothing to score`);
}

