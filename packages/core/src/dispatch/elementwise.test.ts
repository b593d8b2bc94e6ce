// Hand-computed results of the public elementwise API, in particular NumPy broadcasting.
import { expect } from 'chai';
import { add, mul, sub, sum, tensor } from '../index.js';

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
});
