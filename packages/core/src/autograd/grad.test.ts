import { expect } from 'chai';
import { ArgumentError, ShapeError } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, mul, mulScalar } from '../ops/elementwise/arithmetic.js';
import { exp, log } from '../ops/elementwise/arithmetic.js';
import { sum } from '../ops/reduce/sum.js';
import { matmul } from '../ops/linalg/matmul.js';
import { grad, valueAndGrad, vjp } from './grad.js';
import { checkGrads } from '../testing/check-grads.js';

const f64 = (data: number[] | number[][]): Tensor => tensor(data, { dtype: 'float64' });
const close = (t: Tensor, expected: number[], tol = 1e-9): void => {
  const got = Array.from(t.data);
  expect(got.length).to.equal(expected.length);
  got.forEach((v, i) => expect(v).to.be.closeTo(expected[i]!, tol));
};

describe('functional transforms', () => {
  it('grad of x³ is 3x², and grad of grad is 6x', () => {
    const cube = (x: Tensor): Tensor => sum(mul(mul(x, x), x));
    const x = f64([1, -2, 0.5]);
    close(grad(cube)(x), [3, 12, 0.75]);
    const second = grad((t: Tensor) => sum(grad(cube)(t)));
    close(second(x), [6, -12, 3]);
  });

  it('third derivative of sin-like exp(2x) through three nested grads', () => {
    const f = (x: Tensor): Tensor => sum(exp(mulScalar(x, 2)));
    const g3 = grad((a: Tensor) => sum(grad((b: Tensor) => sum(grad(f)(b)))(a)));
    const x = f64([0.3]);
    close(g3(x), [8 * Math.exp(0.6)]);
  });

  it('Hessian-vector product of f(x) = Σ x_i² x_j (Σ x) matches the analytic Hessian', () => {
    // f = (Σ x²)(Σ x): H = 2(Σ x) I + 2 x 1ᵀ + 2·1 xᵀ
    const f = (x: Tensor): Tensor => mul(sum(mul(x, x)), sum(x));
    const x = f64([1, 2, 3]);
    const v = f64([0.5, -1, 2]);
    const hvp = grad((t: Tensor) => sum(mul(grad(f)(t), v)))(x);
    const xs = [1, 2, 3];
    const vs = [0.5, -1, 2];
    const s = 6;
    const vSum = vs.reduce((p, q) => p + q);
    const xv = xs.reduce((p, q, i) => p + q * vs[i]!, 0);
    close(hvp, xs.map((xi, i) => 2 * s * vs[i]! + 2 * xi * vSum + 2 * xv));
  });

  it('valueAndGrad returns the value and gradients for several argnums', () => {
    const f = (a: Tensor, b: Tensor): Tensor => sum(matmul(a, b));
    const a = f64([[1, 2], [3, 4]]);
    const b = f64([[5], [6]]);
    const [value, [ga, gb]] = valueAndGrad(f, { argnums: [0, 1] })(a, b);
    expect(value.item()).to.equal(1 * 5 + 2 * 6 + 3 * 5 + 4 * 6);
    close(ga!, [5, 6, 5, 6]);
    close(gb!, [4, 6]);
  });

  it('vjp pulls back any cotangent; unused inputs get zero gradients', () => {
    const a = f64([1, 2]);
    const b = f64([7, 7]);
    const [y, pullback] = vjp((p: Tensor, _q: Tensor) => mul(p, p), a, b);
    close(y, [1, 4]);
    const [ga, gb] = pullback(f64([1, 10]));
    close(ga!, [2, 40]);
    close(gb!, [0, 0]);
  });

  it('does not touch .grad of the inputs', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    grad((t: Tensor) => sum(mul(t, t)))(x);
    expect(x.grad).to.equal(null);
  });

  it('grad inside a recorded computation stays differentiable (tape-level nesting)', () => {
    const x = tensor([0.7], { dtype: 'float64', requiresGrad: true });
    const g = grad((t: Tensor) => sum(mul(log(t), t)))(x); // d/dt t ln t = ln t + 1
    sum(g).backward(); // d/dt (ln t + 1) = 1/t
    close(x.grad!, [1 / 0.7]);
  });

  it('rejects non-scalar outputs and bad argnums with clear errors', () => {
    expect(() => grad((t: Tensor) => mul(t, t))(f64([1, 2]))).to.throw(ShapeError, /one-element tensor, got shape \[2\]/);
    expect(() => grad((t: Tensor) => sum(t), { argnums: 2 })(f64([1]))).to.throw(ArgumentError, /argnums entry 2 is out of range for 1 argument/);
  });
});

describe('checkGrads', () => {
  it('passes correct gradients at order 2 and reports comparisons', () => {
    const report = checkGrads((a: Tensor, b: Tensor) => mul(exp(a), add(b, b)), [f64([0.1, 0.2]), f64([1, 2])], { order: 2 });
    expect(report.comparisons).to.be.greaterThan(0);
  });

  it('catches a wrong gradient (a custom function whose VJP is off)', () => {
    // x ↦ x·x computed through a detached copy: the tape only sees one factor, so the gradient is half.
    const wrong = (x: Tensor): Tensor => mul(x, x.detach());
    expect(() => checkGrads(wrong, [f64([1, 2, 3])])).to.throw(/analytic .* finite differences/);
  });

  it('uses random directions for large inputs', () => {
    const x = tensor(Array.from({ length: 200 }, (_, i) => Math.sin(i)), { dtype: 'float64' });
    const r = checkGrads((t: Tensor) => mul(t, exp(t)), [x], { directions: 4 });
    expect(r.comparisons).to.equal(4);
  });
});
