import { expect } from 'chai';
import { AutogradError, ShapeError } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { add, mul, mulScalar, sub } from '../ops/elementwise/arithmetic.js';
import { exp } from '../ops/elementwise/arithmetic.js';
import { sum } from '../ops/reduce/sum.js';
import { reshape } from '../ops/shape/reshape.js';
import { matmul } from '../ops/linalg/matmul.js';
import { noGrad, enableGrad, isGradEnabled } from './mode.js';

const f64 = (data: number[] | number[][], requiresGrad = true): Tensor => tensor(data, { dtype: 'float64', requiresGrad });

describe('tape: backward', () => {
  it('accumulates d(sum(x*y))/dx = y into leaves', () => {
    const x = f64([1, 2, 3]);
    const y = f64([4, 5, 6]);
    sum(mul(x, y)).backward();
    expect(x.grad!.toArray()).to.deep.equal([4, 5, 6]);
    expect(y.grad!.toArray()).to.deep.equal([1, 2, 3]);
  });

  it('sums the gradients of a tensor used more than once', () => {
    const x = f64([1, 2, 3]);
    // L = Σ x·x + Σ x  ->  dL/dx = 2x + 1
    sum(add(mul(x, x), x)).backward();
    expect(x.grad!.toArray()).to.deep.equal([3, 5, 7]);
  });

  it('accumulates across backward calls (like PyTorch) until the gradient is reset', () => {
    const x = f64([2]);
    sum(mulScalar(x, 3)).backward();
    sum(mulScalar(x, 3)).backward();
    expect(x.grad!.item()).to.equal(6);
  });

  it('uses the seed for non-scalar outputs and demands one', () => {
    const x = f64([1, 2]);
    const y = mul(x, x);
    expect(() => y.backward()).to.throw(ShapeError, /seed gradient is needed.*\[2\]/);
    y.backward(tensor([10, 100], { dtype: 'float64' }));
    expect(x.grad!.toArray()).to.deep.equal([20, 400]);
  });

  it('rejects a seed of the wrong shape', () => {
    const x = f64([1, 2]);
    expect(() => mul(x, x).backward(tensor([1, 2, 3], { dtype: 'float64' }))).to.throw(ShapeError, /seed shape \[3\] does not match output shape \[2\]/);
  });

  it('propagates through a diamond graph once per node', () => {
    const x = f64([0.5]);
    const a = exp(x);
    // L = a·a + a  with a = e^x  ->  dL/dx = (2a + 1)·a
    sum(add(mul(a, a), a)).backward();
    const av = Math.exp(0.5);
    expect(x.grad!.item()).to.be.closeTo((2 * av + 1) * av, 1e-12);
  });

  it('does not record under noGrad and records again under enableGrad', () => {
    const x = f64([1]);
    const y = noGrad(() => {
      expect(isGradEnabled()).to.equal(false);
      return enableGrad(() => mul(x, x));
    });
    expect(y.requiresGrad).to.equal(true);
    const z = noGrad(() => mul(x, x));
    expect(z.requiresGrad).to.equal(false);
    expect(z.node).to.equal(null);
    expect(() => z.backward()).to.throw(AutogradError, /does not require grad/);
  });

  it('detach() cuts the graph but shares the values', () => {
    const x = f64([3]);
    const d = x.detach();
    expect(d.requiresGrad).to.equal(false);
    sum(mul(mul(x, d), d)).backward();
    expect(x.grad!.item()).to.equal(9);
  });

  it('gives gradients the shape of broadcast inputs', () => {
    const a = f64([[1, 2, 3], [4, 5, 6]]);
    const b = f64([10, 20, 30]);
    sum(mul(a, b)).backward();
    expect(b.grad!.toArray()).to.deep.equal([5, 7, 9]);
    expect(a.grad!.shape).to.deep.equal([2, 3]);
  });

  it('keeps float32 gradients float32 when mixed with float64', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = f64([3, 4]);
    sum(mul(a, b)).backward();
    expect(a.grad!.dtype).to.equal('float32');
    expect(b.grad!.dtype).to.equal('float64');
    expect(a.grad!.toArray()).to.deep.equal([3, 4]);
  });

  it('fails loudly when a saved input was modified in place before backward', () => {
    const w = f64([1, 2]);
    const x = f64([3, 4], false);
    const loss = sum(mul(w, x));
    noGrad(() => {
      x.data[0] = 100;
      x.markModified();
    });
    expect(() => loss.backward()).to.throw(AutogradError, /input 1 \('b'\) of op 'mul' was modified in place.*version 0, now 1/);
  });

  it('sees modifications through reshape views (shared version counter)', () => {
    const w = f64([1, 2, 3, 4]);
    const v = reshape(w.detach(), [2, 2]);
    const loss = sum(matmul(reshape(w, [2, 2]), v));
    v.copy_(tensor([[0, 0], [0, 0]], { dtype: 'float64' }));
    expect(w.version.value).to.equal(1);
    expect(() => loss.backward()).to.throw(AutogradError, /modified in place/);
  });

  it('refuses requiresGrad on int32 tensors', () => {
    expect(() => tensor([1, 2], { dtype: 'int32', requiresGrad: true })).to.throw(/only floating-point tensors can require gradients, got int32/);
  });

  it('lets the graph be garbage: outputs hold their nodes, nothing global', () => {
    const x = f64([1]);
    let y: Tensor = x;
    for (let i = 0; i < 1000; i++) y = sub(mulScalar(y, 1), tensor(0, { dtype: 'float64' }));
    expect(y.node!.seq).to.be.greaterThan(x.node?.seq ?? -1);
    sum(y).backward();
    expect(x.grad!.item()).to.equal(1);
  });
});
