import { expect } from 'chai';
import { ArgumentError, DTypeError } from '../../errors.js';
import { tensor } from '../../tensor/creation.js';
import type { DType } from '../../tensor/dtype.js';
import { sum } from '../reduce/sum.js';
import { abs, div, maximum, minimum, mul, pow } from './arithmetic.js';
import { cast } from './cast.js';
import { clamp } from './clamp.js';
import { equal, greater, greaterEqual, less, lessEqual, notEqual } from './compare.js';

// Hand-computed comparison masks (ties and NaN included), cast and clamp edge cases, and the
// float result of int32 div/pow.
describe('comparisons', () => {
  const a = () => tensor([1, 2, 3, NaN], { dtype: 'float64' });
  const b = () => tensor([2, 2, 2, NaN], { dtype: 'float64' });

  it('give 0/1 masks with ties and NaN as in PyTorch', () => {
    expect(greater(a(), b()).toArray()).to.deep.equal([0, 0, 1, 0]);
    expect(greaterEqual(a(), b()).toArray()).to.deep.equal([0, 1, 1, 0]);
    expect(less(a(), b()).toArray()).to.deep.equal([1, 0, 0, 0]);
    expect(lessEqual(a(), b()).toArray()).to.deep.equal([1, 1, 0, 0]);
    expect(equal(a(), b()).toArray()).to.deep.equal([0, 1, 0, 0]);
    expect(notEqual(a(), b()).toArray()).to.deep.equal([1, 0, 1, 1]);
  });

  it('broadcast and take the promoted dtype', () => {
    const y = less(tensor([[1], [3]], { dtype: 'float32' }), tensor([2, 3], { dtype: 'float64' }));
    expect(y.dtype).to.equal('float64');
    expect(y.toArray()).to.deep.equal([[1, 1], [0, 0]]);
  });
});

describe('cast', () => {
  it('truncates toward zero when casting to int32', () => {
    const y = cast(tensor([-1.7, 1.7, 2.5, -0.5], { dtype: 'float64' }), 'int32');
    expect(y.dtype).to.equal('int32');
    expect(y.toArray()).to.deep.equal([-1, 1, 2, 0]);
  });

  it('keeps NaN and infinities between float dtypes (only int32 rejects them)', () => {
    const y = cast(tensor([NaN, Infinity, 1e40, -1], { dtype: 'float64' }), 'float32');
    expect(y.dtype).to.equal('float32');
    expect(y.toArray()).to.deep.equal([NaN, Infinity, Infinity, -1]);
  });

  it('returns the same tensor for its own dtype', () => {
    const x = tensor([1, 2], { dtype: 'float32' });
    expect(cast(x, 'float32')).to.equal(x);
  });

  it('passes gradients between float dtypes but refuses int32 for a tensor that requires grad', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    sum(mul(cast(x, 'float32'), tensor([3, 4], { dtype: 'float32' }))).backward();
    expect(x.grad!.toArray()).to.deep.equal([3, 4]);
    expect(() => cast(x, 'int32')).to.throw(DTypeError, 'cast: cannot cast a tensor that requires grad to int32 (the result has no gradient); detach() it first');
  });

  it('rejects an unknown dtype', () => {
    expect(() => cast(tensor([1]), 'int64' as DType)).to.throw(DTypeError, 'cast: unknown dtype int64');
  });
});

describe('clamp bounds', () => {
  it('rejects NaN bounds, naming the bound', () => {
    expect(() => clamp(tensor([1]), NaN, 1)).to.throw(ArgumentError, 'clamp: min must be a number, got NaN');
    expect(() => clamp(tensor([1]), 0, NaN)).to.throw(ArgumentError, 'clamp: max must be a number, got NaN');
  });

  it('needs integer bounds for int32, either bound alone allowed', () => {
    const x = () => tensor([1, 5, 9], { dtype: 'int32' });
    expect(clamp(x(), null, 6).toArray()).to.deep.equal([1, 5, 6]);
    expect(clamp(x(), 2, null).toArray()).to.deep.equal([2, 5, 9]);
    expect(() => clamp(x(), 0.5, 6)).to.throw(ArgumentError, 'clamp: bounds of an int32 tensor must be integers, got min 0.5, max 6');
    expect(() => clamp(x(), null, 6.5)).to.throw(ArgumentError, 'clamp: bounds of an int32 tensor must be integers, got min null, max 6.5');
    expect(clamp(tensor([1, 5], { dtype: 'float64' }), 1.5, 2.5).toArray()).to.deep.equal([1.5, 2.5]);
  });
});

describe('int32 div and pow', () => {
  it('give float32 results', () => {
    const q = div(tensor([7, -7], { dtype: 'int32' }), tensor([2, 2], { dtype: 'int32' }));
    expect(q.dtype).to.equal('float32');
    expect(q.toArray()).to.deep.equal([3.5, -3.5]);
    const p = pow(tensor([2, 4], { dtype: 'int32' }), tensor([3, -1], { dtype: 'int32' }));
    expect(p.dtype).to.equal('float32');
    expect(p.toArray()).to.deep.equal([8, 0.25]);
  });

  it('pow: a constant exponent tensor with a leading 0 still passes gradients for its other entries', () => {
    const a = tensor([2, 3], { dtype: 'float64', requiresGrad: true });
    sum(pow(a, tensor([0, 2], { dtype: 'float64' }))).backward();
    expect(a.grad!.toArray()).to.deep.equal([0, 6]);
  });
});

describe('maximum, minimum, abs', () => {
  it('take elementwise extremes with NaN propagating (PyTorch)', () => {
    const a = tensor([1, 5, NaN, -3], { dtype: 'float64' });
    const b = tensor([3, 2, 1, -4], { dtype: 'float64' });
    expect(maximum(a, b).toArray()).to.deep.equal([3, 5, NaN, -3]);
    expect(minimum(a, b).toArray()).to.deep.equal([1, 2, NaN, -4]);
    expect(abs(tensor([-2, 0.5, NaN], { dtype: 'float64' })).toArray()).to.deep.equal([2, 0.5, NaN]);
  });
});
