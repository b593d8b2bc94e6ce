// Gradient accumulation: where several paths reach one tensor, backward sums their gradients.
// accumulateGrad(a, b) = a + b for two gradients of one shape and dtype;  da = db = dy.
// An op (not a bare loop) so that with createGraph the sum is on the tape and differentiable,
// and so that the registry-wide gradient test checks it like any other op.
import { ShapeError, formatShape } from '../errors.js';
import { Binary } from '../backend/elementwise.js';
import { backendOf } from '../backend/index.js';
import { uninitialized } from '../tensor/creation.js';
import { shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { registerOp } from './op-table.js';

const accumulateOp = registerOp({
  name: 'accumulateGrad',
  inputs: ['a', 'b'],
  forward: ({ a, b }) => {
    if (!shapesEqual(a.shape, b.shape) || a.dtype !== b.dtype) {
      throw new ShapeError(
        `accumulateGrad: gradients to sum must have one shape and dtype, got ${formatShape(a.shape)} ${a.dtype} and ${formatShape(b.shape)} ${b.dtype}`,
      );
    }
    const out = uninitialized(a.shape, a.dtype, a.device);
    backendOf(a).elementwise.binary(Binary.add, a.storage, a.shape, b.storage, b.shape, out.storage, out.shape);
    return out;
  },
  vjp: ({ dy }) => ({ a: () => dy, b: () => dy }),
  cases: ({ arb }) => arb.tensorCase({ names: ['a', 'b'] }),
});

/** a + b, recorded on the tape when grad mode is on and a or b requires grad. */
export function accumulateGrad(a: Tensor, b: Tensor): Tensor {
  return accumulateOp({ a, b }, {});
}
