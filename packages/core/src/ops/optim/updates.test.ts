// The public optimizer updates and clipping halves on the CPU: hand-computed steps, version bumps,
// and the argument checks (nn's optimizers check ranges; these check tensors and consistency).
import { expect } from 'chai';
import { ArgumentError, DTypeError, ShapeError } from '../../errors.js';
import { tensor } from '../../tensor/creation.js';
import { adamUpdate_, rmspropUpdate_, sgdUpdate_ } from './updates.js';
import { clipByNorm_, totalNorm } from './clip-norm.js';

const f64 = (v: number[]) => tensor(v, { dtype: 'float64' });

describe('sgdUpdate_, adamUpdate_, rmspropUpdate_', () => {
  it('one SGD step with momentum, then a second (b = μb + (1−τ)d); versions of param and buffer bumped', () => {
    const p = f64([1, 2]);
    const b = f64([0, 0]);
    const [pv, bv] = [p.version.value, b.version.value];
    sgdUpdate_(p, f64([0.5, -1]), b, { lr: 0.1, momentum: 0.9, dampening: 0.5, weightDecay: 0.5, firstStep: true });
    // d = g + 0.5p = [1, 0]; b = d; p = p − 0.1d
    expect(Array.from(b.data)).to.deep.equal([1, 0]);
    expect(Array.from(p.data)).to.deep.equal([1 - 0.1 * 1, 2]);
    expect([p.version.value, b.version.value]).to.deep.equal([pv + 1, bv + 1]);
    sgdUpdate_(p, f64([0, 0]), b, { lr: 1, momentum: 0.5, dampening: 0 });
    // d = [0, 0]; b = 0.5·[1, 0]; p = p − b
    expect(Array.from(p.data)).to.deep.equal([0.9 - 0.5, 2]);
  });

  it('Adam step 1: p − lr·sign(g) (bias-corrected m/√v = g/|g|), with AMSGrad max and AdamW decay', () => {
    const p = f64([1, -1]);
    const m = f64([0, 0]);
    const v = f64([0, 0]);
    const vMax = f64([0, 0]);
    adamUpdate_(p, f64([2, -4]), m, v, vMax, { lr: 0.1, eps: 1e-12, weightDecay: 0.5, decoupled: true, step: 1 });
    expect(p.data[0]).to.be.closeTo(1 * (1 - 0.05) - 0.1, 1e-12);
    expect(p.data[1]).to.be.closeTo(-1 * (1 - 0.05) + 0.1, 1e-12);
    expect(Array.from(vMax.data)).to.deep.equal(Array.from(v.data));
  });

  it('RMSprop centered with momentum: s = (1−α)g², ḡ = (1−α)g, u = g/(√(s − ḡ²) + ε), b = u', () => {
    const p = f64([0]);
    const [s, ga, b] = [f64([0]), f64([0]), f64([0])];
    rmspropUpdate_(p, f64([2]), s, ga, b, { lr: 1, alpha: 0.5, eps: 0, momentum: 0.9 });
    // s = 2, ḡ = 1, s − ḡ² = 1, u = 2
    expect([s.data[0], ga.data[0], b.data[0], p.data[0]]).to.deep.equal([2, 1, 2, -2]);
  });

  it('refuses mismatched tensors, shared storage, inconsistent momentum and unknown options by name', () => {
    const p = f64([1, 2]);
    expect(() => sgdUpdate_(p, f64([1]), null, { lr: 1 })).to.throw(ShapeError, 'sgdUpdate_: grad has shape [1] but param has [2]');
    expect(() => sgdUpdate_(p, tensor([1, 1]), null, { lr: 1 })).to.throw(DTypeError, 'sgdUpdate_: grad has dtype float32 but param is float64');
    expect(() => sgdUpdate_(p, f64([1, 1]), null, { lr: 1, momentum: 0.9 })).to.throw(ArgumentError, 'momentumBuffer must be given exactly when momentum is non-zero');
    expect(() => sgdUpdate_(p, f64([1, 1]), p, { lr: 1, momentum: 0.9 })).to.throw(ArgumentError, 'sgdUpdate_: momentumBuffer shares its storage');
    expect(() => sgdUpdate_(p, p.detach(), null, { lr: 1 })).to.throw(ArgumentError, 'sgdUpdate_: grad shares its storage');
    expect(() => adamUpdate_(p, f64([1, 1]), f64([0, 0]), f64([0, 0]), null, { lr: 1, step: 0 })).to.throw(ArgumentError, 'adamUpdate_: step must be a finite integer >= 1, got 0');
    expect(() => rmspropUpdate_(p, f64([1, 1]), f64([0, 0]), null, null, { lr: 1, weight_decay: 0 } as never)).to.throw(ArgumentError, /weightDecay/);
    expect(() => sgdUpdate_(tensor([1], { dtype: 'int32' }), tensor([1], { dtype: 'int32' }), null, { lr: 1 })).to.throw(DTypeError, /param must be a floating-point tensor/);
  });
});

describe('totalNorm, clipByNorm_', () => {
  it('the joint 2-norm and ∞-norm as 0-d float64 tensors; clipping scales only when maxNorm/(norm + 1e-6) < 1', () => {
    const a = tensor([3, 0]);
    const b = tensor([4]);
    const norm = totalNorm([a, b]);
    expect([norm.shape, norm.dtype, norm.item()]).to.deep.equal([[], 'float64', 5]);
    expect(totalNorm([a, b], Infinity).item()).to.equal(4);
    expect(totalNorm([]).item()).to.equal(0);
    const version = a.version.value;
    clipByNorm_([a, b], norm, 10);
    expect([Array.from(a.data), a.version.value]).to.deep.equal([[3, 0], version]);
    clipByNorm_([a, b], norm, 2.5);
    expect(a.data[0]).to.be.closeTo(1.5, 1e-6);
    expect(a.version.value).to.equal(version + 1);
    expect(() => clipByNorm_([a], tensor([1, 2]), 1)).to.throw(ShapeError, 'clipByNorm_: total must have one element, got shape [2]');
    expect(() => totalNorm([a], 0)).to.throw(ArgumentError, 'totalNorm: normType must be a finite number > 0, got 0');
  });
});
