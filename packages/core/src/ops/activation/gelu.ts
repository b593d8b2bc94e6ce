// erf and the exact (erf-form) GELU, PyTorch's default.
import { defineOp } from '../../autograd/registry.js';
import { Unary } from '../../backend/elementwise.js';
import type { Tensor } from '../../tensor/tensor.js';
import { add, addScalar, exp, mul, mulScalar } from '../elementwise/arithmetic.js';
import { unaryCases } from '../elementwise/cases.js';
import { unaryForward } from '../elementwise/define.js';

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

export const erf = (x: Tensor): Tensor => erfOp({ x }, {});
export const gelu = (x: Tensor): Tensor => geluOp({ x }, {});
