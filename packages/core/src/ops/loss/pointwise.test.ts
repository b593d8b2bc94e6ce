import { expect } from 'chai';
import { detectAnomaly } from '../../autograd/anomaly.js';
import { ArgumentError, DTypeError, ShapeError } from '../../errors.js';
import { tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkGrads } from '../../testing/check-grads.js';
import { fillTensor } from '../../testing/arbitraries.js';
import { binaryCrossEntropy } from './binary-cross-entropy.js';
import { klDiv } from './kl-div.js';
import { type Fixed, pointwiseFixtures as fixtures, runPointwise } from './pointwise.test-util.js';
import { huberLoss, l1Loss, smoothL1Loss } from './robust.js';
import type { Reduction } from './reduction.js';
import * as api from '../../index.js';

const f64 = (v: number | number[] | number[][]) => tensor(v, { dtype: 'float64' });

function expectClose(actual: Tensor, expected: Fixed, rtol: number): void {
  expect(actual.shape).to.deep.equal(expected.shape);
  actual.data.forEach((v, i) => expect(v).to.be.closeTo(expected.data[i]!, rtol * Math.max(1, Math.abs(expected.data[i]!)), `element ${i}`));
}

describe('pointwise losses against PyTorch 1.13 fixtures', () => {
  for (const c of fixtures.cases) {
    const { reduction, ...rest } = c.options;
    const extra = Object.entries(rest).map(([k, v]) => ` ${k}=${v}`).join('');
    it(`${c.loss} ${c.name} ${c.dtype} reduction=${reduction}${extra}: value, input and target gradients`, () => {
      const load = (f: Fixed, requiresGrad: boolean) => tensor(f.data, { shape: f.shape, dtype: c.dtype, requiresGrad });
      const x = load(c.input, true);
      const t = load(c.target, c.dt !== null);
      const y = runPointwise(c, x, t);
      const rtol = c.dtype === 'float64' ? 1e-12 : 2e-6;
      expectClose(y, c.y, rtol);
      y.backward(load(c.dy, false));
      expectClose(x.grad!, c.dx, rtol);
      if (c.dt !== null) expectClose(t.grad!, c.dt, rtol);
    });
  }
});

describe('pointwise losses at their edges (values from PyTorch 1.13)', () => {
  it('smoothL1Loss and huberLoss switch from quadratic to linear at beta / delta', () => {
    const x = f64([0.3, 2]);
    const t = f64([0, -1]);
    expect([...smoothL1Loss(x, t, { beta: 0.5, reduction: 'none' }).data]).to.deep.equal([0.09, 2.75]);
    expect([...huberLoss(x, t, { delta: 0.5, reduction: 'none' }).data]).to.deep.equal([0.045, 1.375]);
  });

  it('binaryCrossEntropy at inputs 0 and 1: loss clamped at 100, finite input gradient, infinite target gradient', () => {
    const x = f64([0, 1, 0, 1]).requiresGrad_();
    const t = f64([0, 1, 1, 0]).requiresGrad_();
    const y = binaryCrossEntropy(x, t, { reduction: 'none' });
    expect([...y.data]).to.deep.equal([0, -0, 100, 100]);
    y.backward(f64([1, 1, 1, 1]));
    expect([...x.grad!.data]).to.deep.equal([0, 0, -1000000003995.8029, 1000000003995.8029]);
    expect([...t.grad!.data]).to.deep.equal([Infinity, -Infinity, Infinity, -Infinity]);
  });

  it('binaryCrossEntropy takes targets outside [0, 1], as PyTorch 1.13 does', () => {
    expect(binaryCrossEntropy(f64([0.5]), f64([1.5])).item()).to.be.closeTo(Math.log(2), 1e-15);
  });

  it("klDiv: a zero target probability adds 0; its target gradient is NaN (PyTorch's xlogy)", () => {
    const input = f64([-1, -2, -0.5]).requiresGrad_();
    const target = f64([0, 0.3, 0.7]).requiresGrad_();
    const y = klDiv(input, target);
    expect(y.item()).to.be.closeTo(0.11304523264836881, 1e-16);
    y.backward();
    expectClose(input.grad!, { shape: [3], data: [-0, -0.09999999999999999, -0.2333333333333333] }, 1e-15);
    expect(Number.isNaN(target.grad!.data[0]!)).to.equal(true);
    expect(target.grad!.data[1]).to.be.closeTo(0.5986757318913546, 1e-15);
    expect(target.grad!.data[2]).to.be.closeTo(0.3811083520204225, 1e-15);
  });

  it("xlogy (klDiv's op) and its gradients at a = 0, b ≤ 0 and NaN, as torch.xlogy", () => {
    const a = f64([0, 1, 0, 0.5, 0]).requiresGrad_();
    const b = f64([2, 2, 0, 0, NaN]).requiresGrad_();
    const y = api.getOp('xlogy').apply({ a, b }, {});
    expect([...y.data]).to.deep.equal([0, 0.6931471805599453, 0, -Infinity, NaN]);
    y.backward(f64([1, 1, 1, 1, 1]));
    expect([...a.grad!.data]).to.deep.equal([0.6931471805599453, 0.6931471805599453, 0, -Infinity, NaN]);
    expect([...b.grad!.data]).to.deep.equal([0, 0.5, NaN, Infinity, NaN]);
  });

  it("klDiv: 'batchmean' of a 0-d input is the sum; zero targets pass anomaly detection", () => {
    expect(klDiv(f64(-1), f64(0.5), { reduction: 'batchmean' }).item()).to.be.closeTo(0.15342640972002736, 1e-16);
    const input = f64([-1, -2]).requiresGrad_();
    detectAnomaly(() => klDiv(input, f64([0, 1]), { reduction: 'sum' }).backward());
    expect([...input.grad!.data]).to.deep.equal([-0, -1]);
  });

  it('smoothL1Loss with beta 0 is l1Loss', () => {
    const x = fillTensor([2, 3], 3);
    const t = fillTensor([2, 3], 4);
    expect(smoothL1Loss(x, t, { beta: 0 }).item()).to.equal(l1Loss(x, t).item());
  });
});

describe('pointwise losses: checked first and second derivatives in input and target', () => {
  const x = fillTensor([2, 3], 11, { min: -3, max: 3 });
  const t = fillTensor([2, 3], 12, { min: -3, max: 3 });
  it('l1Loss, smoothL1Loss, huberLoss', () => {
    checkGrads((a, b) => l1Loss(a, b, { reduction: 'sum' }), [x, t], { order: 2 });
    checkGrads((a, b) => smoothL1Loss(a, b, { beta: 0.8 }), [x, t], { order: 2 });
    checkGrads((a, b) => huberLoss(a, b, { delta: 1.3, reduction: 'sum' }), [x, t], { order: 2 });
  });

  it('binaryCrossEntropy with a weight (input, target and weight)', () => {
    const p = fillTensor([2, 3], 13, { min: 0.05, max: 0.95 });
    const labels = fillTensor([2, 3], 14, { min: 0, max: 1 });
    checkGrads((a, b, w) => binaryCrossEntropy(a, b, { weight: w }), [p, labels, fillTensor([3], 15, { min: 0.5, max: 2 })], { order: 2 });
  });

  it('klDiv with probability and log-probability targets', () => {
    const logp = fillTensor([2, 3], 16, { min: -3, max: -0.1 });
    checkGrads((a, b) => klDiv(a, b, { reduction: 'batchmean' }), [logp, fillTensor([2, 3], 17, { min: 0.1, max: 1 })], { order: 2 });
    checkGrads((a, b) => klDiv(a, b, { logTarget: true }), [logp, fillTensor([2, 3], 18, { min: -3, max: 0 })], { order: 2 });
  });
});

describe('pointwise losses: bad input', () => {
  const a = f64([0.2, 0.7]);
  const b = f64([0, 1]);
  it('checks options with messages naming the loss', () => {
    expect(() => l1Loss(a, b, { reduction: 'batchmean' as Reduction })).to.throw(ArgumentError, `l1Loss: reduction must be 'mean', 'sum' or 'none', got "batchmean"`);
    expect(() => smoothL1Loss(a, b, { beta: -1 })).to.throw(ArgumentError, 'smoothL1Loss: beta must be a finite number >= 0, got -1');
    expect(() => smoothL1Loss(a, b, { beta: NaN })).to.throw(ArgumentError, 'smoothL1Loss: beta must be a finite number >= 0, got NaN');
    expect(() => huberLoss(a, b, { delta: 0 })).to.throw(ArgumentError, 'huberLoss: delta must be a finite number > 0, got 0');
    expect(() => huberLoss(a, b, { beta: 1 } as never)).to.throw(ArgumentError, /huberLoss: unknown option 'beta'/);
    expect(() => klDiv(a, b, { reduction: 'avg' as never })).to.throw(ArgumentError, `klDiv: reduction must be 'none', 'sum', 'mean' or 'batchmean', got "avg"`);
    expect(() => klDiv(a, b, { logTarget: 1 as never })).to.throw(ArgumentError, 'klDiv: logTarget must be true or false, got 1');
    expect(() => klDiv(a, b, { log_target: true } as never)).to.throw(ArgumentError, /did you mean 'logTarget'/);
  });

  it('checks shapes and dtypes', () => {
    expect(() => l1Loss(a, f64([1, 2, 3]))).to.throw(ShapeError, 'l1Loss: target shape [3] must match input shape [2]');
    expect(() => klDiv(f64([[1, 2]]), b)).to.throw(ShapeError, 'klDiv: target shape [2] must match input shape [1,2]');
    expect(() => huberLoss(tensor([1, 2], { dtype: 'int32' }), b)).to.throw(DTypeError, /^huberLoss: input must be a floating-point tensor/);
  });

  it('binaryCrossEntropy refuses inputs that are not probabilities, and weights that do not broadcast to input', () => {
    const msg = (got: string) => `binaryCrossEntropy: every element of input must be a probability in [0, 1], got ${got} (for logits use binaryCrossEntropyWithLogits)`;
    expect(() => binaryCrossEntropy(f64([0.5, 1.5]), b)).to.throw(ArgumentError, msg('values in [0.5, 1.5]'));
    expect(() => binaryCrossEntropy(f64([-0.25, 0.5]), b)).to.throw(ArgumentError, msg('values in [-0.25, 0.5]'));
    expect(() => binaryCrossEntropy(f64([0.5, NaN]), b)).to.throw(ArgumentError, msg('a NaN'));
    expect(() => binaryCrossEntropy(a, b, { weight: f64([[1, 2], [3, 4]]) })).to.throw(ShapeError, 'binaryCrossEntropy: weight shape [2,2] must broadcast to input shape [2]');
    expect(() => binaryCrossEntropy(a, b, { weight: f64([1, 2, 3]) })).to.throw(ShapeError, /binaryCrossEntropy: shapes of weight \[3\] and input \[2\] cannot be broadcast/);
    expect(() => binaryCrossEntropy(a, b, { weight: [1, 2] as never })).to.throw(ArgumentError, 'binaryCrossEntropy: weight must be a Tensor or null, got an Array (wrap it in tensor())');
    expect(binaryCrossEntropy(tensor([], { dtype: 'float64' }), tensor([], { dtype: 'float64' }), { reduction: 'sum' }).item()).to.equal(0);
  });

  it('are public, taking arrays', () => {
    expect(api.l1Loss([1, 2], [2, 4]).item()).to.equal(1.5);
    expect(api.smoothL1Loss([0], [3], { beta: 2 }).item()).to.equal(2);
    expect(api.huberLoss([0], [3], { delta: 2 }).item()).to.equal(4);
    expect(api.binaryCrossEntropy([0.5], [1]).item()).to.be.closeTo(Math.log(2), 1e-7);
    expect(api.klDiv([[0, 0]], [[1, 0]], { reduction: 'batchmean' }).item()).to.equal(0);
  });
});
