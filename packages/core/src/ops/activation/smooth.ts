// Smooth activations; the backend evaluates each in a form that cannot overflow for large |x|.
import { defineOp } from '../../autograd/registry.js';
import { Unary } from '../../backend/elementwise.js';
import type { Tensor } from '../../tensor/tensor.js';
import { add, addScalar, mul, mulScalar, neg, scalarLike, sub } from '../elementwise/arithmetic.js';
import { unaryCases } from '../elementwise/cases.js';
import { floatUnary, pointwise, unaryForward } from '../elementwise/define.js';

const oneMinus = (y: Tensor): Tensor => sub(scalarLike(y, 1), y);

// σ(x) = 1/(1 + e^{-x});  dx = dy·y(1 − y)
const sigmoidOp = defineOp({
  name: 'sigmoid',
  inputs: ['x'],
  forward: unaryForward('sigmoid', Unary.sigmoid),
  vjp: ({ dy, y }) => ({ x: () => mul(dy, mul(y, oneMinus(y))) }),
  cases: unaryCases({ min: -4, max: 4 }),
});

// tanh(x);  dx = dy·(1 − y²)
const tanhOp = defineOp({
  name: 'tanh',
  inputs: ['x'],
  forward: unaryForward('tanh', Unary.tanh),
  vjp: ({ dy, y }) => ({ x: () => mul(dy, oneMinus(mul(y, y))) }),
  cases: unaryCases(),
});

// silu(x) = x·σ(x);  dx = dy·σ(x)(1 + x(1 − σ(x)))
const siluOp = defineOp({
  name: 'silu',
  inputs: ['x'],
  forward: unaryForward('silu', Unary.silu),
  vjp: ({ dy, x }) => ({
    x: () => {
      const s = sigmoid(x);
      return mul(dy, mul(s, addScalar(mul(x, oneMinus(s)), 1)));
    },
  }),
  cases: unaryCases({ min: -4, max: 4 }),
});

// log σ(x) = −softplus(−x);  dx = dy·σ(−x)
const logSigmoidOp = defineOp({
  name: 'logSigmoid',
  inputs: ['x'],
  forward: unaryForward('logSigmoid', Unary.logSigmoid),
  vjp: ({ dy, x }) => ({ x: () => mul(dy, sigmoid(neg(x))) }),
  cases: unaryCases({ min: -4, max: 4 }),
});

interface SoftplusAttrs {
  beta: number;
  threshold: number;
}

// softplus(x) = log(1 + e^{βx})/β, or x where βx > threshold (PyTorch);  dx = dy·σ(βx) (1 past the threshold)
const softplusOp = defineOp({
  name: 'softplus',
  inputs: ['x'],
  forward: ({ x }, { beta, threshold }: SoftplusAttrs) => floatUnary('softplus', x, Unary.softplus, beta, threshold),
  vjp: ({ dy, x }, { beta, threshold }) => ({
    x: () => {
      const linear = pointwise(x, Unary.softplusLinear, beta, threshold);
      const curved = pointwise(x, Unary.softplusCurved, beta, threshold);
      return mul(dy, add(linear, mul(curved, sigmoid(mulScalar(x, beta)))));
    },
  }),
  cases: (tools) =>
    tools.fc
      .record({ beta: tools.fc.double({ min: 0.5, max: 3, noNaN: true }), threshold: tools.fc.double({ min: 0.5, max: 20, noNaN: true }) })
      .chain((attrs) =>
        tools.fc.record({
          inputs: tools.fc.record({ x: tools.arb.tensor({ min: -4, max: 4, awayFrom: [attrs.threshold / attrs.beta], margin: 0.05 }) }),
          attrs: tools.fc.constant(attrs),
        }),
      ),
});

export const sigmoid = (x: Tensor): Tensor => sigmoidOp({ x }, {});
export const tanh = (x: Tensor): Tensor => tanhOp({ x }, {});
export const silu = (x: Tensor): Tensor => siluOp({ x }, {});
export const logSigmoid = (x: Tensor): Tensor => logSigmoidOp({ x }, {});
export const softplus = (x: Tensor, beta = 1, threshold = 20): Tensor => softplusOp({ x }, { beta, threshold });
