import { defineOp } from '../../autograd/registry.js';
import { ArgumentError, ShapeError, formatShape } from '../../errors.js';
import { zeroFilled } from '../../tensor/creation.js';
import { promoteTypes } from '../../tensor/dtype.js';
import { normalizeDim } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { backendOf } from '../../backend/index.js';
import { cast } from '../elementwise/cast.js';
import { unsqueeze } from './reshape.js';
import { sliceBox } from './slice.js';

// y = [x_0 | x_1 | ... ] along dim;  dx_k = the block of dy where x_k sits
const concatOp = defineOp({
  name: 'concat',
  inputs: ['...xs'],
  forward: ({ xs }, { dim }: { dim: number }) => {
    const first = xs[0]!;
    const shape = [...first.shape];
    shape[dim] = xs.reduce((n, x) => n + x.shape[dim]!, 0);
    const out = zeroFilled(shape, xs.reduce((t, x) => promoteTypes(t, x.dtype), first.dtype), first.device);
    let offset = 0;
    for (const x of xs) {
      backendOf(x).copy.box(x.storage, x.shape, x.shape.map(() => 0), out.storage, shape, shape.map((_, i) => (i === dim ? offset : 0)), x.shape);
      offset += x.shape[dim]!;
    }
    return out;
  },
  vjp: ({ dy, xs }, { dim }) => ({
    xs: () => {
      let offset = 0;
      return xs.map((x) => {
        const start = x.shape.map((_, i) => (i === dim ? offset : 0));
        offset += x.shape[dim]!;
        return cast(sliceBox(dy, start, x.shape), x.dtype);
      });
    },
  }),
  cases: ({ fc, arb }) =>
    fc
      .record({ shape: arb.shape({ rank: [1, 3], maxDim: 3 }), count: fc.integer({ min: 1, max: 3 }) })
      .chain(({ shape, count }) =>
        fc.integer({ min: 0, max: shape.length - 1 }).chain((dim) =>
          fc.record({
            inputs: fc.record({
              xs: fc.tuple(
                ...Array.from({ length: count }, () =>
                  fc.integer({ min: 1, max: 3 }).chain((n) => arb.tensorOfShape(shape.map((d, i) => (i === dim ? n : d)))),
                ),
              ),
            }),
            attrs: fc.constant({ dim }),
          }),
        ),
      ),
});

/** Joins tensors along an existing dim; every other dim must match (dtypes promote). */
export function concat(xs: readonly Tensor[], dim = 0): Tensor {
  if (xs.length === 0) throw new ArgumentError('concat: xs must hold at least one tensor, got an empty list');
  const first = xs[0]!;
  if (first.ndim === 0) throw new ShapeError(`concat: cannot concatenate 0-d tensors (xs[0] has shape []); use stack`);
  const d = normalizeDim('concat', dim, first.ndim);
  xs.forEach((x, k) => {
    const fits = x.ndim === first.ndim && x.shape.every((n, i) => i === d || n === first.shape[i]);
    if (!fits) {
      throw new ShapeError(
        `concat: xs[${k}] has shape ${formatShape(x.shape)} but xs[0] has ${formatShape(first.shape)}; ` +
          `all sizes must match except along dim ${d} (shapes: ${xs.map((t) => formatShape(t.shape)).join(', ')})`,
      );
    }
  });
  return concatOp({ xs: [...xs] }, { dim: d });
}

/** Joins same-shaped tensors along a new dim (unsqueeze each, then concat). */
export function stack(xs: readonly Tensor[], dim = 0): Tensor {
  if (xs.length === 0) throw new ArgumentError('stack: xs must hold at least one tensor, got an empty list');
  const first = xs[0]!;
  const d = normalizeDim('stack', dim, first.ndim + 1);
  xs.forEach((x, k) => {
    if (x.ndim !== first.ndim || x.shape.some((n, i) => n !== first.shape[i])) {
      throw new ShapeError(
        `stack: xs[${k}] has shape ${formatShape(x.shape)} but xs[0] has ${formatShape(first.shape)}; stack needs equal shapes`,
      );
    }
  });
  return concat(xs.map((x) => unsqueeze(x, d)), d);
}
