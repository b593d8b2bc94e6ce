// CIFAR-10 read from a directory (Node only: the node entry exports it).
import { join } from 'node:path';
import { optionKeys } from '@tensorgrad/core';
import { parseCifar10 } from './cifar10.js';
import type { ImageArrayDataset } from './image-array.js';
import { readFileBytes } from './idx-node.js';
import { rootAndTrain } from './root-options.js';

/** Options of `cifar10` (Node). */
export interface Cifar10Options {
  /** The directory of the binary version: data_batch_1..5.bin and test_batch.bin. */
  root: string;
  /** The 50000 training images (true, the default) or the 10000 test images. */
  train?: boolean;
}
const CIFAR10_OPTIONS = optionKeys<Cifar10Options>()(['root', 'train']);

/** CIFAR-10 from the directory of the binary version (data_batch_1..5.bin, test_batch.bin). */
export function cifar10(options: Cifar10Options): ImageArrayDataset {
  const { root, train } = rootAndTrain('cifar10', options, CIFAR10_OPTIONS, true);
  const names = train ? [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`) : ['test_batch.bin'];
  return parseCifar10(names.map((name) => {
    const source = join(root!, name);
    return { bytes: readFileBytes('cifar10', source), source };
  }));
}
