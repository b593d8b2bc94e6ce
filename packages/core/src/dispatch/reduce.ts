import { max as maxInternal, min as minInternal } from '../ops/reduce/max.js';
import { mean as meanInternal } from '../ops/reduce/mean.js';
import { sum as sumInternal } from '../ops/reduce/sum.js';
import type { Tensor } from '../tensor/tensor.js';
import { type TensorLike, publicFn } from './typed.js';

/** (x, dims?, keepdim?) — dims: one dim or a list; omitted means every dim. */
export type Reduction = (x: TensorLike, dims?: number | readonly number[], keepdim?: boolean) => Tensor;

function reduction(name: string, f: (x: Tensor, dims?: number | readonly number[], keepdim?: boolean) => Tensor): Reduction {
  return publicFn<Reduction>(name, ['x', 'dims', 'keepdim'], {
    Tensor: (x: Tensor) => f(x),
    'Tensor, number | Array': (x: Tensor, dims: number | number[]) => f(x, dims),
    'Tensor, number | Array, boolean': (x: Tensor, dims: number | number[], keepdim: boolean) => f(x, dims, keepdim),
    'Tensor, undefined, boolean': (x: Tensor, _: undefined, keepdim: boolean) => f(x, undefined, keepdim),
  });
}

/**
 * Sum over `dims` (one dim or a list; default every dim), keeping them as size 1 if `keepdim`
 * (torch.sum).
 */
export const sum = reduction('sum', sumInternal);
/**
 * Mean over `dims` (one dim or a list; default every dim), keeping them as size 1 if `keepdim`
 * (torch.mean).
 */
export const mean = reduction('mean', meanInternal);
/** Largest value over dims (torch.amax: values only; the gradient is split evenly among ties). */
export const max = reduction('max', maxInternal);
/** Smallest value over dims (torch.amin: values only; the gradient is split evenly among ties). */
export const min = reduction('min', minInternal);
