import { defineOp } from '../../autograd/registry.js';
import type { Tensor } from '../../tensor/tensor.js';
import { div, mul, mulScalar } from './binary.js';
import { sign } from './compare.js';
import { unaryCases, unaryForward } from './define.js';
import { Unary } from '../../backend/cpu/elementwise.js';

// -x;  dx = -dy
const negOp = defineOp({
  name: 'neg',
  inputs: ['x'],
  forward: unaryForward('neg', Unary.neg, false),
  vjp: ({ dy }) => ({ x: () => neg(dy) }),
  cases: unaryCases(),
});

// e^x;  dx = dy·y
const expOp = defineOp({
  name: 'exp',
  inputs: ['x'],
  forward: unaryForward('exp', Unary.exp),
  vjp: ({ dy, y }) => ({ x: () => mul(dy, y) }),
  cases: unaryCases(),
});

// ln x;  dx = dy/x
const logOp = defineOp({
  name: 'log',
  inputs: ['x'],
  forward: unaryForward('log', Unary.log),
  vjp: ({ dy, x }) => ({ x: () => div(dy, x) }),
  cases: unaryCases({ min: 0.2, max: 3 }),
});

// √x;  dx = dy/(2y)
const sqrtOp = defineOp({
  name: 'sqrt',
  inputs: ['x'],
  forward: unaryForward('sqrt', Unary.sqrt),
  vjp: ({ dy, y }) => ({ x: () => div(dy, mulScalar(y, 2)) }),
  cases: unaryCases({ min: 0.2, max: 3 }),
});

// |x|;  dx = dy·sign(x)  (0 at 0, like PyTorch)
const absOp = defineOp({
  name: 'abs',
  inputs: ['x'],
  forward: unaryForward('abs', Unary.abs, false),
  vjp: ({ dy, x }) => ({ x: () => mul(dy, sign(x)) }),
  cases: unaryCases({ awayFrom: [0] }),
});

export const neg = (x: Tensor): Tensor => negOp({ x }, {});
export const exp = (x: Tensor): Tensor => expOp({ x }, {});
export const log = (x: Tensor): Tensor => logOp({ x }, {});
export const sqrt = (x: Tensor): Tensor => sqrtOp({ x }, {});
export const abs = (x: Tensor): Tensor => absOp({ x }, {});
