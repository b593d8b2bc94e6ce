// Reductions over a set of dims. The input is walked in order while the output index advances
// with strides that are 0 along reduced dims, so one loop serves every combination of dims.
// Adjacent dims of the same kind (reduced or kept) are merged first: summing [N, C, H, W] over
// (0, 2, 3) becomes N·C contiguous runs of H·W, each summed in a register. Large float32 sums
// of that layout (innermost dim reduced) run in wasm instead (wasm/reduce.ts): the same chains,
// 8 at a time.
import type { TypedArray } from '../../tensor/dtype.js';
import { stridesOf } from '../../tensor/shape.js';
import type { ReduceKernels } from '../reduce.js';
import { collapseDims, mapStrided } from './elementwise.js';
import { logSoftmaxInto, softmaxInto } from './softmax.js';
import { argmaxInto, argminInto, topkInto } from './select.js';
import { logSumExpInto, varianceInto } from './statistics.js';
import { wasmAvailable } from './wasm/runtime.js';
import { rowSumsWasm } from './wasm/reduce.js';

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

/**
 * a + b with NaNs made deterministic: a NaN operand passes through with its bits, a first (the
 * running sum) before b, and a NaN the add makes from two numbers (∞ + −∞) is +NaN. Plain + leaves
 * both to the machine: the hardware's own NaN is negative on x86 and positive on ARM, and V8 may
 * swap the operands of an add it compiles, so which of two NaNs came through depended on the tier.
 */
export const sumOf = (a: number, b: number): number => {
  if (a !== a) return a;
  if (b !== b) return b;
  const r = a + b;
  return r !== r ? NaN : r;
};

/**
 * out (pre-filled with the identity) ⊕= x over dims. A sum that leaves a NaN in out is done again
 * with sumOf (rare): the same bits wherever the result is a number, and NaNs by sumOf's rule.
 */
export function reduceInto(x: TypedArray, shape: readonly number[], dims: readonly number[], out: TypedArray, combine: Combine): void {
  if (x.length === 0) return;
  const initial = combine === 'sum' ? out.slice() : null;
  walkReduce(x, shape, dims, out, combine);
  if (initial !== null && out.some((v) => v !== v)) {
    out.set(initial);
    walkReduce(x, shape, dims, out, sumOf);
  }
}

function walkReduce(x: TypedArray, shape: readonly number[], dims: readonly number[], out: TypedArray, combine: Combine): void {
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

/** Float32 sums with at least this many elements whose innermost run is reduced take rowSumsWasm. */
const WASM_ROW_SUMS_MIN = 4096;

export function sumInto(x: TypedArray, shape: readonly number[], dims: readonly number[], out: TypedArray): void {
  if (x instanceof Float32Array && out instanceof Float32Array && x.length >= WASM_ROW_SUMS_MIN && wasmAvailable() && rowSumsInWasm(x, shape, dims, out)) return;
  reduceInto(x, shape, dims, out, 'sum');
}

/**
 * reduceInto's sum when the collapsed innermost dim is reduced and the one before it kept (its
 * rows have distinct outputs): in wasm, 8 row chains side by side, the same bits. False (nothing
 * done) for any other layout.
 */
function rowSumsInWasm(x: Float32Array, shape: readonly number[], dims: readonly number[], out: Float32Array): boolean {
  const { shape: s, strides } = collapseDims(shape, [reducedStrides(shape, dims), stridesOf(shape)]);
  const os = strides[0]!;
  const rank = s.length;
  if (rank < 2 || os[rank - 1] !== 0 || os[rank - 2] === 0) return false;
  const len = s[rank - 1]!;
  const rows = s[rank - 2]!;
  const blocks = x.length / (rows * len);
  // Each block's first output: the output offsets of the rows of the dims before the runs.
  const base = new Int32Array(blocks);
  mapStrided([out], [os.slice(0, -1)], s.slice(0, -1), (offsets, o) => {
    base[o / rows] = offsets[0]!;
  });
  rowSumsWasm(x, blocks, rows, len, out, base, os[rank - 2]!);
  return true;
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
