import { type Tensor, checkNumber } from '@tensorgrad/core';
import { chwImage, chwOf } from '../image.js';
import type { Transform } from './transform.js';
import { madeBy } from './recipe.js';

/** Mirror left-right. */
export function hflip(x: Tensor): Tensor {
  const { c, h, w } = chwOf('hflip', x);
  const out = new Float32Array(x.size);
  for (let row = 0; row < c * h; row++) {
    const base = row * w;
    for (let j = 0; j < w; j++) out[base + j] = x.data[base + w - 1 - j]!;
  }
  return chwImage(c, h, w, out);
}

/** Mirror top-bottom. */
export function vflip(x: Tensor): Tensor {
  const { c, h, w } = chwOf('vflip', x);
  const out = new Float32Array(x.size);
  for (let ch = 0; ch < c; ch++) {
    for (let i = 0; i < h; i++) out.set(x.data.subarray((ch * h + h - 1 - i) * w, (ch * h + h - i) * w), (ch * h + i) * w);
  }
  return chwImage(c, h, w, out);
}

/**
 * Mirrors the image left-right with probability p (default 0.5), as torchvision's
 * RandomHorizontalFlip; one draw per call.
 */
export function randomHorizontalFlip(p = 0.5): Transform {
  return madeBy('randomHorizontalFlip', [p], randomly('randomHorizontalFlip', p, hflip));
}

/**
 * Mirrors the image top-bottom with probability p (default 0.5), as torchvision's
 * RandomVerticalFlip; one draw per call.
 */
export function randomVerticalFlip(p = 0.5): Transform {
  return madeBy('randomVerticalFlip', [p], randomly('randomVerticalFlip', p, vflip));
}

/** Applies f with probability p; always draws once, so the stream does not depend on p. */
export function randomly(op: string, p: number, f: (x: Tensor) => Tensor): Transform {
  checkNumber(op, 'probability p', p, { min: 0, max: 1 });
  return (x, rng) => (rng.random() < p ? f(x) : x);
}
