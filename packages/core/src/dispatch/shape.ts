import { ArgumentError } from '../errors.js';
import { broadcastTo as broadcastToInternal } from '../ops/reduce/sum.js';
import * as cc from '../ops/shape/concat.js';
import * as oh from '../ops/shape/one-hot.js';
import * as pm from '../ops/shape/permute.js';
import * as rs from '../ops/shape/reshape.js';
import * as sl from '../ops/shape/slice.js';
import type { PadMode } from '../ops/shape/pad-modes.js';
import { type TensorData, tensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { type TensorLike, publicFn } from './typed.js';

/** The same values in a new shape with as many elements (one entry may be −1: inferred), as torch.reshape. */
export const reshape = publicFn<(x: TensorLike, shape: readonly number[]) => Tensor>('reshape', ['x', 'shape'], {
  'Tensor, Array': rs.reshape,
});
/** Dims startDim..endDim (default 0..−1) merged into one (torch.flatten). */
export const flatten = publicFn<(x: TensorLike, startDim?: number, endDim?: number) => Tensor>('flatten', ['x', 'startDim', 'endDim'], {
  Tensor: (x: Tensor) => rs.flatten(x),
  'Tensor, number': (x: Tensor, s: number) => rs.flatten(x, s),
  'Tensor, number, number': rs.flatten,
});
/** x with a new size-1 dim at `dim` (negative counts from the end of the result), as torch.unsqueeze. */
export const unsqueeze = publicFn<(x: TensorLike, dim: number) => Tensor>('unsqueeze', ['x', 'dim'], { 'Tensor, number': rs.unsqueeze });
/** x without its size-1 dims (all of them, or only `dim`, which must then be size 1), as torch.squeeze. */
export const squeeze = publicFn<(x: TensorLike, dim?: number) => Tensor>('squeeze', ['x', 'dim'], {
  Tensor: (x: Tensor) => rs.squeeze(x),
  'Tensor, number': rs.squeeze,
});
/**
 * x repeated along broadcast dims to `shape` (NumPy broadcasting; torch.broadcast_to); the gradient
 * sums back.
 */
export const broadcastTo = publicFn<(x: TensorLike, shape: readonly number[]) => Tensor>('broadcastTo', ['x', 'shape'], {
  'Tensor, Array': broadcastToInternal,
});

/** x with its dims reordered: result dim i is x's dim dims[i] (torch.permute). */
export const permute = publicFn<(x: TensorLike, dims: readonly number[]) => Tensor>('permute', ['x', 'dims'], { 'Tensor, Array': pm.permute });
/** x with dims dim0 and dim1 swapped (torch.transpose). */
export const transpose = publicFn<(x: TensorLike, dim0: number, dim1: number) => Tensor>('transpose', ['x', 'dim0', 'dim1'], {
  'Tensor, number, number': pm.transpose,
});

/** The items of a tensor list, each a Tensor or converted to one (numbers, nested or typed arrays). */
function tensorList(op: string, xs: readonly unknown[]): Tensor[] {
  return xs.map((x, k) => {
    if (x instanceof Tensor) return x;
    if (typeof x === 'number' || Array.isArray(x) || ArrayBuffer.isView(x)) return tensor(x as TensorData);
    throw new ArgumentError(`${op}: xs[${k}] must be a Tensor (or a number or array), got ${x === null ? 'null' : typeof x}`);
  });
}

type TensorList = (x: readonly TensorLike[], dim?: number) => Tensor;
function listJoin(name: string, f: (xs: readonly Tensor[], dim?: number) => Tensor): TensorList {
  return publicFn<TensorList>(name, ['xs', 'dim'], {
    Array: (xs: unknown[]) => f(tensorList(name, xs)),
    'Array, number': (xs: unknown[], dim: number) => f(tensorList(name, xs), dim),
  });
}
/** Joins tensors along an existing dim (default 0); PyTorch's cat. */
export const concat = listJoin('concat', cc.concat);
/** Joins equal-shaped tensors along a new dim (default 0). */
export const stack = listJoin('stack', cc.stack);

/** PyTorch's narrow: `length` entries of `dim` from `start`. */
export const narrow = publicFn<(x: TensorLike, dim: number, start: number, length: number) => Tensor>('narrow', ['x', 'dim', 'start', 'length'], {
  'Tensor, number, number, number': sl.narrow,
});
/** x[..., start:end:step] along `dim`, with Python slice semantics (negative indices, clamping; step > 0). */
export const slice = publicFn<(x: TensorLike, dim: number, start?: number, end?: number, step?: number) => Tensor>('slice', ['x', 'dim', 'start', 'end', 'step'], {
  'Tensor, number': (x: Tensor, dim: number) => sl.slice(x, dim),
  'Tensor, number, number': (x: Tensor, dim: number, start: number) => sl.slice(x, dim, start),
  'Tensor, number, number | undefined, number | undefined': (x: Tensor, dim: number, start?: number, end?: number) => sl.slice(x, dim, start, end),
  'Tensor, number, number | undefined, number | undefined, number | undefined': (x: Tensor, dim: number, start?: number, end?: number, step?: number) =>
    sl.slice(x, dim, start, end, step),
});

export type { PadMode } from '../ops/shape/pad-modes.js';
export type { PadOptions } from '../ops/shape/slice.js';
/**
 * torch.nn.functional.pad, pads [left, right, top, bottom, ...] from the last dim (negative crops):
 * pad(x, pads, value?) pads with a constant; pad(x, pads, mode, value?) and pad(x, pads, { mode, value })
 * take mode 'constant' | 'reflect' | 'replicate' | 'circular'.
 */
export const pad = publicFn<{
  (x: TensorLike, pads: readonly number[], value?: number): Tensor;
  (x: TensorLike, pads: readonly number[], mode: PadMode, value?: number): Tensor;
  (x: TensorLike, pads: readonly number[], options: sl.PadOptions): Tensor;
}>('pad', ['x', 'pads', 'mode', 'value'], {
  'Tensor, Array': (x: Tensor, pads: number[]) => sl.pad(x, pads),
  'Tensor, Array, number': (x: Tensor, pads: number[], value: number) => sl.pad(x, pads, 'constant', value),
  'Tensor, Array, string': (x: Tensor, pads: number[], mode: PadMode) => sl.pad(x, pads, mode),
  'Tensor, Array, string, number': sl.pad,
  'Tensor, Array, Object': sl.padWithOptions,
});
/**
 * One-hot encoding of int32 class indices (F.one_hot): int32 of shape [...indices.shape,
 * numClasses], numClasses -1 (default) meaning the largest index + 1. Not differentiable.
 */
export const oneHot = publicFn<(indices: TensorLike, numClasses?: number) => Tensor>('oneHot', ['indices', 'numClasses'], {
  Tensor: (t: Tensor) => oh.oneHot(t),
  'Tensor, number': oh.oneHot,
});
