// Public elementwise ops. A JavaScript number next to a tensor takes the tensor's dtype
// (it does not promote float32 to float64), as in PyTorch.
import * as bin from '../ops/elementwise/binary.js';
import * as un from '../ops/elementwise/unary.js';
import { cast as castInternal } from '../ops/elementwise/cast.js';
import { clamp as clampInternal } from '../ops/elementwise/clamp.js';
import { where as whereInternal } from '../ops/elementwise/where.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { type TensorLike, publicFn } from './typed.js';

type Binary = (a: TensorLike, b: TensorLike) => Tensor;
type Unary = (x: TensorLike) => Tensor;

function binary(name: string, f: (a: Tensor, b: Tensor) => Tensor): Binary {
  return publicFn<Binary>(name, ['a', 'b'], {
    'Tensor, Tensor': f,
    'Tensor, number': (a: Tensor, b: number) => f(a, bin.scalarLike(a, b)),
    'number, Tensor': (a: number, b: Tensor) => f(bin.scalarLike(b, a), b),
  });
}

function unary(name: string, f: (x: Tensor) => Tensor): Unary {
  return publicFn<Unary>(name, ['x'], { Tensor: f });
}

export const add = binary('add', bin.add);
export const sub = binary('sub', bin.sub);
export const mul = binary('mul', bin.mul);
export const div = binary('div', bin.div);
export const pow = binary('pow', bin.pow);
export const maximum = binary('maximum', bin.maximum);
export const minimum = binary('minimum', bin.minimum);

export const neg = unary('neg', un.neg);
export const exp = unary('exp', un.exp);
export const log = unary('log', un.log);
export const sqrt = unary('sqrt', un.sqrt);
export const abs = unary('abs', un.abs);

export const cast = publicFn<(x: TensorLike, dtype: DType) => Tensor>('cast', ['x', 'dtype'], {
  'Tensor, string': (x: Tensor, dtype: DType) => castInternal(x, dtype),
});

type Bound = number | null | undefined;

/** x limited to [min, max] (either bound may be null/undefined, not both); PyTorch's clamp. */
export const clamp = publicFn<(x: TensorLike, min?: number | null, max?: number | null) => Tensor>('clamp', ['x', 'min', 'max'], {
  'Tensor, number | null | undefined': (x: Tensor, min: Bound) => clampInternal(x, min),
  'Tensor, number | null | undefined, number | null | undefined': (x: Tensor, min: Bound, max: Bound) => clampInternal(x, min, max),
});

/**
 * a where cond is non-zero, else b; the three broadcast together. A number for a or b takes
 * the other operand's dtype. cond gets no gradient.
 */
export const where = publicFn<(cond: TensorLike, a: TensorLike, b: TensorLike) => Tensor>('where', ['cond', 'a', 'b'], {
  'Tensor, Tensor, Tensor': whereInternal,
  'Tensor, Tensor, number': (c: Tensor, a: Tensor, b: number) => whereInternal(c, a, bin.scalarLike(a, b)),
  'Tensor, number, Tensor': (c: Tensor, a: number, b: Tensor) => whereInternal(c, bin.scalarLike(b, a), b),
});
