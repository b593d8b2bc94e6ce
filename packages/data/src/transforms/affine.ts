import { ArgumentError, type NumberRule, type Tensor, checkNumber, checkOptions, optionKeys, portableCos, portableSin, portableTan } from '@tensorgrad/core';
import { checkOneOf, checkPair, checkRange, show } from '../check.js';
import { chwImage, chwOf } from '../image.js';
import type { Transform } from './transform.js';
import { madeBy } from './recipe.js';

/** Row-major 2x3 matrix [a, b, tx, c, d, ty]: (x, y) -> (a x + b y + tx, c x + d y + ty). */
export type Affine = readonly [number, number, number, number, number, number];

/** Options of the warping transforms (`affine`, `randomRotation`, `randomAffine`, `warpAffine`). */
export interface WarpOptions {
  /** Value of pixels that come from outside the image. Default 0. */
  fill?: number;
  /** Default bilinear. */
  interpolation?: 'bilinear' | 'nearest';
}
const WARP_OPTIONS = optionKeys<WarpOptions>()(['fill', 'interpolation']);
const INTERPOLATIONS = ['bilinear', 'nearest'] as const;

interface Sampling {
  fill: number;
  nearest: boolean;
}

/** The checked warp options of `fn`, with their defaults. */
function samplingOf(fn: string, options: WarpOptions | undefined, accepted: readonly string[] = WARP_OPTIONS): Sampling {
  checkOptions(fn, options, accepted);
  const { fill = 0, interpolation = 'bilinear' } = options ?? {};
  checkNumber(fn, 'fill', fill);
  checkOneOf(fn, 'interpolation', interpolation, INTERPOLATIONS);
  return { fill, nearest: interpolation === 'nearest' };
}

/**
 * Warps x by `forward` (in pixel coordinates, y pointing down): output pixel p takes the input
 * value at forward⁻¹(p), interpolated; samples outside the image are `fill`.
 */
export function warpAffine(x: Tensor, forward: Affine, options: WarpOptions = {}): Tensor {
  chwOf('warpAffine', x);
  if (!Array.isArray(forward) || forward.length !== 6) throw new ArgumentError(`warpAffine: forward must be a 2x3 matrix [a, b, tx, c, d, ty], got ${show(forward)}`);
  forward.forEach((v, i) => checkNumber('warpAffine', `forward[${i}]`, v));
  return warp('warpAffine', x, forward, samplingOf('warpAffine', options));
}

/** warpAffine without the option checks, for transforms that checked theirs when they were made. */
function warp(op: string, x: Tensor, forward: Affine, { fill, nearest }: Sampling): Tensor {
  const { c, h, w } = chwOf(op, x);
  const [a, b, tx, cc, d, ty] = forward;
  const det = a * d - b * cc;
  if (!(Math.abs(det) > 1e-12)) throw new ArgumentError(`${op}: matrix [${forward.join(', ')}] is not invertible`);
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

/** Parameters of `affine` (torchvision's F.affine; each optional, the identity by default). */
export interface AffineParams {
  /** Counter-clockwise, in degrees, about the image centre. */
  angle?: number;
  /** Shift in pixels (x to the right, y down). */
  translate?: readonly [number, number];
  /** Zoom factor about the image centre (default 1). */
  scale?: number;
  /** Shear parallel to x, in degrees. */
  shear?: number;
}
const AFFINE_PARAMS = optionKeys<AffineParams>()(['angle', 'translate', 'scale', 'shear']);
// A shear of ±90° maps the plane onto a line; beyond, it equals a shear within (-90°, 90°).
const SHEAR_RULE: NumberRule = { min: -90, max: 90, minExclusive: true, maxExclusive: true };
// Angles go through core's portable cosine and sine (the same bits in every engine), whose domain
// is |t| ≤ 2^20·π/2 radians: 9e7 degrees stays inside.
const ANGLE_RULE: NumberRule = { min: -9e7, max: 9e7 };

function checkParams(fn: string, p: AffineParams): void {
  if (p === undefined) throw new ArgumentError(`${fn}: params must be an object with keys among ${AFFINE_PARAMS.join(', ')}, got undefined`);
  checkOptions(fn, p, AFFINE_PARAMS, 'params');
  if (p.angle !== undefined) checkNumber(fn, 'angle', p.angle, ANGLE_RULE);
  if (p.translate !== undefined) checkPair(fn, 'translate', p.translate);
  if (p.scale !== undefined) checkNumber(fn, 'scale', p.scale, { min: 0, minExclusive: true });
  if (p.shear !== undefined) checkNumber(fn, 'shear', p.shear, SHEAR_RULE);
}

/**
 * The forward matrix of torchvision's affine: about the centre ((w-1)/2, (h-1)/2), scale and
 * shear, then rotate, then translate.
 */
export function affineMatrix(h: number, w: number, p: AffineParams): Affine {
  checkNumber('affineMatrix', 'h', h, { integer: true, min: 1 });
  checkNumber('affineMatrix', 'w', w, { integer: true, min: 1 });
  checkParams('affineMatrix', p);
  return matrixOf(h, w, p);
}

function matrixOf(h: number, w: number, p: AffineParams): Affine {
  const cx = (w - 1) / 2, cy = (h - 1) / 2;
  const s = p.scale ?? 1;
  const t = ((p.angle ?? 0) * Math.PI) / 180;
  const sh = portableTan(((p.shear ?? 0) * Math.PI) / 180);
  const [dx, dy] = p.translate ?? [0, 0];
  // With y down, a counter-clockwise turn on screen is (x, y) -> (x cos t + y sin t, -x sin t + y cos t).
  const cos = portableCos(t), sin = portableSin(t);
  const a = s * cos, b = s * (cos * sh + sin), c = -s * sin, d = s * (-sin * sh + cos);
  return [a, b, cx + dx - a * cx - b * cy, c, d, cy + dy - c * cx - d * cy];
}

/** Deterministic affine transform of the image, e.g. affine({ angle: 90 }). */
export function affine(params: AffineParams, options: WarpOptions = {}): Transform {
  checkParams('affine', params);
  const sampling = samplingOf('affine', options);
  return madeBy('affine', [params, options], (x) => {
    const { h, w } = chwOf('affine', x);
    return warp('affine', x, matrixOf(h, w, params), sampling);
  });
}

/** Rotation by an angle drawn uniformly from [-degrees, degrees] (or [min, max]). */
export function randomRotation(degrees: number | readonly [number, number], options: WarpOptions = {}): Transform {
  const [lo, hi] = range('randomRotation', 'degrees', degrees, ANGLE_RULE);
  const sampling = samplingOf('randomRotation', options);
  return madeBy('randomRotation', [degrees, options], (x, rng) => {
    const { h, w } = chwOf('randomRotation', x);
    return warp('randomRotation', x, matrixOf(h, w, { angle: rng.uniform(lo, hi) }), sampling);
  });
}

const TRANSLATE_OPTIONS = optionKeys<Pick<WarpOptions, 'fill'>>()(['fill']);
const FRACTION: NumberRule = { min: 0, max: 1 };

/**
 * A shift by a whole number of pixels, up to maxFraction of the width and height (one number
 * for both, or [x, y]); uncovered pixels are `fill`. Whole pixels, so nothing is blurred.
 */
export function randomTranslate(maxFraction: number | readonly [number, number], options: Pick<WarpOptions, 'fill'> = {}): Transform {
  const [fx, fy] = typeof maxFraction === 'number'
    ? (checkNumber('randomTranslate', 'maxFraction', maxFraction, FRACTION), [maxFraction, maxFraction])
    : checkPair('randomTranslate', 'maxFraction', maxFraction, FRACTION);
  const sampling = { ...samplingOf('randomTranslate', options, TRANSLATE_OPTIONS), nearest: true };
  return madeBy('randomTranslate', [maxFraction, options], (x, rng) => {
    const { h, w } = chwOf('randomTranslate', x);
    const mx = Math.floor(fx * w), my = Math.floor(fy * h);
    const translate: [number, number] = [rng.randint(-mx, mx + 1), rng.randint(-my, my + 1)];
    return warp('randomTranslate', x, matrixOf(h, w, { translate }), sampling);
  });
}

/** Options of `randomAffine` (torchvision's RandomAffine arguments). */
export interface RandomAffineOptions extends WarpOptions {
  /** Rotation range in degrees: ±degrees or [min, max]. Default 0. */
  degrees?: number | readonly [number, number];
  /** Maximum shift as a fraction of width and height. Default none. */
  translate?: readonly [number, number];
  /** Scale range [min, max]. Default none. */
  scale?: readonly [number, number];
  /** x-shear range in degrees, within (-90, 90): ±shear or [min, max]. Default 0. */
  shear?: number | readonly [number, number];
}
const RANDOM_AFFINE_OPTIONS = optionKeys<RandomAffineOptions>()(['degrees', 'translate', 'scale', 'shear', 'fill', 'interpolation']);

/** torchvision's RandomAffine: random rotation, translation, scale and shear in one warp. */
export function randomAffine(options: RandomAffineOptions = {}): Transform {
  const sampling = samplingOf('randomAffine', options, RANDOM_AFFINE_OPTIONS);
  const [dlo, dhi] = range('randomAffine', 'degrees', options.degrees ?? 0, ANGLE_RULE);
  const [slo, shi] = range('randomAffine', 'shear', options.shear ?? 0, SHEAR_RULE);
  const [tx, ty] = checkPair('randomAffine', 'translate', options.translate ?? [0, 0], FRACTION);
  const [zlo, zhi] = checkRange('randomAffine', 'scale', options.scale ?? [1, 1], { min: 0, minExclusive: true });
  return madeBy('randomAffine', [options], (x, rng) => {
    const { h, w } = chwOf('randomAffine', x);
    const angle = rng.uniform(dlo, dhi);
    const translate: [number, number] = [Math.round(rng.uniform(-tx * w, tx * w)), Math.round(rng.uniform(-ty * h, ty * h))];
    const scale = rng.uniform(zlo, zhi);
    const shear = rng.uniform(slo, shi);
    return warp('randomAffine', x, matrixOf(h, w, { angle, translate, scale, shear }), sampling);
  });
}

/** ±value or a [min, max] pair, within the rule. */
function range(op: string, name: string, value: number | readonly [number, number], rule: NumberRule = {}): [number, number] {
  if (typeof value !== 'number') return checkRange(op, name, value, rule);
  checkNumber(op, name, value, rule);
  return [-Math.abs(value), Math.abs(value)];
}
