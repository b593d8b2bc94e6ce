// logsumexp(x, dims) = log Σ_dims e^x, computed stably in the kernel (the maximum subtracted first).
// dx = dy · e^{x − y}: the softmax over the reduced dims, PyTorch's formula, so an all −∞ row has a
// NaN gradient (−∞ − (−∞)), as in PyTorch 1.13.
import { defineOp } from '../../autograd/registry.js';
import { backendOf } from '../../backend/index.js';
import { ArgumentError } from '../../errors.js';
import { checkBoolean, checkOptions, optionKeys } from '../../options.js';
import { zeroFilled } from '../../tensor/creation.js';
import { assertFloat } from '../../tensor/dtype.js';
import { normalizeDims } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { exp, mul, sub } from '../elementwise/arithmetic.js';
import { reshape } from '../shape/reshape.js';
import { reduceCases } from './cases.js';
import { type ReduceAttrs, reducedShape } from './sum.js';

const logSumExpOp = defineOp({
  name: 'logsumexp',
  inputs: ['x'],
  forward: ({ x }, { dims, keepdim }: ReduceAttrs) => {
    const out = zeroFilled(reducedShape(x.shape, dims, keepdim), x.dtype, x.device);
    backendOf(x).reduce.logSumExp(x.storage, x.shape, dims, out.storage);
    return out;
  },
  vjp: ({ dy, x, y }, { dims }) => ({
    x: () => {
      const kept = reducedShape(x.shape, dims, true);
      return mul(reshape(dy, kept), exp(sub(x, reshape(y, kept))));
    },
  }),
  cases: reduceCases,
});

/**
 * The dims a statistic reduces: one dim or a non-empty list (an empty list is refused: PyTorch 1.13
 * reads it as every dim in some functions and fails in others), normalised and sorted.
 */
export function statisticDims(fn: string, dims: number | readonly number[] | undefined, rank: number): number[] {
  if (Array.isArray(dims) && dims.length === 0) {
    throw new ArgumentError(`${fn}: dim must be a dim or a non-empty list of dims, got [] (leave it out to reduce every dim)`);
  }
  return normalizeDims(fn, dims, rank);
}

/** The options of a reduction whose only option is keepdim (logsumexp, argmax, argmin). */
export interface KeepdimOptions {
  /** Keep the reduced dims as size 1 (default false). */
  keepdim?: boolean;
}
const KEEPDIM_OPTIONS = optionKeys<KeepdimOptions>()(['keepdim']);

/** keepdim given as PyTorch's positional boolean or as { keepdim }, checked. */
export function keepdimOf(fn: string, keepdim: boolean | KeepdimOptions | undefined): boolean {
  if (keepdim === undefined || typeof keepdim === 'boolean') return keepdim ?? false;
  checkOptions(fn, keepdim, KEEPDIM_OPTIONS);
  checkBoolean(fn, 'keepdim', keepdim.keepdim);
  return keepdim.keepdim ?? false;
}

/**
 * log Σ e^x over `dims` (one dim or a non-empty list), optionally keeping them as size 1
 * (torch.logsumexp): stable for large values; all −∞ gives −∞, a +∞ gives +∞.
 */
export function logsumexp(x: Tensor, dims: number | readonly number[], keepdim?: boolean | KeepdimOptions): Tensor {
  assertFloat('logsumexp', 'x', x.dtype);
  return logSumExpOp({ x }, { dims: statisticDims('logsumexp', dims, x.ndim), keepdim: keepdimOf('logsumexp', keepdim) });
}
