// softmax and logSoftmax along one dim (the kernels subtract the max first: stable for any
// finite input, e.g. ±1000).
import { type CaseTools, defineOp } from '../../autograd/registry.js';
import { backendOf } from '../../backend/index.js';
import { zeroFilled } from '../../tensor/creation.js';
import { assertFloat } from '../../tensor/dtype.js';
import { normalizeDim } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { exp, mul, sub } from '../elementwise/arithmetic.js';
import { sum } from '../reduce/sum.js';

interface DimAttrs {
  dim: number;
}

function lineForward(name: 'softmax' | 'logSoftmax') {
  return ({ x }: { x: Tensor }, { dim }: DimAttrs): Tensor => {
    assertFloat(name, 'x', x.dtype);
    const out = zeroFilled(x.shape, x.dtype, x.device);
    backendOf(x).reduce[name](x.storage, x.shape, dim, out.storage);
    return out;
  };
}

const dimCases = ({ fc, arb }: CaseTools) =>
  arb.shape({ rank: [1, 3] }).chain((shape) =>
    fc.record({ inputs: fc.record({ x: arb.tensorOfShape(shape, { min: -3, max: 3 }) }), attrs: fc.record({ dim: fc.integer({ min: 0, max: shape.length - 1 }) }) }),
  );

// y = softmax(x);  dx = y ⊙ (dy − Σ_dim dy ⊙ y)
const softmaxOp = defineOp({
  name: 'softmax',
  inputs: ['x'],
  forward: lineForward('softmax'),
  vjp: ({ dy, y }, { dim }) => ({ x: () => mul(y, sub(dy, sum(mul(dy, y), dim, true))) }),
  cases: dimCases,
});

// y = x − logΣexp(x);  dx = dy − eʸ ⊙ Σ_dim dy
const logSoftmaxOp = defineOp({
  name: 'logSoftmax',
  inputs: ['x'],
  forward: lineForward('logSoftmax'),
  vjp: ({ dy, y }, { dim }) => ({ x: () => sub(dy, mul(exp(y), sum(dy, dim, true))) }),
  cases: dimCases,
});

export function softmax(x: Tensor, dim: number): Tensor {
  return softmaxOp({ x }, { dim: normalizeDim('softmax', dim, x.ndim) });
}

export function logSoftmax(x: Tensor, dim: number): Tensor {
  return logSoftmaxOp({ x }, { dim: normalizeDim('logSoftmax', dim, x.ndim) });
}
