// The CPU backend's pooling kernels (PoolKernels, backend/pool.ts): TypeScript loops over typed
// arrays, every plane (one image, one channel) processed the same way through its separable tap
// lists (backend/window.ts); 2×2 max pooling has kernels of its own. Max pooling runs in
// WebAssembly for large float32 inputs (wasm/pool.ts, bit for bit the same results).
import type { TypedArray } from '../../tensor/dtype.js';
import type { PoolKernels } from '../pool.js';
import { type PoolWindows, isPairWindows } from '../window.js';
import { maxPool2x2BackwardWasm, maxPool2x2ForwardWasm, maxPoolWasm, useWasmPool } from './wasm/pool.js';

/**
 * out[p, oh, ow] = max over the window; argmax[p, oh, ow] = the flat index (ih·inW + iw) in
 * the input plane of the first maximum in row-major window order (NaN wins, as in PyTorch);
 * -1 and -inf for a window that lies entirely in the padding.
 */
export function maxPoolForward(x: TypedArray, planes: number, w: PoolWindows, out: TypedArray, argmax: TypedArray): void {
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

/**
 * maxPoolForward for 2×2 windows at stride 2 with no padding (the common case): each row pair
 * is compared independently, then the two winners, so there is no dependent chain through
 * the window. Same result as the general kernel: the first NaN, else the first maximum in
 * row-major window order.
 */
export function maxPool2x2Forward(x: TypedArray, planes: number, inH: number, inW: number, outH: number, outW: number, out: TypedArray, argmax: TypedArray): void {
  const inPlane = inH * inW;
  for (let p = 0, o = 0; p < planes; p++) {
    const base = p * inPlane;
    for (let oh = 0; oh < outH; oh++) {
      let top = base + 2 * oh * inW;
      for (let ow = 0; ow < outW; ow++, o++, top += 2) {
        // Each winner is chosen by index arithmetic on 0/1 flags (greater, or the first NaN)
        // and loaded again: ternaries on random data would be mispredicted branches.
        const a = x[top]!, b = x[top + 1]!, c = x[top + inW]!, d = x[top + inW + 1]!;
        const i1 = top + (+(b > a) | (+(b !== b) & +(a === a)));
        const i2 = top + inW + (+(d > c) | (+(d !== d) & +(c === c)));
        const m1 = x[i1]!, m2 = x[i2]!;
        const i = i1 + (+(m2 > m1) | (+(m2 !== m2) & +(m1 === m1))) * (i2 - i1);
        out[o] = x[i]!;
        argmax[o] = i - base;
      }
    }
  }
}

/**
 * scatterAddPlanes for the argmax of maxPool2x2Forward (windows do not overlap): writes every
 * element of dx once, row pair by row pair, instead of adding into a zero-filled plane at
 * random positions. Columns past 2·outW and a last odd row, which no window reads, are zeroed.
 */
export function maxPool2x2Backward(dy: TypedArray, planes: number, inH: number, inW: number, outH: number, outW: number, argmax: TypedArray, dx: TypedArray): void {
  const inPlane = inH * inW;
  for (let p = 0, o = 0; p < planes; p++) {
    const base = p * inPlane;
    for (let oh = 0; oh < outH; oh++) {
      const top = base + 2 * oh * inW;
      for (let ow = 0; ow < outW; ow++, o++) {
        // Zero the window, then store at the argmax: no data-dependent branch.
        const t = top + 2 * ow;
        dx[t] = 0;
        dx[t + 1] = 0;
        dx[t + inW] = 0;
        dx[t + inW + 1] = 0;
        dx[base + argmax[o]!] = dy[o]!;
      }
      for (let c = 2 * outW; c < inW; c++) {
        dx[top + c] = 0;
        dx[top + inW + c] = 0;
      }
    }
    if (2 * outH < inH) dx.fill(0, base + 2 * outH * inW, base + inPlane);
  }
}

/** out[p, o] = x[p, index[p, o]] (0 where index is -1). */
export function gatherPlanes(x: TypedArray, inPlane: number, index: TypedArray, outPlane: number, out: TypedArray): void {
  for (let base = 0, o = 0; o < index.length; base += inPlane) {
    for (const end = o + outPlane; o < end; o++) {
      const i = index[o]!;
      out[o] = i < 0 ? 0 : x[base + i]!;
    }
  }
}

/** dx (zero-filled) [p, index[p, o]] += dy[p, o]: the transpose of gatherPlanes. */
export function scatterAddPlanes(dy: TypedArray, outPlane: number, index: TypedArray, inPlane: number, dx: TypedArray): void {
  for (let base = 0, o = 0; o < index.length; base += inPlane) {
    for (const end = o + outPlane; o < end; o++) {
      const i = index[o]!;
      if (i >= 0) dx[base + i]! += dy[o]!;
    }
  }
}

/** Whether every window reads one input row and one input column (kernel 1, any stride: a strided subsample). */
function singleTap(w: PoolWindows): boolean {
  const one = (offsets: Int32Array): boolean => offsets.every((v, i) => v === i);
  return one(w.rows.offsets) && one(w.cols.offsets);
}

/** out[p, oh, ow] = Σ window / divisor[oh, ow]. */
export function boxPoolForward(x: TypedArray, planes: number, w: PoolWindows, divisor: Float64Array, out: TypedArray): void {
  const { inH, inW, outH, outW, rows, cols } = w;
  const inPlane = inH * inW;
  if (singleTap(w)) {
    // The general loop's sum of one tap without its per-window loop set-up, and no division
    // where every divisor is 1 (x/1 = x); 0 + v as there, so −0 still becomes +0: the same bits.
    const ri = rows.index, ci = cols.index;
    const byOne = divisor.every((d) => d === 1);
    for (let p = 0, o = 0; p < planes; p++) {
      for (let oh = 0, q = 0; oh < outH; oh++) {
        const row = p * inPlane + ri[oh]! * inW;
        if (byOne) for (let ow = 0; ow < outW; ow++, o++) out[o] = 0 + x[row + ci[ow]!]!;
        else for (let ow = 0; ow < outW; ow++, o++, q++) out[o] = (0 + x[row + ci[ow]!]!) / divisor[q]!;
      }
    }
    return;
  }
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
  if (singleTap(w)) {
    // As boxPoolForward's: one add per window (adaptive windows may share an input, hence +=).
    const ri = rows.index, ci = cols.index;
    const byOne = divisor.every((d) => d === 1);
    for (let p = 0, o = 0; p < planes; p++) {
      for (let oh = 0, q = 0; oh < outH; oh++) {
        const row = p * inPlane + ri[oh]! * inW;
        if (byOne) for (let ow = 0; ow < outW; ow++, o++) dx[row + ci[ow]!]! += dy[o]!;
        else for (let ow = 0; ow < outW; ow++, o++, q++) dx[row + ci[ow]!]! += dy[o]! / divisor[q]!;
      }
    }
    return;
  }
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

export const cpuPool: PoolKernels<TypedArray> = {
  maxPool(x, planes, windows, out, argmax) {
    const { inH, inW, outH, outW } = windows;
    const wasm = useWasmPool(x, planes * inH * inW);
    if (!isPairWindows(windows)) {
      if (wasm) maxPoolWasm(x, planes, windows, out as Float32Array, argmax);
      else maxPoolForward(x, planes, windows, out, argmax);
    } else if (wasm) maxPool2x2ForwardWasm(x, planes, inH, inW, outH, outW, out as Float32Array, argmax);
    else maxPool2x2Forward(x, planes, inH, inW, outH, outW, out, argmax);
  },
  gatherPlanes,
  scatterAddPlanes,
  scatterPairs(g, planes, inH, inW, outH, outW, index, dx) {
    if (useWasmPool(g, planes * inH * inW)) maxPool2x2BackwardWasm(g, planes, inH, inW, outH, outW, index, dx as Float32Array);
    else maxPool2x2Backward(g, planes, inH, inW, outH, outW, index, dx);
  },
  boxPool: boxPoolForward,
  boxPoolTranspose,
};
