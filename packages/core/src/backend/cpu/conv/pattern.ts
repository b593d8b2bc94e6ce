// The spatial sparsity pattern S of conv2d's matrix C. Every (output channel, input channel)
// block of C has the same nonzero positions: output pixel p reads input pixel S[t, p] through
// kernel tap t (or nothing, where the tap falls on padding). The kernels read S as runs: per tap
// row (column), the output rows (columns) whose reads fall inside the input. S depends only on
// the window geometry, so it is built once per geometry and kept in a small LRU cache. (The
// explicit C, ops/conv/conv-matrix.ts, lists S entry by entry from the window itself.)
import type { Window2d } from '../../window.js';

export interface ConvPattern {
  window: Window2d;
  /** outH·outW output positions. */
  positions: number;
  /** kH·kW kernel taps, row-major (tap t = kh·kW + kw). */
  taps: number;
  /**
   * The same S as runs, for the gather/scatter kernels: tap row kh reads inside the input for
   * output rows [rowRange[2kh], rowRange[2kh+1]), tap column kw for output columns
   * [colRange[2kw], colRange[2kw+1]); outside, it reads padding.
   */
  rowRange: Int32Array;
  colRange: Int32Array;
  /** S is the identity (1×1 taps reading every pixel in order): gathering is a no-op. */
  identity: boolean;
}

const MAX_ENTRIES = 64;
const cache = new Map<string, ConvPattern>();

function keyOf(g: Window2d): string {
  return [g.inH, g.inW, g.kH, g.kW, g.strideH, g.strideW, g.dilationH, g.dilationW, g.padTop, g.padLeft, g.outH, g.outW].join(',');
}

/** The pattern S for a geometry, from the cache (most recently used kept) or built now. */
export function convPattern(g: Window2d): ConvPattern {
  const key = keyOf(g);
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const pattern = buildPattern(g);
  cache.set(key, pattern);
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  return pattern;
}

/** Number of patterns currently cached (for tests). */
export function convPatternCacheSize(): number {
  return cache.size;
}

export function buildPattern(g: Window2d): ConvPattern {
  return {
    window: g, positions: g.outH * g.outW, taps: g.kH * g.kW, identity: isIdentity(g),
    rowRange: insideRanges(g.kH, g.outH, g.inH, g.strideH, g.padTop, g.dilationH),
    colRange: insideRanges(g.kW, g.outW, g.inW, g.strideW, g.padLeft, g.dilationW),
  };
}

/** Whether the one tap reads input position p at every output position p. */
function isIdentity(g: Window2d): boolean {
  if (g.kH * g.kW !== 1 || g.outH * g.outW !== g.inH * g.inW) return false;
  for (let oh = 0; oh < g.outH; oh++) {
    const ih = oh * g.strideH - g.padTop;
    for (let ow = 0; ow < g.outW; ow++) {
      const iw = ow * g.strideW - g.padLeft;
      if (ih < 0 || ih >= g.inH || iw < 0 || iw >= g.inW || ih * g.inW + iw !== oh * g.outW + ow) return false;
    }
  }
  return true;
}

/** For each tap k along one axis, the output range [lo, hi) with o·stride - pad + k·dilation inside [0, n). */
function insideRanges(k: number, out: number, n: number, stride: number, pad: number, dilation: number): Int32Array {
  const ranges = new Int32Array(2 * k);
  for (let t = 0; t < k; t++) {
    const shift = t * dilation - pad;
    const lo = Math.min(out, Math.max(0, Math.ceil(-shift / stride)));
    const hi = Math.min(out, Math.max(lo, Math.floor((n - 1 - shift) / stride) + 1));
    ranges[2 * t] = lo;
    ranges[2 * t + 1] = hi;
  }
  return ranges;
}
