// Picking elements by rank or by index along one dim, tensors viewed as [outer, size, inner]: the
// arg-extrema and top-k (int32 indices), gather / scatter-add with an index per position (topk's
// values and their gradient), and one-hot encoding.
import type { TypedArray } from '../../tensor/dtype.js';

/** Does a beat b for argmax (largest) or argmin? The larger (smaller) one, and NaN beats every number either way. */
function beats(a: number, b: number, largest: boolean): boolean {
  if (Number.isNaN(a)) return !Number.isNaN(b);
  return largest ? a > b : a < b;
}

/**
 * Does a rank before b in topk? NaN counts as larger than every number (torch.topk's comparators):
 * first among the largest, last among the smallest.
 */
function ranksBefore(a: number, b: number, largest: boolean): boolean {
  return largest ? a > b || (Number.isNaN(a) && !Number.isNaN(b)) : a < b || (Number.isNaN(b) && !Number.isNaN(a));
}

/** out[o, i] = the first j ranking above every other x[o, ·, i]. */
function argExtremum(x: TypedArray, outer: number, size: number, inner: number, largest: boolean, out: Int32Array): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let best = 0;
      let bestValue = x[base]!;
      for (let j = 1; j < size; j++) {
        const v = x[base + j * inner]!;
        if (beats(v, bestValue, largest)) {
          best = j;
          bestValue = v;
        }
      }
      out[o * inner + i] = best;
    }
  }
}

/** out[o, r, i] = the j of rank r among x[o, ·, i] (a stable sort of the indices by `ranksBefore`). */
export function topkInto(x: TypedArray, outer: number, size: number, inner: number, k: number, largest: boolean, out: Int32Array): void {
  const order = new Array<number>(size);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      for (let j = 0; j < size; j++) order[j] = j;
      // Array.prototype.sort is stable: equal values keep the lower index first.
      order.sort((p, q) => {
        const a = x[base + p * inner]!;
        const b = x[base + q * inner]!;
        return ranksBefore(a, b, largest) ? -1 : ranksBefore(b, a, largest) ? 1 : 0;
      });
      for (let r = 0; r < k; r++) out[(o * k + r) * inner + i] = order[r]!;
    }
  }
}

/** out[o, j, i] = x[o, index[o, j, i], i]. */
export function takeAlong(x: TypedArray, outer: number, size: number, inner: number, index: Int32Array, out: TypedArray): void {
  const m = outer * inner === 0 ? 0 : index.length / (outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const at = (o * m + j) * inner;
      for (let i = 0; i < inner; i++) out[at + i] = x[(o * size + index[at + i]!) * inner + i]!;
    }
  }
}

/** out[o, index[o, j, i], i] += g[o, j, i] (repeated indices sum, in j order). */
export function putAddAlong(g: TypedArray, outer: number, size: number, inner: number, index: Int32Array, out: TypedArray): void {
  const m = outer * inner === 0 ? 0 : index.length / (outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const at = (o * m + j) * inner;
      for (let i = 0; i < inner; i++) out[(o * size + index[at + i]!) * inner + i]! += g[at + i]!;
    }
  }
}

/** out[k, indices[k]] = 1 (out zero-filled, [indices.length, classes]). */
export function oneHotInto(indices: TypedArray, classes: number, out: TypedArray): void {
  for (let k = 0; k < indices.length; k++) out[k * classes + indices[k]!] = 1;
}

export const argmaxInto = (x: TypedArray, outer: number, size: number, inner: number, out: Int32Array): void =>
  argExtremum(x, outer, size, inner, true, out);
export const argminInto = (x: TypedArray, outer: number, size: number, inner: number, out: Int32Array): void =>
  argExtremum(x, outer, size, inner, false, out);
