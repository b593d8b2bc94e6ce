import { expect } from 'chai';
import { AutogradError, ShapeError, exp, mul, sum, tensor } from '../index.js';
import { accumulateGrad } from './accumulate.js';

describe('gradient accumulation', () => {
  it('adds a new gradient to the .grad a leaf already has', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    x.grad = tensor([10, 20], { dtype: 'float64' });
    sum(mul(x, x)).backward();
    expect(x.grad.toArray()).to.deep.equal([12, 24]);
  });

  it("refuses a .grad whose shape or dtype is not the leaf's, naming both", () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    x.grad = tensor([1], { dtype: 'float64' });
    expect(() => sum(exp(x)).backward()).to.throw(AutogradError, /leaf \[2\] float64: \.grad is \[1\] float64/);
    x.grad = tensor([1, 1], { dtype: 'float32' });
    expect(() => sum(exp(x)).backward()).to.throw(AutogradError, /\.grad is \[2\] float32/);
  });

  it('sums only gradients of one shape and dtype', () => {
    const a = tensor([1, 2], { dtype: 'float64' });
    expect(accumulateGrad(a, tensor([3, 4], { dtype: 'float64' })).toArray()).to.deep.equal([4, 6]);
    expect(() => accumulateGrad(a, tensor([3], { dtype: 'float64' }))).to.throw(ShapeError, /accumulateGrad: .*\[2\] float64 and \[1\] float64/);
    expect(() => accumulateGrad(a, tensor([3, 4]))).to.throw(ShapeError, /\[2\] float64 and \[2\] float32/);
  });
});
