// erf, the exact (erf-form) GELU, PyTorch's default, and its tanh approximation.
import { defineOp } from '../../autograd/registry.js';
import { GELU_TANH_BETA, GELU_TANH_KAPPA } from '../../backend/activation-constants.js';
import { Unary } from '../../backend/elementwise.js';
import type { Tensor } from '../../tensor/tensor.js';
import { add, addScalar, exp, mul, mulScalar, scalarLike, sub } from '../elementwise/arithmetic.js';
import { unaryCases } from '../elementwise/cases.js';
import { unaryForward } from '../elementwise/define.js';
import { tanh } from './smooth.js';

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 0.3989422804014327;

// erf(x);  dx = dy·(2/√π)·e^{−x²}
const erfOp = defineOp({
  name: 'erf',
  inputs: ['x'],
  forward: unaryForward('erf', Unary.erf),
  vjp: ({ dy, x }) => ({ x: () => mul(dy, mulScalar(exp(mulScalar(mul(x, x), -1)), 2 / Math.sqrt(Math.PI))) }),
  cases: unaryCases({ min: -3, max: 3 }),
});

// gelu(x) = x·Φ(x);  dx = dy·(Φ(x) + x·φ(x)), with Φ(x) = (1 + erf(x/√2))/2, φ(x) = e^{−x²/2}/√(2π)
// (the forward's kernel takes Φ(x) = erfc(−x/√2)/2, accurate in the left tail where 1 + erf cancels)
const geluOp = defineOp({
  name: 'gelu',
  inputs: ['x'],
  forward: unaryForward('gelu', Unary.gelu),
  vjp: ({ dy, x }) => ({
    x: () => {
      const cdf = mulScalar(addScalar(erf(mulScalar(x, SQRT1_2)), 1), 0.5);
      const pdf = mulScalar(exp(mulScalar(mul(x, x), -0.5)), INV_SQRT_2PI);
      return mul(dy, add(cdf, mul(x, pdf)));
    },
  }),
  cases: unaryCases({ min: -4, max: 4 }),
});

// gelu(x, 'tanh') = ½x·(1 + tanh u), u = β(x + κx³);  dx = dy·(½(1 + tanh u) + ½x·(1 − tanh²u)·β(1 + 3κx²)),
// in the order of PyTorch 1.13's GeluBackward kernel
const geluTanhOp = defineOp({
  name: 'geluTanh',
  inputs: ['x'],
  forward: unaryForward('gelu', Unary.geluTanh),
  vjp: ({ dy, x }) => ({
    x: () => {
      const xSquared = mul(x, x);
      const t = tanh(mulScalar(add(x, mulScalar(mul(xSquared, x), GELU_TANH_KAPPA)), GELU_TANH_BETA));
      const leftDerivative = mulScalar(addScalar(t, 1), 0.5);
      const tanhDerivative = sub(scalarLike(t, 1), mul(t, t));
      const innerDerivative = mulScalar(addScalar(mulScalar(xSquared, 3 * GELU_TANH_KAPPA), 1), GELU_TANH_BETA);
      const rightDerivative = mul(mul(mulScalar(x, 0.5), tanhDerivative), innerDerivative);
      return mul(dy, add(leftDerivative, rightDerivative));
    },
  }),
  cases: unaryCases({ min: -4, max: 4 }),
});

export const erf = (x: Tensor): Tensor => erfOp({ x }, {});
export const gelu = (x: Tensor): Tensor => geluOp({ x }, {});
export const geluTanh = (x: Tensor): Tensor => geluTanhOp({ x }, {});
