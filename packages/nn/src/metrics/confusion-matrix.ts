// The confusion matrix of a classifier: counts[true class][predicted class], as sklearn's
// confusion_matrix and torchmetrics lay it out, from logits (the predicted class is accuracy's
// argmax, ties to the lower index) or from int32 predicted classes.
import { ArgumentError, ShapeError, type Tensor, checkNumber, formatShape, shapesEqual, tensor } from '@tensorgrad/core';
import { argmaxAt, checkNotEmpty, checkTarget, checkTensor, readLogits, readTarget } from './classes.js';

/**
 * The numClasses × numClasses int32 matrix whose entry [t, p] counts the positions of class t
 * predicted as p. `input`: logits as crossEntropy lays them out (their class dim must be
 * numClasses) with an int32 target of their shape without it, or int32 predicted classes of the
 * target's shape.
 */
export function confusionMatrix(input: Tensor, target: Tensor, numClasses: number): Tensor {
  const fn = 'confusionMatrix';
  checkNumber(fn, 'numClasses', numClasses, { min: 1, integer: true });
  const counts = new Float64Array(numClasses * numClasses);
  countInto(fn, counts, numClasses, input, target);
  return toTensor(fn, counts, numClasses);
}

/**
 * Accumulates a confusion matrix over batches (`update` per batch, `compute` at the end of an
 * epoch, `reset` before the next) and derives per-class precision, recall and F1 from it.
 */
export class ConfusionMatrix {
  /** Number of classes: the matrix is numClasses × numClasses. */
  readonly numClasses: number;
  // float64 counts are exact up to 2^53; compute() checks they fit int32.
  readonly #counts: Float64Array;

  constructor(numClasses: number) {
    checkNumber('ConfusionMatrix', 'numClasses', numClasses, { min: 1, integer: true });
    this.numClasses = numClasses;
    this.#counts = new Float64Array(numClasses * numClasses);
  }

  /** Adds one batch (input and target as for confusionMatrix); a bad batch throws having counted nothing. */
  update(input: Tensor, target: Tensor): this {
    countInto('ConfusionMatrix.update', this.#counts, this.numClasses, input, target);
    return this;
  }

  /** The counts so far as an int32 [numClasses, numClasses] tensor: rows true classes, columns predicted. */
  compute(): Tensor {
    return toTensor('ConfusionMatrix.compute', this.#counts, this.numClasses);
  }

  /** How many positions were counted since construction or the last reset. */
  get total(): number {
    return this.#counts.reduce((a, b) => a + b, 0);
  }

  /** The fraction counted on the diagonal; throws before any update (0/0). */
  accuracy(): number {
    const total = this.total;
    if (total === 0) throw new ArgumentError(`ConfusionMatrix.accuracy: nothing was counted yet (call update first)`);
    let hits = 0;
    for (let c = 0; c < this.numClasses; c++) hits += this.#counts[c * this.numClasses + c]!;
    return hits / total;
  }

  /** Per class: true positives / predicted as the class; NaN for a class never predicted (0/0). */
  precision(): number[] {
    return this.#perClass((tp, predicted) => tp / predicted);
  }

  /** Per class: true positives / positions of the class; NaN for a class never seen (0/0). */
  recall(): number[] {
    return this.#perClass((tp, _predicted, actual) => tp / actual);
  }

  /** Per class: 2TP / (2TP + FP + FN), the harmonic mean of precision and recall (0 when either is 0); NaN for a class neither seen nor predicted. */
  f1(): number[] {
    return this.#perClass((tp, predicted, actual) => (2 * tp) / (predicted + actual));
  }

  /** Forgets every count (e.g. at the start of an epoch). */
  reset(): void {
    this.#counts.fill(0);
  }

  #perClass(f: (tp: number, predicted: number, actual: number) => number): number[] {
    const n = this.numClasses;
    return Array.from({ length: n }, (_, c) => {
      let predicted = 0;
      let actual = 0;
      for (let k = 0; k < n; k++) {
        predicted += this.#counts[k * n + c]!;
        actual += this.#counts[c * n + k]!;
      }
      return f(this.#counts[c * n + c]!, predicted, actual);
    });
  }
}

/** Checks a batch whole, then adds each (target, predicted) pair to counts[target · n + predicted]. */
function countInto(fn: string, counts: Float64Array, n: number, input: Tensor, target: Tensor): void {
  checkTensor(fn, 'input', input);
  let predicted: ArrayLike<number>;
  if (input.dtype === 'int32') {
    checkTarget(fn, target);
    if (!shapesEqual(input.shape, target.shape)) {
      throw new ShapeError(`${fn}: int32 predicted classes must have the target's shape ${formatShape(target.shape)}, got ${formatShape(input.shape)} (logits must be float)`);
    }
    predicted = readTarget(fn, input, n, 'predicted');
  } else {
    const l = readLogits(fn, input, target);
    if (l.classes !== n) throw new ShapeError(`${fn}: logits have ${l.classes} classes (shape ${formatShape(input.shape)}) but numClasses is ${n}`);
    predicted = Array.from({ length: l.positions }, (_, p) => argmaxAt(l, p));
  }
  checkNotEmpty(fn, target.size);
  const t = readTarget(fn, target, n);
  for (let i = 0; i < t.length; i++) counts[t[i]! * n + predicted[i]!]! += 1;
}

function toTensor(fn: string, counts: Float64Array, n: number): Tensor {
  const big = counts.findIndex((c) => c > 2 ** 31 - 1);
  if (big >= 0) throw new ArgumentError(`${fn}: count ${counts[big]} does not fit int32`);
  return tensor(Int32Array.from(counts), { shape: [n, n] });
}
