// PReLU with a learnable weight: one value shared by all elements, or one per channel (dim 1),
// as torch.nn.functional.prelu. The op itself takes the weight already laid out to broadcast
// against x (a 0-d tensor, or [C, 1, …]); `prelu` checks PyTorch's rules and lays it out.
import { defineOp } from '../../autograd/registry.js';
import { Binary, Unary } from '../../backend/elementwise.js';
import { backendOf } from '../../backend/index.js';
import { DTypeError, ShapeError, formatShape } from '../../errors.js';
import { uninitialized } from '../../tensor/creation.js';
import { assertFloat } from '../../tensor/dtype.js';
import { broadcastShapes, shapesEqual } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { mul, scalarLike, where } from '../elementwise/arithmetic.js';
import { pointwise } from '../elementwise/define.js';
import { reduceGradTo } from '../reduce/sum.js';
import { reshape } from '../shape/reshape.js';
import { preluCases } from './cases.js';

// prelu(x, w) = x for x > 0, w·x otherwise;  dx = x > 0 ? dy : w·dy;  dw = Σ (x > 0 ? 0 : x·dy)
// over the dims w is broadcast along (PyTorch's prelu backward: the weight's slope at x = 0)
const preluOp = defineOp({
  name: 'prelu',
  inputs: ['x', 'weight'],
  forward: ({ x, weight }) => {
    if (!shapesEqual(broadcastShapes('prelu', x.shape, weight.shape, ['x', 'weight']), x.shape)) {
      throw new ShapeError(`prelu: weight ${formatShape(weight.shape)} must broadcast to x ${formatShape(x.shape)}`);
    }
    const backend = backendOf(x).elementwise;
    const scaled = uninitialized(x.shape, x.dtype, x.device);
    backend.binary(Binary.mul, weight.storage, weight.shape, x.storage, x.shape, scaled.storage, x.shape);
    const positive = pointwise(x, Unary.positive);
    const out = uninitialized(x.shape, x.dtype, x.device);
    backend.where(positive.storage, x.shape, x.storage, x.shape, scaled.storage, x.shape, out.storage, x.shape);
    return out;
  },
  vjp: ({ dy, x, weight }) => ({
    x: () => where(pointwise(x, Unary.positive), dy, mul(weight, dy)),
    weight: () => reduceGradTo(where(pointwise(x, Unary.positive), scalarLike(dy, 0), mul(x, dy)), weight),
  }),
  cases: preluCases,
});

/**
 * prelu(x, weight) as F.prelu: weight is 0-d or 1-D with one value, or one value per channel
 * (x.shape[1]; a 0-d or 1-D x has one channel).
 */
export function prelu(x: Tensor, weight: Tensor): Tensor {
  assertFloat('prelu', 'x', x.dtype);
  assertFloat('prelu', 'weight', weight.dtype);
  if (weight.dtype !== x.dtype) throw new DTypeError(`prelu: weight must have x's dtype ${x.dtype}, got ${weight.dtype}`);
  if (weight.ndim > 1) {
    throw new ShapeError(`prelu: weight must be a scalar or 1-D tensor (one value, or one per channel), got shape ${formatShape(weight.shape)}`);
  }
  const channels = x.ndim > 1 ? x.shape[1]! : 1;
  if (weight.size === 1) return preluOp({ x, weight: reshape(weight, []) }, {});
  if (weight.size !== channels) {
    throw new ShapeError(
      `prelu: weight has ${weight.size} values but x ${formatShape(x.shape)} has ${channels} channel${channels === 1 ? '' : 's'} (dim 1); expected 1 or ${channels} values`,
    );
  }
  return preluOp({ x, weight: reshape(weight, [channels, ...x.shape.slice(2).map(() => 1)]) }, {});
}
