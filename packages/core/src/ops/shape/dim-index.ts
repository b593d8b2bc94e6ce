// Gather and scatter-add along one dim by an index computed on the host (PyTorch's index_select
// and index_add with a fixed index): the strided slice and the reflect / replicate / circular pads
// are gathers. Each is the other's transpose, so each one's VJP is the other: gradients of every
// order.
import { defineOp } from '../../autograd/registry.js';
import { backendOf } from '../../backend/index.js';
import { uninitialized, zeroFilled } from '../../tensor/creation.js';
import { sizeOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { dimIndexCases } from './cases.js';

export interface DimIndexAttrs {
  /** The dim indexed (non-negative, < rank). */
  dim: number;
  /** Entry of the indexed dim for every position of the gathered one, each in [0, size). */
  index: Int32Array;
  /** Length of the indexed dim (gather's input, scatter's output). */
  size: number;
}

/** [outer, inner]: the sizes before and after `dim` (the kernels view tensors as [outer, n, inner]). */
function around(shape: readonly number[], dim: number): [number, number] {
  return [sizeOf(shape.slice(0, dim)), sizeOf(shape.slice(dim + 1))];
}

const withDim = (shape: readonly number[], dim: number, n: number): number[] => shape.map((d, i) => (i === dim ? n : d));

// y[.., j, ..] = x[.., index[j], ..];  dx = scatterAdd(dy) by the same index
const gatherOp = defineOp({
  name: 'dimGather',
  inputs: ['x'],
  forward: ({ x }, { dim, index, size }: DimIndexAttrs) => {
    const out = uninitialized(withDim(x.shape, dim, index.length), x.dtype, x.device);
    const [outer, inner] = around(x.shape, dim);
    backendOf(x).copy.gatherAlong(x.storage, outer, size, inner, index, out.storage);
    return out;
  },
  vjp: ({ dy }, attrs) => ({ x: () => dimScatterAdd(dy, attrs) }),
  cases: dimIndexCases('x'),
});

// y[.., index[j], ..] += g[.., j, ..];  dg = gather(dy) by the same index
const scatterAddOp = defineOp({
  name: 'dimScatterAdd',
  inputs: ['g'],
  forward: ({ g }, { dim, index, size }: DimIndexAttrs) => {
    const out = zeroFilled(withDim(g.shape, dim, size), g.dtype, g.device);
    const [outer, inner] = around(g.shape, dim);
    backendOf(g).copy.scatterAddAlong(g.storage, outer, size, inner, index, out.storage);
    return out;
  },
  vjp: ({ dy }, attrs) => ({ g: () => dimGather(dy, attrs) }),
  cases: dimIndexCases('g'),
});

/** x's entries index[0], index[1], ... along attrs.dim (x.shape[dim] = attrs.size; indices already validated). */
export const dimGather = (x: Tensor, attrs: DimIndexAttrs): Tensor => gatherOp({ x }, attrs);
/** A tensor with attrs.size entries along attrs.dim, g's j-th entry added at index[j]. */
export const dimScatterAdd = (g: Tensor, attrs: DimIndexAttrs): Tensor => scatterAddOp({ g }, attrs);
