// MNIST-format datasets read from a directory (Node only: the node entry exports these).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { optionKeys } from '@tensorgrad/core';
import { DataError } from '../errors.js';
import { ImageArrayDataset } from './image-array.js';
import { readIdx } from './idx-node.js';
import { FASHION_MNIST_CLASSES, MNIST_CLASSES, mnistDataset, mnistFileNames } from './mnist.js';
import { rootAndTrain } from './root-options.js';

/** Options of `fashionMnist` / `mnist` (Node). */
export interface MnistOptions {
  /** Directory holding the four IDX files (gzipped or not). Default: the Debian package's. */
  root?: string;
  /** The 60000 training images (true, the default) or the 10000 test images. */
  train?: boolean;
}
const MNIST_OPTIONS = optionKeys<MnistOptions>()(['root', 'train']);

/** Where Debian's dataset-fashion-mnist package installs the files: fashionMnist's default root. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Fashion-MNIST from `root` or from the Debian package dataset-fashion-mnist. */
export function fashionMnist(options: MnistOptions = {}): ImageArrayDataset {
  const { root, train } = rootAndTrain('fashionMnist', options, MNIST_OPTIONS, false);
  return readMnistFormat('fashionMnist', root ?? FASHION_MNIST_DIR, train, FASHION_MNIST_CLASSES, root === undefined);
}

/** MNIST digits from a directory holding the original IDX files. */
export function mnist(options: MnistOptions & { root: string }): ImageArrayDataset {
  const { root, train } = rootAndTrain('mnist', options, MNIST_OPTIONS, true);
  return readMnistFormat('mnist', root!, train, MNIST_CLASSES, false);
}

/**
 * Reads `<prefix>-images-idx3-ubyte[.gz]` and `<prefix>-labels-idx1-ubyte[.gz]` (prefix
 * train or t10k) from a directory, as 28x28x1 uint8 images and their labels.
 */
function readMnistFormat(op: string, root: string, train: boolean, classes: readonly string[], isDefault: boolean): ImageArrayDataset {
  const names = mnistFileNames(train);
  const paths = names.map((name) => [join(root, name), join(root, `${name}.gz`)].find(existsSync));
  const missing = names.filter((_, i) => paths[i] === undefined);
  if (missing.length > 0) {
    const hint = isDefault ? ' (install the Debian package dataset-fashion-mnist, or pass { root } naming a directory that holds them)' : '';
    throw new DataError(`${op}: directory ${root} lacks ${missing.map((m) => `${m}[.gz]`).join(' and ')}${hint}`);
  }
  const [imagePath, labelPath] = paths as [string, string];
  return mnistDataset(op, readIdx(imagePath), readIdx(labelPath), classes, imagePath, labelPath);
}
