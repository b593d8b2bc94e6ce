import { expect } from 'chai';
import { ShapeError } from '../../errors.js';
import { tensor } from '../../tensor/creation.js';
import { linear, matmul } from './matmul.js';

// Operand forms of matmul (PyTorch semantics: 1-D a is a row, 1-D b a column, the added dim
// removed afterwards) and linear (1-D input, bias optional), with hand-computed values.
describe('matmul operand forms', () => {
  const m23 = () => tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' });

  it('1-D · 1-D is the dot product, a 0-d tensor', () => {
    const y = matmul(tensor([1, 2, 3], { dtype: 'float64' }), tensor([4, 5, 6], { dtype: 'float64' }));
    expect(y.shape).to.deep.equal([]);
    expect(y.item()).to.equal(32);
  });

  it('2-D · 1-D is a matrix-vector product of shape [m]', () => {
    const y = matmul(m23(), tensor([1, 0, -1], { dtype: 'float64' }));
    expect(y.shape).to.deep.equal([2]);
    expect(y.toArray()).to.deep.equal([-2, -2]);
  });

  it('1-D · 2-D is a vector-matrix product of shape [n]', () => {
    const y = matmul(tensor([1, 2], { dtype: 'float64' }), m23());
    expect(y.shape).to.deep.equal([3]);
    expect(y.toArray()).to.deep.equal([9, 12, 15]);
  });

  it('1-D operands broadcast against batched ones, dropping only the added dim', () => {
    const b = tensor([[[1, 2, 3], [4, 5, 6]], [[0, 1, 0], [1, 0, 1]]], { dtype: 'float64' });
    const left = matmul(tensor([1, 1], { dtype: 'float64' }), b);
    expect(left.shape).to.deep.equal([2,3]);
    expect(left.toArray()).to.deep.equal([[5, 7, 9], [1, 1, 1]]);
    const right = matmul(b, tensor([1, 0, 2], { dtype: 'float64' }));
    expect(right.shape).to.deep.equal([2, 2]);
    expect(right.toArray()).to.deep.equal([[7, 16], [0, 3]]);
  });

  it('2-D · 2-D keeps both dims, including sizes of 1', () => {
    const y = matmul(tensor([[1, 2]], { dtype: 'float64' }), tensor([[3], [4]], { dtype: 'float64' }));
    expect(y.shape).to.deep.equal([1, 1]);
    expect(y.toArray()).to.deep.equal([[11]]);
  });

  it('promotes float32 · float64 to float64', () => {
    const y = matmul(tensor([[1, 2]], { dtype: 'float32' }), tensor([[0.1], [0.2]], { dtype: 'float64' }));
    expect(y.dtype).to.equal('float64');
    expect(y.toArray()).to.deep.equal([[0.1 + 2 * 0.2]]);
  });

  it('rejects 0-d and integer operands, naming them', () => {
    expect(() => matmul(tensor(2), tensor([1, 2]))).to.throw(ShapeError, 'matmul: both operands need at least 1 dim, got a [] and b [2]');
    expect(() => matmul(tensor([1, 2]), tensor(2))).to.throw(ShapeError, 'matmul: both operands need at least 1 dim, got a [2] and b []');
    expect(() => matmul(tensor([[1]], { dtype: 'int32' }), tensor([[1]]))).to.throw(/^matmul: a must be a floating-point tensor/);
    expect(() => matmul(tensor([[1]]), tensor([[1]], { dtype: 'int32' }))).to.throw(/^matmul: b must be a floating-point tensor/);
    expect(() => matmul(tensor([[[1, 2]], [[1, 2]]]), tensor([[[1], [2]], [[1], [2]], [[1], [2]]]))).to.throw(ShapeError, /^matmul \(batch dims\)/);
  });
});

describe('linear operand forms', () => {
  const w = () => tensor([[1, 2, 3], [0, 1, 0]], { dtype: 'float64' });
  const x1 = () => tensor([1, 1, 2], { dtype: 'float64' });

  it('a 1-D input gives a 1-D output of shape [out]', () => {
    const y = linear(x1(), w());
    expect(y.shape).to.deep.equal([2]);
    expect(y.toArray()).to.deep.equal([9, 1]);
  });

  it('adds the bias; undefined and null mean no bias', () => {
    expect(linear(x1(), w(), tensor([10, 20], { dtype: 'float64' })).toArray()).to.deep.equal([19, 21]);
    expect(linear(x1(), w(), undefined).toArray()).to.deep.equal([9, 1]);
    expect(linear(x1(), w(), null).toArray()).to.deep.equal([9, 1]);
    const batch = linear(tensor([[1, 1, 2], [0, 0, 1]], { dtype: 'float64' }), w(), tensor([10, 20], { dtype: 'float64' }));
    expect(batch.toArray()).to.deep.equal([[19, 21], [13, 20]]);
  });

  it('checks weight rank, input features and bias shape, naming the shapes', () => {
    expect(() => linear(x1(), tensor([1, 2, 3], { dtype: 'float64' }))).to.throw(ShapeError, 'linear: weight must be 2-D [out, in], got [3]');
    expect(() => linear(tensor([1, 2], { dtype: 'float64' }), w())).to.throw(ShapeError, 'linear: input x [2] must end in 3 features to match weight [2,3]');
    expect(() => linear(x1(), w(), tensor([1, 2, 3], { dtype: 'float64' }))).to.throw(ShapeError, 'linear: bias must have shape [2] to match weight [2,3], got [3]');
    expect(() => linear(x1(), w(), tensor([[1], [2]], { dtype: 'float64' }))).to.throw(ShapeError, 'linear: bias must have shape [2] to match weight [2,3], got [2,1]');
    expect(() => linear(x1(), w(), tensor([[1, 2]], { dtype: 'float64' }))).to.throw(ShapeError, 'linear: bias must have shape [2] to match weight [2,3], got [1,2]');
  });
});
