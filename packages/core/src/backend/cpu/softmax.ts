// softmax and logSoftmax along one dim, computed after subtracting the max (stable for any
// finite input, e.g. ±1000).
import type { TypedArray } from '../../tensor/dtype.js';
import { portableExp } from '../../tensor/portable-exp.js';
import { portableLog } from '../../tensor/portable-math.js';

type Line = (src: TypedArray, dst: TypedArray, start: number, n: number, stride: number) => void;

/** Runs f on every line along `dim`: (data, offset of first element, length, stride). */
function forEachLine(x: TypedArray, shape: readonly number[], dim: number, f: Line, out: TypedArray): void {
  const n = shape.length === 0 ? 1 : shape[dim]!;
  let inner = 1;
  for (let d = dim + 1; d < shape.length; d++) inner *= shape[d]!;
  const outer = n * inner === 0 ? 0 : x.length / (n * inner);
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) f(x, out, o * n * inner + i, n, inner);
}

/** dst = (src − max) − log Σ e^{src − max} along the line (the max subtracted first, so nothing cancels). */
function logSoftmaxLine(src: TypedArray, dst: TypedArray, start: number, n: number, stride: number): void {
  const end = start + n * stride;
  let m = -Infinity;
  for (let j = start; j < end; j += stride) if (src[j]! > m) m = src[j]!;
  if (m === -Infinity) m = 0;
  let s = 0;
  for (let j = start; j < end; j += stride) s += portableExp(src[j]! - m);
  const logS = portableLog(s);
  for (let j = start; j < end; j += stride) dst[j] = src[j]! - m - logS;
}

function softmaxLine(src: TypedArray, dst: TypedArray, start: number, n: number, stride: number): void {
  const end = start + n * stride;
  let m = -Infinity;
  for (let j = start; j < end; j += stride) if (src[j]! > m) m = src[j]!;
  if (m === -Infinity) m = 0;
  let s = 0;
  for (let j = start; j < end; j += stride) {
    const e = portableExp(src[j]! - m);
    dst[j] = e;
    s += e;
  }
  for (let j = start; j < end; j += stride) dst[j]! /= s;
}

export function softmaxInto(x: TypedArray, shape: readonly number[], dim: number, out: TypedArray): void {
  forEachLine(x, shape, dim, softmaxLine, out);
}

export function logSoftmaxInto(x: TypedArray, shape: readonly number[], dim: number, out: TypedArray): void {
  forEachLine(x, shape, dim, logSoftmaxLine, out);
}
