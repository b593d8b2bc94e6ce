// Pooling's arguments parsed into windows (backend/window.ts): the input's plane layout, sliding
// windows with PyTorch's pooling rule for padding, and adaptive windows from an output size.
import { ArgumentError, ShapeError, formatShape } from '../../errors.js';
import { checkBoolean } from '../../options.js';
import { assertFloat } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type PoolWindows, adaptiveWindows } from '../../backend/window.js';
import { type Pair, type Window2d, pair, window2d } from '../window.js';

/** The window of a sliding pool (PyTorch's arguments and defaults). */
export interface SlidingPoolAttrs {
  /** Window size, one number or [h, w]. */
  kernelSize: Pair;
  /** Step between windows (default, or null: the kernel size). */
  stride?: Pair | null;
  /**
   * Implicit padding on each side (at most half the kernel; -inf for max, 0 for average pooling); default
   * 0.
   */
  padding?: Pair;
  /** Spacing between window taps (default 1; max pooling only). */
  dilation?: Pair;
  /**
   * Round the output size up instead of down, adding a last partial window when it starts inside the input
   * or the left padding (default false).
   */
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

/** PyTorch's adaptive windows for an outputSize argument. */
export function adaptiveGeometry(op: string, inH: number, inW: number, outputSize: Pair): PoolWindows {
  const [outH, outW] = pair(op, 'outputSize', outputSize);
  return adaptiveWindows(inH, inW, outH, outW);
}

/** Output shape: x's leading dims, then outH, outW. */
export function pooledShape(x: Tensor, w: PoolWindows): number[] {
  return [...x.shape.slice(0, -2), w.outH, w.outW];
}
