import { expect } from 'chai';
import { ArgumentError } from '../../errors.js';
import { clamp, sum, tensor } from '../../index.js';

describe('clamp', () => {
  const x = () => tensor([-2, -1, 0, 0.5, 1, 3], { dtype: 'float64', requiresGrad: true });

  it('limits values to [min, max], either bound optional', () => {
    expect(clamp(x(), -1, 1).toArray()).to.deep.equal([-1, -1, 0, 0.5, 1, 1]);
    expect(clamp(x(), 0).toArray()).to.deep.equal([0, 0, 0, 0.5, 1, 3]);
    expect(clamp(x(), null, 0).toArray()).to.deep.equal([-2, -1, 0, 0, 0, 0]);
    expect(clamp(x(), undefined, 0.5).toArray()).to.deep.equal([-2, -1, 0, 0.5, 0.5, 0.5]);
  });

  it('sets everything to max when min > max, and keeps NaN (PyTorch)', () => {
    expect(clamp(tensor([-5, 0, 5]), 2, 1).toArray()).to.deep.equal([1, 1, 1]);
    expect(Number.isNaN(clamp(tensor([NaN]), 0, 1).item())).to.equal(true);
  });

  it('passes the gradient where min <= x <= max, bounds included', () => {
    const t = x();
    sum(clamp(t, -1, 1)).backward();
    expect(t.grad!.toArray()).to.deep.equal([0, 1, 1, 1, 1, 0]);
  });

  it('keeps dtype, including int32', () => {
    const y = clamp(tensor([1, 5, 9], { dtype: 'int32' }), 2, 6);
    expect(y.dtype).to.equal('int32');
    expect(y.toArray()).to.deep.equal([2, 5, 6]);
  });

  it('needs at least one bound', () => {
    expect(() => clamp(x())).to.throw(ArgumentError, /clamp: .*too few arguments/);
    expect(() => clamp(x(), null, null)).to.throw(ArgumentError, /clamp: at least one of min and max/);
  });
});
