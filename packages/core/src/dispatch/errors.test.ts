// The messages users see for common mistakes: each names the op, the argument, and what was
// expected vs what was given.
import { expect } from 'chai';
import { ArgumentError, DTypeError, ShapeError, TensorError } from '../errors.js';
import * as tg from '../index.js';

const x23 = () => tg.tensor([[1, 2, 3], [4, 5, 6]]);
const untyped = <F>(f: F) => f as unknown as (...args: unknown[]) => unknown;

describe('error messages of the public API', () => {
  it('every error is a TensorError subclass', () => {
    expect(() => tg.add(x23(), tg.ones([4]))).to.throw(TensorError);
  });

  it('wrong argument type: names the op, the argument, the accepted types and what was given', () => {
    expect(() => untyped(tg.add)(x23(), 'a')).to.throw(ArgumentError, /^add: argument 'b' must be .*Tensor.*, got string \(usage: add\(a, b\)\)$/);
    expect(() => untyped(tg.matmul)('a', x23())).to.throw(ArgumentError, /^matmul: argument 'a' must be .*Tensor.*, got string/);
    expect(() => untyped(tg.exp)({})).to.throw(ArgumentError, /^exp: argument 'x' must be .*Tensor.*, got Object/);
    expect(() => untyped(tg.sum)(x23(), 'rows')).to.throw(ArgumentError, /^sum: argument 'dims' must be number or Array.*, got string \(usage: sum\(x, dims, keepdim\)\)/);
    expect(() => untyped(tg.reshape)(x23(), 6)).to.throw(ArgumentError, /^reshape: argument 'shape' must be Array, got number/);
    expect(() => untyped(tg.clamp)(x23(), '0')).to.throw(ArgumentError, /^clamp: argument 'min' must be number or null or undefined or Tensor.*, got string/);
    expect(() => untyped(tg.concat)([x23(), 'a'])).to.throw(ArgumentError, /^concat: xs\[1\] must be a Tensor .*got string/);
  });

  it('optional tensor arguments: null, undefined, a tensor or anything that converts to one; other values name the argument', () => {
    const x = tg.ones([2, 3, 4, 4]);
    expect(() => untyped(tg.batchNorm)(x, 'a', null)).to.throw(ArgumentError, /^batchNorm: argument 'runningMean' must be Tensor or null, got string/);
    expect(() => untyped(tg.conv2d)(x, tg.ones([2, 3, 3, 3]), 'b')).to.throw(ArgumentError, /^conv2d: argument 'b' must be .*Tensor or null.*, got string/);
    const viaArrays = tg.batchNorm(x, null, undefined, [2, 2, 2], [1, 1, 1]);
    const viaTensors = tg.batchNorm(x, null, null, tg.full([3], 2), tg.ones([3]));
    expect(viaArrays.toArray()).to.deep.equal(viaTensors.toArray());
    expect(tg.conv2d(x, tg.ones([2, 3, 3, 3]), [1, 2]).shape).to.deep.equal([2, 2, 2, 2]);
  });

  it('setNumThreads rejects what is not a thread count', async () => {
    for (const n of [NaN, 0, 1.5, -2, 1000]) {
      const error = await tg.setNumThreads(n).then(() => null, (e: unknown) => e);
      expect(error, String(n)).to.be.instanceOf(ArgumentError);
      expect((error as Error).message).to.match(/^setNumThreads: n must be an integer from 1 to 64, got /);
    }
  });

  it('memory and conv-algorithm controls reject bad values', () => {
    for (const bytes of [NaN, -1, '1e6']) expect(() => untyped(tg.setPoolLimit)(bytes), String(bytes)).to.throw(ArgumentError, /^setPoolLimit: bytes must be a number >= 0/);
    expect(() => untyped(tg.setConvTuning)('no')).to.throw(ArgumentError, /^setConvTuning: mode must be one of 'rule', 'benchmark', 'off' .* got 'no'/);
    expect(() => untyped(tg.restoreConvChoices)(null)).to.throw(ArgumentError, /^restoreConvChoices: choices must be an object .* got null/);
    expect(() => untyped(tg.restoreConvChoices)({ k: 3 })).to.throw(ArgumentError, /the algorithm of 'k' must be a string, got number/);
  });

  it('too few or too many arguments: names the op, the count and the usage', () => {
    expect(() => untyped(tg.add)(x23())).to.throw(ArgumentError, /^add: too few arguments: got 1, expected add\(a, b\)$/);
    expect(() => untyped(tg.matmul)()).to.throw(ArgumentError, /^matmul: too few arguments: got 0, expected matmul\(a, b\)$/);
    expect(() => untyped(tg.where)(x23(), x23())).to.throw(ArgumentError, /^where: too few arguments: got 2, expected where\(cond, a, b\)$/);
    expect(() => untyped(tg.narrow)(x23(), 0, 1)).to.throw(ArgumentError, /^narrow: too few arguments: got 3, expected narrow\(x, dim, start, length\)$/);
    expect(() => untyped(tg.neg)(x23(), x23())).to.throw(ArgumentError, /^neg: too many arguments: got 2, expected neg\(x\)$/);
  });

  it('broadcasting mismatch: names the operands, both shapes and the offending dim', () => {
    expect(() => tg.add(x23(), tg.ones([2]))).to.throw(ShapeError, /^add: shapes of a \[2,3\] and b \[2\] cannot be broadcast together \(dim -1: 3 vs 2\)$/);
    expect(() => tg.mul(tg.ones([2, 3]), tg.ones([3, 3]))).to.throw(ShapeError, /^mul: shapes of a \[2,3\] and b \[3,3\] cannot be broadcast together \(dim -2: 2 vs 3\)$/);
  });

  it('matmul inner-dimension mismatch: names a and b, their shapes and the two sizes', () => {
    expect(() => tg.matmul(x23(), x23())).to.throw(ShapeError, /^matmul: inner dimensions differ: a \[2,3\] has 3 columns but b \[2,3\] has 2 rows$/);
    expect(() => tg.linear(x23(), tg.ones([4, 4]))).to.throw(ShapeError, /^linear: input x \[2,3\] must end in 4 features to match weight \[4,4\]$/);
  });

  it('reshape size mismatch: names x, its shape and size, and the target', () => {
    expect(() => tg.reshape(x23(), [4])).to.throw(ShapeError, /^reshape: cannot reshape x \[2,3\] \(6 elements\) to \[4\]$/);
    expect(() => tg.reshape(x23(), [-1, -1])).to.throw(ShapeError, /^reshape: invalid target shape \[-1,-1\]/);
  });

  it('concat / stack shape mismatch: names the item, both shapes and the dim', () => {
    expect(() => tg.concat([x23(), tg.ones([2, 2])], 0)).to.throw(
      ShapeError,
      /^concat: xs\[1\] has shape \[2,2\] but xs\[0\] has \[2,3\]; all sizes must match except along dim 0 \(shapes: \[2,3\], \[2,2\]\)$/,
    );
    expect(() => tg.concat([x23(), tg.ones([3])], 0)).to.throw(ShapeError, /^concat: xs\[1\] has shape \[3\] but xs\[0\] has \[2,3\]/);
    expect(() => tg.stack([x23(), tg.ones([3, 2])])).to.throw(ShapeError, /^stack: xs\[1\] has shape \[3,2\] but xs\[0\] has \[2,3\]; stack needs equal shapes$/);
  });

  it('bad dim: names the op, the argument, the valid range and the value', () => {
    expect(() => tg.sum(x23(), 2)).to.throw(ArgumentError, /^sum: dim must be an integer in \[-2, 1\] for a tensor of rank 2, got 2$/);
    expect(() => tg.max(x23(), [0, 0])).to.throw(ArgumentError, /^max: dims contain a repeated dim: \[0,0\]$/);
    expect(() => tg.transpose(x23(), 0, -3)).to.throw(ArgumentError, /^transpose: dim1 must be an integer in \[-2, 1\] for a tensor of rank 2, got -3$/);
    expect(() => tg.concat([x23(), x23()], 2)).to.throw(ArgumentError, /^concat: dim must be an integer in \[-2, 1\] for a tensor of rank 2, got 2$/);
    expect(() => tg.stack([x23(), x23()], 3)).to.throw(ArgumentError, /^stack: dim must be an integer in \[-3, 2\] for a tensor of rank 3, got 3$/);
    expect(() => tg.narrow(x23(), 1, 0, 4)).to.throw(ArgumentError, /^narrow: length must be an integer in \[0, 3\] for start 0 in dim 1 of size 3 \(x \[2,3\]\), got 4$/);
    expect(() => tg.unsqueeze(x23(), 5)).to.throw(ShapeError, /^unsqueeze: dim 5 is out of range for x \[2,3\]$/);
  });

  it('an int32 tensor given requiresGrad: names the setting, what is allowed and the dtype', () => {
    expect(() => tg.tensor([1, 2], { dtype: 'int32', requiresGrad: true })).to.throw(
      DTypeError,
      /^requiresGrad: only floating-point tensors can require gradients, got int32$/,
    );
    expect(() => tg.arange(3).requiresGrad_()).to.throw(DTypeError, /got int32/);
    expect(() => tg.exp(tg.tensor([1], { dtype: 'int32' }))).to.throw(DTypeError, /^exp: x must be a floating-point tensor \(float32 or float64\), got int32$/);
  });

  it('item() on a multi-element tensor: names item, the expectation and the shape', () => {
    expect(() => x23().item()).to.throw(ShapeError, /^item: tensor must have exactly one element, got shape \[2,3\]$/);
    expect(() => tg.zeros([0]).item()).to.throw(ShapeError, /got shape \[0\]/);
    expect(tg.tensor([[5]]).item()).to.equal(5);
  });
});
