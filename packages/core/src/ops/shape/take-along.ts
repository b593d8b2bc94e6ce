// Gather and scatter-add along one dim with an index per position (torch.gather / scatter_add
// with a fixed int32 index): topk's values are a gather at the chosen indices. Each is the
// other's transpose, so each one's VJP is the other: gradients of every order.
import type { KernelArray } from '../../tensor/device.js';
import { defineOp } from '../../autograd/registry.js';
import { backendOf } from '../../backend/index.js';
import { uninitialized, zeroFilled } from '../../tensor/creation.js';
import { sizeOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { takeAlongCases } from './cases.js';

export interface TakeAlongAttrs {
  /** The dim indexed (non-negative, < rank; 0 for a scalar, viewed as [1]). */
  dim: number;
  /** Row-major, of the gathered tensor's shape: the entry along `dim` read at each position, each in [0, size). */
  index: KernelArray;
  /** Length of the indexed dim (the gather's input, the scatter's output). */
  size: number;
  /** Length of that dim in the gathered tensor (the gather's output, the scatter's input). */
  picks: number;
}

/** [outer, inner]: the sizes before and after `dim` (the kernels view tensors as [outer, n, inner]). */
function around(shape: readonly number[], dim: number): [number, number] {
  return [sizeOf(shape.slice(0, dim)), sizeOf(shape.slice(dim + 1))];
}

/** `shape` with its `dim` resized to n (a scalar stays a scalar: only n = 1 is possible there). */
const withDim = (shape: readonly number[], dim: number, n: number): number[] => shape.map((d, i) => (i === dim ? n : d));

// y[o, j, i] = x[o, index[o, j, i], i];  dx = putAddAlong(dy) by the same index
const takeOp = defineOp({
  name: 'takeAlongDim',
  inputs: ['x'],
  forward: ({ x }, attrs: TakeAlongAttrs) => {
    const out = uninitialized(x.ndim === 0 ? [] : withDim(x.shape, attrs.dim, attrs.picks), x.dtype, x.device);
    const [outer, inner] = around(x.shape, attrs.dim);
    backendOf(x).copy.takeAlong(x.storage, outer, attrs.size, inner, attrs.index, out.storage);
    return out;
  },
  vjp: ({ dy }, attrs) => ({ x: () => putAddAlongDim(dy, attrs) }),
  cases: takeAlongCases('x'),
});

// y[o, index[o, j, i], i] += g[o, j, i];  dg = takeAlong(dy) by the same index
const putAddOp = defineOp({
  name: 'putAddAlongDim',
  inputs: ['g'],
  forward: ({ g }, attrs: TakeAlongAttrs) => {
    const out = zeroFilled(g.ndim === 0 ? [] : withDim(g.shape, attrs.dim, attrs.size), g.dtype, g.device);
    const [outer, inner] = around(g.shape, attrs.dim);
    backendOf(g).copy.putAddAlong(g.storage, outer, attrs.size, inner, attrs.index, out.storage);
    return out;
  },
  vjp: ({ dy }, attrs) => ({ g: () => takeAlongDim(dy, attrs) }),
  cases: takeAlongCases('g'),
});

/** x's entries at attrs.index along attrs.dim, one per position (indices already validated). */
export const takeAlongDim = (x: Tensor, attrs: TakeAlongAttrs): Tensor => takeOp({ x }, attrs);
/** A tensor with attrs.size entries along attrs.dim, each entry of g added at its index. */
export const putAddAlongDim = (g: Tensor, attrs: TakeAlongAttrs): Tensor => putAddOp({ g }, attrs);
