import { readFileSync } from 'node:fs';
import { ArgumentError, DTypeError, ShapeError, type Tensor, tensor } from '@tensorgrad/core';
import { expect } from 'chai';
import { throwsExactly } from '../optim/optimizer-cases.test.js';
import { accuracy, topKAccuracy } from './accuracy.js';
import { ConfusionMatrix, confusionMatrix } from './confusion-matrix.js';

interface MetricCase {
  name: string;
  logits: (number | null)[];
  shape: number[];
  target: number[];
  targetShape: number[];
  predicted: number[];
  accuracy: number;
  /** Correct positions for k = 1..C under a stable descending sort (ties to the lower index). */
  topKCorrect: number[];
  /** torch.topk's, for scores without ties. */
  topkCorrect?: number[];
  confusion: number[][];
  precision: (number | null)[];
  recall: (number | null)[];
  f1: (number | null)[];
}

// Written by scripts/metrics-fixture.py with PyTorch 1.13 (null stands for NaN).
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/metrics.json', import.meta.url), 'utf8')) as { torch: string; cases: MetricCase[] };
const nan = (xs: (number | null)[]): number[] => xs.map((x) => x ?? NaN);

describe('metrics match PyTorch 1.13 (fixtures/metrics.json)', () => {
  it('the fixture was written by PyTorch 1.13', () => {
    expect(fixture.torch).to.match(/^1\.13/);
    expect(fixture.cases.map((c) => c.name)).to.include('[N, C] NaN scores');
  });

  for (const c of fixture.cases) {
    it(c.name, () => {
      const logits = tensor(Float64Array.from(nan(c.logits)), { shape: c.shape });
      const target = tensor(Int32Array.from(c.target), { shape: c.targetShape });
      const predicted = tensor(Int32Array.from(c.predicted), { shape: c.targetShape });
      const classes = c.shape.length === 1 ? c.shape[0]! : c.shape[1]!;
      expect(accuracy(logits, target)).to.equal(c.accuracy);
      expect(accuracy(predicted, target)).to.equal(c.accuracy);
      expect(accuracy(logits, target, { reduction: 'sum' })).to.equal(Math.round(c.accuracy * c.target.length));
      const topK = c.topKCorrect.map((_, i) => topKAccuracy(logits, target, i + 1, { reduction: 'sum' }));
      expect(topK).to.deep.equal(c.topKCorrect);
      if (c.topkCorrect !== undefined) expect(topK).to.deep.equal(c.topkCorrect);
      expect(topKAccuracy(logits, target, 2)).to.equal(c.topKCorrect[Math.min(1, classes - 1)]! / c.target.length);

      expect(confusionMatrix(logits, target, classes).toArray()).to.deep.equal(c.confusion);
      expect(confusionMatrix(predicted, target, classes).toArray()).to.deep.equal(c.confusion);
      const m = new ConfusionMatrix(classes).update(logits, target);
      expect(m.compute().dtype).to.equal('int32');
      expect(m.precision()).to.deep.equal(nan(c.precision));
      expect(m.recall()).to.deep.equal(nan(c.recall));
      expect(m.f1()).to.deep.equal(nan(c.f1));
      expect(m.accuracy()).to.equal(c.accuracy);
      expect(m.total).to.equal(c.target.length);
    });
  }
});

describe('metrics: tie rule, float32, accumulation', () => {
  it('ties go to the lower class index; a NaN ranks first (top-k membership by hand)', () => {
    // Row 0: scores 3 at classes 1, 2 and 4; target 4 is third among them.
    const logits = tensor([[1, 3, 3, 2, 3], [NaN, 5, NaN, 5, 0]]);
    const target = (t: number[]): Tensor => tensor(t, { dtype: 'int32' });
    expect([1, 2, 3].map((k) => topKAccuracy(logits, target([4, 2]), k, { reduction: 'sum' }))).to.deep.equal([0, 1, 2]);
    expect(accuracy(logits, target([1, 0]))).to.equal(1);
    expect(accuracy(logits, target([2, 2]))).to.equal(0);
    expect([3, 4].map((k) => topKAccuracy(logits, target([3, 3]), k, { reduction: 'sum' }))).to.deep.equal([0, 2]);
    expect(confusionMatrix(logits, target([1, 0]), 5).toArray()).to.deep.equal([
      [1, 0, 0, 0, 0], [0, 1, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0],
    ]);
  });

  it('float32 logits and -0 equal to 0 (a tie, not an order)', () => {
    const logits = tensor([[-0, 0], [0, -0]]);
    expect(accuracy(logits, tensor([0, 0], { dtype: 'int32' }))).to.equal(1);
  });

  it('ConfusionMatrix accumulates batches, resets, and a bad batch counts nothing', () => {
    const m = new ConfusionMatrix(3);
    m.update(tensor([0, 1, 2], { dtype: 'int32' }), tensor([0, 1, 1], { dtype: 'int32' }));
    m.update(tensor([[0, 0, 1], [5, 0, 0]]), tensor([2, 0], { dtype: 'int32' }));
    expect(m.compute().toArray()).to.deep.equal([[2, 0, 0], [0, 1, 1], [0, 0, 1]]);
    expect(() => m.update(tensor([0, 3], { dtype: 'int32' }), tensor([0, 0], { dtype: 'int32' }))).to.throw(ArgumentError);
    expect(() => m.update(tensor([0, 1], { dtype: 'int32' }), tensor([0, 3], { dtype: 'int32' }))).to.throw(ArgumentError);
    expect(m.total).to.equal(5);
    expect(m.precision()).to.deep.equal([1, 1, 0.5]);
    expect(m.recall()).to.deep.equal([1, 0.5, 1]);
    expect(m.f1()).to.deep.equal([1, 2 / 3, 2 / 3]);
    expect(m.accuracy()).to.equal(0.8);
    m.reset();
    expect(m.total).to.equal(0);
    expect(m.compute().toArray()).to.deep.equal([[0, 0, 0], [0, 0, 0], [0, 0, 0]]);
    expect(m.precision().every(Number.isNaN)).to.equal(true);
  });

  it('reads values only: nothing joins the tape', () => {
    const logits = tensor([[0, 1], [1, 0]], { requiresGrad: true });
    expect(accuracy(logits, tensor([1, 1], { dtype: 'int32' }))).to.equal(0.5);
    expect(logits.grad).to.equal(null);
  });
});

describe('metrics: bad input, exact messages', () => {
  const x = tensor([[0, 1, 2], [2, 1, 0]]);
  const y = tensor([2, 0], { dtype: 'int32' });

  it('accuracy and topKAccuracy', () => {
    throwsExactly(() => accuracy(x, tensor([2, 0])), DTypeError, 'accuracy: target must be int32 class indices, got float32');
    throwsExactly(() => accuracy(x, tensor([2, 0, 1], { dtype: 'int32' })), ShapeError, "accuracy: target must have logits' shape without the class dim, [2], got [3]");
    throwsExactly(() => accuracy(x, tensor([3, 0], { dtype: 'int32' })), ArgumentError, 'accuracy: target class 3 at flat index 0 is out of range [0, 3)');
    throwsExactly(() => accuracy(x, tensor([0, -1], { dtype: 'int32' })), ArgumentError, 'accuracy: target class -1 at flat index 1 is out of range [0, 3)');
    throwsExactly(() => accuracy(tensor(new Float32Array(0), { shape: [0, 3] }), tensor(new Int32Array(0))), ShapeError, 'accuracy: target is empty, so there is nothing to score');
    throwsExactly(() => accuracy(tensor(1), tensor(0, { dtype: 'int32' })), ShapeError, 'accuracy: logits must have a class dim ([N, C], [N, C, ...] or [C]), got shape []');
    throwsExactly(() => accuracy(tensor([[0, 1]], { dtype: 'int32' }), y), ShapeError,
      "accuracy: int32 predicted classes must have the target's shape [2], got [1,2] (logits must be float)");
    throwsExactly(() => accuracy(tensor([0, -2], { dtype: 'int32' }), y), ArgumentError, 'accuracy: predicted class -2 at flat index 1 is out of range (negative)');
    throwsExactly(() => accuracy([[0, 1]] as never, y), ArgumentError, 'accuracy: input must be a Tensor, got an array of length 1');
    throwsExactly(() => accuracy(x, y, { reduction: 'none' as never }), ArgumentError, "accuracy: reduction must be 'mean' or 'sum', got 'none'");
    throwsExactly(() => accuracy(x, y, { reduce: 'sum' } as never), ArgumentError, "accuracy: unknown option 'reduce' in options; accepted: reduction");
    throwsExactly(() => topKAccuracy(x, y, 4), ArgumentError, 'topKAccuracy: k must be a finite integer >= 1 and <= 3, got 4');
    throwsExactly(() => topKAccuracy(x, y, 0), ArgumentError, 'topKAccuracy: k must be a finite integer >= 1 and <= 3, got 0');
    throwsExactly(() => topKAccuracy(tensor([0, 1], { dtype: 'int32' }), y, 1), DTypeError, 'topKAccuracy: logits must be float32 or float64 class scores, got int32');
    throwsExactly(() => topKAccuracy(x, 'y' as never, 1), ArgumentError, "topKAccuracy: target must be a Tensor, got 'y'");
  });

  it('confusionMatrix and ConfusionMatrix', () => {
    throwsExactly(() => confusionMatrix(x, y, 4), ShapeError, 'confusionMatrix: logits have 3 classes (shape [2,3]) but numClasses is 4');
    throwsExactly(() => confusionMatrix(x, y, 0), ArgumentError, 'confusionMatrix: numClasses must be a finite integer >= 1, got 0');
    throwsExactly(() => new ConfusionMatrix(2.5), ArgumentError, 'ConfusionMatrix: numClasses must be a finite integer >= 1, got 2.5');
    const m = new ConfusionMatrix(3);
    throwsExactly(() => m.update(tensor([0, 3], { dtype: 'int32' }), y), ArgumentError, 'ConfusionMatrix.update: predicted class 3 at flat index 1 is out of range [0, 3)');
    throwsExactly(() => m.update(x, tensor([0, 1, 2], { dtype: 'int32' })), ShapeError,
      "ConfusionMatrix.update: target must have logits' shape without the class dim, [2], got [3]");
    throwsExactly(() => m.accuracy(), ArgumentError, 'ConfusionMatrix.accuracy: nothing was counted yet (call update first)');
  });
});
