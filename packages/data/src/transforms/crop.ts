import { ArgumentError, Tensor, checkNumber, checkOptions, optionKeys } from '@tensorgrad/core';
import { checkOneOf } from '../check.js';
import { chwImage, chwOf } from '../image.js';
import { hflip } from './flip.js';
import { type Size, sizeOf } from './size.js';
import type { Transform } from './transform.js';
import { madeBy } from './recipe.js';

/** How pixels outside the image are made up: a constant, the nearest edge, or a mirror image
 * that does not repeat the edge pixel (as numpy/PyTorch 'reflect'). */
export type PaddingMode = 'constant' | 'edge' | 'reflect';

/** How `pad`, `crop` and `randomCrop` make up pixels outside the image. */
export interface PadOptions {
  /**
   * 'constant' (default: `fill`), 'edge' (the nearest edge pixel) or 'reflect' (mirrored, without
   * repeating the edge).
   */
  paddingMode?: PaddingMode;
  /** The value of constant padding. Default 0. */
  fill?: number;
}
const PAD_OPTIONS = optionKeys<PadOptions>()(['paddingMode', 'fill']);
const PADDING_MODES: readonly PaddingMode[] = ['constant', 'edge', 'reflect'];

/** Options of `randomCrop` (torchvision's RandomCrop arguments). */
export interface RandomCropOptions extends PadOptions {
  /** Pixels added on every side before the window is drawn. Default 0. */
  padding?: number;
}
const RANDOM_CROP_OPTIONS = optionKeys<RandomCropOptions>()(['padding', 'paddingMode', 'fill']);

interface Padding {
  mode: PaddingMode;
  fill: number;
}

/** The checked padding options of `fn`, with their defaults. */
function paddingOf(fn: string, options: PadOptions | undefined, accepted: readonly string[] = PAD_OPTIONS): Padding {
  checkOptions(fn, options, accepted);
  const { paddingMode = 'constant', fill = 0 } = options ?? {};
  checkOneOf(fn, 'paddingMode', paddingMode, PADDING_MODES);
  checkNumber(fn, 'fill', fill);
  return { mode: paddingMode, fill };
}

/**
 * The height x width window whose top-left corner is (top, left); the window may reach outside
 * the image, where pixels come from the padding mode. Padding and cropping in one pass.
 */
export function crop(x: Tensor, top: number, left: number, height: number, width: number, options: PadOptions = {}): Tensor {
  chwOf('crop', x);
  checkNumber('crop', 'top', top, { integer: true });
  checkNumber('crop', 'left', left, { integer: true });
  checkNumber('crop', 'height', height, { integer: true, min: 1 });
  checkNumber('crop', 'width', width, { integer: true, min: 1 });
  return cropWindow(x, top, left, height, width, paddingOf('crop', options));
}

/** crop without the argument checks, for transforms that checked theirs when they were made. */
function cropWindow(x: Tensor, top: number, left: number, height: number, width: number, { mode, fill }: Padding): Tensor {
  const { c, h, w } = chwOf('crop', x);
  const rows = sourceIndices(top, height, h, mode);
  const cols = sourceIndices(left, width, w, mode);
  // Output columns [inLo, inHi) read the image directly: copied as one block per row.
  const inLo = Math.min(width, Math.max(0, -left));
  const inHi = Math.max(inLo, Math.min(width, w - left));
  const out = new Float32Array(c * height * width);
  for (let ch = 0, o = 0; ch < c; ch++) {
    for (let i = 0; i < height; i++, o += width) {
      const r = rows[i]!;
      if (r < 0) {
        out.fill(fill, o, o + width);
        continue;
      }
      const base = (ch * h + r) * w;
      out.set(x.data.subarray(base + left + inLo, base + left + inHi), o + inLo);
      for (let j = 0; j < inLo; j++) out[o + j] = cols[j]! < 0 ? fill : x.data[base + cols[j]!]!;
      for (let j = inHi; j < width; j++) out[o + j] = cols[j]! < 0 ? fill : x.data[base + cols[j]!]!;
    }
  }
  return chwImage(c, height, width, out);
}

/** For each output position, the source index along one axis, or -1 for constant fill. */
function sourceIndices(start: number, count: number, n: number, mode: PaddingMode): Int32Array {
  const idx = new Int32Array(count);
  const period = 2 * (n - 1);
  for (let k = 0; k < count; k++) {
    const s = start + k;
    if (s >= 0 && s < n) idx[k] = s;
    else if (mode === 'constant') idx[k] = -1;
    else if (mode === 'edge' || n === 1) idx[k] = s < 0 ? 0 : n - 1;
    else {
      const m = ((s % period) + period) % period;
      idx[k] = m < n ? m : period - m;
    }
  }
  return idx;
}

/** Pads every side by `padding` pixels. */
export function pad(padding: number, options: PadOptions = {}): Transform {
  checkNumber('pad', 'padding', padding, { integer: true, min: 0 });
  const mode = paddingOf('pad', options);
  return madeBy('pad', [padding, options], (x) => {
    const { h, w } = chwOf('pad', x);
    return cropWindow(x, -padding, -padding, h + 2 * padding, w + 2 * padding, mode);
  });
}

/**
 * A random size window of the image padded by `padding` on every side (the CIFAR recipe:
 * randomCrop(32, { padding: 4 })). Without padding this is AlexNet's patch extraction:
 * randomCrop(224) of a 256x256 image.
 */
export function randomCrop(size: Size, options: RandomCropOptions = {}): Transform {
  const [ch, cw] = sizeOf('randomCrop', size);
  const mode = paddingOf('randomCrop', options, RANDOM_CROP_OPTIONS);
  const padding = options.padding ?? 0;
  checkNumber('randomCrop', 'padding', padding, { integer: true, min: 0 });
  return madeBy('randomCrop', [size, options], (x, rng) => {
    const { h, w } = chwOf('randomCrop', x);
    if (h + 2 * padding < ch || w + 2 * padding < cw) {
      throw new ArgumentError(`randomCrop: crop ${ch}x${cw} is larger than the padded image ${h + 2 * padding}x${w + 2 * padding} (image ${h}x${w}, padding ${padding})`);
    }
    const top = rng.randint(0, h + 2 * padding - ch + 1) - padding;
    const left = rng.randint(0, w + 2 * padding - cw + 1) - padding;
    return cropWindow(x, top, left, ch, cw, mode);
  });
}

const ZERO_PADDING: Padding = { mode: 'constant', fill: 0 };

/** The central window (zero padded when the image is smaller), rounding as torchvision. */
export function centerCrop(size: Size): Transform {
  const [ch, cw] = sizeOf('centerCrop', size);
  return madeBy('centerCrop', [size], (x) => {
    const { h, w } = chwOf('centerCrop', x);
    return cropWindow(x, Math.round((h - ch) / 2), Math.round((w - cw) / 2), ch, cw, ZERO_PADDING);
  });
}

/** The four corner windows and the central one, stacked: [5, C, h, w] (test-time augmentation). */
export function fiveCrop(size: Size): Transform {
  const [ch, cw] = sizeOf('fiveCrop', size);
  return madeBy('fiveCrop', [size], (x) => stack(fiveCrops('fiveCrop', x, ch, cw)));
}

/** fiveCrop of the image and of its mirror image: [10, C, h, w] (AlexNet's ten test patches). */
export function tenCrop(size: Size): Transform {
  const [ch, cw] = sizeOf('tenCrop', size);
  return madeBy('tenCrop', [size], (x) => stack([...fiveCrops('tenCrop', x, ch, cw), ...fiveCrops('tenCrop', hflip(x), ch, cw)]));
}

function fiveCrops(op: string, x: Tensor, ch: number, cw: number): Tensor[] {
  const { h, w } = chwOf(op, x);
  if (ch > h || cw > w) throw new ArgumentError(`${op}: crop ${ch}x${cw} is larger than the image ${h}x${w}`);
  const corners: Array<[number, number]> = [[0, 0], [0, w - cw], [h - ch, 0], [h - ch, w - cw], [Math.round((h - ch) / 2), Math.round((w - cw) / 2)]];
  return corners.map(([top, left]) => cropWindow(x, top, left, ch, cw, ZERO_PADDING));
}

function stack(images: Tensor[]): Tensor {
  const first = images[0]!;
  const out = new Float32Array(first.size * images.length);
  images.forEach((img, i) => out.set(img.data, i * first.size));
  return new Tensor(out, [images.length, ...first.shape]);
}
