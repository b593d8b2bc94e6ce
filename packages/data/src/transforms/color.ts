import { type Generator, type Tensor, checkNumber, checkOptions, optionKeys } from '@tensorgrad/core';
import { chwImage, chwOf } from '../image.js';
import type { Transform } from './transform.js';

export interface ColorJitterOptions {
  /** Factor drawn from [max(0, 1 - b), 1 + b]; the image is scaled by it. */
  brightness?: number;
  /** Factor f from [max(0, 1 - c), 1 + c]; blends with the mean grey level: f x + (1 - f) mean. */
  contrast?: number;
  /** Factor f from [max(0, 1 - s), 1 + s]; blends with each pixel's grey: f x + (1 - f) grey. */
  saturation?: number;
}
const COLOR_JITTER_OPTIONS = optionKeys<ColorJitterOptions>()(['brightness', 'contrast', 'saturation']);

type Adjustment = (x: Float32Array, c: number, plane: number, f: number) => void;

/**
 * torchvision's ColorJitter for images in [0, 1] (results are clamped to [0, 1]): the three
 * adjustments in a random order, each with a random factor (a zero strength gives factor 1,
 * which leaves an image in [0, 1] unchanged).
 */
export function colorJitter(options: ColorJitterOptions = {}): Transform {
  checkOptions('colorJitter', options, COLOR_JITTER_OPTIONS);
  const adjustments = ([['brightness', brightness], ['contrast', contrast], ['saturation', saturation]] as const).map(([name, adjust]) => {
    const strength = options[name] ?? 0;
    checkNumber('colorJitter', name, strength, { min: 0 });
    return [strength, adjust] as const;
  });
  return (x: Tensor, rng: Generator) => {
    const { c, h, w } = chwOf('colorJitter', x);
    const out = new Float32Array(x.data);
    const order = rng.permutation(adjustments.length);
    for (const k of order) {
      const [strength, adjust] = adjustments[k]!;
      adjust(out, c, h * w, rng.uniform(Math.max(0, 1 - strength), 1 + strength));
    }
    return chwImage(c, h, w, out);
  };
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

/** ITU-R 601 luma of RGB pixel p (the pixel itself for one channel). */
function grey(x: Float32Array, c: number, plane: number, p: number): number {
  if (c !== 3) return x[p]!;
  return 0.299 * x[p]! + 0.587 * x[plane + p]! + 0.114 * x[2 * plane + p]!;
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
