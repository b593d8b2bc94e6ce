import { expect } from 'chai';
import { ShapeError } from '../../errors.js';
import { max, min, mul, sum, tensor } from '../../index.js';

describe('max / min', () => {
  const x = () => tensor([[1, 5, 2], [7, 0, 7]], { dtype: 'float64', requiresGrad: true });

  it('reduces over all dims, one dim, several dims, with keepdim', () => {
    expect(max(x()).item()).to.equal(7);
    expect(min(x()).item()).to.equal(0);
    expect(max(x(), 1).toArray()).to.deep.equal([5, 7]);
    expect(max(x(), 0).toArray()).to.deep.equal([7, 5, 7]);
    expect(min(x(), -1, true).toArray()).to.deep.equal([[1], [0]]);
    expect(max(x(), [0, 1], true).shape).to.deep.equal([1, 1]);
    expect(max(x(), undefined, true).toArray()).to.deep.equal([[7]]);
  });

  it('works on int32 (including negative values) and propagates NaN', () => {
    expect(max(tensor([-7, -3, -9], { dtype: 'int32' })).item()).to.equal(-3);
    expect(min(tensor([7, 3, 9], { dtype: 'int32' })).item()).to.equal(3);
    expect(Number.isNaN(max(tensor([1, NaN, 3])).item())).to.equal(true);
  });

  it('sends the gradient to the maximum, split evenly among ties (torch.amax)', () => {
    const t = x();
    sum(max(t)).backward();
    // Two 7s tie for the global max: each gets 1/2.
    expect(t.grad!.toArray()).to.deep.equal([[0, 0, 0], [0.5, 0, 0.5]]);

    const u = x();
    // Per row, weighted by the seed [1, 10]: row 1 has a tie.
    sum(mul(max(u, 1), tensor([1, 10], { dtype: 'float64' }))).backward();
    expect(u.grad!.toArray()).to.deep.equal([[0, 1, 0], [5, 0, 5]]);
  });

  it('min sends its gradient to the minimum', () => {
    const t = tensor([3, 1, 1, 4], { dtype: 'float64', requiresGrad: true });
    min(t).backward();
    expect(t.grad!.toArray()).to.deep.equal([0, 0.5, 0.5, 0]);
  });

  it('refuses to reduce over an empty dim', () => {
    expect(() => max(tensor([[], []]), 1)).to.throw(ShapeError, /max: cannot reduce over dim 1 of size 0 \(x \[2,0\]\)/);
  });
});
