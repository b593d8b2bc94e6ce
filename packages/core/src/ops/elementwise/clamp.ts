import { defineOp } from '../../autograd/registry.js';
import { ArgumentError } from '../../errors.js';
import { zeroFilled } from '../../tensor/creation.js';
import { isFloatDType } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Unary } from '../../backend/elementwise.js';
import { backendOf } from '../../backend/index.js';
import { mul } from './arithmetic.js';

export interface ClampAttrs {
  /** Lower bound, or null for none. */
  min: number | null;
  max: number | null;
}

const lowerOf = (min: number | null): number => min ?? -Infinity;
const upperOf = (max: number | null): number => max ?? Infinity;

// y = min(max(x, lo), hi);  dx = dy·[lo <= x <= hi]  (PyTorch: the bounds themselves pass gradient)
const clampOp = defineOp({
  name: 'clamp',
  inputs: ['x'],
  forward: ({ x }, { min, max }: ClampAttrs) => {
    const lo = lowerOf(min);
    const hi = upperOf(max);
    const out = zeroFilled(x.shape, x.dtype);
    // min(max(x, lo), hi): when lo > hi every value becomes hi, as in PyTorch; NaN stays NaN.
    backendOf(x).elementwise.unary(Unary.clamp, x.data, out.data, lo, hi);
    return out;
  },
  vjp: ({ dy, x }, { min, max }) => ({ x: () => mul(dy, passMask(x, lowerOf(min), upperOf(max))) }),
  cases: ({ fc, arb }) =>
    fc
      .record<ClampAttrs>({
        min: fc.option(fc.constantFrom(-1, -0.5, 0), { nil: null }),
        max: fc.option(fc.constantFrom(0.25, 0.5, 1), { nil: null }),
      })
      .chain((attrs) =>
        arb.tensor({ rank: [0, 3], awayFrom: [attrs.min, attrs.max].filter((b): b is number => b !== null), margin: 0.01 }).map((x) => ({
          inputs: { x },
          attrs,
        })),
      ),
});

/** 1 where lo <= x <= hi, else 0 (a constant mask in x's dtype, not on the tape). */
function passMask(x: Tensor, lo: number, hi: number): Tensor {
  const m = zeroFilled(x.shape, x.dtype);
  backendOf(x).elementwise.unary(Unary.clampPass, x.data, m.data, lo, hi);
  return m;
}

/** x clamped to [min, max]; either bound may be omitted (null/undefined), not both. */
export function clamp(x: Tensor, min?: number | null, max?: number | null): Tensor {
  const lo = min ?? null;
  const hi = max ?? null;
  if (lo === null && hi === null) throw new ArgumentError('clamp: at least one of min and max must be given, got neither');
  for (const [name, v] of [['min', lo], ['max', hi]] as const) {
    if (v !== null && Number.isNaN(v)) throw new ArgumentError(`clamp: ${name} must be a number, got NaN`);
  }
  if (!isFloatDType(x.dtype) && [lo, hi].some((v) => v !== null && !Number.isInteger(v))) {
    throw new ArgumentError(`clamp: bounds of an int32 tensor must be integers, got min ${lo}, max ${hi}`);
  }
  return clampOp({ x }, { min: lo, max: hi });
}
