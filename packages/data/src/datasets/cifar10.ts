// CIFAR-10 from the bytes of its binary batches: runs in browsers (cifar10-node.ts reads the
// batch files of a directory for the node entry).
import { ArgumentError } from '@tensorgrad/core';
import { checkBytes, show } from '../check.js';
import { DataError } from '../errors.js';
import { ImageArrayDataset } from './image-array.js';

/** CIFAR-10's ten class names, by label. */
export const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'] as const;

const SIDE = 32;
const PLANE = SIDE * SIDE;
const RECORD = 1 + 3 * PLANE;

/**
 * Parses CIFAR-10 binary batches: records of one label byte then 3072 pixel bytes, stored as
 * three 32x32 planes (R, G, B). Images are converted to HWC here, once, so they follow the
 * RawImage convention of every other reader.
 */
export function parseCifar10(batches: ReadonlyArray<{ bytes: Uint8Array; source: string }>): ImageArrayDataset {
  if (!Array.isArray(batches) || batches.length === 0) throw new ArgumentError(`parseCifar10: batches must be a non-empty array of { bytes, source }, got ${show(batches)}`);
  batches.forEach((b, i) => checkBytes('parseCifar10', `batches[${i}].bytes`, b?.bytes));
  let total = 0;
  for (const { bytes, source } of batches) {
    if (bytes.length === 0 || bytes.length % RECORD !== 0) {
      throw new DataError(`cifar10: ${source} has ${bytes.length} bytes, not a positive multiple of the ${RECORD}-byte record (truncated or not a CIFAR-10 binary batch)`);
    }
    total += bytes.length / RECORD;
  }
  const pixels = new Uint8Array(total * 3 * PLANE);
  const labels = new Uint8Array(total);
  let n = 0;
  for (const { bytes, source } of batches) {
    for (let r = 0; r < bytes.length; r += RECORD, n++) {
      const label = bytes[r]!;
      if (label >= CIFAR10_CLASSES.length) {
        throw new DataError(`cifar10: ${source} record ${r / RECORD} has label ${label}, expected 0..9 (corrupt file or not CIFAR-10)`);
      }
      labels[n] = label;
      const out = n * 3 * PLANE;
      for (let p = 0; p < PLANE; p++) {
        pixels[out + 3 * p] = bytes[r + 1 + p]!;
        pixels[out + 3 * p + 1] = bytes[r + 1 + PLANE + p]!;
        pixels[out + 3 * p + 2] = bytes[r + 1 + 2 * PLANE + p]!;
      }
    }
  }
  return new ImageArrayDataset(pixels, labels, SIDE, SIDE, 3, CIFAR10_CLASSES);
}
