import { expect } from 'chai';
import { ArgumentError, DTypeError, ShapeError } from '../errors.js';
import { arange, full, ones, onesLike, rand, randn, tensor, zeros, zerosLike } from './creation.js';
import { Generator, defaultGenerator, manualSeed } from './random.js';

describe('tensor()', () => {
  it('builds a 0-d float32 tensor from a number', () => {
    const t = tensor(2.5);
    expect(t.shape).to.deep.equal([]);
    expect(t.dtype).to.equal('float32');
    expect(t.item()).to.equal(2.5);
    expect(t.toArray()).to.equal(2.5);
  });

  it('reads the shape of nested arrays, row-major', () => {
    const t = tensor([[[1, 2, 3], [4, 5, 6]]]);
    expect(t.shape).to.deep.equal([1, 2, 3]);
    expect(Array.from(t.data)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    expect(t.toArray()).to.deep.equal([[[1, 2, 3], [4, 5, 6]]]);
    expect(tensor([]).shape).to.deep.equal([0]);
  });

  it('defaults to float32 (rounding values) and honours an explicit dtype', () => {
    expect(tensor([0.1]).data[0]).to.equal(Math.fround(0.1));
    expect(tensor([0.1], { dtype: 'float64' }).data[0]).to.equal(0.1);
    const i = tensor([1.7, -2.7], { dtype: 'int32' });
    expect(i.dtype).to.equal('int32');
    expect(Array.from(i.data)).to.deep.equal([1, -2]);
  });

  it('takes the dtype of a typed array, reshaped by the shape option', () => {
    expect(tensor(new Float64Array([1, 2])).dtype).to.equal('float64');
    expect(tensor(new Int32Array([1, 2])).dtype).to.equal('int32');
    const t = tensor(new Float32Array([1, 2, 3, 4, 5, 6]), { shape: [2, 3] });
    expect(t.dtype).to.equal('float32');
    expect(t.toArray()).to.deep.equal([[1, 2, 3], [4, 5, 6]]);
  });

  it('copies the data it is given (typed array or tensor)', () => {
    const src = new Float64Array([1, 2]);
    const t = tensor(src);
    src[0] = 99;
    expect(t.data[0]).to.equal(1);
    const u = tensor(t, { dtype: 'float32' });
    t.data[1] = 42;
    expect(u.dtype).to.equal('float32');
    expect(Array.from(u.data)).to.deep.equal([1, 2]);
    expect(tensor(u).shape).to.deep.equal([2]);
  });

  it('sets requiresGrad, and refuses it for int32', () => {
    expect(tensor([1], { requiresGrad: true }).requiresGrad).to.equal(true);
    expect(() => tensor([1], { dtype: 'int32', requiresGrad: true })).to.throw(DTypeError, /requiresGrad: only floating-point tensors.*got int32/);
  });

  it('rejects ragged arrays, naming the depth and the counts', () => {
    expect(() => tensor([[1, 2], [3]])).to.throw(ShapeError, /tensor: ragged nested array: expected 2 entries at depth 1, got 1/);
    expect(() => tensor([[1, 2], 3] as never)).to.throw(ShapeError, /ragged nested array: expected an array at depth 1, got number/);
    expect(() => tensor([1, [2]] as never)).to.throw(ArgumentError, /tensor: expected a number at depth 1, got Array/);
  });

  it('rejects a shape that does not fit the values, and bad dtypes and data', () => {
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).to.throw(ShapeError, /tensor: shape \[2,2\] needs 4 values, got 3/);
    expect(() => tensor([1], { shape: [-1] })).to.throw(ShapeError, /tensor: shape must contain non-negative integers, got \[-1\]/);
    expect(() => tensor([1], { dtype: 'int64' as never })).to.throw(DTypeError, /tensor: dtype must be .*got int64/);
    expect(() => tensor('abc' as never)).to.throw(ArgumentError, /tensor: data must be a number, nested array, typed array or Tensor, got string/);
  });
});

describe('zeros / ones / full / arange / *Like', () => {
  it('fill shapes with constants (float32 default)', () => {
    const z = zeros([2, 3]);
    expect(z.shape).to.deep.equal([2, 3]);
    expect(z.dtype).to.equal('float32');
    expect(Array.from(z.data)).to.deep.equal([0, 0, 0, 0, 0, 0]);
    expect(ones([2], { dtype: 'float64' }).toArray()).to.deep.equal([1, 1]);
    expect(full([2, 2], 7, { dtype: 'int32' }).toArray()).to.deep.equal([[7, 7], [7, 7]]);
    expect(zeros([]).toArray()).to.equal(0);
    expect(zeros([3, 0]).size).to.equal(0);
    expect(() => zeros([2.5])).to.throw(ShapeError, /zeros: shape must contain non-negative integers, got \[2.5\]/);
  });

  it('*Like copy shape and dtype, overridable', () => {
    const t = tensor([[1, 2, 3]], { dtype: 'float64' });
    const z = zerosLike(t);
    expect([z.shape, z.dtype, z.toArray()]).to.deep.equal([[1, 3], 'float64', [[0, 0, 0]]]);
    const o = onesLike(t, { dtype: 'int32' });
    expect([o.dtype, o.toArray()]).to.deep.equal(['int32', [[1, 1, 1]]]);
    expect(onesLike(t, { requiresGrad: true }).requiresGrad).to.equal(true);
  });

  it('arange follows PyTorch: end exclusive, int32 for integer arguments', () => {
    const a = arange(5);
    expect([a.dtype, a.toArray()]).to.deep.equal(['int32', [0, 1, 2, 3, 4]]);
    expect(arange(2, 5).toArray()).to.deep.equal([2, 3, 4]);
    expect(arange(5, 0, -2).toArray()).to.deep.equal([5, 3, 1]);
    const f = arange(0, 1, 0.25);
    expect([f.dtype, f.toArray()]).to.deep.equal(['float32', [0, 0.25, 0.5, 0.75]]);
    expect(arange(3, undefined, 1, { dtype: 'float64' }).dtype).to.equal('float64');
    expect(arange(3, 1).size).to.equal(0);
    expect(() => arange(0, 3, 0)).to.throw(ArgumentError, /arange: step must be a finite non-zero number, got 0/);
  });
});

describe('rand / randn', () => {
  it('are reproducible: the same seed gives the same values, another seed others', () => {
    const a = rand([50], { generator: new Generator(7), dtype: 'float64' });
    const b = rand([50], { generator: new Generator(7), dtype: 'float64' });
    const c = rand([50], { generator: new Generator(8), dtype: 'float64' });
    expect(Array.from(a.data)).to.deep.equal(Array.from(b.data));
    expect(Array.from(a.data)).to.not.deep.equal(Array.from(c.data));
    const n1 = randn([3, 4], { generator: new Generator(1) });
    const n2 = randn([3, 4], { generator: new Generator(1) });
    expect(Array.from(n1.data)).to.deep.equal(Array.from(n2.data));
    expect(Array.from(n1.data)).to.not.deep.equal(Array.from(randn([3, 4], { generator: new Generator(2) }).data));
  });

  it('manualSeed reseeds the default generator', () => {
    const saved = defaultGenerator.getState();
    try {
      manualSeed(123);
      const a = randn([20]);
      const a2 = randn([20]);
      manualSeed(123);
      expect(Array.from(randn([20]).data)).to.deep.equal(Array.from(a.data));
      expect(Array.from(a2.data)).to.not.deep.equal(Array.from(a.data));
    } finally {
      defaultGenerator.setState(saved);
    }
  });

  it('rand is uniform on [0, 1) and randn standard normal (moments of 20000 draws)', () => {
    const n = 20000;
    const u = rand([n], { generator: new Generator(3), dtype: 'float64' }).data;
    let min = Infinity;
    let max = -Infinity;
    let su = 0;
    for (const v of u) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      su += v;
    }
    expect(min).to.be.at.least(0);
    expect(max).to.be.below(1);
    expect(su / n).to.be.closeTo(0.5, 0.01);

    const z = randn([n], { generator: new Generator(4), dtype: 'float64' }).data;
    let s = 0;
    let s2 = 0;
    for (const v of z) {
      s += v;
      s2 += v * v;
    }
    const mean = s / n;
    const std = Math.sqrt(s2 / n - mean * mean);
    // Standard errors: 1/√n ≈ 0.007 for the mean, 1/√(2n) ≈ 0.005 for the std.
    expect(mean).to.be.closeTo(0, 0.03);
    expect(std).to.be.closeTo(1, 0.03);
  });
});
