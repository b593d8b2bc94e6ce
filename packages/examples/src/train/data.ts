// The training job's datasets, read from the four Fashion-MNIST IDX files in a directory (Node);
// the loaders over them are session.ts's, shared with the training page.
import { fashionMnist } from '@tensorgrad/data';
import type { ImageDataset } from './session.js';

/** Fashion-MNIST from `root` (default: the Debian package's directory). */
export function readFashionMnist(root?: string): { train: ImageDataset; test: ImageDataset } {
  const dir = root === undefined ? {} : { root };
  return { train: fashionMnist({ ...dir, train: true }), test: fashionMnist({ ...dir, train: false }) };
}
