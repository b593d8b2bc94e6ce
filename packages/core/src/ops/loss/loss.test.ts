import { expect } from 'chai';
import { ArgumentError, DTypeError, ShapeError } from '../../errors.js';
import { tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkGrads } from '../../testing/check-grads.js';
import { fillTensor } from '../../testing/arbitraries.js';
import { crossEntropy, nllLoss } from './classification.js';
import { binaryCrossEntropyWithLogits, mseLoss } from './regression.js';
import { type Fixed, lossFixtures as fixtures, runLoss } from './loss.test-util.js';
import * as api from '../../index.js';

const load = (f: Fixed, requiresGrad = false): Tensor => tensor(f.data, { shape: f.shape, dtype: 'float64', requiresGrad });

function expectClose(actual: Tensor, expected: Fixed, tol = 1e-12): void {
  expect(actual.shape).to.deep.equal(expected.shape);
  actual.data.forEach((v, i) => expect(v).to.be.closeTo(expected.data[i]!, tol * Math.max(1, Math.abs(expected.data[i]!)), `element ${i}`));
}

describe('losses against PyTorch 1.13 fixtures', () => {
  for (const c of fixtures.cases) {
    const what = `${c.loss} ${c.name} reduction=${c.reduction}${c.labelSmoothing ? ` labelSmoothing=${c.labelSmoothing}` : ''}`;
    it(`${what}: value and input gradient`, () => {
      const x = load(c.input, true);
      const y = runLoss(c, x);
      expectClose(y, c.y);
      y.backward(load(c.dy));
      expectClose(x.grad!, c.dx);
    });
  }
});

describe('crossEntropy', () => {
  it('matches -log softmax[target] by hand', () => {
    const y = crossEntropy(tensor([[0, Math.log(3)]], { dtype: 'float64' }), tensor([1], { dtype: 'int32' }));
    expect(y.item()).to.be.closeTo(-Math.log(3 / 4), 1e-15);
  });

  it('is finite for logits of ±1000', () => {
    const y = crossEntropy(tensor([[1000, -1000], [-1000, 1000]], { dtype: 'float64' }), tensor([1, 1], { dtype: 'int32' }), { reduction: 'none' });
    expect([...y.data].map((v) => v + 0)).to.deep.equal([2000, 0]);
  });

  it('has checked first and second derivatives with smoothing, weights and an ignored target', () => {
    const logits = fillTensor([4, 3, 2], 7);
    const target = tensor([[0, 2], [-100, 1], [1, 1], [2, 0]], { dtype: 'int32' });
    const weight = tensor([0.5, 2, 1], { dtype: 'float64' });
    checkGrads((x) => crossEntropy(x, target, { labelSmoothing: 0.2, weight }), [logits], { order: 2 });
  });

  it('gives clear errors for bad targets', () => {
    const logits = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(() => crossEntropy(logits, tensor([0, 3], { dtype: 'int32' }))).to.throw(ArgumentError, /crossEntropy: target class 3 at flat index 1 is out of range \[0, 3\)/);
    expect(() => crossEntropy(logits, tensor([0, 1, 2], { dtype: 'int32' }))).to.throw(ShapeError, /target must have input's shape without the class dim, \[2\], got \[3\]/);
    expect(() => crossEntropy(logits, tensor([0, 1]))).to.throw(ShapeError, /class-probability target must have logits' shape \[2,3\], got \[2\].*int32 target of shape \[2\]/);
    expect(() => crossEntropy(logits, tensor([0, 1], { dtype: 'int32' }), { weight: tensor([1, 2]) })).to.throw(ShapeError, /weight must have shape \[3\]/);
    expect(() => crossEntropy(logits, tensor([0, 1], { dtype: 'int32' }), { reduction: 'avg' as never })).to.throw(ArgumentError, /reduction must be 'mean', 'sum' or 'none', got "avg"/);
    expect(() => crossEntropy(logits, tensor([0, 1], { dtype: 'int32' }), { labelSmoothing: 1.5 })).to.throw(ArgumentError, /labelSmoothing must be in \[0, 1\]/);
    expect(() => nllLoss(logits, tensor([0, 1]))).to.throw(DTypeError, /nllLoss: target must be int32 class indices, got float32/);
  });

  it('declares the integer target nondifferentiable and works through the public API', () => {
    const def = api.getOp('classGather');
    expect(def.inputs.find((i) => i.name === 'target')!.differentiable).to.equal(false);
    const y = api.crossEntropy([[0, 0]], tensor([1], { dtype: 'int32' }));
    expect(y.item()).to.be.closeTo(Math.log(2), 1e-7);
  });
});

describe('mseLoss and binaryCrossEntropyWithLogits', () => {
  it('reject mismatched shapes', () => {
    expect(() => mseLoss(tensor([1, 2]), tensor([1, 2, 3]))).to.throw(ShapeError, /mseLoss: target shape \[3\] must match input shape \[2\]/);
    expect(() => binaryCrossEntropyWithLogits(tensor([1, 2]), tensor([[1, 2]]))).to.throw(ShapeError, /target shape \[1,2\] must match logits shape \[2\]/);
  });

  it('binaryCrossEntropyWithLogits has checked second derivatives (logits and target)', () => {
    checkGrads((x, t) => binaryCrossEntropyWithLogits(x, t, { posWeight: tensor([2, 0.5, 1], { dtype: 'float64' }) }), [fillTensor([2, 3], 1, { min: -4, max: 4 }), fillTensor([2, 3], 2, { min: 0, max: 1 })], { order: 2 });
  });
});
