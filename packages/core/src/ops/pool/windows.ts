// Pooling windows as separable tap lists: output row oh reads input rows rows.index[rows.offsets[oh]..
// rows.offsets[oh+1]), likewise for columns, and output (oh, ow) reads their product. Sliding
// windows (stride, padding, dilation, ceil mode; padded taps are simply absent) and PyTorch's
// adaptive windows are both this one structure, so one set of kernels serves every pool.
import { ArgumentError, ShapeError, formatShape } from '../../errors.js';
import { checkBoolean } from '../../options.js';
import { assertFloat } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type Pair, type Window2d, pair, window2d } from '../../backend/window.js';

export interface AxisTaps {
  /** Length out+1; the taps of output o are index[offsets[o]..offsets[o+1]). */
  offsets: Int32Array;
  index: Int32Array;
}

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

export interface SlidingPoolAttrs {
  kernelSize: Pair;
  stride?: Pair | null;
  padding?: Pair;
  dilation?: Pair;
  ceilMode?: boolean;
}

/** Checks x is a float [N, C, H, W] or [C, H, W] tensor and returns its plane count, H and W. */
export function planesOf(op: string, x: Tensor): { planes: number; inH: number; inW: number } {
  assertFloat(op, 'x', x.dtype);
  if (x.ndim !== 3 && x.ndim !== 4) {
    throw new ShapeError(`${op}: x must be 4-D [N, C, H, W] or 3-D [C, H, W], got ${x.ndim}-D ${formatShape(x.shape)}`);
  }
  const inH = x.shape[x.ndim - 2]!;
  const inW = x.shape[x.ndim - 1]!;
  // An empty batch pools to an empty batch (as in PyTorch); empty planes or channels are an error.
  if (x.shape.slice(x.ndim - 3).includes(0)) {
    throw new ShapeError(`${op}: x ${formatShape(x.shape)} has an empty channel, height or width dim; only the batch dim may be 0`);
  }
  return { planes: x.size / Math.max(inH * inW, 1), inH, inW };
}

/** PyTorch's geometry for a sliding pool, with its rule that padding is at most half the kernel. */
export function slidingGeometry(op: string, inH: number, inW: number, attrs: SlidingPoolAttrs): Window2d {
  const k = pair(op, 'kernelSize', attrs.kernelSize);
  checkBoolean(op, 'ceilMode', attrs.ceilMode);
  const p = pair(op, 'padding', attrs.padding ?? 0, 0);
  if (p[0] > k[0] >> 1 || p[1] > k[1] >> 1) {
    throw new ArgumentError(
      `${op}: padding must be at most half the kernel size, got padding [${p.join(',')}] for kernelSize [${k.join(',')}] (PyTorch's rule pad <= kernel/2)`,
    );
  }
  return window2d(op, inH, inW, {
    kernelSize: k,
    stride: attrs.stride ?? k,
    padding: p,
    dilation: attrs.dilation ?? 1,
    ceilMode: attrs.ceilMode ?? false,
  });
}

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

export function adaptiveWindows(op: string, inH: number, inW: number, outputSize: Pair): PoolWindows {
  const [outH, outW] = pair(op, 'outputSize', outputSize);
  return { inH, inW, outH, outW, rows: adaptiveTaps(inH, outH), cols: adaptiveTaps(inW, outW) };
}

/** Output shape: x's leading dims, then outH, outW. */
export function pooledShape(x: Tensor, w: PoolWindows): number[] {
  return [...x.shape.slice(0, -2), w.outH, w.outW];
}
