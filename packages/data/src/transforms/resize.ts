import { ArgumentError, type Tensor, checkNumber, checkOptions, optionKeys, portableExp, portableLog } from '@tensorgrad/core';
import { checkRange } from '../check.js';
import { chwImage, chwOf } from '../image.js';
import { type Size, sizeOf } from './size.js';
import type { Transform } from './transform.js';
import { madeBy } from './recipe.js';

/**
 * Bilinear resampling of the window (top, left, height, width) of x to outH x outW, with pixel
 * centres aligned as PyTorch's align_corners=false; samples beyond the window repeat its edge.
 */
export function resizedCrop(x: Tensor, top: number, left: number, height: number, width: number, outH: number, outW: number): Tensor {
  const { c, h, w } = chwOf('resizedCrop', x);
  // A fractional window or output size would index between array elements and give NaN.
  for (const [name, v, min] of [['top', top, 0], ['left', left, 0], ['height', height, 1], ['width', width, 1], ['outH', outH, 1], ['outW', outW, 1]] as const) {
    checkNumber('resizedCrop', name, v, { integer: true, min });
  }
  if (top < 0 || left < 0 || height < 1 || width < 1 || top + height > h || left + width > w) {
    throw new ArgumentError(`resizedCrop: window top ${top}, left ${left}, ${height}x${width} is not inside the ${h}x${w} image`);
  }
  const ys = taps(top, height, outH);
  const xs = taps(left, width, outW);
  const out = new Float32Array(c * outH * outW);
  let o = 0;
  for (let ch = 0; ch < c; ch++) {
    const plane = ch * h * w;
    for (let i = 0; i < outH; i++) {
      const r0 = plane + ys.lo[i]! * w, r1 = plane + ys.hi[i]! * w, fy = ys.frac[i]!;
      for (let j = 0; j < outW; j++, o++) {
        const c0 = xs.lo[j]!, c1 = xs.hi[j]!, fx = xs.frac[j]!;
        const top0 = x.data[r0 + c0]! + (x.data[r0 + c1]! - x.data[r0 + c0]!) * fx;
        const bot0 = x.data[r1 + c0]! + (x.data[r1 + c1]! - x.data[r1 + c0]!) * fx;
        out[o] = top0 + (bot0 - top0) * fy;
      }
    }
  }
  return chwImage(c, outH, outW, out);
}

/** The two source indices and the weight of the second, for each output position on one axis. */
function taps(start: number, n: number, count: number): { lo: Int32Array; hi: Int32Array; frac: Float32Array } {
  const lo = new Int32Array(count), hi = new Int32Array(count), frac = new Float32Array(count);
  const scale = n / count;
  for (let k = 0; k < count; k++) {
    const s = Math.min(Math.max((k + 0.5) * scale - 0.5, 0), n - 1);
    const s0 = Math.floor(s);
    lo[k] = start + s0;
    hi[k] = start + Math.min(s0 + 1, n - 1);
    frac[k] = s - s0;
  }
  return { lo, hi, frac };
}

/**
 * Bilinear resize to [height, width], or, given one number, so that the shorter side has that
 * length and the aspect ratio is kept (torchvision's Resize: resize(256) before AlexNet crops).
 */
export function resize(size: Size): Transform {
  const target = typeof size === 'number' ? sizeOf('resize', size)[0] : sizeOf('resize', size);
  return madeBy('resize', [size], (x) => {
    const { h, w } = chwOf('resize', x);
    const [outH, outW] = typeof target === 'number'
      ? (h <= w ? [target, Math.floor((target * w) / h)] : [Math.floor((target * h) / w), target])
      : target;
    return resizedCrop(x, 0, 0, h, w, outH, outW);
  });
}

/** Options of `randomResizedCrop` (torchvision's RandomResizedCrop arguments and defaults). */
export interface RandomResizedCropOptions {
  /** Range of the window's area as a fraction of the image's. Default [0.08, 1]. */
  scale?: readonly [number, number];
  /** Range of the window's width/height ratio (sampled log-uniformly). Default [3/4, 4/3]. */
  ratio?: readonly [number, number];
}
const RANDOM_RESIZED_CROP_OPTIONS = optionKeys<RandomResizedCropOptions>()(['scale', 'ratio']);

/** A window of random area and aspect ratio, resized to `size` (the Inception recipe). */
export function randomResizedCrop(size: Size, options: RandomResizedCropOptions = {}): Transform {
  const [outH, outW] = sizeOf('randomResizedCrop', size);
  checkOptions('randomResizedCrop', options, RANDOM_RESIZED_CROP_OPTIONS);
  const [smin, smax] = checkRange('randomResizedCrop', 'scale', options.scale ?? [0.08, 1], { min: 0, minExclusive: true, max: 1 });
  const [rmin, rmax] = checkRange('randomResizedCrop', 'ratio', options.ratio ?? [3 / 4, 4 / 3], { min: 0, minExclusive: true });
  return madeBy('randomResizedCrop', [size, options], (x, rng) => {
    const { h, w } = chwOf('randomResizedCrop', x);
    // torchvision's sampler: up to 10 tries, then the central crop of clamped ratio.
    for (let attempt = 0; attempt < 10; attempt++) {
      const area = h * w * rng.uniform(smin, smax);
      const ratio = portableExp(rng.uniform(portableLog(rmin), portableLog(rmax))); // Math's round differently in browsers
      const cw = Math.round(Math.sqrt(area * ratio));
      const ch = Math.round(Math.sqrt(area / ratio));
      if (cw > 0 && ch > 0 && cw <= w && ch <= h) {
        return resizedCrop(x, rng.randint(0, h - ch + 1), rng.randint(0, w - cw + 1), ch, cw, outH, outW);
      }
    }
    const ratio = w / h;
    const [ch, cw] = ratio < rmin ? [Math.round(w / rmin), w] : ratio > rmax ? [h, Math.round(h * rmax)] : [h, w];
    return resizedCrop(x, Math.floor((h - ch) / 2), Math.floor((w - cw) / 2), ch, cw, outH, outW);
  });
}
