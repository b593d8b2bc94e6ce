import { ArgumentError, type Tensor } from '@tensorgrad/core';
import { chwImage, chwOf } from '../image.js';
import type { Transform } from './transform.js';

/** Row-major 2x3 matrix [a, b, tx, c, d, ty]: (x, y) -> (a x + b y + tx, c x + d y + ty). */
export type Affine = readonly [number, number, number, number, number, number];

export interface WarpOptions {
  /** Value of pixels that come from outside the image. Default 0. */
  fill?: number;
  /** Default bilinear. */
  interpolation?: 'bilinear' | 'nearest';
}

/**
 * Warps x by `forward` (in pixel coordinates, y pointing down): output pixel p takes the input
 * value at forward⁻¹(p), interpolated; samples outside the image are `fill`.
 */
export function warpAffine(x: Tensor, forward: Affine, options: WarpOptions = {}): Tensor {
  const { c, h, w } = chwOf('warpAffine', x);
  const fill = options.fill ?? 0;
  const nearest = (options.interpolation ?? 'bilinear') === 'nearest';
  const [a, b, tx, cc, d, ty] = forward;
  const det = a * d - b * cc;
  if (!(Math.abs(det) > 1e-12)) throw new ArgumentError(`warpAffine: matrix [${forward.join(', ')}] is not invertible`);
  // Inverse map, evaluated per output pixel.
  const ia = d / det, ib = -b / det, ic = -cc / det, id = a / det;
  const out = new Float32Array(c * h * w);
  const plane = h * w;
  const at = (ch: number, r: number, col: number): number => (r >= 0 && r < h && col >= 0 && col < w ? x.data[ch * plane + r * w + col]! : fill);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const sx = ia * (j - tx) + ib * (i - ty);
      const sy = ic * (j - tx) + id * (i - ty);
      for (let ch = 0; ch < c; ch++) {
        let v: number;
        if (nearest) {
          v = at(ch, Math.round(sy), Math.round(sx));
        } else {
          const x0 = Math.floor(sx), y0 = Math.floor(sy), fx = sx - x0, fy = sy - y0;
          const top = at(ch, y0, x0) * (1 - fx) + at(ch, y0, x0 + 1) * fx;
          const bottom = at(ch, y0 + 1, x0) * (1 - fx) + at(ch, y0 + 1, x0 + 1) * fx;
          v = top * (1 - fy) + bottom * fy;
        }
        out[ch * plane + i * w + j] = v;
      }
    }
  }
  return chwImage(c, h, w, out);
}

export interface AffineParams {
  /** Counter-clockwise, in degrees, about the image centre. */
  angle?: number;
  /** Shift in pixels (x to the right, y down). */
  translate?: readonly [number, number];
  scale?: number;
  /** Shear parallel to x, in degrees. */
  shear?: number;
}

/**
 * The forward matrix of torchvision's affine: about the centre ((w-1)/2, (h-1)/2), scale and
 * shear, then rotate, then translate.
 */
export function affineMatrix(h: number, w: number, p: AffineParams): Affine {
  const cx = (w - 1) / 2, cy = (h - 1) / 2;
  const s = p.scale ?? 1;
  const t = ((p.angle ?? 0) * Math.PI) / 180;
  const sh = Math.tan(((p.shear ?? 0) * Math.PI) / 180);
  const [dx, dy] = p.translate ?? [0, 0];
  // With y down, a counter-clockwise turn on screen is (x, y) -> (x cos t + y sin t, -x sin t + y cos t).
  const cos = Math.cos(t), sin = Math.sin(t);
  const a = s * cos, b = s * (cos * sh + sin), c = -s * sin, d = s * (-sin * sh + cos);
  return [a, b, cx + dx - a * cx - b * cy, c, d, cy + dy - c * cx - d * cy];
}

/** Deterministic affine transform of the image, e.g. affine({ angle: 90 }). */
export function affine(params: AffineParams, options: WarpOptions = {}): Transform {
  return (x) => {
    const { h, w } = chwOf('affine', x);
    return warpAffine(x, affineMatrix(h, w, params), options);
  };
}

/** Rotation by an angle drawn uniformly from [-degrees, degrees] (or [min, max]). */
export function randomRotation(degrees: number | readonly [number, number], options: WarpOptions = {}): Transform {
  const [lo, hi] = range('randomRotation', 'degrees', degrees);
  return (x, rng) => {
    const { h, w } = chwOf('randomRotation', x);
    return warpAffine(x, affineMatrix(h, w, { angle: rng.uniform(lo, hi) }), options);
  };
}

/**
 * A shift by a whole number of pixels, up to maxFraction of the width and height (one number
 * for both, or [x, y]); uncovered pixels are `fill`. Whole pixels, so nothing is blurred.
 */
export function randomTranslate(maxFraction: number | readonly [number, number], options: Pick<WarpOptions, 'fill'> = {}): Transform {
  const [fx, fy] = typeof maxFraction === 'number' ? [maxFraction, maxFraction] : maxFraction;
  if (!(fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1)) throw new ArgumentError(`randomTranslate: maxFraction must be in [0, 1], got ${JSON.stringify(maxFraction)}`);
  return (x, rng) => {
    const { h, w } = chwOf('randomTranslate', x);
    const mx = Math.floor(fx * w), my = Math.floor(fy * h);
    const translate: [number, number] = [rng.randint(-mx, mx + 1), rng.randint(-my, my + 1)];
    return warpAffine(x, affineMatrix(h, w, { translate }), { ...options, interpolation: 'nearest' });
  };
}

export interface RandomAffineOptions extends WarpOptions {
  /** Rotation range in degrees: ±degrees or [min, max]. Default 0. */
  degrees?: number | readonly [number, number];
  /** Maximum shift as a fraction of width and height. Default none. */
  translate?: readonly [number, number];
  /** Scale range [min, max]. Default none. */
  scale?: readonly [number, number];
  /** x-shear range in degrees: ±shear or [min, max]. Default 0. */
  shear?: number | readonly [number, number];
}

/** torchvision's RandomAffine: random rotation, translation, scale and shear in one warp. */
export function randomAffine(options: RandomAffineOptions): Transform {
  const [dlo, dhi] = range('randomAffine', 'degrees', options.degrees ?? 0);
  const [slo, shi] = range('randomAffine', 'shear', options.shear ?? 0);
  const [tx, ty] = options.translate ?? [0, 0];
  const [zlo, zhi] = options.scale ?? [1, 1];
  if (!(zlo > 0 && zlo <= zhi)) throw new ArgumentError(`randomAffine: scale must satisfy 0 < min <= max, got [${zlo}, ${zhi}]`);
  if (!(tx >= 0 && tx <= 1 && ty >= 0 && ty <= 1)) throw new ArgumentError(`randomAffine: translate fractions must be in [0, 1], got [${tx}, ${ty}]`);
  return (x, rng) => {
    const { h, w } = chwOf('randomAffine', x);
    const angle = rng.uniform(dlo, dhi);
    const translate: [number, number] = [Math.round(rng.uniform(-tx * w, tx * w)), Math.round(rng.uniform(-ty * h, ty * h))];
    const scale = rng.uniform(zlo, zhi);
    const shear = rng.uniform(slo, shi);
    return warpAffine(x, affineMatrix(h, w, { angle, translate, scale, shear }), options);
  };
}

function range(op: string, name: string, value: number | readonly [number, number]): [number, number] {
  const [lo, hi] = typeof value === 'number' ? [-Math.abs(value), Math.abs(value)] : value;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi)) throw new ArgumentError(`${op}: ${name} must be a number or [min, max], got ${JSON.stringify(value)}`);
  return [lo, hi];
}
