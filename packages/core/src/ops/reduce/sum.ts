// sum and broadcastTo, each the other's adjoint (a VJP of one is the other), with the helpers that
// pair them: sumTo (sum down to a broadcast operand's shape) and reduceGradTo.
import { defineOp } from '../../autograd/registry.js';
import { backendOf } from '../../backend/index.js';
import { ShapeError, formatShape } from '../../errors.js';
import { uninitialized, zeroFilled } from '../../tensor/creation.js';
import { isFloatDType } from '../../tensor/dtype.js';
import { assertValidShape, broadcastShapes, normalizeDims, shapesEqual } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { cast } from '../elementwise/cast.js';
import { reshape } from '../shape/reshape.js';
import { broadcastToCases, reduceCases } from './cases.js';

export interface ReduceAttrs {
  dims: number[];
  keepdim: boolean;
}

/** Output shape of a reduction over normalised dims. */
export function reducedShape(shape: readonly number[], dims: readonly number[], keepdim: boolean): number[] {
  return keepdim ? shape.map((d, i) => (dims.includes(i) ? 1 : d)) : shape.filter((_, i) => !dims.includes(i));
}

// y = Σ_dims x;  dx = broadcast(dy) back over the reduced dims
const sumOp = defineOp({
  name: 'sum',
  inputs: ['x'],
  forward: ({ x }, { dims, keepdim }: ReduceAttrs) => {
    const out = zeroFilled(reducedShape(x.shape, dims, keepdim), isFloatDType(x.dtype) ? x.dtype : 'int32', x.device);
    backendOf(x).reduce.sum(x.storage, x.shape, dims, out.storage);
    return out;
  },
  vjp: ({ dy, x }, { dims }) => ({ x: () => broadcastTo(reshape(dy, reducedShape(x.shape, dims, true)), x.shape) }),
  cases: reduceCases,
});

/** Sum over dims (all dims when omitted), optionally keeping them as size 1. */
export function sum(x: Tensor, dims?: number | readonly number[], keepdim = false): Tensor {
  return sumOp({ x }, { dims: normalizeDims('sum', dims, x.ndim), keepdim });
}

// y = x repeated along broadcast dims;  dx = sumTo(dy, x.shape)
const broadcastToOp = defineOp({
  name: 'broadcastTo',
  inputs: ['x'],
  forward: ({ x }, { shape }: { shape: number[] }) => {
    const out = uninitialized(shape, x.dtype, x.device);
    backendOf(x).copy.broadcast(x.storage, x.shape, out.storage, shape);
    return out;
  },
  vjp: ({ dy, x }) => ({ x: () => sumTo(dy, x.shape) }),
  cases: broadcastToCases,
});

/** x broadcast (NumPy rules) to `shape`. */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  assertValidShape('broadcastTo', shape);
  if (shapesEqual(x.shape, shape)) return x;
  const target = [...shape];
  const result = broadcastShapes('broadcastTo', x.shape, target);
  if (!shapesEqual(result, target)) {
    throw new ShapeError(`broadcastTo: x ${formatShape(x.shape)} cannot be broadcast to ${formatShape(shape)}`);
  }
  return broadcastToOp({ x }, { shape: target });
}

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
