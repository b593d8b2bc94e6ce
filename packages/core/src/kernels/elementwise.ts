// Elementwise loops over typed arrays. Broadcasting is done with per-operand strides that are 0
// along broadcast dims; the innermost dim runs as a tight loop.
import type { TypedArray } from '../tensor/dtype.js';

export type BinaryFn = (a: number, b: number) => number;
export type UnaryFn = (a: number) => number;

/** Strides of `shape` seen from `outShape` (right-aligned; 0 where the operand broadcasts). */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const strides = new Array<number>(outShape.length).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const o = outShape.length - shape.length + i;
    strides[o] = shape[i] === 1 ? 0 : s;
    s *= shape[i]!;
  }
  return strides;
}

export function mapUnary(x: TypedArray, out: TypedArray, f: UnaryFn): void {
  for (let i = 0; i < out.length; i++) out[i] = f(x[i]!);
}

export function mapBinary(
  a: TypedArray,
  aShape: readonly number[],
  b: TypedArray,
  bShape: readonly number[],
  out: TypedArray,
  outShape: readonly number[],
  f: BinaryFn,
): void {
  const n = out.length;
  if (n === 0) return;
  if (a.length === n && b.length === n) {
    for (let i = 0; i < n; i++) out[i] = f(a[i]!, b[i]!);
    return;
  }
  if (b.length === 1) {
    const bv = b[0]!;
    if (a.length === n) {
      for (let i = 0; i < n; i++) out[i] = f(a[i]!, bv);
      return;
    }
  }
  if (a.length === 1 && b.length === n) {
    const av = a[0]!;
    for (let i = 0; i < n; i++) out[i] = f(av, b[i]!);
    return;
  }
  mapStrided([a, b], [broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape)], outShape, (offsets, o, len, steps) => {
    let ia = offsets[0]!;
    let ib = offsets[1]!;
    const sa = steps[0]!;
    const sb = steps[1]!;
    for (let j = 0; j < len; j++, ia += sa, ib += sb) out[o + j] = f(a[ia]!, b[ib]!);
  });
}

/** Ternary select with broadcasting: out = cond ? a : b. */
export function mapWhere(
  cond: TypedArray,
  condShape: readonly number[],
  a: TypedArray,
  aShape: readonly number[],
  b: TypedArray,
  bShape: readonly number[],
  out: TypedArray,
  outShape: readonly number[],
): void {
  if (out.length === 0) return;
  const strides = [condShape, aShape, bShape].map((s) => broadcastStrides(s, outShape));
  mapStrided([cond, a, b], strides, outShape, (offsets, o, len, steps) => {
    let ic = offsets[0]!;
    let ia = offsets[1]!;
    let ib = offsets[2]!;
    for (let j = 0; j < len; j++, ic += steps[0]!, ia += steps[1]!, ib += steps[2]!) out[o + j] = cond[ic] ? a[ia]! : b[ib]!;
  });
}

/**
 * Walks every innermost row of `outShape` and calls row(operandOffsets, outOffset, rowLength,
 * operandInnerStrides). Works for any rank, including 0.
 */
export function mapStrided(
  operands: readonly TypedArray[],
  strides: readonly number[][],
  outShape: readonly number[],
  row: (offsets: number[], outOffset: number, len: number, steps: number[]) => void,
): void {
  const rank = outShape.length;
  const len = rank === 0 ? 1 : outShape[rank - 1]!;
  const steps = strides.map((s) => (rank === 0 ? 0 : s[rank - 1]!));
  const offsets = operands.map(() => 0);
  const index = new Array<number>(Math.max(rank - 1, 0)).fill(0);
  let rows = 1;
  for (let d = 0; d < rank - 1; d++) rows *= outShape[d]!;
  for (let r = 0, o = 0; r < rows; r++, o += len) {
    row(offsets, o, len, steps);
    for (let d = rank - 2; d >= 0; d--) {
      index[d]!++;
      for (let k = 0; k < offsets.length; k++) offsets[k]! += strides[k]![d]!;
      if (index[d]! < outShape[d]!) break;
      for (let k = 0; k < offsets.length; k++) offsets[k]! -= strides[k]![d]! * outShape[d]!;
      index[d] = 0;
    }
  }
}
