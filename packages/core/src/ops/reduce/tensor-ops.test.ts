// clamp with tensor bounds, logsumexp, variance / std (and the `var` export), argmax / argmin, topk
// and oneHot: the call forms, rules the PyTorch fixtures do not pin down (topk's tie order, sorted
// false, empty shapes), and bad input (each error names the function, the argument, expected vs
// actual). Values and gradients against PyTorch are in tensor-ops.torch.test.ts.
import { expect } from 'chai';
import { ArgumentError, DTypeError, ShapeError, type TensorError } from '../../errors.js';
import * as tg from '../../index.js';
import { var as varianceAlias } from '../../index.js';

const untyped = <F>(f: F) => f as unknown as (...args: unknown[]) => unknown;
const f64 = (data: tg.TensorData, requiresGrad = false) => tg.tensor(data, { dtype: 'float64', requiresGrad });
const x23 = () => f64([[1, 5, 2], [7, 0, 7]]);

describe('clamp with tensor bounds', () => {
  it('takes tensors, arrays, and a number beside a tensor; broadcasts all three', () => {
    const x = f64([[-2, 0.5, 3], [1, -1, 2]]);
    expect(tg.clamp(x, f64([0, 0, 1]), f64([[1], [0.5]])).toArray()).to.deep.equal([[0, 0.5, 1], [0.5, 0, 0.5]]);
    expect(tg.clamp(x, [0, 1, 2]).toArray()).to.deep.equal([[0, 1, 3], [1, 1, 2]]);
    expect(tg.clamp(x, null, f64([0, 0, 0])).toArray()).to.deep.equal([[-2, 0, 0], [0, -1, 0]]);
    expect(tg.clamp(x, -1, f64(1)).toArray()).to.deep.equal([[-1, 0.5, 1], [1, -1, 1]]);
    expect(tg.clamp(x, f64(0), 1).toArray()).to.deep.equal([[0, 0.5, 1], [1, 0, 1]]);
    expect(tg.clamp(tg.ones([3]), f64(2), null).toArray()).to.deep.equal([2, 2, 2]);
  });

  it('promotes dtypes as PyTorch (int32 x with float bounds is float32; float32 with float64 is float64)', () => {
    expect(tg.clamp(tg.tensor([1, 5], { dtype: 'int32' }), tg.tensor([2, 2], { dtype: 'int32' })).dtype).to.equal('int32');
    expect(tg.clamp(tg.tensor([1, 5], { dtype: 'int32' }), tg.tensor([2.5, 2.5])).toArray()).to.deep.equal([2.5, 5]);
    expect(tg.clamp(tg.ones([2]), f64([0, 0])).dtype).to.equal('float64');
  });

  it('sums the bounds\' gradients down to their shapes (a bound broadcast over rows)', () => {
    const x = f64([[-2, 0.5], [3, -4]], true);
    const lo = f64([-1, 0], true);
    tg.sum(tg.clamp(x, lo)).backward();
    expect(lo.grad!.toArray()).to.deep.equal([1, 1]);
    expect(x.grad!.toArray()).to.deep.equal([[0, 1], [1, 0]]);
  });

  it('selects the gradient (PyTorch\'s where), so an infinite or NaN dy stays off the masked inputs', () => {
    const x = f64([0, 5], true);
    const lo = f64([1, 1], true);
    const hi = f64([3, 3], true);
    tg.clamp(x, lo, hi).backward(f64([Infinity, NaN]));
    expect([x.grad!.toArray(), lo.grad!.toArray(), hi.grad!.toArray()]).to.deep.equal([[0, 0], [Infinity, 0], [0, NaN]]);
  });

  it('refuses shapes that do not broadcast, no bound, and a NaN number bound', () => {
    expect(() => tg.clamp(tg.ones([2, 3]), tg.ones([2]))).to.throw(ShapeError, /^clamp: .*x.*\[2,3\].*min.*\[2\]/);
    expect(() => tg.clamp(tg.ones([2, 3]), tg.zeros([3]), tg.ones([4]))).to.throw(ShapeError, /^clamp: .*max.*\[4\]/);
    expect(() => tg.clamp(tg.ones([2]), NaN, f64([1, 1]))).to.throw(ArgumentError, /^clamp: a number bound must not be NaN/);
    expect(() => untyped(tg.clamp)(tg.ones([2]), 'a', tg.ones([2]))).to.throw(ArgumentError, /^clamp: argument 'min' must be /);
  });
});

describe('logsumexp', () => {
  it('reduces one dim or several, keepdim positional or as an option', () => {
    const x = x23();
    const expected = [Math.log(Math.exp(1) + Math.exp(5) + Math.exp(2)), Math.log(2 * Math.exp(7) + 1)];
    tg.logsumexp(x, 1).data.forEach((v, i) => expect(v).to.be.closeTo(expected[i]!, 1e-12));
    expect(tg.logsumexp(x, -1, true).shape).to.deep.equal([2, 1]);
    expect(tg.logsumexp(x, [0, 1], { keepdim: true }).shape).to.deep.equal([1, 1]);
    expect(tg.logsumexp(f64([1e308, 1e308]), 0).item()).to.be.closeTo(1e308, 1e294);
  });

  it('refuses a missing or empty dim, int32, and unknown options', () => {
    const bad: [() => unknown, new (...a: never[]) => TensorError, RegExp][] = [
      [() => untyped(tg.logsumexp)(x23()), ArgumentError, /^logsumexp: too few arguments: got 1, expected logsumexp\(x, dim, keepdim\)/],
      [() => tg.logsumexp(x23(), []), ArgumentError, /^logsumexp: dim must be a dim or a non-empty list of dims, got \[\]/],
      [() => tg.logsumexp(x23(), 2), ArgumentError, /^logsumexp: dim must be an integer in \[-2, 1\] for a tensor of rank 2, got 2/],
      [() => tg.logsumexp(tg.tensor([1, 2], { dtype: 'int32' }), 0), DTypeError, /^logsumexp: x must be a floating-point tensor .*got int32/],
      [() => tg.logsumexp(x23(), 0, { keepDim: true } as never), ArgumentError, /^logsumexp: unknown option 'keepDim'.*did you mean 'keepdim'/],
      [() => tg.logsumexp(x23(), 0, { keepdim: 1 } as never), ArgumentError, /^logsumexp: keepdim must be true or false, got 1/],
    ];
    for (const [call, error, message] of bad) expect(call).to.throw(error, message);
  });
});

describe('variance and std', () => {
  const x = () => f64([[1, 2, 3, 4], [2, 4, 6, 8]]);

  it('takes (x), (x, dims), (x, dims, options) and (x, options); var is the same function', () => {
    expect(tg.variance(x()).item()).to.be.closeTo(4.6875 * 8 / 7, 1e-12);
    expect(tg.variance(x(), 1).toArray()).to.deep.equal([5 / 3, 20 / 3]);
    expect(tg.variance(x(), [1], { correction: 0, keepdim: true }).toArray()).to.deep.equal([[1.25], [5]]);
    expect(tg.variance(x(), { unbiased: false }).item()).to.be.closeTo(4.6875, 1e-12);
    expect(tg.variance(x(), null, { keepdim: true }).shape).to.deep.equal([1, 1]);
    expect(tg.std(x(), 1, { correction: 0 }).toArray()).to.deep.equal([Math.sqrt(1.25), Math.sqrt(5)]);
    expect(varianceAlias).to.equal(tg.variance);
    expect(tg.var(x(), 0).toArray()).to.deep.equal([0.5, 2, 4.5, 8]);
  });

  it('refuses correction with unbiased, a fractional correction, int32, an empty dims list and unknown options', () => {
    const bad: [() => unknown, new (...a: never[]) => TensorError, RegExp][] = [
      [() => tg.variance(x(), 1, { correction: 1, unbiased: true }), ArgumentError, /^variance: give correction or unbiased, not both \(got correction 1, unbiased true\)/],
      [() => tg.std(x(), 1, { correction: 0.5 }), ArgumentError, /^std: correction must be a finite integer, got 0.5/],
      [() => tg.std(x(), 1, { unbiased: 1 } as never), ArgumentError, /^std: unbiased must be true or false, got 1/],
      [() => tg.variance(tg.tensor([1, 2], { dtype: 'int32' })), DTypeError, /^variance: x must be a floating-point tensor .*got int32/],
      [() => tg.variance(x(), []), ArgumentError, /^variance: dim must be a dim or a non-empty list of dims, got \[\]/],
      [() => tg.std(x(), [0, 0]), ArgumentError, /^std: dims contain a repeated dim/],
      [() => tg.variance(x(), 0, { ddof: 1 } as never), ArgumentError, /^variance: unknown option 'ddof'.*accepted: correction, unbiased, keepdim/],
      [() => untyped(tg.variance)(x(), 'rows'), ArgumentError, /^variance: argument 'dims' must be /],
    ];
    for (const [call, error, message] of bad) expect(call).to.throw(error, message);
  });
});

describe('argmax and argmin', () => {
  it('gives int32 indices, flat without a dim, keepdim positional or as an option; no gradient', () => {
    const x = f64([[1, 5, 2], [7, 0, 7]], true);
    const i = tg.argmax(x);
    expect([i.dtype, i.requiresGrad, i.item()]).to.deep.equal(['int32', false, 3]);
    expect(tg.argmax(x, 1, true).toArray()).to.deep.equal([[1], [0]]);
    expect(tg.argmin(x, 0, { keepdim: false }).toArray()).to.deep.equal([0, 1, 0]);
    expect(tg.argmax(tg.ones([2, 0]), 0).shape).to.deep.equal([0]);
  });

  it('refuses an empty dim, an empty x without a dim, and a bad dim or keepdim', () => {
    const bad: [() => unknown, new (...a: never[]) => TensorError, RegExp][] = [
      [() => tg.argmax(tg.ones([2, 0]), 1), ShapeError, /^argmax: cannot reduce over dim 1 of size 0 \(x \[2,0\]\)/],
      [() => tg.argmin(tg.ones([0])), ShapeError, /^argmin: x is empty \(shape \[0\]\)/],
      [() => tg.argmax(x23(), 1.5), ArgumentError, /^argmax: dim must be an integer in \[-2, 1\] .*got 1.5/],
      [() => tg.argmin(x23(), 0, { keepdims: true } as never), ArgumentError, /^argmin: unknown option 'keepdims'.*did you mean 'keepdim'/],
      [() => untyped(tg.argmax)(x23(), 0, 'yes'), ArgumentError, /^argmax: argument 'keepdim' must be boolean or Object, got string/],
    ];
    for (const [call, error, message] of bad) expect(call).to.throw(error, message);
  });
});

describe('topk', () => {
  it('ranks equal values by index (stable), NaN as the largest, and sorted: false in rank order too', () => {
    const x = f64([1, 3, 3, 2, 3, NaN, 0]);
    expect(tg.topk(x, 4).indices.toArray()).to.deep.equal([5, 1, 2, 4]);
    expect(tg.topk(x, 3, { largest: false }).indices.toArray()).to.deep.equal([6, 0, 3]);
    expect(tg.topk(x, 7, { largest: false }).indices.toArray()).to.deep.equal([6, 0, 3, 1, 2, 4, 5]);
    expect(tg.topk(x, 2, { sorted: false }).indices.toArray()).to.deep.equal([5, 1]);
  });

  it('is a pair and has names; k 0 and a scalar work; only the values have a gradient', () => {
    const x = f64([[4, 1, 3], [0, 2, 5]], true);
    const result = tg.topk(x, 2, { dim: 1 });
    const [values, indices] = result;
    expect(values).to.equal(result.values);
    expect(indices).to.equal(result.indices);
    expect([values.requiresGrad, indices.requiresGrad, indices.dtype]).to.deep.equal([true, false, 'int32']);
    expect(tg.topk(x, 0).values.shape).to.deep.equal([2, 0]);
    expect(tg.topk(f64(2.5), 1).values.item()).to.equal(2.5);
    expect(tg.topk(tg.ones([0, 3]), 2).values.shape).to.deep.equal([0, 2]);
  });

  it('refuses k out of range, a bad dim and unknown options', () => {
    const bad: [() => unknown, new (...a: never[]) => TensorError, RegExp][] = [
      [() => tg.topk(x23(), 4), ArgumentError, /^topk: k must be at most the size of dim 1, 3 \(x \[2,3\]\), got 4/],
      [() => tg.topk(x23(), -1), ArgumentError, /^topk: k must be a finite integer >= 0, got -1/],
      [() => tg.topk(x23(), 1.5), ArgumentError, /^topk: k must be a finite integer >= 0, got 1.5/],
      [() => tg.topk(x23(), 1, { dim: 2 }), ArgumentError, /^topk: dim must be an integer in \[-2, 1\] .*got 2/],
      [() => tg.topk(x23(), 1, { descending: true } as never), ArgumentError, /^topk: unknown option 'descending'.*accepted: dim, largest, sorted/],
      [() => tg.topk(x23(), 1, { largest: 'yes' } as never), ArgumentError, /^topk: largest must be true or false, got 'yes'|^topk: largest must be true or false/],
      [() => untyped(tg.topk)(x23()), ArgumentError, /^topk: too few arguments/],
    ];
    for (const [call, error, message] of bad) expect(call).to.throw(error, message);
  });
});

describe('oneHot', () => {
  it('encodes int32 indices of any shape as int32, inferring numClasses from the largest index', () => {
    const y = tg.oneHot(tg.tensor([[2], [0]], { dtype: 'int32' }));
    expect([y.dtype, y.shape]).to.deep.equal(['int32', [2, 1, 3]]);
    expect(y.toArray()).to.deep.equal([[[0, 0, 1]], [[1, 0, 0]]]);
    expect(tg.oneHot(tg.tensor([], { dtype: 'int32' }), 0).shape).to.deep.equal([0, 0]);
  });

  it('refuses float indices, out-of-range indices and a bad numClasses', () => {
    const i = () => tg.tensor([0, 3, 1], { dtype: 'int32' });
    const bad: [() => unknown, new (...a: never[]) => TensorError, RegExp][] = [
      [() => tg.oneHot(tg.tensor([0, 1])), DTypeError, /^oneHot: indices must be an int32 tensor of class indices, got float32/],
      [() => tg.oneHot(tg.tensor([0, -1], { dtype: 'int32' })), ArgumentError, /^oneHot: indices must be non-negative, got -1/],
      [() => tg.oneHot(i(), 3), ArgumentError, /^oneHot: indices must be smaller than numClasses 3, got 3/],
      [() => tg.oneHot(tg.tensor([], { dtype: 'int32' })), ArgumentError, /^oneHot: cannot infer numClasses from empty indices \(shape \[0\]\); pass numClasses/],
      [() => tg.oneHot(i(), -2), ArgumentError, /^oneHot: numClasses must be a finite integer >= -1, got -2/],
      [() => tg.oneHot(i(), 4.5), ArgumentError, /^oneHot: numClasses must be a finite integer >= -1, got 4.5/],
    ];
    for (const [call, error, message] of bad) expect(call).to.throw(error, message);
  });
});
