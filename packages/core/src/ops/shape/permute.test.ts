import { expect } from 'chai';
import { ArgumentError } from '../../errors.js';
import { arange, mul, permute, reshape, sum, tensor, transpose } from '../../index.js';

describe('permute / transpose', () => {
  it('reorders dims: y[k,i,j] = x[i,j,k]', () => {
    const x = reshape(arange(24), [2, 3, 4]);
    const y = permute(x, [2, 0, 1]);
    expect(y.shape).to.deep.equal([4, 2, 3]);
    const xa = x.toArray() as number[][][];
    const ya = y.toArray() as number[][][];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) expect(ya[k]![i]![j]).to.equal(xa[i]![j]![k]);
  });

  it('transposes a matrix and accepts negative dims', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(transpose(x, 0, 1).toArray()).to.deep.equal([[1, 4], [2, 5], [3, 6]]);
    expect(permute(x, [-1, -2]).toArray()).to.deep.equal([[1, 4], [2, 5], [3, 6]]);
    expect(transpose(x, 1, 1)).to.equal(x);
  });

  it('sends the gradient back through the inverse permutation', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64', requiresGrad: true });
    const w = tensor([[1, 10], [100, 1000], [1e4, 1e5]], { dtype: 'float64' });
    sum(mul(transpose(x, 0, 1), w)).backward();
    expect(x.grad!.toArray()).to.deep.equal([[1, 100, 1e4], [10, 1000, 1e5]]);
  });

  it('rejects dims that are not a permutation', () => {
    const x = tensor([[1, 2]]);
    expect(() => permute(x, [0])).to.throw(ArgumentError, /permute: dims must list each of x's 2 dims once, got \[0\]/);
    expect(() => permute(x, [1, -1])).to.throw(ArgumentError, /permute: .*repeated/);
    expect(() => transpose(x, 0, 2)).to.throw(ArgumentError, /transpose: dim1 must be an integer in \[-2, 1\].*got 2/);
  });
});
