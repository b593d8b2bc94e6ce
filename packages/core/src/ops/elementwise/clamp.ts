import { defineOp } from '../../autograd/registry.js';
import { ArgumentError } from '../../errors.js';
import { zeroFilled } from '../../tensor/creation.js';
import { isFloatDType } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';
import { Unary } from '../../backend/elementwise.js';
import { backendOf } from '../../backend/index.js';
import { Binary } from '../../backend/elementwise.js';
import { uninitialized } from '../../tensor/creation.js';
import { broadcastShapes } from '../../tensor/shape.js';
import { promoteTypes } from '../../tensor/dtype.js';
import { reduceGradTo } from '../reduce/sum.js';
import { maximum, mul, scalarLike, where } from './arithmetic.js';
import { greater, greaterEqual, less, lessEqual } from './compare.js';
import { clampTensorCases } from './cases.js';

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
    const out = zeroFilled(x.shape, x.dtype, x.device);
    // min(max(x, lo), hi): when lo > hi every value becomes hi, as in PyTorch; NaN stays NaN.
    backendOf(x).elementwise.unary(Unary.clamp, x.storage, out.storage, lo, hi);
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
  const m = zeroFilled(x.shape, x.dtype, x.device);
  backendOf(x).elementwise.unary(Unary.clampPass, x.storage, m.storage, lo, hi);
  return m;
}

// Tensor bounds (torch.clamp(x, min: Tensor, max: Tensor), all three broadcasting):
//   y = min(max(x, lo), hi), NaN in any of the three gives NaN;
//   dx = dy·[lo ≤ x ≤ hi];  dlo = dy·[x < lo]·[lo < hi];  dhi = dy·([x > hi] ∨ [hi < lo])
// (PyTorch 1.13's clamp_backward_min_max: at x = lo or x = hi the gradient goes to x; where
// lo > hi, y = hi and hi takes it all; where lo = hi > x nobody does). With one bound:
// dx = dy·[x ≥ lo], dlo = dy·[x < lo] (or dx = dy·[x ≤ hi], dhi = dy·[x > hi]). Each gradient is
// where(mask, dy, 0), as PyTorch's, so an infinite dy does not turn into NaN off the mask, and is
// summed down to its operand's shape.
const clampTensorOp = defineOp({
  name: 'clampTensor',
  inputs: ['x', 'min?', 'max?'],
  forward: ({ x, min, max }) => {
    let y = x;
    let name = 'x';
    for (const [bound, op, arg] of [[min, Binary.maximum, 'min'], [max, Binary.minimum, 'max']] as const) {
      if (bound === null) continue;
      const out = uninitialized(broadcastShapes('clamp', y.shape, bound.shape, [name, arg]), promoteTypes(y.dtype, bound.dtype), y.device);
      backendOf(x).elementwise.binary(op, y.storage, y.shape, bound.storage, bound.shape, out.storage, out.shape);
      y = out;
      name = 'x and min (broadcast)';
    }
    return y;
  },
  vjp: ({ dy, x, min, max }) => {
    const zero = scalarLike(dy, 0);
    const pass = (mask: Tensor): Tensor => where(mask, dy, zero);
    return {
      x: () => reduceGradTo(pass(inside(x, min, max)), x),
      min: () => reduceGradTo(pass(max === null ? less(x, min!) : mul(less(x, min!), less(min!, max))), min!),
      max: () => reduceGradTo(pass(min === null ? greater(x, max!) : maximum(greater(x, max!), less(max!, min))), max!),
    };
  },
  cases: clampTensorCases,
});

/** [lo ≤ x ≤ hi] for the bounds given (a constant mask, off the tape). */
function inside(x: Tensor, lo: Tensor | null, hi: Tensor | null): Tensor {
  const above = lo === null ? null : greaterEqual(x, lo);
  const below = hi === null ? null : lessEqual(x, hi);
  return above === null ? below! : below === null ? above : mul(above, below);
}

/**
 * x clamped to [min, max]; either bound may be omitted (null/undefined), not both. Bounds are
 * numbers or tensors broadcasting with x; a number beside a tensor bound becomes a scalar tensor
 * of x's dtype (PyTorch refuses that mix).
 */
export function clamp(x: Tensor, min?: number | Tensor | null, max?: number | Tensor | null): Tensor {
  if (min instanceof Tensor || max instanceof Tensor) {
    const asTensor = (b: number | Tensor | null | undefined): Tensor | null => (b === null || b === undefined ? null : typeof b === 'number' ? boundTensor(x, b) : b);
    const lo = asTensor(min);
    const hi = asTensor(max);
    return clampTensorOp({ x, min: lo, max: hi }, {});
  }
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

/** A number bound beside a tensor bound: a scalar of x's dtype (NaN refused, as for number bounds). */
function boundTensor(x: Tensor, v: number): Tensor {
  if (Number.isNaN(v)) throw new ArgumentError('clamp: a number bound must not be NaN');
  return scalarLike(x, v);
}
