// erf and the exact (erf-form) GELU, PyTorch's default.
import { defineOp } from '../../autograd/registry.js';
import type { Tensor } from '../../tensor/tensor.js';
import { add, addScalar, exp, mul, mulScalar } from '../elementwise/arithmetic.js';
import { unaryCases } from '../elementwise/cases.js';
import { unaryForward } from '../elementwise/define.js';
import { erf as erfOf, erfc } from './erf.js';

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 0.3989422804014327;

// erf(x);  dx = dy·(2/√π)·e^{−x²}
const erfOp = defineOp({
  name: 'erf',
  inputs: ['x'],
  forward: unaryForward('erf', erfOf),
  vjp: ({ dy, x }) => ({ x: () => mul(dy, mulScalar(exp(mulScalar(mul(x, x), -1)), 2 / Math.sqrt(Math.PI))) }),
  cases: unaryCases({ min: -3, max: 3 }),
});

/** Φ(v) = erfc(−v/√2)/2: accurate in the left tail, where 1 + erf would cancel. */
const normalCdf = (v: number): number => 0.5 * erfc(-v * SQRT1_2);

// gelu(x) = x·Φ(x);  dx = dy·(Φ(x) + x·φ(x)), with Φ(x) = (1 + erf(x/√2))/2, φ(x) = e^{−x²/2}/√(2π)
const geluOp = defineOp({
  name: 'gelu',
  inputs: ['x'],
  forward: unaryForward('gelu', (v) => v * normalCdf(v)),
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
