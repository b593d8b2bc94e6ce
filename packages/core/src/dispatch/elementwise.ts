// Public elementwise ops. A JavaScript number next to a tensor takes the tensor's dtype
// (it does not promote float32 to float64), as in PyTorch.
import * as ar from '../ops/elementwise/arithmetic.js';
import { cast as castInternal } from '../ops/elementwise/cast.js';
import { clamp as clampInternal } from '../ops/elementwise/clamp.js';
import * as cmp from '../ops/elementwise/compare.js';
import { tensor } from '../tensor/creation.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { type TensorLike, inPlaceTarget, publicFn } from './typed.js';

type Binary = (a: TensorLike, b: TensorLike) => Tensor;
type Unary = (x: TensorLike) => Tensor;

function binary(name: string, f: (a: Tensor, b: Tensor) => Tensor, scalar: (like: Tensor, value: number) => Tensor = ar.scalarLike): Binary {
  return publicFn<Binary>(name, ['a', 'b'], {
    'Tensor, Tensor': f,
    'Tensor, number': (a: Tensor, b: number) => f(a, scalar(a, b)),
    'number, Tensor': (a: number, b: Tensor) => f(scalar(b, a), b),
  });
}

/**
 * A number compared with a tensor: in the tensor's dtype, unless that would change the number
 * (a fraction, ±Infinity or NaN beside int32): then float64, so the comparison is exact, as in
 * PyTorch (torch.tensor([0]) >= 0.5 is False).
 */
function comparand(like: Tensor, value: number): Tensor {
  return like.dtype === 'int32' && !Number.isInteger(value) ? tensor(value, { dtype: 'float64' }) : ar.scalarLike(like, value);
}

function unary(name: string, f: (x: Tensor) => Tensor): Unary {
  return publicFn<Unary>(name, ['x'], { Tensor: f });
}

/** a + b elementwise, broadcasting (torch.add); a number takes the tensor's dtype. */
export const add = binary('add', ar.add);
/**
 * a + b written over a, returning a (torch's add_, `a += b`): b broadcasts to a's shape, and the
 * sum must have a's dtype. While recording gradients a must not be a leaf that requires grad nor
 * share its storage with a view (see relu_).
 */
export const add_ = (a: Tensor, b: TensorLike): Tensor => addInPlace(inPlaceTarget('add_', 'a', a), b);
const addInPlace = publicFn<(a: Tensor, b: TensorLike) => Tensor>('add_', ['a', 'b'], {
  'Tensor, Tensor': ar.add_,
  'Tensor, number': (a: Tensor, b: number) => ar.add_(a, ar.scalarLike(a, b)),
});
/** a − b elementwise, broadcasting (torch.sub). */
export const sub = binary('sub', ar.sub);
/** a · b elementwise, broadcasting (torch.mul). */
export const mul = binary('mul', ar.mul);
/** a / b elementwise, broadcasting (torch.div, true division). */
export const div = binary('div', ar.div);
/** a raised to b elementwise, broadcasting (torch.pow); differentiable in both. */
export const pow = binary('pow', ar.pow);
/** Elementwise larger of a and b, broadcasting (torch.maximum); ties send half the gradient to each. */
export const maximum = binary('maximum', ar.maximum);
/** Elementwise smaller of a and b, broadcasting (torch.minimum); ties send half the gradient to each. */
export const minimum = binary('minimum', ar.minimum);

/** −x elementwise. */
export const neg = unary('neg', ar.neg);
/** eˣ elementwise. */
export const exp = unary('exp', ar.exp);
/** Natural logarithm elementwise (−Infinity at 0, NaN below). */
export const log = unary('log', ar.log);
/** Square root elementwise (NaN below 0). */
export const sqrt = unary('sqrt', ar.sqrt);
/** |x| elementwise (the gradient at 0 is 0, as PyTorch's). */
export const abs = unary('abs', ar.abs);

// Comparisons: 1 where the relation holds, else 0, in the operands' promoted dtype (not on the tape).
/** 1 where a > b, else 0 (broadcasting; the operands' promoted dtype; not differentiable), as torch.gt. */
export const greater = binary('greater', cmp.greater, comparand);
/** 1 where a ≥ b, else 0 (broadcasting; not differentiable), as torch.ge. */
export const greaterEqual = binary('greaterEqual', cmp.greaterEqual, comparand);
/** 1 where a < b, else 0 (broadcasting; not differentiable), as torch.lt. */
export const less = binary('less', cmp.less, comparand);
/** 1 where a ≤ b, else 0 (broadcasting; not differentiable), as torch.le. */
export const lessEqual = binary('lessEqual', cmp.lessEqual, comparand);
/** 1 where a = b, else 0 (broadcasting; NaN equals nothing; not differentiable), as torch.eq. */
export const equal = binary('equal', cmp.equal, comparand);
/** 1 where a ≠ b, else 0 (broadcasting; not differentiable), as torch.ne. */
export const notEqual = binary('notEqual', cmp.notEqual, comparand);
/** -1, 0 or 1 per element (NaN stays NaN). */
export const sign = unary('sign', cmp.sign);

/**
 * x converted to `dtype` (the same tensor if it already has it); as `x.to(dtype)`. Float → int32
 * truncates toward zero and throws on values int32 cannot hold; the gradient flows back between
 * float dtypes.
 */
export const cast = publicFn<(x: TensorLike, dtype: DType) => Tensor>('cast', ['x', 'dtype'], {
  'Tensor, string': (x: Tensor, dtype: DType) => castInternal(x, dtype),
});

type Bound = number | null | undefined;
type TensorBound = Tensor | number | null | undefined;

/**
 * x limited to [min, max] (either bound may be null/undefined, not both); PyTorch's clamp. A bound
 * is a number or a tensor broadcasting with x (torch.clamp with tensor bounds: gradients reach the
 * tensor bounds, x keeps it where x equals a bound).
 */
export const clamp = publicFn<(x: TensorLike, min?: TensorLike | null, max?: TensorLike | null) => Tensor>('clamp', ['x', 'min', 'max'], {
  'Tensor, number | null | undefined': (x: Tensor, min: Bound) => clampInternal(x, min),
  'Tensor, number | null | undefined, number | null | undefined': (x: Tensor, min: Bound, max: Bound) => clampInternal(x, min, max),
  'Tensor, Tensor': (x: Tensor, min: Tensor) => clampInternal(x, min),
  'Tensor, Tensor, Tensor | number | null | undefined': (x: Tensor, min: Tensor, max: TensorBound) => clampInternal(x, min, max),
  'Tensor, number | null | undefined, Tensor': (x: Tensor, min: Bound, max: Tensor) => clampInternal(x, min, max),
});

/**
 * a where cond is non-zero, else b; the three broadcast together. A number for a or b takes
 * the other operand's dtype. cond gets no gradient.
 */
export const where = publicFn<(cond: TensorLike, a: TensorLike, b: TensorLike) => Tensor>('where', ['cond', 'a', 'b'], {
  'Tensor, Tensor, Tensor': ar.where,
  'Tensor, Tensor, number': (c: Tensor, a: Tensor, b: number) => ar.where(c, a, ar.scalarLike(a, b)),
  'Tensor, number, Tensor': (c: Tensor, a: number, b: Tensor) => ar.where(c, ar.scalarLike(b, a), b),
});
