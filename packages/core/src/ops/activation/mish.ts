// Mish (Misra 2019), forward as PyTorch 1.13's kernel: x·tanh(log1p(eˣ)).
import { defineOp } from '../../autograd/registry.js';
import { Unary } from '../../backend/elementwise.js';
import type { Tensor } from '../../tensor/tensor.js';
import { add, mul, scalarLike, sub } from '../elementwise/arithmetic.js';
import { unaryCases } from '../elementwise/cases.js';
import { unaryForward } from '../elementwise/define.js';
import { sigmoid, softplus, tanh } from './smooth.js';

// mish(x) = x·t, t = tanh(softplus(x));  dx = dy·(t + x·σ(x)·(1 − t²)) (torch's mish_backward)
const mishOp = defineOp({
  name: 'mish',
  inputs: ['x'],
  forward: unaryForward('mish', Unary.mish),
  vjp: ({ dy, x }) => ({
    x: () => {
      const t = tanh(softplus(x));
      return mul(dy, add(t, mul(mul(x, sigmoid(x)), sub(scalarLike(t, 1), mul(t, t)))));
    },
  }),
  cases: unaryCases({ min: -4, max: 4 }),
});

export const mish = (x: Tensor): Tensor => mishOp({ x }, {});
