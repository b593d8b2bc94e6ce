import { expect } from 'chai';
import { ArgumentError, DTypeError, ShapeError } from '../../errors.js';
import { tensor } from '../../tensor/creation.js';
import { crossEntropy, nllLoss } from './classification.js';
import { binaryCrossEntropyWithLogits, mseLoss } from './regression.js';

// Loss options at their edges and the messages of their checks; values from PyTorch 1.13
// (torch.nn.functional, float64).
const f64 = (v: number[] | number[][]) => tensor(v, { dtype: 'float64' });
const logits = () => f64([[1, 2, 0.5], [0, -1, 3]]);
const target = () => tensor([1, 2], { dtype: 'int32' });

function expectNear(actual: number, expected: number): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).to.be.at.most(1e-14);
}

describe('loss options at their edges', () => {
  it('crossEntropy labelSmoothing accepts the closed range [0, 1]', () => {
    expectNear(crossEntropy(logits(), target(), { labelSmoothing: 1 }).item(), 1.8484596772660205);
    expectNear(crossEntropy(logits(), target(), { labelSmoothing: 0.3 }).item(), 0.7401263439326871);
    for (const eps of [-0.1, 1.1, NaN]) {
      expect(() => crossEntropy(logits(), target(), { labelSmoothing: eps }), `${eps}`).to.throw(ArgumentError, `crossEntropy: labelSmoothing must be in [0, 1], got ${eps}`);
    }
  });

  it('crossEntropy without smoothing ignores a -Infinity logit of another class', () => {
    expect(crossEntropy(f64([[0, -Infinity]]), tensor([0], { dtype: 'int32' })).item()).to.equal(0);
  });

  it('binaryCrossEntropyWithLogits applies weight per element', () => {
    expectNear(binaryCrossEntropyWithLogits(f64([1, -2]), f64([1, 0]), { weight: f64([2, 0.5]) }).item(), 0.34499369027896604);
  });

  it('checks input rank, weight, ignoreIndex and reduction with messages naming the loss', () => {
    expect(() => crossEntropy(tensor(1, { dtype: 'float64' }), tensor(0, { dtype: 'int32' }))).to.throw(
      ShapeError,
      'crossEntropy: input must have a class dim ([C], [N, C] or [N, C, d1, ...]), got a 0-d tensor',
    );
    expect(() => crossEntropy(tensor([[1, 2]], { dtype: 'int32' }), tensor([0], { dtype: 'int32' }))).to.throw(DTypeError, /^crossEntropy: input must be a floating-point tensor/);
    expect(() => nllLoss(logits(), target(), { weight: tensor([1, 1, 1], { dtype: 'int32' }) })).to.throw(DTypeError, /^nllLoss: weight must be a floating-point tensor/);
    expect(() => nllLoss(logits(), target(), { weight: f64([[1], [1], [1]]) })).to.throw(ShapeError, 'nllLoss: weight must have shape [3] (one per class of input [2,3]), got [3,1]');
    expect(() => nllLoss(logits(), tensor([5, 0], { dtype: 'int32' }))).to.throw(ArgumentError, 'nllLoss: target class 5 at flat index 0 is out of range [0, 3) (ignoreIndex -100)');
    expect(() => crossEntropy(logits(), target(), { ignoreIndex: 0.5 })).to.throw(ArgumentError, 'crossEntropy: ignoreIndex must be an integer, got 0.5');
    expect(() => mseLoss(f64([1]), f64([1]), { reduction: 'avg' as 'mean' })).to.throw(ArgumentError, `mseLoss: reduction must be 'mean', 'sum' or 'none', got "avg"`);
    const bce = 'binaryCrossEntropyWithLogits';
    expect(() => binaryCrossEntropyWithLogits(f64([1]), f64([1]), { weight: [1] as never })).to.throw(ArgumentError, `${bce}: weight must be a Tensor or null, got an Array (wrap it in tensor())`);
    expect(() => binaryCrossEntropyWithLogits(f64([1]), f64([1, 2]))).to.throw(ShapeError, `${bce}: target shape [2] must match logits shape [1]`);
  });
});
