// Softsign. PyTorch 1.13 composes it from ops (F.softsign is input / (input.abs() + 1)), so its
// value at ±∞ is NaN and its gradient is autograd's through that division and |x|; both are
// reproduced here, operation for operation.
import { defineOp } from '../../autograd/registry.js';
import { Unary } from '../../backend/elementwise.js';
import type { Tensor } from '../../tensor/tensor.js';
import { abs, add, addScalar, div, mul, neg } from '../elementwise/arithmetic.js';
import { unaryCases } from '../elementwise/cases.js';
import { sign } from '../elementwise/compare.js';
import { unaryForward } from '../elementwise/define.js';

// softsign(x) = x/d, d = |x| + 1;  dx = dy/d + (−dy·(y/d))·sgn(x)  (= dy/d² away from ±∞, where it is NaN)
const softsignOp = defineOp({
  name: 'softsign',
  inputs: ['x'],
  forward: unaryForward('softsign', Unary.softsign),
  vjp: ({ dy, x, y }) => ({
    x: () => {
      const d = addScalar(abs(x), 1);
      return add(div(dy, d), mul(mul(neg(dy), div(y, d)), sign(x)));
    },
  }),
  cases: unaryCases(),
});

export const softsign = (x: Tensor): Tensor => softsignOp({ x }, {});
