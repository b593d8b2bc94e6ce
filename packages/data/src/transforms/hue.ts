import { type Tensor, checkNumber } from '@tensorgrad/core';
import { chwImage } from '../image.js';
import { greyOrRgb } from './grayscale.js';

/**
 * torchvision's adjust_hue: each RGB pixel to HSV, the hue turned by `factor` of a full turn
 * (factor in [-0.5, 0.5]; ±0.5 gives the complementary colours), back to RGB. Saturation and
 * value are kept; a grey pixel stays as it is, and so does a one-channel image. Expects pixels
 * in [0, 1] (HSV needs non-negative values): put it before `normalize`.
 */
export function adjustHue(x: Tensor, factor: number): Tensor {
  checkHueFactor('adjustHue', factor);
  const { c, h, w } = greyOrRgb('adjustHue', x);
  const out = new Float32Array(x.data);
  if (c === 3) shiftHue(out, h * w, factor);
  return chwImage(c, h, w, out);
}

export function checkHueFactor(op: string, factor: number): void {
  checkNumber(op, 'hue factor', factor, { min: -0.5, max: 0.5 });
}

/** Turns the hue of every pixel of an RGB image (3 planes of `plane` values) in place. */
export function shiftHue(x: Float32Array, plane: number, factor: number): void {
  for (let p = 0; p < plane; p++) {
    const r = x[p]!, g = x[plane + p]!, b = x[2 * plane + p]!;
    // RGB -> HSV as torchvision's _rgb2hsv (after Pillow): hue in [0, 1), with the branch taken
    // by which channel holds the maximum (red first, then green), and 0 for a grey pixel.
    const max = Math.max(r, g, b), min = Math.min(r, g, b);
    const chroma = max - min;
    const s = max === min ? 0 : chroma / max;
    let hue = 0;
    if (max !== min) {
      const rc = (max - r) / chroma, gc = (max - g) / chroma, bc = (max - b) / chroma;
      const sector = max === r ? bc - gc : max === g ? 2 + rc - bc : 4 + gc - rc;
      hue = (sector / 6 + 1) % 1;
    }
    hue = (((hue + factor) % 1) + 1) % 1; // Python's modulo: the result lies in [0, 1)
    // HSV -> RGB as torchvision's _hsv2rgb, whose p, q, t are clamped to [0, 1].
    const i = Math.floor(hue * 6);
    const f = hue * 6 - i;
    const v = max;
    const pp = clamp01(v * (1 - s)), q = clamp01(v * (1 - s * f)), t = clamp01(v * (1 - s * (1 - f)));
    const [ro, go, bo] = SECTORS[i % 6]!(v, pp, q, t);
    x[p] = ro;
    x[plane + p] = go;
    x[2 * plane + p] = bo;
  }
}

type Sector = (v: number, p: number, q: number, t: number) => [number, number, number];
const SECTORS: readonly Sector[] = [
  (v, p, _q, t) => [v, t, p],
  (v, p, q) => [q, v, p],
  (v, p, _q, t) => [p, v, t],
  (v, p, q) => [p, q, v],
  (v, p, _q, t) => [t, p, v],
  (v, p, q) => [v, p, q],
];

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
