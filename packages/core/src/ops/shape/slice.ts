import { defineOp } from '../../autograd/registry.js';
import { ArgumentError, formatShape } from '../../errors.js';
import { zeroFilled } from '../../tensor/creation.js';
import { normalizeDim, shapesEqual } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { copyBox } from '../../backend/cpu/copy.js';
import { padBox } from './pad.js';

export interface SliceAttrs {
  /** Corner of the box in x, per dim. */
  start: number[];
  /** Extent of the box, per dim. */
  size: number[];
}

// y = x[start : start + size] (a box over every dim);  dx = dy zero-padded back to x's shape
const sliceOp = defineOp({
  name: 'slice',
  inputs: ['x'],
  forward: ({ x }, { start, size }: SliceAttrs) => {
    const out = zeroFilled(size, x.dtype);
    copyBox(x.data, x.shape, start, out.data, size, size.map(() => 0), size);
    return out;
  },
  vjp: ({ dy, x }, { start, size }) => ({
    x: () => padBox(dy, start, x.shape.map((d, i) => d - start[i]! - size[i]!), 0),
  }),
  cases: ({ fc, arb }) =>
    arb.shape({ rank: [0, 3] }).chain((s) =>
      fc.record({
        inputs: fc.record({ x: arb.tensorOfShape(s) }),
        attrs: fc
          .tuple(...s.map((d) => fc.integer({ min: 0, max: d - 1 }).chain((a) => fc.tuple(fc.constant(a), fc.integer({ min: 1, max: d - a })))))
          .map((box) => ({ start: box.map(([a]) => a), size: box.map(([, n]) => n) })),
      }),
    ),
});

/** Internal: the box of x starting at `start` with extent `size` (both already validated). */
export function sliceBox(x: Tensor, start: readonly number[], size: readonly number[]): Tensor {
  if (shapesEqual(size, x.shape)) return x;
  return sliceOp({ x }, { start: [...start], size: [...size] });
}

/** The `length` entries of dim `dim` starting at `start` (PyTorch's narrow; negative start counts from the end). */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normalizeDim('narrow', dim, x.ndim);
  const n = x.shape[d] ?? 1;
  if (!Number.isInteger(start) || start < -n || start > n) {
    throw new ArgumentError(`narrow: start must be an integer in [${-n}, ${n}] for dim ${dim} of size ${n} (x ${formatShape(x.shape)}), got ${start}`);
  }
  const s = start < 0 ? start + n : start;
  if (!Number.isInteger(length) || length < 0 || s + length > n) {
    throw new ArgumentError(
      `narrow: length must be an integer in [0, ${n - s}] for start ${start} in dim ${dim} of size ${n} (x ${formatShape(x.shape)}), got ${length}`,
    );
  }
  return alongDim(x, d, s, length);
}

/**
 * x[..., start:end] along dim, with Python/PyTorch slice semantics: negative indices count from
 * the end, out-of-range indices are clamped, and end defaults to the dim's size.
 */
export function slice(x: Tensor, dim: number, start = 0, end?: number): Tensor {
  const d = normalizeDim('slice', dim, x.ndim);
  const n = x.shape[d] ?? 1;
  for (const [name, v] of [['start', start], ['end', end]] as const) {
    if (v !== undefined && !Number.isInteger(v)) throw new ArgumentError(`slice: ${name} must be an integer, got ${v}`);
  }
  const resolve = (i: number): number => Math.min(Math.max(i < 0 ? i + n : i, 0), n);
  const s = resolve(start);
  const e = Math.max(resolve(end ?? n), s);
  return alongDim(x, d, s, e - s);
}

function alongDim(x: Tensor, dim: number, start: number, length: number): Tensor {
  if (x.ndim === 0) return x;
  const begin = x.shape.map((_, i) => (i === dim ? start : 0));
  const size = x.shape.map((n, i) => (i === dim ? length : n));
  return sliceBox(x, begin, size);
}
