import { expect } from 'chai';
import { ArgumentError, ShapeError } from '../../errors.js';
import { concat, mul, stack, sum, tensor } from '../../index.js';

describe('concat / stack', () => {
  const a = () => tensor([[1, 2], [3, 4]], { dtype: 'float64', requiresGrad: true });
  const b = () => tensor([[5, 6]], { dtype: 'float64', requiresGrad: true });

  it('joins along an existing dim', () => {
    expect(concat([a(), b()]).toArray()).to.deep.equal([[1, 2], [3, 4], [5, 6]]);
    expect(concat([a(), tensor([[9], [8]], { dtype: 'float64' })], 1).toArray()).to.deep.equal([[1, 2, 9], [3, 4, 8]]);
    expect(concat([a(), a()], -1).shape).to.deep.equal([2, 4]);
  });

  it('promotes dtypes and converts array items', () => {
    const y = concat([tensor([1], { dtype: 'int32' }), tensor([2.5], { dtype: 'float64' }), [3]]);
    expect(y.dtype).to.equal('float64');
    expect(y.toArray()).to.deep.equal([1, 2.5, 3]);
  });

  it('splits the gradient back into the pieces', () => {
    const x = a();
    const z = b();
    const w = tensor([[1, 2], [3, 4], [5, 6]], { dtype: 'float64' });
    sum(mul(concat([x, z], 0), w)).backward();
    expect(x.grad!.toArray()).to.deep.equal([[1, 2], [3, 4]]);
    expect(z.grad!.toArray()).to.deep.equal([[5, 6]]);
  });

  it('gives an int32 piece no gradient and a float32 piece a float32 one', () => {
    const f = tensor([1, 2], { requiresGrad: true });
    sum(concat([tensor([7], { dtype: 'int32' }), f, tensor([0.5], { dtype: 'float64' })])).backward();
    expect(f.grad!.dtype).to.equal('float32');
    expect(f.grad!.toArray()).to.deep.equal([1, 1]);
  });

  it('stacks along a new dim', () => {
    const p = tensor([1, 2, 3]);
    const q = tensor([4, 5, 6]);
    expect(stack([p, q]).toArray()).to.deep.equal([[1, 2, 3], [4, 5, 6]]);
    expect(stack([p, q], 1).toArray()).to.deep.equal([[1, 4], [2, 5], [3, 6]]);
    expect(stack([p, q], -1).shape).to.deep.equal([3, 2]);
    expect(stack([tensor(1), tensor(2)]).toArray()).to.deep.equal([1, 2]);
  });

  it('names the mismatching item and the dims', () => {
    expect(() => concat([a(), tensor([1, 2, 3])])).to.throw(ShapeError, /concat: xs\[1\] has shape \[3\] but xs\[0\] has \[2,2\]/);
    expect(() => concat([a(), tensor([[1, 2, 3]])], 0)).to.throw(ShapeError, /all sizes must match except along dim 0/);
    expect(() => stack([tensor([1, 2]), tensor([1, 2, 3])])).to.throw(ShapeError, /stack: xs\[1\] has shape \[3\] but xs\[0\] has \[2\]/);
    expect(() => concat([])).to.throw(ArgumentError, /concat: xs must hold at least one tensor/);
    expect(() => concat([a(), 'x' as never])).to.throw(ArgumentError, /concat: xs\[1\] must be a Tensor.*got string/);
  });
});
