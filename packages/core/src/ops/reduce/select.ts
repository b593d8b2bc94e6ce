// argmax / argmin / topk along one dim (PyTorch 1.13's rules): the indices are int32 (PyTorch's
// int64) and not differentiable; topk's values are the input gathered at them (takeAlongDim), so
// their gradient goes back to the chosen positions.
//   Ranking: argmax and argmin pick a NaN if there is one (NaN propagates, as in max and min);
//   topk counts NaN as larger than every number (first among the largest, last among the
//   smallest). Among equal values the lower index comes first: torch.argmax / argmin return the
//   first extremum, as here; torch.topk on the CPU orders equal values as its partial sort leaves
//   them (not by index), so tied indices may differ from PyTorch's while the values agree.
import { backendOf } from '../../backend/index.js';
import { ArgumentError, ShapeError, formatShape } from '../../errors.js';
import { checkBoolean, checkNumber, checkOptions, optionKeys } from '../../options.js';
import { zeroFilled } from '../../tensor/creation.js';
import { normalizeDim, sizeOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { takeAlongDim } from '../shape/take-along.js';
import { type KeepdimOptions, keepdimOf } from './logsumexp.js';


/** Options of `topk` (torch.topk's keyword arguments). */
export interface TopkOptions {
  /** The dim to select along (default -1, the last). */
  dim?: number;
  /** The k largest (default) or, false, the k smallest. */
  largest?: boolean;
  /**
   * Return the k values in rank order (default true). With false PyTorch leaves them in an
   * unspecified order; here they are in rank order either way.
   */
  sorted?: boolean;
}
const TOPK_OPTIONS = optionKeys<TopkOptions>()(['dim', 'largest', 'sorted']);

/** topk's result: values and indices, as a pair and by name (PyTorch's namedtuple). */
export type TopkResult = readonly [values: Tensor, indices: Tensor] & { readonly values: Tensor; readonly indices: Tensor };

/** [outer, size, inner] of x around `dim` (a scalar is one element along its only "dim"). */
function viewAround(x: Tensor, dim: number): [number, number, number] {
  if (x.ndim === 0) return [1, 1, 1];
  return [sizeOf(x.shape.slice(0, dim)), x.shape[dim]!, sizeOf(x.shape.slice(dim + 1))];
}

function argExtremum(fn: 'argmax' | 'argmin', x: Tensor, dim: number | null | undefined, keepdimOrOptions: boolean | KeepdimOptions | undefined): Tensor {
  const keepdim = keepdimOf(fn, keepdimOrOptions);
  if (dim === null || dim === undefined) {
    // Over the flattened tensor: a flat index; keepdim keeps every dim as size 1 (PyTorch 1.13).
    if (x.size === 0) throw new ShapeError(`${fn}: x is empty (shape ${formatShape(x.shape)}): without a dim there is no ${fn.slice(3)}imum to index`);
    const out = zeroFilled(keepdim ? x.shape.map(() => 1) : [], 'int32', x.device);
    backendOf(x).reduce[fn](x.storage, 1, x.size, 1, out.storage as Int32Array);
    return out;
  }
  const d = normalizeDim(fn, dim, x.ndim);
  const [outer, size, inner] = viewAround(x, d);
  if (size === 0) throw new ShapeError(`${fn}: cannot reduce over dim ${d} of size 0 (x ${formatShape(x.shape)})`);
  const shape = x.ndim === 0 ? [] : keepdim ? x.shape.map((s, i) => (i === d ? 1 : s)) : x.shape.filter((_, i) => i !== d);
  const out = zeroFilled(shape, 'int32', x.device);
  if (out.size > 0) backendOf(x).reduce[fn](x.storage, outer, size, inner, out.storage as Int32Array);
  return out;
}

/**
 * Index of the largest value along `dim` (int32; of the flattened x without a dim): the first one
 * among equals, a NaN above every number (torch.argmax). Not differentiable.
 */
export function argmax(x: Tensor, dim?: number | null, keepdim?: boolean | KeepdimOptions): Tensor {
  return argExtremum('argmax', x, dim, keepdim);
}

/** Index of the smallest value along `dim` (torch.argmin: the first among equals, NaN wins). Not differentiable. */
export function argmin(x: Tensor, dim?: number | null, keepdim?: boolean | KeepdimOptions): Tensor {
  return argExtremum('argmin', x, dim, keepdim);
}

/**
 * The k largest (or smallest) values along a dim and their int32 indices (torch.topk). The values
 * are differentiable (the gradient goes to the chosen positions); the indices are not.
 */
export function topk(x: Tensor, k: number, options: TopkOptions = {}): TopkResult {
  checkOptions('topk', options, TOPK_OPTIONS);
  const { dim = -1, largest = true, sorted = true } = options;
  checkBoolean('topk', 'largest', largest);
  checkBoolean('topk', 'sorted', sorted);
  checkNumber('topk', 'dim', dim, { integer: true });
  const d = normalizeDim('topk', dim, x.ndim);
  const [outer, size, inner] = viewAround(x, d);
  checkNumber('topk', 'k', k, { integer: true, min: 0 });
  if (k > size) throw new ArgumentError(`topk: k must be at most the size of dim ${d}, ${size} (x ${formatShape(x.shape)}), got ${k}`);
  const indices = zeroFilled(x.ndim === 0 ? [] : x.shape.map((s, i) => (i === d ? k : s)), 'int32', x.device);
  if (indices.size > 0) backendOf(x).reduce.topk(x.storage, outer, size, inner, k, largest, indices.storage as Int32Array);
  const values = takeAlongDim(x, { dim: d, index: indices.storage, size, picks: k });
  return Object.assign([values, indices] as const, { values, indices });
}
