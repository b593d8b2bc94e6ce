import * as la from '../ops/linalg/matmul.js';
import type { Tensor } from '../tensor/tensor.js';
import { type TensorLike, publicFn } from './typed.js';

/**
 * Matrix product with torch.matmul's rules: 1-D operands become a row (a) or column (b) and that
 * dim is removed afterwards; leading (batch) dims broadcast.
 */
export const matmul = publicFn<(a: TensorLike, b: TensorLike) => Tensor>('matmul', ['a', 'b'], { 'Tensor, Tensor': la.matmul });
/** y = x·wᵀ + b (F.linear): x [..., in], w [out, in], b [out] or null. */
export const linear = publicFn<(x: TensorLike, w: TensorLike, b?: TensorLike | null) => Tensor>('linear', ['x', 'w', 'b'], {
  'Tensor, Tensor': (x: Tensor, w: Tensor) => la.linear(x, w),
  'Tensor, Tensor, null | undefined': (x: Tensor, w: Tensor) => la.linear(x, w),
  'Tensor, Tensor, Tensor': la.linear,
});
