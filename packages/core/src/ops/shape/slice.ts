// Boxes: slice takes a box out of x, pad puts x in a box of a constant; each one's VJP is the
// other (so they share a file). A slice with a step and the reflect / replicate / circular pads
// are gathers along a dim instead (dim-index.ts, pad-modes.ts).
import { defineOp } from '../../autograd/registry.js';
import { backendOf } from '../../backend/index.js';
import { ArgumentError, formatShape } from '../../errors.js';
import { filledOn, zeroFilled } from '../../tensor/creation.js';
import { normalizeDim, shapesEqual } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkChoice, checkOptions, optionKeys } from '../../options.js';
import { dimGather } from './dim-index.js';
import { PAD_MODES, type PadMode, padWithMode } from './pad-modes.js';

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
    const out = zeroFilled(size, x.dtype, x.device);
    backendOf(x).copy.box(x.storage, x.shape, start, out.storage, size, size.map(() => 0), size);
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
 * x[..., start:end:step] along dim, with Python/PyTorch slice semantics: negative indices count
 * from the end, out-of-range indices are clamped, end defaults to the dim's size, and step (default
 * 1) must be positive, as in PyTorch.
 */
export function slice(x: Tensor, dim: number, start = 0, end?: number, step = 1): Tensor {
  const d = normalizeDim('slice', dim, x.ndim);
  const n = x.shape[d] ?? 1;
  for (const [name, v] of [['start', start], ['end', end]] as const) {
    if (v !== undefined && !Number.isInteger(v)) throw new ArgumentError(`slice: ${name} must be an integer, got ${v}`);
  }
  if (!Number.isInteger(step) || step < 1) throw new ArgumentError(`slice: step must be a positive integer (as in PyTorch), got ${step}`);
  const resolve = (i: number): number => Math.min(Math.max(i < 0 ? i + n : i, 0), n);
  const s = resolve(start);
  const e = Math.max(resolve(end ?? n), s);
  const count = Math.ceil((e - s) / step);
  if (step === 1 || count <= 1 || x.ndim === 0) return alongDim(x, d, s, count);
  return dimGather(x, { dim: d, index: Int32Array.from({ length: count }, (_, j) => s + j * step), size: n });
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
    const out = filledOn(x.shape.map((d, i) => before[i]! + d + after[i]!), x.dtype, value, x.device, 'pad');
    backendOf(x).copy.box(x.storage, x.shape, x.shape.map(() => 0), out.storage, out.shape, before, x.shape);
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

/** pad's options object (F.pad's keyword arguments). */
export interface PadOptions {
  /** How the new entries are filled: 'constant' (value, the default), 'reflect', 'replicate', 'circular'. */
  mode?: PadMode;
  /** The constant of mode 'constant' (default 0); the other modes take none, as in PyTorch. */
  value?: number;
}
const PAD_OPTIONS = optionKeys<PadOptions>()(['mode', 'value']);

/**
 * torch.nn.functional.pad: pads = [left, right] for the last dim, then [top, bottom] for the one
 * before, and so on; negative amounts crop, as in PyTorch. Mode 'constant' pads any of x's dims
 * with `value`; 'reflect', 'replicate' and 'circular' pad the last 1, 2 or 3 dims of an input with
 * one or two more dims in front (circular: exactly two, [N, C, ...]) by the entries of x
 * (pad-modes.ts).
 */
export function pad(x: Tensor, pads: readonly number[], mode: PadMode = 'constant', value = 0): Tensor {
  if (!Array.isArray(pads) || pads.length % 2 !== 0 || pads.length > 2 * x.ndim) {
    throw new ArgumentError(
      `pad: pads must hold an even number of entries, at most 2·rank = ${2 * x.ndim} for x ${formatShape(x.shape)}, got ${Array.isArray(pads) ? `${pads.length} ([${pads.join(',')}])` : typeof pads}`,
    );
  }
  if (!pads.every(Number.isInteger)) throw new ArgumentError(`pad: pads must be integers, got [${pads.join(',')}]`);
  checkChoice('pad', 'mode', mode, PAD_MODES);
  if (typeof value !== 'number') throw new ArgumentError(`pad: value must be a number, got ${typeof value}`);
  if (mode !== 'constant') {
    if (value !== 0) throw new ArgumentError(`pad: mode '${mode}' takes no value (its new entries are read from x; as in PyTorch), got value ${value}`);
    return padWithMode('pad', x, pads, mode);
  }
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

/** pad(x, pads, { mode, value }): the options form of pad (PyTorch's keyword arguments). */
export function padWithOptions(x: Tensor, pads: readonly number[], options: PadOptions): Tensor {
  checkOptions('pad', options, PAD_OPTIONS);
  return pad(x, pads, options.mode ?? 'constant', options.value ?? 0);
}
