// The arithmetic ops and their derivatives, in one table: each VJP is written with the other ops
// of the table (so gradients of every order come from it), which is why they share one file.
import { defineOp } from '../../autograd/registry.js';
import { ShapeError, formatShape } from '../../errors.js';
import { Binary, Unary } from '../../backend/elementwise.js';
import { backendOf } from '../../backend/index.js';
import { filledOn, knownScalar, zeroFilled } from '../../tensor/creation.js';
import { type DType, promoteTypes } from '../../tensor/dtype.js';
import { broadcastShapes, shapesEqual } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { reduceGradTo, sumTo } from '../reduce/sum.js';
import { binaryCases, unaryCases, whereCases } from './cases.js';
import { equal, greater, greaterEqual, sign } from './compare.js';
import { cast } from './cast.js';
import { binaryForward, unaryForward, writeOver } from './define.js';

const floatResult = (a: DType, b: DType): DType => (promoteTypes(a, b) === 'int32' ? 'float32' : promoteTypes(a, b));

// a + b;  da = dy, db = dy (summed over broadcast dims). The VJP needs only the inputs' shapes
// and dtypes, saved by the forward, never their values: so add can also write over a (add_, as
// PyTorch's `out += identity`), and a later in-place write to an input does not stop its backward.
type Operand = { shape: readonly number[]; dtype: DType };
const addForward = binaryForward('add', Binary.add);
const addOp = defineOp<readonly ['a', 'b'], Record<string, never>, { a: Operand; b: Operand }>({
  name: 'add',
  inputs: ['a', 'b'],
  inPlace: 'a',
  forward: ({ a, b }, _attrs, ctx) => {
    ctx.save({ a: { shape: a.shape, dtype: a.dtype }, b: { shape: b.shape, dtype: b.dtype } });
    return ctx.into === undefined ? addForward({ a, b }) : addOver(a, b);
  },
  vjp: ({ dy, saved }) => ({ a: () => gradLike(dy, saved.a), b: () => gradLike(dy, saved.b) }),
  cases: binaryCases(),
});

/** dy summed down to an operand's shape, in its dtype (reduceGradTo from what forward saved). */
const gradLike = (dy: Tensor, operand: Operand): Tensor => cast(sumTo(dy, operand.shape), operand.dtype);

/**
 * a + b written over a (add_): the sum must have a's shape and dtype. Then b, if it shares a's
 * storage (a view of it, the same size), lines up with a element by element: each is read before
 * it is written.
 */
function addOver(a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShapes('add_', a.shape, b.shape, ['a', 'b']);
  const dtype = promoteTypes(a.dtype, b.dtype);
  if (!shapesEqual(shape, a.shape) || dtype !== a.dtype) {
    throw new ShapeError(`add_: a + b is ${formatShape(shape)} ${dtype}, but add_ writes it over a, which is ${formatShape(a.shape)} ${a.dtype}`);
  }
  return writeOver(a, (out) => backendOf(a).elementwise.binary(Binary.add, a.storage, a.shape, b.storage, b.shape, out.storage, out.shape));
}

// a - b;  da = dy, db = -dy
const subOp = defineOp({
  name: 'sub',
  inputs: ['a', 'b'],
  forward: binaryForward('sub', Binary.sub),
  vjp: ({ dy, a, b }) => ({ a: () => reduceGradTo(dy, a), b: () => reduceGradTo(neg(dy), b) }),
  cases: binaryCases(),
});

// a · b;  da = dy·b, db = dy·a
const mulOp = defineOp({
  name: 'mul',
  inputs: ['a', 'b'],
  forward: binaryForward('mul', Binary.mul),
  vjp: ({ dy, a, b }) => ({ a: () => reduceGradTo(mul(dy, b), a), b: () => reduceGradTo(mul(dy, a), b) }),
  cases: binaryCases(),
});

// a / b;  da = dy/b, db = -dy·a/b²
const divOp = defineOp({
  name: 'div',
  inputs: ['a', 'b'],
  forward: binaryForward('div', Binary.div, floatResult),
  vjp: ({ dy, a, b }) => ({
    a: () => reduceGradTo(div(dy, b), a),
    b: () => reduceGradTo(neg(div(mul(dy, a), mul(b, b))), b),
  }),
  cases: binaryCases({}, { min: 0.5, max: 2 }),
});

// a ^ b;  da = dy·b·a^(b−1), but 0 where b = 0;  db = dy·a^b·ln a, but 0 where a = 0 and b ≥ 0.
// The exceptions are PyTorch's (pow_backward_self, pow_backward_exponent): a^0 is constant in a
// and 0^b constant in b ≥ 0, where the formulas give 0·∞ = NaN or ±∞. where() masks the formula
// (its gradient too), so second-order gradients stay finite there as well.
const powOp = defineOp({
  name: 'pow',
  inputs: ['a', 'b'],
  forward: binaryForward('pow', Binary.pow, floatResult),
  vjp: ({ dy, a, b, y }) => ({
    a: () => {
      // A constant exponent 0 (a number: PyTorch's pow(Tensor, Scalar)) gives a constant 0, so
      // higher orders are 0 too, not 0·∞ from the masked formula at a = 0. (b's value is known on
      // the host: a CPU scalar, or a GPU scalar made from a number.)
      if (!b.requiresGrad && knownScalar(b) === 0) return zeroFilled(a.shape, a.dtype, a.device);
      return reduceGradTo(where(equal(b, scalarLike(b, 0)), scalarLike(dy, 0), mul(dy, mul(b, pow(a, sub(b, scalarLike(b, 1)))))), a);
    },
    b: () => {
      const flat = mul(equal(a, scalarLike(a, 0)), greaterEqual(b, scalarLike(b, 0)));
      return reduceGradTo(mul(dy, where(flat, scalarLike(dy, 0), mul(y, log(a)))), b);
    },
  }),
  cases: binaryCases({ min: 0.5, max: 2 }, { min: -2, max: 2 }),
});

// Ties send half the gradient to each side (PyTorch's rule for maximum/minimum).
const tieSplit = (win: Tensor, tie: Tensor): Tensor => add(win, mulScalar(tie, 0.5));

// max(a, b);  da = dy·[a > b] (+ dy/2 on ties), db = dy·[b > a] (+ dy/2 on ties)
const maximumOp = defineOp({
  name: 'maximum',
  inputs: ['a', 'b'],
  forward: binaryForward('maximum', Binary.maximum),
  vjp: ({ dy, a, b }) => ({
    a: () => reduceGradTo(mul(dy, tieSplit(greater(a, b), equal(a, b))), a),
    b: () => reduceGradTo(mul(dy, tieSplit(greater(b, a), equal(a, b))), b),
  }),
  // b's range is shifted so that equal fill seeds cannot produce ties (where the derivative jumps),
  // and no pair of values that meet is closer than 1e-3 (finite differences would cross the kink).
  cases: binaryCases({}, { min: -1.9, max: 2.1 }, 1e-3),
});

// min(a, b);  da = dy·[a < b] (+ dy/2 on ties), db = dy·[b < a] (+ dy/2 on ties)
const minimumOp = defineOp({
  name: 'minimum',
  inputs: ['a', 'b'],
  forward: binaryForward('minimum', Binary.minimum),
  vjp: ({ dy, a, b }) => ({
    a: () => reduceGradTo(mul(dy, tieSplit(greater(b, a), equal(a, b))), a),
    b: () => reduceGradTo(mul(dy, tieSplit(greater(a, b), equal(a, b))), b),
  }),
  // b's range is shifted so that equal fill seeds cannot produce ties (where the derivative jumps),
  // and no pair of values that meet is closer than 1e-3 (finite differences would cross the kink).
  cases: binaryCases({}, { min: -1.9, max: 2.1 }, 1e-3),
});

export const add = (a: Tensor, b: Tensor): Tensor => addOp({ a, b }, {});
/** a + b written over a, returning a (PyTorch's add_ / +=; see applyOpInPlace). */
export const add_ = (a: Tensor, b: Tensor): Tensor => addOp.applyInPlace({ a, b }, {});
export const sub = (a: Tensor, b: Tensor): Tensor => subOp({ a, b }, {});
export const mul = (a: Tensor, b: Tensor): Tensor => mulOp({ a, b }, {});
export const div = (a: Tensor, b: Tensor): Tensor => divOp({ a, b }, {});
export const pow = (a: Tensor, b: Tensor): Tensor => powOp({ a, b }, {});
export const maximum = (a: Tensor, b: Tensor): Tensor => maximumOp({ a, b }, {});
export const minimum = (a: Tensor, b: Tensor): Tensor => minimumOp({ a, b }, {});

/** A 0-d tensor holding `value` in like's dtype (a JavaScript number does not promote). */
export function scalarLike(like: Tensor, value: number): Tensor {
  return filledOn([], like.dtype, value, like.device);
}

export const addScalar = (x: Tensor, s: number): Tensor => add(x, scalarLike(x, s));
export const mulScalar = (x: Tensor, s: number): Tensor => mul(x, scalarLike(x, s));

// -x;  dx = -dy
const negOp = defineOp({
  name: 'neg',
  inputs: ['x'],
  forward: unaryForward('neg', Unary.neg, false),
  vjp: ({ dy }) => ({ x: () => neg(dy) }),
  cases: unaryCases(),
});

// e^x;  dx = dy·y
const expOp = defineOp({
  name: 'exp',
  inputs: ['x'],
  forward: unaryForward('exp', Unary.exp),
  vjp: ({ dy, y }) => ({ x: () => mul(dy, y) }),
  cases: unaryCases(),
});

// ln x;  dx = dy/x
const logOp = defineOp({
  name: 'log',
  inputs: ['x'],
  forward: unaryForward('log', Unary.log),
  vjp: ({ dy, x }) => ({ x: () => div(dy, x) }),
  cases: unaryCases({ min: 0.2, max: 3 }),
});

// √x;  dx = dy/(2y)
const sqrtOp = defineOp({
  name: 'sqrt',
  inputs: ['x'],
  forward: unaryForward('sqrt', Unary.sqrt),
  vjp: ({ dy, y }) => ({ x: () => div(dy, mulScalar(y, 2)) }),
  cases: unaryCases({ min: 0.2, max: 3 }),
});

// |x|;  dx = dy·sign(x)  (0 at 0, like PyTorch)
const absOp = defineOp({
  name: 'abs',
  inputs: ['x'],
  forward: unaryForward('abs', Unary.abs, false),
  vjp: ({ dy, x }) => ({ x: () => mul(dy, sign(x)) }),
  cases: unaryCases({ awayFrom: [0] }),
});

export const neg = (x: Tensor): Tensor => negOp({ x }, {});
export const exp = (x: Tensor): Tensor => expOp({ x }, {});
export const log = (x: Tensor): Tensor => logOp({ x }, {});
export const sqrt = (x: Tensor): Tensor => sqrtOp({ x }, {});
export const abs = (x: Tensor): Tensor => absOp({ x }, {});

// y = cond ? a : b (all three broadcast);  da = cond ? dy : 0, db = cond ? 0 : dy (summed to shape)
const whereOp = defineOp({
  name: 'where',
  inputs: ['cond', 'a', 'b'],
  nondifferentiable: ['cond'],
  forward: ({ cond, a, b }) => {
    const condA = broadcastShapes('where', cond.shape, a.shape, ['cond', 'a']);
    const shape = broadcastShapes('where', condA, b.shape, ['cond and a (broadcast)', 'b']);
    const out = zeroFilled(shape, promoteTypes(a.dtype, b.dtype), a.device);
    backendOf(a).elementwise.where(cond.storage, cond.shape, a.storage, a.shape, b.storage, b.shape, out.storage, out.shape);
    return out;
  },
  vjp: ({ dy, cond, a, b }) => ({
    a: () => reduceGradTo(where(cond, dy, scalarLike(dy, 0)), a),
    b: () => reduceGradTo(where(cond, scalarLike(dy, 0), dy), b),
  }),
  cases: whereCases,
});

/** Elementwise select: a where cond is non-zero, else b (NumPy/PyTorch broadcasting over all three). */
export function where(cond: Tensor, a: Tensor, b: Tensor): Tensor {
  return whereOp({ cond, a, b }, {});
}
