import { ArgumentError, type Tensor, checkNumber, checkOptions, optionKeys, portableExp } from '@tensorgrad/core';
import { checkRange, show } from '../check.js';
import { chwImage, chwOf } from '../image.js';
import type { Transform } from './transform.js';
import { madeBy } from './recipe.js';

/** Options of `gaussianBlur` (torchvision's GaussianBlur arguments). */
export interface GaussianBlurOptions {
  /**
   * Odd positive kernel size: one number, or [kx, ky] = [width, height] in torchvision's order
   * (not the [height, width] of output sizes).
   */
  kernelSize: number | readonly [number, number];
  /** Standard deviation: fixed, or drawn uniformly from [min, max] per call. Default [0.1, 2]. */
  sigma?: number | readonly [number, number];
}
const GAUSSIAN_BLUR_OPTIONS = optionKeys<GaussianBlurOptions>()(['kernelSize', 'sigma']);

/**
 * torchvision's GaussianBlur: a separable Gaussian kernel (torchvision's: taps at the integer
 * offsets -(k-1)/2 .. (k-1)/2, exp(-x²/2σ²), normalised to sum 1), the same σ on both axes, reflect
 * padding (so kernel // 2 must be smaller than the image's height and width). One draw per call,
 * also for a fixed sigma, so the stream does not depend on it.
 */
export function gaussianBlur(options: GaussianBlurOptions): Transform {
  checkOptions('gaussianBlur', options, GAUSSIAN_BLUR_OPTIONS);
  const [kx, ky] = kernelSizeOf(options.kernelSize);
  const sigma = options.sigma ?? [0.1, 2];
  const [lo, hi] = typeof sigma === 'number'
    ? (checkNumber('gaussianBlur', 'sigma', sigma, { min: 0, minExclusive: true }), [sigma, sigma])
    : checkRange('gaussianBlur', 'sigma', sigma, { min: 0, minExclusive: true });
  return madeBy('gaussianBlur', [options], (x, rng) => {
    const { c, h, w } = chwOf('gaussianBlur', x);
    if (kx >> 1 >= w || ky >> 1 >= h) {
      throw new ArgumentError(`gaussianBlur: kernelSize [${kx}, ${ky}] (width, height) needs reflect padding of [${kx >> 1}, ${ky >> 1}], which must be smaller than the image's ${w}x${h} (width x height)`);
    }
    const s = rng.uniform(lo, hi);
    const rows = convolve(x.data, c * h, w, 1, kernel1d(kx, s)); // along each row: kx
    return chwImage(c, h, w, Float32Array.from(convolve(rows, c, h, w, kernel1d(ky, s)))); // then each column: ky
  });
}

function kernelSizeOf(size: unknown): [number, number] {
  const pair = typeof size === 'number' ? [size, size] : Array.isArray(size) && size.length === 2 ? size : undefined;
  if (pair === undefined || !pair.every((k) => Number.isInteger(k) && k > 0 && k % 2 === 1)) {
    throw new ArgumentError(`gaussianBlur: kernelSize must be an odd positive integer or [kx, ky] of them, got ${show(size)}`);
  }
  return pair as [number, number];
}

/** torchvision's _get_gaussian_kernel1d. */
function kernel1d(size: number, sigma: number): Float64Array {
  const half = (size - 1) / 2;
  // portableExp: Math.exp rounds differently in browsers; (d·d) is what ** 2 computes.
  const k = Float64Array.from({ length: size }, (_, i) => {
    const d = (i - half) / sigma;
    return portableExp(-0.5 * (d * d));
  });
  const total = k.reduce((a, b) => a + b, 0);
  return k.map((v) => v / total);
}

/**
 * Convolves the middle axis of `src` seen as [outer, len, inner] with k, reflecting at the edges
 * (x[-i] = x[i], x[len-1+i] = x[len-1-i], as torch's reflect padding), in float64.
 */
function convolve(src: ArrayLike<number>, outer: number, len: number, inner: number, k: Float64Array): Float64Array {
  const out = new Float64Array(src.length);
  const half = (k.length - 1) / 2;
  for (let o = 0; o < outer; o++) {
    for (let q = 0; q < inner; q++) {
      const base = o * len * inner + q;
      for (let i = 0; i < len; i++) {
        let acc = 0;
        for (let t = 0; t < k.length; t++) {
          const j = i + t - half;
          acc += k[t]! * src[base + (j < 0 ? -j : j >= len ? 2 * (len - 1) - j : j) * inner]!;
        }
        out[base + i * inner] = acc;
      }
    }
  }
  return out;
}
