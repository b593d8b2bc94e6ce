// Boxes: slice takes a box out of x, pad puts x in a box of a constant; each one's VJP is the
// other (so they share a file).
import { defineOp } from '../../autograd/registry.js';
import { backendOf } from '../../backend/index.js';
import { ArgumentError, formatShape } from '../../errors.js';
import { full, zeroFilled } from '../../tensor/creation.js';
import { normalizeDim, shapesEqual } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

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
    backendOf(x).copy.box(x.data, x.shape, start, out.data, size, size.map(() => 0), size);
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

export interface PadAttrs {
  /** Entries added before / after x along each dim (non-negative). */
  before: number[];
  after: number[];
  /** The constant the new entries hold (not differentiated). */
  value: number;
}

// y = x surrounded by `value` (before[i] entries before and after[i] after along dim i);
// dx = the box of dy where x sits
const padOp = defineOp({
  name: 'pad',
  inputs: ['x'],
  forward: ({ x }, { before, after, value }: PadAttrs) => {
    const out = full(x.shape.map((d, i) => before[i]! + d + after[i]!), value, { dtype: x.dtype });
    backendOf(x).copy.box(x.data, x.shape, x.shape.map(() => 0), out.data, out.shape, before, x.shape);
    return out;
  },
  vjp: ({ dy, x }, { before }) => ({ x: () => sliceBox(dy, before, x.shape) }),
  cases: ({ fc, arb }) =>
    arb.shape({ rank: [0, 3] }).chain((s) => {
      const amounts = fc.array(fc.integer({ min: 0, max: 2 }), { minLength: s.length, maxLength: s.length });
      return fc.record({
        inputs: fc.record({ x: arb.tensorOfShape(s) }),
        attrs: fc.record({ before: amounts, after: amounts, value: fc.constantFrom(0, -1, 0.5) }),
      });
    }),
});

/** Internal: x padded with `value` by before[i] / after[i] (non-negative) entries along each dim. */
export function padBox(x: Tensor, before: readonly number[], after: readonly number[], value: number): Tensor {
  if (before.every((p) => p === 0) && after.every((p) => p === 0)) return x;
  return padOp({ x }, { before: [...before], after: [...after], value });
}

/**
 * Constant padding with PyTorch's F.pad ordering: pads = [left, right] for the last dim, then
 * [top, bottom] for the one before, and so on. Negative amounts crop, as in PyTorch.
 */
export function pad(x: Tensor, pads: readonly number[], value = 0): Tensor {
  if (pads.length % 2 !== 0 || pads.length > 2 * x.ndim) {
    throw new ArgumentError(
      `pad: pads must hold an even number of entries, at most 2·rank = ${2 * x.ndim} for x ${formatShape(x.shape)}, got ${pads.length} ([${pads.join(',')}])`,
    );
  }
  if (!pads.every(Number.isInteger)) throw new ArgumentError(`pad: pads must be integers, got [${pads.join(',')}]`);
  if (typeof value !== 'number') throw new ArgumentError(`pad: value must be a number, got ${typeof value}`);
  const before = x.shape.map(() => 0);
  const after = x.shape.map(() => 0);
  for (let k = 0; k < pads.length / 2; k++) {
    const dim = x.ndim - 1 - k;
    before[dim] = pads[2 * k]!;
    after[dim] = pads[2 * k + 1]!;
  }
  const cropped = x.shape.map((d, i) => d + Math.min(before[i]!, 0) + Math.min(after[i]!, 0));
  const bad = cropped.findIndex((d) => d < 0);
  if (bad >= 0) {
    throw new ArgumentError(`pad: negative padding [${before[bad]}, ${after[bad]}] removes more than the ${x.shape[bad]} entries of dim ${bad} (x ${formatShape(x.shape)})`);
  }
  // Negative amounts crop first; the rest pads.
  const inner = sliceBox(x, before.map((p) => Math.max(-p, 0)), cropped);
  return padBox(inner, before.map((p) => Math.max(p, 0)), after.map((p) => Math.max(p, 0)), value);
}
