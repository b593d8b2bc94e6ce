// SELU and CELU: ELU with PyTorch's scales. Forward as torch's elu kernel ((e^{x·s} − 1)·c for
// x ≤ 0); the VJP is torch's elu_backward on the input, with e^x taken of min(x, 0) only, so a
// large positive x cannot overflow into a NaN second-order gradient.
import { defineOp } from '../../autograd/registry.js';
import { SELU_NEGATIVE, SELU_SCALE } from '../../backend/activation-constants.js';
import { Unary } from '../../backend/elementwise.js';
import type { Tensor } from '../../tensor/tensor.js';
import { exp, mul, mulScalar, scalarLike, where } from '../elementwise/arithmetic.js';
import { unaryCases } from '../elementwise/cases.js';
import { floatUnary, pointwise, unaryForward } from '../elementwise/define.js';
import { celuCases } from './cases.js';

/** x where x ≤ 0, else 0 (the argument of the negative side's exponential). */
const nonPositivePart = (x: Tensor, positive: Tensor): Tensor => where(positive, scalarLike(x, 0), x);

// selu(x) = scale·x for x > 0, α·scale·(eˣ − 1) otherwise;  dx = dy·scale for x > 0, else (dy·α·scale)·eˣ
// (the left-hand derivative at 0, as PyTorch)
const seluOp = defineOp({
  name: 'selu',
  inputs: ['x'],
  forward: unaryForward('selu', Unary.selu),
  vjp: ({ dy, x }) => ({
    x: () => {
      const positive = pointwise(x, Unary.positive);
      return where(positive, mulScalar(dy, SELU_SCALE), mul(mulScalar(dy, SELU_NEGATIVE), exp(nonPositivePart(x, positive))));
    },
  }),
  cases: unaryCases({ awayFrom: [0] }),
});

interface CeluAttrs {
  alpha: number;
}

// celu(x) = x for x > 0, α·(e^{x/α} − 1) otherwise;  dx = dy for x > 0, else (dy·(1/α)·α)·e^{x·(1/α)}
const celuOp = defineOp({
  name: 'celu',
  inputs: ['x'],
  forward: ({ x }, { alpha }: CeluAttrs) => floatUnary('celu', x, Unary.celu, alpha),
  vjp: ({ dy, x }, { alpha }) => ({
    x: () => {
      const inverse = 1 / alpha;
      const positive = pointwise(x, Unary.positive);
      const e = exp(mulScalar(nonPositivePart(x, positive), inverse));
      return where(positive, dy, mul(mulScalar(mulScalar(dy, inverse), alpha), e));
    },
  }),
  cases: celuCases,
});

export const selu = (x: Tensor): Tensor => seluOp({ x }, {});
export const celu = (x: Tensor, alpha = 1): Tensor => celuOp({ x }, { alpha });
