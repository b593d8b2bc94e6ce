// The "hard" activations: piecewise-linear, with PyTorch 1.13's derivative at each kink. VJPs
// select with `where` (not a product with a mask), so an infinite dy outside the pass region
// gives 0 as PyTorch's kernels do; the masks are piecewise constant, so they carry no gradient.
import { defineOp } from '../../autograd/registry.js';
import { Unary } from '../../backend/elementwise.js';
import type { Tensor } from '../../tensor/tensor.js';
import { addScalar, div, mul, mulScalar, scalarLike, where } from '../elementwise/arithmetic.js';
import { unaryCases } from '../elementwise/cases.js';
import { greaterEqual, less } from '../elementwise/compare.js';
import { floatUnary, pointwise, unaryForward } from '../elementwise/define.js';
import { hardtanhCases } from './cases.js';

/** PyTorch's hardsigmoid slope: `scalar_t(1.0f / 6.0f)`, the float32 1/6 also in float64. */
const ONE_SIXTH_F32 = Math.fround(1 / 6);

export interface HardtanhAttrs {
  minVal: number;
  maxVal: number;
}

// hardtanh(x) = min(max(x, minVal), maxVal);  dx = dy·[minVal < x < maxVal] (0 at both bounds, as PyTorch)
const hardtanhOp = defineOp({
  name: 'hardtanh',
  inputs: ['x'],
  forward: ({ x }, { minVal, maxVal }: HardtanhAttrs) => floatUnary('hardtanh', x, Unary.hardtanh, minVal, maxVal),
  vjp: ({ dy, x }, { minVal, maxVal }) => ({ x: () => where(pointwise(x, Unary.hardtanhPass, minVal, maxVal), dy, scalarLike(dy, 0)) }),
  cases: hardtanhCases,
});

// hardsigmoid(x) = min(max(x + 3, 0), 6)/6;  dx = dy·(1/6)₃₂ on −3 < x < 3, else 0 (0 at ±3, as PyTorch)
const hardsigmoidOp = defineOp({
  name: 'hardsigmoid',
  inputs: ['x'],
  forward: unaryForward('hardsigmoid', Unary.hardsigmoid),
  vjp: ({ dy, x }) => ({
    x: () => where(pointwise(x, Unary.hardtanhPass, -3, 3), mulScalar(dy, ONE_SIXTH_F32), scalarLike(dy, 0)),
  }),
  cases: unaryCases({ min: -4, max: 4, awayFrom: [-3, 3] }),
});

// hardswish(x) = x·min(max(x + 3, 0), 6)/6;  dx = 0 for x < −3, dy for x ≥ 3, else dy·(x/3 + 1/2).
// At the kinks PyTorch's (vectorised) kernel takes the right-hand derivative: −1/2 at x = −3, 1 at
// x = 3; a NaN x falls in the middle branch (NaN).
const hardswishOp = defineOp({
  name: 'hardswish',
  inputs: ['x'],
  forward: unaryForward('hardswish', Unary.hardswish),
  vjp: ({ dy, x }) => ({
    x: () => {
      const middle = mul(dy, addScalar(div(x, scalarLike(x, 3)), 0.5));
      const upperOrMiddle = where(greaterEqual(x, scalarLike(x, 3)), dy, middle);
      return where(less(x, scalarLike(x, -3)), scalarLike(dy, 0), upperOrMiddle);
    },
  }),
  cases: unaryCases({ min: -4, max: 4, awayFrom: [-3, 3] }),
});

export const hardtanh = (x: Tensor, minVal = -1, maxVal = 1): Tensor => hardtanhOp({ x }, { minVal, maxVal });
export const hardsigmoid = (x: Tensor): Tensor => hardsigmoidOp({ x }, {});
export const hardswish = (x: Tensor): Tensor => hardswishOp({ x }, {});
