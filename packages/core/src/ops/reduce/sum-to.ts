import type { Tensor } from '../../tensor/tensor.js';
import { shapesEqual } from '../../tensor/shape.js';
import { cast } from '../elementwise/cast.js';
import { reshape } from '../shape/reshape.js';
import { sum } from './sum.js';

/**
 * The gradient of a broadcast operand: g summed over the dims that broadcasting added or
 * stretched, reshaped to the operand's shape and cast to its dtype.
 */
export function reduceGradTo(g: Tensor, input: Tensor): Tensor {
  return cast(sumTo(g, input.shape), input.dtype);
}

/** Sums g down to `shape` (the inverse of broadcasting shape up to g.shape). */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  return reshape(sum(g, dims, true), shape);
}
