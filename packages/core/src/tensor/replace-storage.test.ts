import { expect } from 'chai';
import { AutogradError, DTypeError, ShapeError } from '../errors.js';
import { mul } from '../ops/elementwise/arithmetic.js';
import { sum } from '../ops/reduce/sum.js';
import { tensor } from './creation.js';

describe('Tensor._replaceStorage (Module.to)', () => {
  it('swaps the storage and dtype of a leaf, keeping the object, and bumps its version', () => {
    const t = tensor([1.5, 2], { requiresGrad: true });
    const version = t.version.value;
    t._replaceStorage(Float64Array.of(1.5, 2));
    expect(t.dtype).to.equal('float64');
    expect(t.data).to.be.instanceOf(Float64Array);
    expect(t.requiresGrad).to.equal(true);
    expect(t.version.value).to.equal(version + 1);
  });

  it('makes a backward through a graph that saved the old values fail loudly', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const loss = sum(mul(w, w));
    w._replaceStorage(Float64Array.of(1, 2));
    expect(() => loss.backward()).to.throw(AutogradError, /modified/);
  });

  it('refuses non-leaves, another length, and an integer dtype for a tensor that requires grad', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    expect(() => mul(w, w)._replaceStorage(Float32Array.of(1, 2))).to.throw(AutogradError, /only a leaf/);
    expect(() => w._replaceStorage(Float32Array.of(1))).to.throw(ShapeError, /new storage has 1 elements but shape \[2\] needs 2/);
    expect(() => w._replaceStorage(Int32Array.of(1, 2))).to.throw(DTypeError, /must stay floating-point, got int32/);
  });
});
