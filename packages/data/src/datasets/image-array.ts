import { ArgumentError, ShapeError } from '@tensorgrad/core';
import { checkBytes } from '../check.js';
import { type Dataset, type Sample, checkIndex } from '../dataset.js';
import type { RawImage } from '../image.js';

/**
 * N images of one size stored contiguously as HWC uint8 (how MNIST, Fashion-MNIST and CIFAR
 * are held in memory), with integer labels. get(i) returns a view of image i, not a copy.
 */
export class ImageArrayDataset implements Dataset<Sample<RawImage>> {
  /** Number of images (the number of labels). */
  readonly length: number;
  private readonly imageSize: number;

  constructor(
    /** All images' pixels, HWC uint8, image after image. */
    readonly pixels: Uint8Array,
    /** One class index per image. */
    readonly labels: Uint8Array | Int32Array,
    /** Image height in pixels. */
    readonly height: number,
    /** Image width in pixels. */
    readonly width: number,
    /** Channels per pixel (1 grey, 3 RGB). */
    readonly channels: number,
    /** Class names by index (empty when unknown). */
    readonly classes: readonly string[] = [],
  ) {
    checkBytes('ImageArrayDataset', 'pixels', pixels);
    if (![height, width, channels].every((s) => Number.isInteger(s) && s > 0)) {
      throw new ArgumentError(`ImageArrayDataset: height, width and channels must be positive integers, got ${height}x${width}x${channels}`);
    }
    this.imageSize = height * width * channels;
    this.length = labels.length;
    if (pixels.length !== this.length * this.imageSize) {
      throw new ShapeError(`ImageArrayDataset: ${labels.length} labels need ${this.length * this.imageSize} pixel bytes of ${height}x${width}x${channels} images, got ${pixels.length}`);
    }
  }

  /** Image `index` (a view of `pixels`, not a copy) with its label. */
  get(index: number): Sample<RawImage> {
    checkIndex('ImageArrayDataset.get', index, this.length);
    const start = index * this.imageSize;
    const data = this.pixels.subarray(start, start + this.imageSize);
    return { input: { data, height: this.height, width: this.width, channels: this.channels }, label: this.labels[index]! };
  }
}
