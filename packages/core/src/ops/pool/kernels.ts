// Pooling loops over typed arrays: every plane (one image, one channel) is processed the same
// way through its separable tap lists (see windows.ts).
import type { TypedArray } from '../../tensor/dtype.js';
import type { PoolWindows } from './windows.js';

/**
 * out[p, oh, ow] = max over the window; argmax[p, oh, ow] = the flat index (ih·inW + iw) in
 * the input plane of the first maximum in row-major window order (NaN wins, as in PyTorch);
 * -1 and -inf for a window that lies entirely in the padding.
 */
export function maxPoolForward(x: TypedArray, planes: number, w: PoolWindows, out: TypedArray, argmax: Int32Array): void {
  const { inH, inW, outH, outW, rows, cols } = w;
  const inPlane = inH * inW;
  for (let p = 0, o = 0; p < planes; p++) {
    const base = p * inPlane;
    for (let oh = 0; oh < outH; oh++) {
      const r0 = rows.offsets[oh]!;
      const r1 = rows.offsets[oh + 1]!;
      for (let ow = 0; ow < outW; ow++, o++) {
        const c0 = cols.offsets[ow]!;
        const c1 = cols.offsets[ow + 1]!;
        let best = -Infinity;
        let at = -1;
        if (r1 > r0 && c1 > c0) {
          // Start at the first tap, then move to a later one only if it is greater (or the first
          // NaN). The move is integer arithmetic on a 0/1 flag, not a branch: on random data
          // the branch mispredicts about half the time.
          at = rows.index[r0]! * inW + cols.index[c0]!;
          best = x[base + at]!;
          for (let r = r0; r < r1; r++) {
            const row = rows.index[r]! * inW;
            for (let c = c0; c < c1; c++) {
              const i = row + cols.index[c]!;
              const v = x[base + i]!;
              const take = +(v > best) | (+(v !== v) & +(best === best));
              at += take * (i - at);
              best = x[base + at]!;
            }
          }
        }
        out[o] = best;
        argmax[o] = at;
      }
    }
  }
}

/** out[p, o] = x[p, index[p, o]] (0 where index is -1). */
export function gatherPlanes(x: TypedArray, inPlane: number, index: Int32Array, outPlane: number, out: TypedArray): void {
  for (let base = 0, o = 0; o < index.length; base += inPlane) {
    for (const end = o + outPlane; o < end; o++) {
      const i = index[o]!;
      out[o] = i < 0 ? 0 : x[base + i]!;
    }
  }
}

/** dx (zero-filled) [p, index[p, o]] += dy[p, o]: the transpose of gatherPlanes. */
export function scatterAddPlanes(dy: TypedArray, outPlane: number, index: Int32Array, inPlane: number, dx: TypedArray): void {
  for (let base = 0, o = 0; o < index.length; base += inPlane) {
    for (const end = o + outPlane; o < end; o++) {
      const i = index[o]!;
      if (i >= 0) dx[base + i]! += dy[o]!;
    }
  }
}

/** out[p, oh, ow] = Σ window / divisor[oh, ow]. */
export function boxPoolForward(x: TypedArray, planes: number, w: PoolWindows, divisor: Float64Array, out: TypedArray): void {
  const { inH, inW, outH, outW, rows, cols } = w;
  const inPlane = inH * inW;
  for (let p = 0, o = 0; p < planes; p++) {
    const base = p * inPlane;
    for (let oh = 0, q = 0; oh < outH; oh++) {
      const r0 = rows.offsets[oh]!;
      const r1 = rows.offsets[oh + 1]!;
      for (let ow = 0; ow < outW; ow++, o++, q++) {
        const c0 = cols.offsets[ow]!;
        const c1 = cols.offsets[ow + 1]!;
        let s = 0;
        for (let r = r0; r < r1; r++) {
          const row = base + rows.index[r]! * inW;
          for (let c = c0; c < c1; c++) s += x[row + cols.index[c]!]!;
        }
        out[o] = s / divisor[q]!;
      }
    }
  }
}

/** dx (zero-filled) += dy[p, oh, ow] / divisor spread over each window: boxPoolForward's transpose. */
export function boxPoolTranspose(dy: TypedArray, planes: number, w: PoolWindows, divisor: Float64Array, dx: TypedArray): void {
  const { inH, inW, outH, outW, rows, cols } = w;
  const inPlane = inH * inW;
  for (let p = 0, o = 0; p < planes; p++) {
    const base = p * inPlane;
    for (let oh = 0, q = 0; oh < outH; oh++) {
      const r0 = rows.offsets[oh]!;
      const r1 = rows.offsets[oh + 1]!;
      for (let ow = 0; ow < outW; ow++, o++, q++) {
        const c0 = cols.offsets[ow]!;
        const c1 = cols.offsets[ow + 1]!;
        const g = dy[o]! / divisor[q]!;
        for (let r = r0; r < r1; r++) {
          const row = base + rows.index[r]! * inW;
          for (let c = c0; c < c1; c++) dx[row + cols.index[c]!]! += g;
        }
      }
    }
  }
}
