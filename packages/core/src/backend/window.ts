// Geometry of 2-D sliding windows, shared by convolution and pooling kernels. A Window2d is the
// resolved geometry of one window over one inH×inW plane (conv's runs, backend/cpu/conv/pattern.ts,
// are built from it); PoolWindows lists the same windows as separable per-axis taps, the form the
// pooling kernels read, and also holds PyTorch's adaptive windows. Parsing user attributes into a
// Window2d (PyTorch's rules, errors naming the op) is the ops' part: ops/window.ts.

/** A window sliding over an inH×inW plane (one channel, one image). */
export interface Window2d {
  /** Input height. */
  inH: number;
  /** Input width. */
  inW: number;
  /** Kernel (window) height. */
  kH: number;
  /** Kernel (window) width. */
  kW: number;
  /** Vertical step between windows. */
  strideH: number;
  /** Horizontal step between windows. */
  strideW: number;
  /** Vertical spacing of the kernel taps (1: adjacent). */
  dilationH: number;
  /** Horizontal spacing of the kernel taps (1: adjacent). */
  dilationW: number;
  /** Zero (or -inf for max pooling) padding on each side; 'same' may make it asymmetric. */
  padTop: number;
  /** Rows of padding below. */
  padBottom: number;
  /** Columns of padding on the left. */
  padLeft: number;
  /** Columns of padding on the right. */
  padRight: number;
  /** Output height: the number of window positions down the plane. */
  outH: number;
  /** Output width: the number of window positions across the plane. */
  outW: number;
}

/** The input positions each output reads along one axis. */
export interface AxisTaps {
  /** Length out+1; the taps of output o are index[offsets[o]..offsets[o+1]). */
  offsets: Int32Array;
  index: Int32Array;
}

/**
 * Windows as separable tap lists: output (oh, ow) reads input rows rows.index[rows.offsets[oh]..
 * rows.offsets[oh+1]) crossed with the columns of ow. Sliding windows (padded taps are simply
 * absent) and adaptive windows are both this one structure, so one set of kernels serves every pool.
 */
export interface PoolWindows {
  inH: number;
  inW: number;
  outH: number;
  outW: number;
  rows: AxisTaps;
  cols: AxisTaps;
}

function buildTaps(outLen: number, tapsOf: (o: number) => number[]): AxisTaps {
  const offsets = new Int32Array(outLen + 1);
  const index: number[] = [];
  for (let o = 0; o < outLen; o++) {
    index.push(...tapsOf(o));
    offsets[o + 1] = index.length;
  }
  return { offsets, index: Int32Array.from(index) };
}

/** Taps of a sliding window: start o·stride − pad, k taps spaced by dilation, inside [0, inLen). */
export function slidingTaps(inLen: number, outLen: number, k: number, stride: number, pad: number, dilation: number): AxisTaps {
  return buildTaps(outLen, (o) => {
    const taps: number[] = [];
    for (let j = 0, i = o * stride - pad; j < k; j++, i += dilation) if (i >= 0 && i < inLen) taps.push(i);
    return taps;
  });
}

/** PyTorch's adaptive windows: [floor(o·in/out), ceil((o+1)·in/out)). */
export function adaptiveTaps(inLen: number, outLen: number): AxisTaps {
  return buildTaps(outLen, (o) => {
    const start = Math.floor((o * inLen) / outLen);
    const end = Math.ceil(((o + 1) * inLen) / outLen);
    return Array.from({ length: end - start }, (_, j) => start + j);
  });
}

/** The taps of a sliding window geometry. */
export function slidingWindows(g: Window2d): PoolWindows {
  return {
    inH: g.inH,
    inW: g.inW,
    outH: g.outH,
    outW: g.outW,
    rows: slidingTaps(g.inH, g.outH, g.kH, g.strideH, g.padTop, g.dilationH),
    cols: slidingTaps(g.inW, g.outW, g.kW, g.strideW, g.padLeft, g.dilationW),
  };
}

/** Whether an axis's windows are [2o, 2o+2) for every output o (kernel 2, stride 2, no padding, all inside). */
export function isPairAxis(taps: AxisTaps, outLen: number): boolean {
  if (taps.index.length !== 2 * outLen) return false;
  for (let o = 0; o <= outLen; o++) if (taps.offsets[o] !== 2 * o) return false;
  for (let i = 0; i < taps.index.length; i++) if (taps.index[i] !== i) return false;
  return true;
}

/** 2×2 windows at stride 2, all inside the input (pooling's common case, with kernels of its own). */
export function isPairWindows(w: PoolWindows): boolean {
  return isPairAxis(w.rows, w.outH) && isPairAxis(w.cols, w.outW);
}

/** PyTorch's adaptive windows from an inH×inW plane to outH×outW. */
export function adaptiveWindows(inH: number, inW: number, outH: number, outW: number): PoolWindows {
  return { inH, inW, outH, outW, rows: adaptiveTaps(inH, outH), cols: adaptiveTaps(inW, outW) };
}
