import { ArgumentError, Tensor, checkNumber, checkOptions, formatShape, optionKeys, portableExp, portableLog } from '@tensorgrad/core';
import { checkBoolean, checkNumbers, checkRange, show } from '../check.js';
import { chwImage, chwOf } from '../image.js';
import type { Transform } from './transform.js';
import { madeBy } from './recipe.js';

/** What fills an erased box: one number, one per channel, or a [C, height, width] tensor. */
export type EraseValue = number | readonly number[] | Tensor;

/** Options of `erase`. */
export interface EraseOptions {
  /** Write into `x` itself (and mark it modified) instead of a copy. Default false. */
  inplace?: boolean;
}
const ERASE_OPTIONS = optionKeys<EraseOptions>()(['inplace']);

/**
 * torchvision's erase: the box of `height` x `width` pixels at (top, left) of every channel set
 * to `value`. An empty box (height or width 0) changes nothing.
 */
export function erase(x: Tensor, top: number, left: number, height: number, width: number, value: EraseValue, options: EraseOptions = {}): Tensor {
  const { c, h, w } = chwOf('erase', x);
  checkOptions('erase', options, ERASE_OPTIONS);
  checkBoolean('erase', 'inplace', options.inplace ?? false);
  for (const [name, v] of [['top', top], ['left', left], ['height', height], ['width', width]] as const) {
    checkNumber('erase', name, v, { integer: true, min: 0 });
  }
  if (top + height > h || left + width > w) {
    throw new ArgumentError(`erase: box top ${top}, left ${left}, ${height}x${width} is not inside the ${h}x${w} image`);
  }
  const fill = fillOf(c, height, width, value);
  const target = options.inplace === true ? x : chwImage(c, h, w, new Float32Array(x.data));
  const out = target.data;
  for (let ch = 0; ch < c; ch++) {
    for (let i = 0; i < height; i++) {
      for (let j = 0; j < width; j++) out[(ch * h + top + i) * w + left + j] = fill(ch, i, j);
    }
  }
  return options.inplace === true ? x.markModified() : target;
}

/** The value of channel ch at (i, j) of the box, after checking `value` against the image. */
function fillOf(c: number, height: number, width: number, value: EraseValue): (ch: number, i: number, j: number) => number {
  if (typeof value === 'number') {
    checkNumber('erase', 'value', value);
    return () => value;
  }
  if (value instanceof Tensor) {
    if (value.shape.length !== 3 || value.shape[0] !== c || value.shape[1] !== height || value.shape[2] !== width) {
      throw new ArgumentError(`erase: a value tensor must have the box's shape [${c}, ${height}, ${width}], got ${formatShape(value.shape)}`);
    }
    const data = value.data;
    return (ch, i, j) => data[(ch * height + i) * width + j]!;
  }
  checkChannelValues('erase', value, c);
  return value.length === 1 ? () => value[0]! : (ch) => value[ch]!;
}

function checkChannelValues(op: string, value: readonly number[], c: number): void {
  checkNumbers(op, 'value', value);
  if (value.length !== 1 && value.length !== c) {
    throw new ArgumentError(`${op}: value must have 1 number or one per channel (${c}), got ${value.length}`);
  }
}

/** Options of `randomErasing` (torchvision's RandomErasing arguments and defaults). */
export interface RandomErasingOptions {
  /** Probability of erasing. Default 0.5. */
  p?: number;
  /** Range of the box's area as a fraction of the image's. Default [0.02, 0.33]. */
  scale?: readonly [number, number];
  /** Range of the box's height/width ratio (drawn log-uniformly). Default [0.3, 3.3]. */
  ratio?: readonly [number, number];
  /** One number (default 0), one per channel, or 'random': standard normal values per pixel. */
  value?: number | readonly number[] | 'random';
  /**
   * Write into the input (default false). Only for an input no one else holds, such as the fresh
   * output of toTensor: a TensorDataset's samples are views of its storage.
   */
  inplace?: boolean;
}
const RANDOM_ERASING_OPTIONS = optionKeys<RandomErasingOptions>()(['p', 'scale', 'ratio', 'value', 'inplace']);

/**
 * torchvision's RandomErasing (Zhong et al. 2017), for image tensors (after toTensor, before or
 * after normalize): with probability p, a box of random area and aspect ratio is erased. Up to 10
 * tries each draw an area fraction from `scale` and a ratio log-uniformly from `ratio`; the box is
 * round(√(area·ratio)) high and round(√(area/ratio)) wide and must be smaller than the image on
 * both sides; the first that fits is placed at a random position (after drawing the 'random'
 * values). When none fits, the image is returned unchanged.
 */
export function randomErasing(options: RandomErasingOptions = {}): Transform {
  checkOptions('randomErasing', options, RANDOM_ERASING_OPTIONS);
  const p = options.p ?? 0.5;
  checkNumber('randomErasing', 'p', p, { min: 0, max: 1 });
  const [smin, smax] = checkRange('randomErasing', 'scale', options.scale ?? [0.02, 0.33], { min: 0, max: 1 });
  const [rmin, rmax] = checkRange('randomErasing', 'ratio', options.ratio ?? [0.3, 3.3], { min: 0, minExclusive: true });
  const value = options.value ?? 0;
  if (typeof value === 'number') checkNumber('randomErasing', 'value', value);
  else if (value !== 'random') {
    if (typeof value === 'string' || !Array.isArray(value)) throw new ArgumentError(`randomErasing: value must be a number, an array of numbers or 'random', got ${show(value)}`);
    checkNumbers('randomErasing', 'value', value);
  }
  const inplace = options.inplace ?? false;
  checkBoolean('randomErasing', 'inplace', inplace);
  return madeBy('randomErasing', [options], (x, rng) => {
    const { c, h, w } = chwOf('randomErasing', x);
    if (Array.isArray(value)) checkChannelValues('randomErasing', value, c);
    if (rng.random() >= p) return x;
    for (let attempt = 0; attempt < 10; attempt++) {
      const area = h * w * rng.uniform(smin, smax);
      const ratio = portableExp(rng.uniform(portableLog(rmin), portableLog(rmax))); // Math's round differently in browsers
      const eh = Math.round(Math.sqrt(area * ratio));
      const ew = Math.round(Math.sqrt(area / ratio));
      if (!(eh < h && ew < w)) continue;
      const fill = value === 'random' ? chwImage(c, eh, ew, Float32Array.from({ length: c * eh * ew }, () => rng.normal())) : value;
      return erase(x, rng.randint(0, h - eh + 1), rng.randint(0, w - ew + 1), eh, ew, fill, { inplace });
    }
    return x;
  });
}
