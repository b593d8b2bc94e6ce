import { defineOp } from '../../autograd/registry.js';
import { ShapeError, formatShape } from '../../errors.js';
import { zeroFilled } from '../../tensor/creation.js';
import { assertValidShape, broadcastShapes, shapesEqual } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { broadcastStrides, mapStrided } from '../../backend/cpu/elementwise.js';
import { sumTo } from '../reduce/sum-to.js';

// y = x repeated along broadcast dims;  dx = sumTo(dy, x.shape)
const broadcastToOp = defineOp({
  name: 'broadcastTo',
  inputs: ['x'],
  forward: ({ x }, { shape }: { shape: number[] }) => {
    const out = zeroFilled(shape, x.dtype);
    const src = x.data;
    const dst = out.data;
    mapStrided([src], [broadcastStrides(x.shape, shape)], shape, (offsets, o, len, steps) => {
      let i = offsets[0]!;
      const s = steps[0]!;
      for (let j = 0; j < len; j++, i += s) dst[o + j] = src[i]!;
    });
    return out;
  },
  vjp: ({ dy, x }) => ({ x: () => sumTo(dy, x.shape) }),
  cases: ({ fc, arb }) =>
    arb.broadcastableShapes().chain(([a, b]) =>
      fc.record({ inputs: fc.record({ x: arb.tensorOfShape(a) }), attrs: fc.constant({ shape: broadcastShapes('case', a, b) }) }),
    ),
});

/** x broadcast (NumPy rules) to `shape`. */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  assertValidShape('broadcastTo', shape);
  if (shapesEqual(x.shape, shape)) return x;
  const target = [...shape];
  const result = broadcastShapes('broadcastTo', x.shape, target);
  if (!shapesEqual(result, target)) {
    throw new ShapeError(`broadcastTo: x ${formatShape(x.shape)} cannot be broadcast to ${formatShape(shape)}`);
  }
  return broadcastToOp({ x }, { shape: target });
}
