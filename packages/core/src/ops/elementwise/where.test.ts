import { expect } from 'chai';
import { ShapeError } from '../../errors.js';
import { greater, sum, tensor, where } from '../../index.js';

describe('where', () => {
  it('selects a where cond is non-zero, else b', () => {
    const cond = tensor([1, 0, 2, 0], { dtype: 'int32' });
    expect(where(cond, tensor([1, 2, 3, 4]), tensor([10, 20, 30, 40])).toArray()).to.deep.equal([1, 20, 3, 40]);
  });

  it('broadcasts cond, a and b together', () => {
    // cond [2,1], a [3], b [] -> [2,3]
    const y = where(tensor([[1], [0]]), tensor([1, 2, 3]), tensor(-1));
    expect(y.shape).to.deep.equal([2, 3]);
    expect(y.toArray()).to.deep.equal([[1, 2, 3], [-1, -1, -1]]);
  });

  it('takes a number for a or b in the other operand dtype', () => {
    const a = tensor([1.5, -2], { dtype: 'float64' });
    const y = where(greater(a, tensor(0)), a, 0);
    expect(y.dtype).to.equal('float64');
    expect(y.toArray()).to.deep.equal([1.5, 0]);
    expect(where(tensor([0, 1]), 7, a).toArray()).to.deep.equal([1.5, 7]);
  });

  it('routes the gradient to the selected operand, summed over broadcast dims', () => {
    const a = tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
    const b = tensor([[5], [6]], { dtype: 'float64', requiresGrad: true });
    const cond = tensor([[1, 0, 1], [0, 0, 1]]);
    sum(where(cond, a, b)).backward();
    expect(a.grad!.toArray()).to.deep.equal([1, 0, 2]);
    expect(b.grad!.toArray()).to.deep.equal([[1], [2]]);
  });

  it('rejects shapes that do not broadcast', () => {
    expect(() => where(tensor([1, 0]), tensor([1, 2, 3]), tensor(0))).to.throw(ShapeError, /where: shapes of cond \[2\] and a \[3\] cannot be broadcast/);
    expect(() => where(tensor([1, 0]), tensor(1), tensor([1, 2, 3]))).to.throw(ShapeError, /where: shapes of cond and a \(broadcast\) \[2\] and b \[3\]/);
  });
});
