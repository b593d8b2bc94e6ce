import { ArgumentError, type Tensor, checkNumber, checkOptions, optionKeys } from '@tensorgrad/core';
import { checkOneOf } from '../check.js';
import { chwImage, chwOf } from '../image.js';
import type { Transform } from './transform.js';
import { madeBy } from './recipe.js';

/**
 * ITU-R 601-2 luma of RGB pixel p of a CHW plane set: torchvision's rgb_to_grayscale for tensors,
 * whose red weight is 0.2989 (PIL's integer path uses 299/1000). The colour adjustments use it too.
 */
export function luma(x: ArrayLike<number>, plane: number, p: number): number {
  return 0.2989 * x[p]! + 0.587 * x[plane + p]! + 0.114 * x[2 * plane + p]!;
}

/** torchvision's colour transforms take 1 (grey) or 3 (RGB) channels; anything else is refused. */
export function greyOrRgb(op: string, x: Tensor): { c: 1 | 3; h: number; w: number } {
  const { c, h, w } = chwOf(op, x);
  if (c !== 1 && c !== 3) throw new ArgumentError(`${op}: image must have 1 or 3 channels (grey or RGB), got ${c}`);
  return { c, h, w };
}

/** Options of `grayscale`. */
export interface GrayscaleOptions {
  /** 1 (default): one grey channel; 3: the grey copied into three channels (r = g = b). */
  numOutputChannels?: 1 | 3;
}
const GRAYSCALE_OPTIONS = optionKeys<GrayscaleOptions>()(['numOutputChannels']);

/**
 * torchvision's Grayscale: the luma of an RGB image; a one-channel image is already grey (it is
 * copied, three times when 3 output channels are asked for, as torchvision's PIL path does).
 */
export function grayscale(options: GrayscaleOptions = {}): Transform {
  checkOptions('grayscale', options, GRAYSCALE_OPTIONS);
  const channels = options.numOutputChannels ?? 1;
  checkOneOf('grayscale', 'numOutputChannels', channels, [1, 3] as const);
  return madeBy('grayscale', [options], (x) => toGrey('grayscale', x, channels));
}

/** Options of `randomGrayscale`. */
export interface RandomGrayscaleOptions {
  /** Probability of converting. Default 0.1 (torchvision's). */
  p?: number;
}
const RANDOM_GRAYSCALE_OPTIONS = optionKeys<RandomGrayscaleOptions>()(['p']);

/**
 * torchvision's RandomGrayscale: with probability p, the grey image with as many channels as the
 * input (so a model's input shape does not change); one draw per call, whatever p.
 */
export function randomGrayscale(options: RandomGrayscaleOptions = {}): Transform {
  checkOptions('randomGrayscale', options, RANDOM_GRAYSCALE_OPTIONS);
  const p = options.p ?? 0.1;
  checkNumber('randomGrayscale', 'p', p, { min: 0, max: 1 });
  return madeBy('randomGrayscale', [options], (x, rng) => {
    const { c } = greyOrRgb('randomGrayscale', x); // checked on every call, not only when drawn
    return rng.random() < p ? toGrey('randomGrayscale', x, c) : x;
  });
}

function toGrey(op: string, x: Tensor, channels: 1 | 3): Tensor {
  const { c, h, w } = greyOrRgb(op, x);
  const plane = h * w;
  const out = new Float32Array(channels * plane);
  if (c === 1) out.set(x.data.subarray(0, plane));
  else for (let p = 0; p < plane; p++) out[p] = luma(x.data, plane, p);
  for (let ch = 1; ch < channels; ch++) out.copyWithin(ch * plane, 0, plane);
  return chwImage(channels, h, w, out);
}
