import { max as maxInternal, min as minInternal } from '../ops/reduce/max.js';
import { mean as meanInternal } from '../ops/reduce/mean.js';
import { sum as sumInternal } from '../ops/reduce/sum.js';
import { type KeepdimOptions, logsumexp as logsumexpInternal } from '../ops/reduce/logsumexp.js';
import * as sel from '../ops/reduce/select.js';
import * as vr from '../ops/reduce/variance.js';
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

/**
 * log Σ eˣ over `dim` (one dim or a non-empty list), stable for large values (torch.logsumexp);
 * keepdim as a boolean or `{ keepdim }`. All −∞ gives −∞ (and a NaN gradient, as PyTorch).
 */
export const logsumexp = publicFn<(x: TensorLike, dim: number | readonly number[], keepdim?: boolean | KeepdimOptions) => Tensor>(
  'logsumexp', ['x', 'dim', 'keepdim'], {
    'Tensor, number | Array': (x: Tensor, d: number | number[]) => logsumexpInternal(x, d),
    'Tensor, number | Array, boolean | Object': logsumexpInternal,
  },
);

/** (x, dims?, options?) or (x, options): the form of variance and std. */
export type VarianceFn = {
  (x: TensorLike, dims?: number | readonly number[] | null, options?: vr.VarianceOptions): Tensor;
  (x: TensorLike, options: vr.VarianceOptions): Tensor;
};

function statistic(name: string, f: (x: Tensor, dims?: number | readonly number[] | null, options?: vr.VarianceOptions) => Tensor): VarianceFn {
  return publicFn<VarianceFn>(name, ['x', 'dims', 'options'], {
    Tensor: (x: Tensor) => f(x),
    'Tensor, Object': (x: Tensor, o: vr.VarianceOptions) => f(x, undefined, o),
    'Tensor, number | Array | null | undefined': (x: Tensor, d: number | number[] | null | undefined) => f(x, d),
    'Tensor, number | Array | null | undefined, Object': f,
  });
}

/**
 * Variance over `dims` (one dim or a list; every dim when omitted): Σ(x − mean)² / (n −
 * correction), options `{ correction = 1, unbiased, keepdim }` (torch.var; also exported as `var`).
 */
export const variance = statistic('variance', vr.variance);
/** Standard deviation over `dims`, √variance, options as variance's (torch.std; 0 gradient where it is 0). */
export const std = statistic('std', vr.std);
// torch.var's name: `var` is reserved only as a declared identifier, so it can be an export name
// (`tg.var(x)`, or `import { var as variance }`).
export { variance as var };

/** (x, dim?, keepdim?) with keepdim a boolean or `{ keepdim }`: argmax and argmin. */
export type ArgExtremum = (x: TensorLike, dim?: number | null, keepdim?: boolean | KeepdimOptions) => Tensor;

function argExtremum(name: string, f: (x: Tensor, dim?: number | null, keepdim?: boolean | KeepdimOptions) => Tensor): ArgExtremum {
  return publicFn<ArgExtremum>(name, ['x', 'dim', 'keepdim'], {
    Tensor: (x: Tensor) => f(x),
    'Tensor, number | null | undefined': (x: Tensor, d: number | null | undefined) => f(x, d),
    'Tensor, number | null | undefined, boolean | Object': f,
  });
}

/**
 * Index (int32) of the largest value along `dim`, or in the flattened x without one (torch.argmax):
 * the first among equals, NaN above every number. Not differentiable.
 */
export const argmax = argExtremum('argmax', sel.argmax);
/** Index (int32) of the smallest value along `dim` (torch.argmin: the first among equals, NaN wins). Not differentiable. */
export const argmin = argExtremum('argmin', sel.argmin);

/**
 * The k largest (or smallest) values along a dim and their int32 indices, as `[values, indices]`
 * with `.values` and `.indices` (torch.topk); options `{ dim = -1, largest = true, sorted = true }`.
 * Values are differentiable; ties rank the lower index first.
 */
export const topk = publicFn<(x: TensorLike, k: number, options?: sel.TopkOptions) => sel.TopkResult>('topk', ['x', 'k', 'options'], {
  'Tensor, number': (x: Tensor, k: number) => sel.topk(x, k),
  'Tensor, number, Object': sel.topk,
});
