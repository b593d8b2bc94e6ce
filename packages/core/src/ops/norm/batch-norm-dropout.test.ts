import { expect } from 'chai';
import { ArgumentError, DTypeError, ShapeError } from '../../errors.js';
import { ones, tensor } from '../../tensor/creation.js';
import { Generator } from '../../tensor/random.js';
import { batchNorm } from './batch-norm.js';
import { dropout } from './dropout.js';

// batchNorm in training mode without running statistics, mixed-dtype affine parts and the
// messages of its per-channel checks; dropout's mask and checks.
const f64 = (v: number[] | number[][]) => tensor(v, { dtype: 'float64' });

describe('batchNorm', () => {
  // Two channels over a batch of 2: channel 0 holds 1, 3 (mean 2, variance 1), channel 1 holds 4, 4.
  const x = () => f64([[1, 4], [3, 4]]);
  const inv = 1 / Math.sqrt(1 + 1e-5);

  it('normalises with batch statistics when training without running statistics', () => {
    expect(batchNorm(x(), null, null, null, null, { training: true }).toArray()).to.deep.equal([[-inv, 0], [inv, 0]]);
  });

  it('applies a weight or bias of another dtype after normalising, in the promoted dtype', () => {
    const x32 = tensor([[1, 4], [3, 4]], { dtype: 'float32' });
    const withBias = batchNorm(x32, null, null, null, f64([0.1, -0.1]), { training: true });
    expect(withBias.dtype).to.equal('float64');
    const inv32 = Math.fround(1 / Math.sqrt(1 + 1e-5));
    expect(withBias.toArray()).to.deep.equal([[-inv32 + 0.1, -0.1], [inv32 + 0.1, -0.1]]);
    const withWeight = batchNorm(x32, null, null, f64([0.1, 2]), null, { training: true });
    expect(withWeight.dtype).to.equal('float64');
    expect(withWeight.toArray()).to.deep.equal([[-inv32 * 0.1, 0], [inv32 * 0.1, 0]]);
  });

  it('names the argument in dtype and shape checks', () => {
    const msg = (name: string, got: string) => `batchNorm: ${name} must have shape [2] (one per channel of x [2,2]), got ${got}`;
    expect(() => batchNorm(x(), f64([0, 0, 0]), f64([1, 1]))).to.throw(ShapeError, msg('runningMean', '[3]'));
    expect(() => batchNorm(x(), f64([0, 0]), f64([[1, 1]]))).to.throw(ShapeError, msg('runningVar', '[1,2]'));
    expect(() => batchNorm(x(), null, null, f64([[1], [1]]))).to.throw(ShapeError, msg('weight', '[2,1]'));
    expect(() => batchNorm(x(), null, null, null, f64([1]))).to.throw(ShapeError, msg('bias', '[1]'));
    expect(() => batchNorm(x(), null, null, tensor([1, 1], { dtype: 'int32' }))).to.throw(DTypeError, /^batchNorm: weight must be a floating-point tensor/);
    expect(() => batchNorm(tensor([[1, 2]], { dtype: 'int32' }), null, null)).to.throw(DTypeError, /^batchNorm: x must be a floating-point tensor/);
  });
});

describe('dropout', () => {
  it('keeps about 1 − p of the elements, scaled by 1/(1 − p), reproducibly for a seed', () => {
    const y = dropout(ones([1000], { dtype: 'float64' }), 0.25, { seed: 7 }).toArray() as number[];
    const kept = y.filter((v) => v !== 0);
    expect(kept.every((v) => v === 1 / 0.75)).to.equal(true);
    expect(kept.length).to.be.within(700, 800);
    expect(dropout(ones([1000], { dtype: 'float64' }), 0.25, { seed: 7 }).toArray()).to.deep.equal(y);
  });

  it('checks p, the options and x\'s dtype', () => {
    const x = f64([1, 2]);
    for (const p of [-0.1, 1.1, NaN]) expect(() => dropout(x, p), `${p}`).to.throw(ArgumentError, `dropout: p must be a probability in [0, 1], got ${p}`);
    expect(() => dropout(x, 0.5, { training: 'yes' as never })).to.throw(ArgumentError, /^dropout: training must be true or false/);
    expect(() => dropout(x, 0.5, { seed: 1, generator: new Generator(1) })).to.throw(ArgumentError, 'dropout: give seed or generator, not both');
    expect(() => dropout(tensor([1], { dtype: 'int32' }))).to.throw(DTypeError, /^dropout: x must be a floating-point tensor/);
  });
});
