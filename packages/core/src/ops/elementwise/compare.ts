// Comparisons and sign. Their outputs are piecewise constant, so they are not ops on the tape:
// they return plain tensors (0/1 masks in the operands' float dtype, as VJPs multiply by them).
import { zeroFilled } from '../../tensor/creation.js';
import { promoteTypes } from '../../tensor/dtype.js';
import { broadcastShapes } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type BinaryFn, mapBinary, mapUnary } from '../../backend/cpu/elementwise.js';

function compare(name: string, f: BinaryFn) {
  return (a: Tensor, b: Tensor): Tensor => {
    const out = zeroFilled(broadcastShapes(name, a.shape, b.shape), promoteTypes(a.dtype, b.dtype));
    mapBinary(a.data, a.shape, b.data, b.shape, out.data, out.shape, f);
    return out;
  };
}

export const greater = compare('greater', (p, q) => (p > q ? 1 : 0));
export const greaterEqual = compare('greaterEqual', (p, q) => (p >= q ? 1 : 0));
export const less = compare('less', (p, q) => (p < q ? 1 : 0));
export const lessEqual = compare('lessEqual', (p, q) => (p <= q ? 1 : 0));
export const equal = compare('equal', (p, q) => (p === q ? 1 : 0));
export const notEqual = compare('notEqual', (p, q) => (p !== q ? 1 : 0));

/** -1, 0 or 1 per element. */
export function sign(x: Tensor): Tensor {
  const out = zeroFilled(x.shape, x.dtype);
  mapUnary(x.data, out.data, Math.sign);
  return out;
}
