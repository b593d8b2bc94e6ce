// Pooling as ONNX: the tape keeps pooling's windows as per-axis taps (the input indices each
// output reads, padding already clipped), not PyTorch's arguments. A sliding geometry (kernel,
// stride, pad, dilation) that reproduces the taps exactly is searched per axis; found, the pool is
// MaxPool/AveragePool with explicit pads (the end pad also covers ceil mode's last window, so
// ceil_mode is never needed); for average pooling, count_include_pad=0 divides by the taps and a
// constant ratio corrects any other divisor (count_include_pad, divisorOverride). Windows that no
// sliding geometry gives (adaptive pooling with uneven windows) are, for averages, two MatMuls
// with 0/1 tap matrices and the divisor; for max pooling they have no ONNX equivalent.

/** One axis of the windows: offsets[o]..offsets[o+1] index the taps of output o. */
export interface AxisTaps {
  offsets: Int32Array;
  index: Int32Array;
}

/** A sliding geometry of one axis, in ONNX's terms. */
export interface AxisGeometry {
  kernel: number;
  stride: number;
  dilation: number;
  padBegin: number;
  padEnd: number;
}

function tapsMatch(taps: AxisTaps, o: number, inLen: number, k: number, s: number, p: number, d: number): boolean {
  let at = taps.offsets[o]!;
  const end = taps.offsets[o + 1]!;
  for (let j = 0, i = o * s - p; j < k; j++, i += d) {
    if (i < 0 || i >= inLen) continue;
    if (at >= end || taps.index[at] !== i) return false;
    at++;
  }
  return at === end;
}

/** The smallest sliding geometry that reads exactly these taps, or null. */
export function slidingAxis(taps: AxisTaps, inLen: number, outLen: number): AxisGeometry | null {
  const first = Array.from(taps.index.subarray(taps.offsets[0]!, taps.offsets[1]!));
  if (first.length === 0) return null;
  const dilations = first.length >= 2 ? [first[1]! - first[0]!] : [1];
  for (const d of dilations) {
    for (let k = 1; (k - 1) * d + 1 <= inLen + 2 * k; k++) {
      if ((k - 1) * d + 1 > 2 * inLen + 1) break;
      for (let p = 0; p < k; p++) {
        if (!tapsMatch(taps, 0, inLen, k, 1, p, d)) continue; // window 0 does not depend on the stride
        for (let s = 1; s <= Math.max(1, inLen + p); s++) {
          let ok = true;
          for (let o = 1; o < outLen && ok; o++) ok = tapsMatch(taps, o, inLen, k, s, p, d);
          if (!ok) continue;
          // ONNX's floor rule must give outLen: enough end padding for the last window.
          const padEnd = Math.max(p, (outLen - 1) * s + (k - 1) * d + 1 - inLen - p);
          if (Math.floor((inLen + p + padEnd - ((k - 1) * d + 1)) / s) + 1 !== outLen) continue;
          return { kernel: k, stride: s, dilation: d, padBegin: p, padEnd };
        }
      }
    }
  }
  return null;
}

/** Number of taps of each output position, row-major [outH, outW]. */
export function tapCounts(rows: AxisTaps, cols: AxisTaps, outH: number, outW: number): Float64Array {
  const c = new Float64Array(outH * outW);
  for (let h = 0; h < outH; h++) {
    for (let w = 0; w < outW; w++) c[h * outW + w] = (rows.offsets[h + 1]! - rows.offsets[h]!) * (cols.offsets[w + 1]! - cols.offsets[w]!);
  }
  return c;
}

/** The 0/1 matrix [outLen, inLen] with a 1 where output o reads input i. */
export function tapMatrix(taps: AxisTaps, inLen: number, outLen: number): Float64Array {
  const m = new Float64Array(outLen * inLen);
  for (let o = 0; o < outLen; o++) for (let t = taps.offsets[o]!; t < taps.offsets[o + 1]!; t++) m[o * inLen + taps.index[t]!] = 1;
  return m;
}
