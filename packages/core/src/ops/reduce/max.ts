import { defineOp } from '../../autograd/registry.js';
import { ShapeError, formatShape } from '../../errors.js';
import { zeroFilled } from '../../tensor/creation.js';
import { normalizeDims } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { backendOf } from '../../backend/index.js';
import { div, mul } from '../elementwise/arithmetic.js';
import { equal } from '../elementwise/compare.js';
import { reshape } from '../shape/reshape.js';
import { reduceCases } from './cases.js';
import { type ReduceAttrs, reducedShape, sum } from './sum.js';

/**
 * An extremum reduction (max or min). y = ext_dims x;  dx = dy · [x = y] / #{x = y}: the
 * gradient goes to the extremal positions, split evenly among ties (torch.amax / amin).
 */
function defineExtremum(name: 'max' | 'min') {
  const op = defineOp({
    name,
    inputs: ['x'],
    forward: ({ x }, { dims, keepdim }: ReduceAttrs) => {
      const out = zeroFilled(reducedShape(x.shape, dims, keepdim), x.dtype, x.device);
      // NaN wins (propagates), as in PyTorch.
      backendOf(x).reduce[name](x.storage, x.shape, dims, out.storage);
      return out;
    },
    vjp: ({ dy, x, y }, { dims }) => ({
      x: () => {
        const kept = reducedShape(x.shape, dims, true);
        // Constant weights (not on the tape): the indicator of the extremum over its tie count.
        const hits = equal(x, reshape(y.detach(), kept));
        return mul(reshape(dy, kept), div(hits, sum(hits, dims, true)));
      },
    }),
    cases: reduceCases,
  });
  return (x: Tensor, dims?: number | readonly number[], keepdim = false): Tensor => {
    const d = normalizeDims(name, dims, x.ndim);
    const empties = d.filter((i) => x.shape[i] === 0);
    if (empties.length > 0) {
      throw new ShapeError(`${name}: cannot reduce over dim ${empties[0]} of size 0 (x ${formatShape(x.shape)}): the ${name} of nothing is undefined`);
    }
    return op({ x }, { dims: d, keepdim });
  };
}

/** Largest value over dims (all dims when omitted), optionally keeping them as size 1. */
export const max = defineExtremum('max');

/** Smallest value over dims (all dims when omitted), optionally keeping them as size 1. */
export const min = defineExtremum('min');
