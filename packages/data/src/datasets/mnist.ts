import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { optionKeys } from '@tensorgrad/core';
import { DataError } from '../errors.js';
import { ImageArrayDataset } from './image-array.js';
import { readIdx } from './idx.js';
import { rootAndTrain } from './root-options.js';

export interface MnistOptions {
  /** Directory holding the four IDX files (gzipped or not). Default: the Debian package's. */
  root?: string;
  /** The 60000 training images (true, the default) or the 10000 test images. */
  train?: boolean;
}
const MNIST_OPTIONS = optionKeys<MnistOptions>()(['root', 'train']);

export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

export const FASHION_MNIST_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
] as const;

/** Fashion-MNIST from `root` or from the Debian package dataset-fashion-mnist. */
export function fashionMnist(options: MnistOptions = {}): ImageArrayDataset {
  const { root, train } = rootAndTrain('fashionMnist', options, MNIST_OPTIONS, false);
  return readMnistFormat('fashionMnist', root ?? FASHION_MNIST_DIR, train, FASHION_MNIST_CLASSES, root === undefined);
}

/** MNIST digits from a directory holding the original IDX files. */
export function mnist(options: MnistOptions & { root: string }): ImageArrayDataset {
  const { root, train } = rootAndTrain('mnist', options, MNIST_OPTIONS, true);
  const digits = Array.from({ length: 10 }, (_, i) => String(i));
  return readMnistFormat('mnist', root!, train, digits, false);
}

/**
 * Reads `<prefix>-images-idx3-ubyte[.gz]` and `<prefix>-labels-idx1-ubyte[.gz]` (prefix
 * train or t10k) from a directory, as 28x28x1 uint8 images and their labels.
 */
function readMnistFormat(op: string, root: string, train: boolean, classes: readonly string[], isDefault: boolean): ImageArrayDataset {
  const prefix = train ? 'train' : 't10k';
  const names = [`${prefix}-images-idx3-ubyte`, `${prefix}-labels-idx1-ubyte`];
  const paths = names.map((name) => [join(root, name), join(root, `${name}.gz`)].find(existsSync));
  const missing = names.filter((_, i) => paths[i] === undefined);
  if (missing.length > 0) {
    const hint = isDefault ? ' (install the Debian package dataset-fashion-mnist, or pass { root } naming a directory that holds them)' : '';
    throw new DataError(`${op}: directory ${root} lacks ${missing.map((m) => `${m}[.gz]`).join(' and ')}${hint}`);
  }
  const [imagePath, labelPath] = paths as [string, string];
  const images = readIdx(imagePath);
  const labels = readIdx(labelPath);
  if (images.type !== 'uint8' || images.shape.length !== 3) {
    throw new DataError(`${op}: ${imagePath} must hold a uint8 array [N,H,W], got ${images.type} [${images.shape.join(',')}]`);
  }
  if (labels.type !== 'uint8' || labels.shape.length !== 1 || labels.shape[0] !== images.shape[0]) {
    throw new DataError(`${op}: ${labelPath} must hold ${images.shape[0]} uint8 labels, got ${labels.type} [${labels.shape.join(',')}]`);
  }
  const labelData = labels.data as Uint8Array;
  const bad = labelData.findIndex((l) => l >= classes.length);
  if (bad >= 0) throw new DataError(`${op}: ${labelPath} has label ${labelData[bad]} at index ${bad}, expected 0..${classes.length - 1}`);
  const [, h, w] = images.shape as [number, number, number];
  return new ImageArrayDataset(images.data as Uint8Array, labelData, h, w, 1, classes);
}
