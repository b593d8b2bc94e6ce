// Reductions over a set of dims. The input is walked in order while the output index advances
// with strides that are 0 along reduced dims, so one loop serves every combination of dims.
// Adjacent dims of the same kind (reduced or kept) are merged first: summing [N, C, H, W] over
// (0, 2, 3) becomes N·C contiguous runs of H·W, each summed in a register.
import type { TypedArray } from '../../tensor/dtype.js';
import { stridesOf } from '../../tensor/shape.js';
import type { ReduceKernels } from '../reduce.js';
import { collapseDims } from './elementwise.js';
import { logSoftmaxInto, softmaxInto } from './softmax.js';
import { argmaxInto, argminInto, topkInto } from './select.js';
import { logSumExpInto, varianceInto } from './statistics.js';

/** Strides into the reduced output for each input dim (0 along reduced dims). */
function reducedStrides(shape: readonly number[], dims: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (dims.includes(i)) continue;
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** Sum is the loop without a callback; any other combine function is called per element. */
export type Combine = 'sum' | ((acc: number, v: number) => number);

function reduceRow(combine: Combine, x: TypedArray, ix: number, out: TypedArray, io: number, so: number, n: number): void {
  if (so === 0) {
    let acc = out[io]!;
    if (combine === 'sum') for (let j = 0; j < n; j++) acc += x[ix + j]!;
    else for (let j = 0; j < n; j++) acc = combine(acc, x[ix + j]!);
    out[io] = acc;
  } else if (combine === 'sum') {
    for (let j = 0; j < n; j++, io += so) out[io] = out[io]! + x[ix + j]!;
  } else {
    for (let j = 0; j < n; j++, io += so) out[io] = combine(out[io]!, x[ix + j]!);
  }
}

/** out (pre-filled with the identity) ⊕= x over dims. */
export function reduceInto(x: TypedArray, shape: readonly number[], dims: readonly number[], out: TypedArray, combine: Combine): void {
  if (x.length === 0) return;
  const { shape: s, strides } = collapseDims(shape, [reducedStrides(shape, dims), stridesOf(shape)]);
  const os = strides[0]!;
  const rank = s.length;
  const len = s[rank - 1]!;
  const so = os[rank - 1]!;
  const index = new Array<number>(rank - 1).fill(0);
  let io = 0;
  for (let ix = 0; ix < x.length; ix += len) {
    reduceRow(combine, x, ix, out, io, so, len);
    for (let d = rank - 2; d >= 0; d--) {
      io += os[d]!;
      if (++index[d]! < s[d]!) break;
      io -= os[d]! * s[d]!;
      index[d] = 0;
    }
  }
}

export function sumInto(x: TypedArray, shape: readonly number[], dims: readonly number[], out: TypedArray): void {
  reduceInto(x, shape, dims, out, 'sum');
}

/** out = the extremum over dims: filled with the identity of its type, then NaN wins (propagates), as in PyTorch. */
function extremumInto(x: TypedArray, shape: readonly number[], dims: readonly number[], out: TypedArray, better: (v: number, best: number) => boolean, identity: { float: number; int: number }): void {
  out.fill(out instanceof Int32Array ? identity.int : identity.float);
  reduceInto(x, shape, dims, out, (best, v) => (better(v, best) || Number.isNaN(v) ? v : best));
}

const greaterThan = (v: number, best: number): boolean => v > best;
const lessThan = (v: number, best: number): boolean => v < best;
const MAX_IDENTITY = { float: -Infinity, int: -2147483648 };
const MIN_IDENTITY = { float: Infinity, int: 2147483647 };

export const cpuReduce: ReduceKernels<TypedArray> = {
  sum: sumInto,
  max: (x, shape, dims, out) => extremumInto(x, shape, dims, out, greaterThan, MAX_IDENTITY),
  min: (x, shape, dims, out) => extremumInto(x, shape, dims, out, lessThan, MIN_IDENTITY),
  softmax: softmaxInto,
  logSoftmax: logSoftmaxInto,
  logSumExp: logSumExpInto,
  variance: varianceInto,
  argmax: argmaxInto,
  argmin: argminInto,
  topk: topkInto,
};
