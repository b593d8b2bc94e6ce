import { defineOp } from '../../autograd/registry.js';
import { zeroFilled } from '../../tensor/creation.js';
import { isFloatDType } from '../../tensor/dtype.js';
import { normalizeDims } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { sumInto } from '../../backend/cpu/reduce.js';
import { broadcastTo } from '../shape/broadcast-to.js';
import { reshape } from '../shape/reshape.js';
import { reduceCases } from './cases.js';

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
    const out = zeroFilled(reducedShape(x.shape, dims, keepdim), isFloatDType(x.dtype) ? x.dtype : 'int32');
    sumInto(x.data, x.shape, dims, out.data);
    return out;
  },
  vjp: ({ dy, x }, { dims }) => ({ x: () => broadcastTo(reshape(dy, reducedShape(x.shape, dims, true)), x.shape) }),
  cases: reduceCases,
});

/** Sum over dims (all dims when omitted), optionally keeping them as size 1. */
export function sum(x: Tensor, dims?: number | readonly number[], keepdim = false): Tensor {
  return sumOp({ x }, { dims: normalizeDims('sum', dims, x.ndim), keepdim });
}
