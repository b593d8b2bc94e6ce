import { broadcastTo as broadcastToInternal } from '../ops/shape/broadcast-to.js';
import * as rs from '../ops/shape/reshape.js';
import type { Tensor } from '../tensor/tensor.js';
import { type TensorLike, publicFn } from './typed.js';

export const reshape = publicFn<(x: TensorLike, shape: readonly number[]) => Tensor>('reshape', ['x', 'shape'], {
  'Tensor, Array': rs.reshape,
});
export const flatten = publicFn<(x: TensorLike, startDim?: number, endDim?: number) => Tensor>('flatten', ['x', 'startDim', 'endDim'], {
  Tensor: (x: Tensor) => rs.flatten(x),
  'Tensor, number': (x: Tensor, s: number) => rs.flatten(x, s),
  'Tensor, number, number': rs.flatten,
});
export const unsqueeze = publicFn<(x: TensorLike, dim: number) => Tensor>('unsqueeze', ['x', 'dim'], { 'Tensor, number': rs.unsqueeze });
export const squeeze = publicFn<(x: TensorLike, dim?: number) => Tensor>('squeeze', ['x', 'dim'], {
  Tensor: (x: Tensor) => rs.squeeze(x),
  'Tensor, number': rs.squeeze,
});
export const broadcastTo = publicFn<(x: TensorLike, shape: readonly number[]) => Tensor>('broadcastTo', ['x', 'shape'], {
  'Tensor, Array': broadcastToInternal,
});
