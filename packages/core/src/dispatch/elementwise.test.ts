// Hand-computed results of the public elementwise API, in particular NumPy broadcasting.
import { expect } from 'chai';
import { ArgumentError } from '../errors.js';
import { add, equal, greater, greaterEqual, less, lessEqual, mul, notEqual, sign, sub, sum, tensor } from '../index.js';

describe('elementwise broadcasting (public API)', () => {
  it('adds a row to every row and a column to every column', () => {
    const m = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(add(m, tensor([10, 20, 30])).toArray()).to.deep.equal([[11, 22, 33], [14, 25, 36]]);
    expect(add(m, tensor([[100], [200]])).toArray()).to.deep.equal([[101, 102, 103], [204, 205, 206]]);
  });

  it('forms an outer product from [n,1] x [m]', () => {
    const y = mul(tensor([[1], [2], [3]]), tensor([1, 10]));
    expect(y.shape).to.deep.equal([3, 2]);
    expect(y.toArray()).to.deep.equal([[1, 10], [2, 20], [3, 30]]);
  });

  it('broadcasts across ranks: [2,1,3] + [4,1] -> [2,4,3]', () => {
    const a = tensor([[[0, 1, 2]], [[3, 4, 5]]]);
    const b = tensor([[0], [10], [20], [30]]);
    const y = add(a, b);
    expect(y.shape).to.deep.equal([2, 4, 3]);
    const ya = y.toArray() as number[][][];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 4; j++) for (let k = 0; k < 3; k++) expect(ya[i]![j]![k]).to.equal(3 * i + k + 10 * j);
  });

  it('takes numbers and 0-d tensors as scalars, keeping the tensor dtype', () => {
    const f64 = tensor([1, 2], { dtype: 'float64' });
    expect(mul(f64, 0.5).dtype).to.equal('float64');
    expect(sub(10, f64).toArray()).to.deep.equal([9, 8]);
    expect(add(tensor(1), tensor([[1, 2]])).toArray()).to.deep.equal([[2, 3]]);
  });

  it('sums gradients over broadcast dims back to each operand shape', () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64', requiresGrad: true });
    const b = tensor([[2], [3]], { dtype: 'float64', requiresGrad: true });
    sum(mul(a, b)).backward();
    expect(a.grad!.toArray()).to.deep.equal([[2, 2, 2], [3, 3, 3]]);
    expect(b.grad!.toArray()).to.deep.equal([[6], [15]]);
  });

  it('compares a tensor with a number like PyTorch (x > 0), in either position', () => {
    const x = tensor([-1, 0, 2.5], { dtype: 'float64' });
    expect(greater(x, 0).toArray()).to.deep.equal([0, 0, 1]);
    expect(greater(x, 0).dtype).to.equal('float64');
    expect(less(0, x).toArray()).to.deep.equal([0, 0, 1]);
    expect(lessEqual(x, 0).toArray()).to.deep.equal([1, 1, 0]);
    expect(equal(x, 0).toArray()).to.deep.equal([0, 1, 0]);
    expect(notEqual(x, 0).toArray()).to.deep.equal([1, 0, 1]);
    expect(greater(x, [[0], [1]]).toArray()).to.deep.equal([[0, 0, 1], [0, 0, 1]]);
    // A fraction beside int32 is compared exactly (torch.tensor([0, 1]) >= 0.5 is [False, True]).
    expect(greaterEqual(tensor([0, 1], { dtype: 'int32' }), 0.5).toArray()).to.deep.equal([0, 1]);
    expect(sign([-2, 0, 3]).toArray()).to.deep.equal([-1, 0, 1]);
  });

  it('names the argument when a comparison gets something that is not a tensor', () => {
    const untyped = greater as unknown as (...args: unknown[]) => unknown;
    expect(() => untyped(tensor([1]), 'a')).to.throw(ArgumentError, /^greater: argument 'b' must be .*Tensor.*, got string \(usage: greater\(a, b\)\)$/);
    expect(() => (sign as unknown as (...args: unknown[]) => unknown)({})).to.throw(ArgumentError, /^sign: argument 'x' must be .*Tensor.*, got Object/);
  });
});
