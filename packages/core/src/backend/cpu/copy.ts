// Strided copies: permutation of dims, broadcasting, copying a box between two tensors (slice,
// pad, concat), gathering / scatter-adding along one dim by an index (strided slice, the
// reflect / replicate / circular pads), picking / placing one class per position and the
// per-target class weights (the class-index losses), with the checks read back before a copy
// (int32 range, class range).
import type { TypedArray } from '../../tensor/dtype.js';
import { broadcastStrides, stridesOf } from '../../tensor/shape.js';
import type { CopyKernels } from '../copy.js';
import { collapseDims, mapStrided } from './elementwise.js';
import { oneHotInto, putAddAlong, takeAlong } from './select.js';

/** out = x with dims permuted: out.shape[i] = shape[perm[i]]. */
export function permuteInto(x: TypedArray, shape: readonly number[], perm: readonly number[], out: TypedArray): void {
  const xStrides = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]!);
  const srcStrides = perm.map((p) => xStrides[p]!);
  mapStrided([x, out], [srcStrides, stridesOf(outShape)], outShape, (offsets, o, len, steps) => {
    let ix = offsets[0]!;
    const s = steps[0]!;
    for (let j = 0; j < len; j++, ix += s) out[o + j] = x[ix]!;
  });
}

/**
 * Copies a box of size `box` from src (shape srcShape, starting at srcStart) into dst (shape
 * dstShape, starting at dstStart).
 */
export function copyBox(
  src: TypedArray,
  srcShape: readonly number[],
  srcStart: readonly number[],
  dst: TypedArray,
  dstShape: readonly number[],
  dstStart: readonly number[],
  box: readonly number[],
): void {
  if (box.some((d) => d === 0)) return;
  const ss = stridesOf(srcShape);
  const ds = stridesOf(dstShape);
  let srcBase = 0;
  let dstBase = 0;
  for (let i = 0; i < box.length; i++) {
    srcBase += srcStart[i]! * ss[i]!;
    dstBase += dstStart[i]! * ds[i]!;
  }
  mapStrided([src, dst], [ss, ds], box, (offsets, _o, len, steps) => {
    let is = srcBase + offsets[0]!;
    let id = dstBase + offsets[1]!;
    const a = steps[0]!;
    const b = steps[1]!;
    for (let j = 0; j < len; j++, is += a, id += b) dst[id] = src[is]!;
  });
}

/**
 * out (shape outShape) = x (shape `shape`) repeated along its broadcast dims. The dims are first
 * collapsed (collapseDims: out is contiguous, so only x's strides decide), so each row is one
 * fill (x repeated: a scalar's gradient spread by sum's VJP is a single fill) or one copy (x's
 * row itself), not a loop per element with a callback per short row (a scalar to
 * [32,16,32,32]: 1.77 ms before).
 */
export function broadcastInto(x: TypedArray, shape: readonly number[], out: TypedArray, outShape: readonly number[]): void {
  if (out.length === 0) return;
  const { shape: dims, strides } = collapseDims(outShape, [broadcastStrides(shape, outShape)]);
  mapStrided([x], strides, dims, (offsets, o, len, steps) => {
    const i = offsets[0]!;
    const s = steps[0]!;
    if (s === 0) out.fill(x[i]!, o, o + len);
    else if (s === 1) out.set(x.subarray(i, i + len), o);
    else for (let j = 0, k = i; j < len; j++, k += s) out[o + j] = x[k]!;
  });
}

/** out[o, j, i] = x[o, index[j], i] (x: [outer, size, inner], out: [outer, index.length, inner]). */
export function gatherAlong(x: TypedArray, outer: number, size: number, inner: number, index: Int32Array, out: TypedArray): void {
  const m = index.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const src = (o * size + index[j]!) * inner;
      out.set(x.subarray(src, src + inner), (o * m + j) * inner);
    }
  }
}

/** out[o, index[j], i] += g[o, j, i]: gatherAlong's transpose (repeated indices sum, in j order). */
export function scatterAddAlong(g: TypedArray, outer: number, size: number, inner: number, index: Int32Array, out: TypedArray): void {
  const m = index.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const dst = (o * size + index[j]!) * inner;
      const src = (o * m + j) * inner;
      for (let i = 0; i < inner; i++) out[dst + i]! += g[src + i]!;
    }
  }
}

/** out[k] = x[o, t[k], i] for k = o·inner + i (0 where t[k] = ignoreIndex). */
export function classGatherInto(x: TypedArray, t: TypedArray, classes: number, inner: number, ignoreIndex: number, out: TypedArray): void {
  for (let k = 0; k < t.length; k++) {
    const c = t[k]!;
    const i = k % inner;
    out[k] = c === ignoreIndex ? 0 : x[((k - i) / inner) * classes * inner + c * inner + i]!;
  }
}

/** out[o, t[k], i] = g[k] for k = o·inner + i where t[k] ≠ ignoreIndex. */
export function classScatterInto(g: TypedArray, t: TypedArray, classes: number, inner: number, ignoreIndex: number, out: TypedArray): void {
  for (let k = 0; k < t.length; k++) {
    const c = t[k]!;
    const i = k % inner;
    if (c !== ignoreIndex) out[((k - i) / inner) * classes * inner + c * inner + i] = g[k]!;
  }
}

/** The first k with t[k] ≠ ignoreIndex outside [0, classes), or -1. */
export function firstInvalidClass(t: TypedArray, classes: number, ignoreIndex: number): number {
  for (let k = 0; k < t.length; k++) {
    const c = t[k]!;
    if (c !== ignoreIndex && (c < 0 || c >= classes)) return k;
  }
  return -1;
}

/** out[k] = 0 where t[k] = ignoreIndex, else w[t[k]] (1 without w). */
export function classWeightsInto(t: TypedArray, w: TypedArray | null, ignoreIndex: number, out: TypedArray): void {
  for (let k = 0; k < t.length; k++) {
    const c = t[k]!;
    out[k] = c === ignoreIndex ? 0 : w === null ? 1 : w[c]!;
  }
}

/** The first i whose value is not in (-2³¹ − 1, 2³¹) (NaN included), or -1. */
export function firstNotInt32(x: TypedArray): number {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (!(v > -2147483649 && v < 2147483648)) return i;
  }
  return -1;
}

/** The first i whose value is not in [lo, hi] (NaN included), or -1. */
function firstOutside(x: TypedArray, lo: number, hi: number): number {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (!(v >= lo && v <= hi)) return i;
  }
  return -1;
}

export const cpuCopy: CopyKernels<TypedArray> = {
  permute: permuteInto,
  broadcast: broadcastInto,
  box: copyBox,
  gatherAlong,
  scatterAddAlong,
  takeAlong,
  putAddAlong,
  oneHot: oneHotInto,
  convert: (src, dst) => dst.set(src),
  firstNotInt32,
  firstOutside,
  classGather: classGatherInto,
  classScatter: classScatterInto,
  firstInvalidClass,
  classWeights: classWeightsInto,
};
