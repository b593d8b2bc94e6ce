import { type Generator, type Tensor, checkNumber, checkOptions, optionKeys } from '@tensorgrad/core';
import { chwImage } from '../image.js';
import { greyOrRgb, luma } from './grayscale.js';
import { shiftHue } from './hue.js';
import type { Transform } from './transform.js';
import { madeBy } from './recipe.js';

/** Options of `colorJitter` (torchvision's ColorJitter arguments; each strength 0, off, by default). */
export interface ColorJitterOptions {
  /** Factor drawn from [max(0, 1 - b), 1 + b]; the image is scaled by it. */
  brightness?: number;
  /** Factor f from [max(0, 1 - c), 1 + c]; blends with the mean grey level: f x + (1 - f) mean. */
  contrast?: number;
  /** Factor f from [max(0, 1 - s), 1 + s]; blends with each pixel's grey: f x + (1 - f) grey. */
  saturation?: number;
  /** At most 0.5. Factor from [-hue, hue]: the hue turns by that fraction of a circle (adjustHue). */
  hue?: number;
}
const COLOR_JITTER_OPTIONS = optionKeys<ColorJitterOptions>()(['brightness', 'contrast', 'saturation', 'hue']);

/** Adjusts an image (c planes of `plane` values) in place by factor f. */
type Adjustment = (x: Float32Array, c: 1 | 3, plane: number, f: number) => void;

/**
 * torchvision's ColorJitter for images in [0, 1] with 1 or 3 channels: brightness, contrast,
 * saturation and hue, in a random order (a permutation of the four drawn first, then the four
 * factors in that listed order: 1 + 4 draws per call, whatever the strengths). An adjustment
 * whose strength is 0 is skipped, as torchvision skips it; the others clamp to [0, 1].
 */
export function colorJitter(options: ColorJitterOptions = {}): Transform {
  checkOptions('colorJitter', options, COLOR_JITTER_OPTIONS);
  const strengths = (['brightness', 'contrast', 'saturation', 'hue'] as const).map((name) => {
    const strength = options[name] ?? 0;
    checkNumber('colorJitter', name, strength, { min: 0, max: name === 'hue' ? 0.5 : undefined });
    return strength;
  });
  const ranges = strengths.map((s, k) => (k === 3 ? [-s, s] : [Math.max(0, 1 - s), 1 + s]) as [number, number]);
  return madeBy('colorJitter', [options], (x: Tensor, rng: Generator) => {
    const { c, h, w } = greyOrRgb('colorJitter', x);
    const out = new Float32Array(x.data);
    const order = rng.permutation(4);
    const factors = ranges.map(([lo, hi]) => rng.uniform(lo, hi));
    for (const k of order) if (strengths[k]! > 0) ADJUSTMENTS[k]!(out, c, h * w, factors[k]!);
    return chwImage(c, h, w, out);
  });
}

/** torchvision's adjust_brightness: x f, clamped to [0, 1]. */
export function adjustBrightness(x: Tensor, factor: number): Tensor {
  return adjusted('adjustBrightness', x, factor, brightness);
}

/** torchvision's adjust_contrast: f x + (1 - f) (the image's mean grey level), clamped to [0, 1]. */
export function adjustContrast(x: Tensor, factor: number): Tensor {
  return adjusted('adjustContrast', x, factor, contrast);
}

/** torchvision's adjust_saturation: f x + (1 - f) (the pixel's grey), clamped; 0 gives grey. */
export function adjustSaturation(x: Tensor, factor: number): Tensor {
  return adjusted('adjustSaturation', x, factor, saturation);
}

function adjusted(op: string, x: Tensor, factor: number, adjust: Adjustment): Tensor {
  checkNumber(op, 'factor', factor, { min: 0 });
  const { c, h, w } = greyOrRgb(op, x);
  const out = new Float32Array(x.data);
  adjust(out, c, h * w, factor);
  return chwImage(c, h, w, out);
}

const brightness: Adjustment = (x, _c, _plane, f) => {
  for (let i = 0; i < x.length; i++) x[i] = clamp01(x[i]! * f);
};

const contrast: Adjustment = (x, c, plane, f) => {
  let total = 0;
  for (let p = 0; p < plane; p++) total += grey(x, c, plane, p);
  const mean = total / plane;
  for (let i = 0; i < x.length; i++) x[i] = clamp01(f * x[i]! + (1 - f) * mean);
};

const saturation: Adjustment = (x, c, plane, f) => {
  if (c === 1) return;
  for (let p = 0; p < plane; p++) {
    const g = grey(x, c, plane, p);
    for (let ch = 0; ch < c; ch++) x[ch * plane + p] = clamp01(f * x[ch * plane + p]! + (1 - f) * g);
  }
};

/** The luma of pixel p, or the pixel itself in a one-channel image. */
function grey(x: Float32Array, c: 1 | 3, plane: number, p: number): number {
  return c === 1 ? x[p]! : luma(x, plane, p);
}

const hue: Adjustment = (x, c, plane, f) => {
  if (c === 3) shiftHue(x, plane, f);
};

/** In torchvision's order (ColorJitter's fn_idx 0..3). */
const ADJUSTMENTS: readonly Adjustment[] = [brightness, contrast, saturation, hue];

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
