import { defineOp } from '../../autograd/registry.js';
import { ArgumentError, formatShape } from '../../errors.js';
import { full } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { copyBox } from '../../backend/cpu/copy.js';
import { sliceBox } from './slice.js';

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
    copyBox(x.data, x.shape, x.shape.map(() => 0), out.data, out.shape, before, x.shape);
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
