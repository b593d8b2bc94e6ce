// hardtanh, hardsigmoid, hardswish, selu, celu, mish, softsign, gelu ('tanh' and 'none') and prelu
// against PyTorch 1.13 (fixtures/make_extra_activation_fixtures.py): values, gradients and
// second-order gradients in float64, values and gradients in float32, at the kinks and at NaN,
// ±Infinity and -0 (PyTorch's vectorised kernels: see the script).
import { expect } from 'chai';
import { grad } from '../../autograd/grad.js';
import { celu, gelu, hardsigmoid, hardswish, hardtanh, mish, prelu, selu, softsign } from '../../dispatch/activation.js';
import { ArgumentError, DTypeError, ShapeError } from '../../errors.js';
import { tensor } from '../../tensor/creation.js';
import type { FloatDType } from '../../tensor/dtype.js';
import { type Stored, decode, extraActivationFixture as fixture, extraActivationFns as fns } from './extra-activations.test-util.js';
import type { Tensor } from '../../tensor/tensor.js';
import { mul } from '../elementwise/arithmetic.js';
import { sum } from '../reduce/sum.js';

/**
 * PyTorch's values: non-finite ones exactly, finite ones to `rtol` relative (absolute below 1), and
 * zeros with their sign where `signedZeros` (float64 values and gradients: the kernels use PyTorch's
 * expressions; float32 is evaluated in float64 and rounded once, so selu(-1e-8) is -1.76e-8 where
 * PyTorch's float arithmetic gives 0).
 */
function expectTorch(got: ArrayLike<number>, want: Stored, rtol: number, what: string, signedZeros = false): void {
  const expected = want.map(decode);
  expect(got.length, what).to.equal(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const [g, e] = [got[i]!, expected[i]!];
    if (!Number.isFinite(e) || (signedZeros && e === 0)) expect(Object.is(g, e), `${what} [${i}]: got ${g}, PyTorch ${Object.is(e, -0) ? '-0' : e}`).to.equal(true);
    else expect(g, `${what} [${i}]`).to.be.closeTo(e, rtol * Math.max(1, Math.abs(e)));
  }
}

/** y = f(x) and dx for the upstream gradient dy, in the given dtype. */
function valueAndGradient(f: (x: Tensor) => Tensor, xs: number[], dy: number[], dtype: FloatDType): { y: Tensor; dx: Tensor } {
  const x = tensor(xs, { dtype, requiresGrad: true });
  const y = f(x);
  y.backward(tensor(dy, { dtype }));
  return { y, dx: x.grad! };
}

describe('hardtanh, hardsigmoid, hardswish, selu, celu, mish, softsign, gelu: PyTorch 1.13 fixtures', () => {
  const xs = fixture.x.map(decode);
  for (const [name, f] of Object.entries(fns)) {
    const ref = fixture.unary[name]!;
    // PyTorch 1.13's celu gradient takes the input scale as 1/float32(α) (derivatives.yaml:
    // 1.0/alpha.toFloat()), 1.7e-8 off for α = 0.7; here it is 1/α, the exact derivative.
    // Arithmetic only (no exp, tanh, log1p, whose last bit depends on the math library): PyTorch's
    // float64 values and gradients bit for bit.
    const exact = /^(hardtanh|hardsigmoid|hardswish|softsign)/.test(name);
    const valueRtol = exact ? 0 : 1e-14;
    const gradientRtol = exact ? 0 : name === 'celu0.7' ? 2e-6 : 1e-14;
    // The exact GELU is the existing op, which takes Φ from erfc: gelu(-12) is -2.1e-32 here, -0 in
    // PyTorch (1 + erf cancels).
    const signedZeros = name !== 'geluNone';
    it(`${name}: float64 values, gradients and second order`, () => {
      const { y, dx } = valueAndGradient(f, xs, fixture.dy, 'float64');
      expectTorch(y.data, ref.float64.y, valueRtol, `${name}(x)`, signedZeros);
      expectTorch(dx.data, ref.float64.dx, gradientRtol, `${name}'(x)·dy`, signedZeros);
      const dy2 = tensor(fixture.dy2, { dtype: 'float64' });
      const firstOrder = (t: Tensor): Tensor => grad((u: Tensor) => sum(mul(f(u), dy2)))(t);
      const second = grad((t: Tensor) => sum(firstOrder(t)))(tensor(fixture.x2, { dtype: 'float64' }));
      expectTorch(second.data, ref.second, name === 'celu0.7' ? 2e-6 : 1e-12, `second order of ${name}`);
    });
    it(`${name}: float32 values and gradients`, () => {
      const { y, dx } = valueAndGradient(f, xs, fixture.dy, 'float32');
      expectTorch(y.data, ref.float32.y, 4e-7, `${name}(x)`);
      expectTorch(dx.data, ref.float32.dx, name === 'celu0.7' ? 2e-6 : 4e-7, `${name}'(x)·dy`);
    });
  }

  it("celu's gradient is the exact derivative e^(x/α), also where α is not a float32 number", () => {
    const points = [-12, -3, -1, -0.3];
    const { dx } = valueAndGradient((x) => celu(x, 0.7), points, points.map(() => 1), 'float64');
    dx.data.forEach((g, i) => expect(g).to.be.closeTo(Math.exp(points[i]! / 0.7), 1e-15));
  });
});

describe('prelu: PyTorch 1.13 fixtures (shared and per-channel weight, gradients of x and weight)', () => {
  for (const c of fixture.prelu) {
    it(`${c.name} (${c.dtype})`, () => {
      const x = tensor(c.x.map(decode), { dtype: c.dtype, shape: c.shape, requiresGrad: true });
      const weight = tensor(c.weight.map(decode), { dtype: c.dtype, shape: c.weightShape, requiresGrad: true });
      const y = prelu(x, weight);
      const rtol = c.dtype === 'float64' ? 1e-14 : 4e-7;
      expect(y.shape).to.deep.equal(c.shape);
      expectTorch(y.data, c.y, rtol, 'y', c.dtype === 'float64');
      y.backward(tensor(c.dy.map(decode), { dtype: c.dtype, shape: c.shape }));
      expectTorch(x.grad!.data, c.dx, rtol, 'dx', c.dtype === 'float64');
      expect(weight.grad!.shape).to.deep.equal(c.weightShape);
      expectTorch(weight.grad!.data, c.dweight, c.dtype === 'float64' ? 1e-13 : 2e-6, 'dweight');
    });
  }
});

describe("the kinks: PyTorch 1.13's derivative at exactly the kink points", () => {
  const derivative = (f: (x: Tensor) => Tensor, points: number[]): number[] =>
    Array.from(valueAndGradient(f, points, points.map(() => 1), 'float64').dx.data);

  it('hardswish: the right-hand derivative at both kinks, −1/2 at x = −3 and 1 at x = 3', () => {
    expect(derivative(hardswish, [-3, 3, -3.5, 3.5])).to.deep.equal([-0.5, 1, 0, 1]);
  });

  it('hardtanh: 0 at both bounds (the default ±1 and given ones)', () => {
    expect(derivative((x) => hardtanh(x), [-1, 1, 0.5])).to.deep.equal([0, 0, 1]);
    expect(derivative((x) => hardtanh(x, -0.5, 2), [-0.5, 2, 1])).to.deep.equal([0, 0, 1]);
  });

  it('hardsigmoid: 0 at ±3, and its slope is float32 1/6 (PyTorch computes 1.0f / 6.0f, also in float64)', () => {
    expect(derivative(hardsigmoid, [-3, 3, 0])).to.deep.equal([0, 0, Math.fround(1 / 6)]);
  });

  it('selu and celu: the left-hand derivative at 0 (α·scale for selu), prelu: the weight at 0', () => {
    expect(derivative(selu, [0, -0])).to.deep.equal([1.6732632423543772 * 1.0507009873554805, 1.6732632423543772 * 1.0507009873554805]);
    expect(derivative((x) => celu(x, 2), [0])).to.deep.equal([1]);
    const x = tensor([0, -0, 1], { dtype: 'float64', requiresGrad: true });
    const w = tensor([0.25], { dtype: 'float64', requiresGrad: true });
    prelu(x, w).backward(tensor([1, 1, 1], { dtype: 'float64' }));
    expect(Array.from(x.grad!.data)).to.deep.equal([0.25, 0.25, 1]);
    expect(Array.from(w.grad!.data)).to.deep.equal([0]);
  });

  it('hardtanh keeps -0 and NaN, as PyTorch (clamp with std::max/std::min, not Math.max)', () => {
    const y = hardtanh(tensor([-0, NaN, 7], { dtype: 'float64' }), 0, 6).data;
    expect(Object.is(y[0], -0)).to.equal(true);
    expect(Number.isNaN(y[1])).to.equal(true);
    expect(y[2]).to.equal(6);
  });
});

describe('activations: bad input names the function and the argument', () => {
  const x = tensor([1, -2], { dtype: 'float64' });
  it('numeric hyperparameters must be finite, celu alpha non-zero', () => {
    expect(() => hardtanh(x, NaN)).to.throw(ArgumentError, /^hardtanh: minVal must be a finite number/);
    expect(() => hardtanh(x, -1, Infinity)).to.throw(ArgumentError, /^hardtanh: maxVal must be a finite number/);
    expect(() => celu(x, 0)).to.throw(ArgumentError, /^celu: alpha must be non-zero \(celu divides by it\), got 0$/);
    expect(() => celu(x, NaN)).to.throw(ArgumentError, /^celu: alpha must be a finite number/);
  });

  it("gelu's options are strict and approximate is 'none' or 'tanh'", () => {
    expect(() => gelu(x, { approximate: 'tanH' as 'tanh' })).to.throw(ArgumentError, /^gelu: approximate must be 'none' or 'tanh', got "tanH"$/);
    expect(() => gelu(x, { aproximate: 'tanh' } as object)).to.throw(ArgumentError, /^gelu: unknown option 'aproximate' in options \(did you mean 'approximate'\?\)/);
  });

  it("prelu's weight: a scalar or 1-D, one value or one per channel, x's float dtype", () => {
    expect(() => prelu(tensor([[[1, 2, 3]]], { dtype: 'float64' }), tensor([[0.1, 0.2, 0.3]], { dtype: 'float64' }))).to.throw(
      ShapeError,
      /^prelu: weight must be a scalar or 1-D tensor \(one value, or one per channel\), got shape \[1,3\]$/,
    );
    expect(() => prelu(tensor([[1, 2, 3]], { dtype: 'float64' }), tensor([0.1, 0.2], { dtype: 'float64' }))).to.throw(
      ShapeError,
      /^prelu: weight has 2 values but x \[1,3\] has 3 channels \(dim 1\); expected 1 or 3 values$/,
    );
    expect(() => prelu(tensor([1, 2, 3], { dtype: 'float64' }), tensor([0.1, 0.2, 0.3], { dtype: 'float64' }))).to.throw(
      ShapeError,
      /^prelu: weight has 3 values but x \[3\] has 1 channel \(dim 1\); expected 1 or 1 values$/,
    );
    expect(() => prelu(x, tensor([0.1], { dtype: 'float32' }))).to.throw(DTypeError, /^prelu: weight must have x's dtype float64, got float32$/);
    expect(() => prelu(tensor([1], { dtype: 'int32' }), tensor([1], { dtype: 'int32' }))).to.throw(/^prelu: x must be a floating-point tensor/);
  });

  it('int32 input is refused by name', () => {
    const int = tensor([1, 2], { dtype: 'int32' });
    for (const [name, f] of [['hardsigmoid', hardsigmoid], ['hardswish', hardswish], ['selu', selu], ['mish', mish], ['softsign', softsign], ['hardtanh', (t: Tensor) => hardtanh(t)], ['celu', (t: Tensor) => celu(t)], ['gelu', (t: Tensor) => gelu(t, { approximate: 'tanh' })]] as const) {
      expect(() => f(int), name).to.throw(new RegExp(`^${name}: x must be a floating-point tensor`));
    }
  });
});
