// Comparisons and sign. Their outputs are piecewise constant, so they are not ops on the tape:
// they return plain tensors (0/1 masks in the operands' float dtype, as VJPs multiply by them).
import { Binary, type BinaryCode, Unary } from '../../backend/elementwise.js';
import { backendOf } from '../../backend/index.js';
import { zeroFilled } from '../../tensor/creation.js';
import { promoteTypes } from '../../tensor/dtype.js';
import { broadcastShapes } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

function compare(name: string, op: BinaryCode) {
  return (a: Tensor, b: Tensor): Tensor => {
    const out = zeroFilled(broadcastShapes(name, a.shape, b.shape), promoteTypes(a.dtype, b.dtype), a.device);
    backendOf(a).elementwise.binary(op, a.storage, a.shape, b.storage, b.shape, out.storage, out.shape);
    return out;
  };
}

export const greater = compare('greater', Binary.greater);
export const greaterEqual = compare('greaterEqual', Binary.greaterEqual);
export const less = compare('less', Binary.less);
export const lessEqual = compare('lessEqual', Binary.lessEqual);
export const equal = compare('equal', Binary.equal);
export const notEqual = compare('notEqual', Binary.notEqual);

/** -1, 0 or 1 per element. */
export function sign(x: Tensor): Tensor {
  const out = zeroFilled(x.shape, x.dtype, x.device);
  backendOf(x).elementwise.unary(Unary.sign, x.storage, out.storage);
  return out;
}
