// A small synthetic dataset in the Fashion-MNIST file format, for tests of the training job
// that must not need the real data.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Generator } from '@tensorgrad/core';
import { encodeIdx } from '@tensorgrad/data';

/** Class k is a bright horizontal band at rows 2k..2k+5 plus noise: learnable in a few steps. */
export function writeSyntheticFashionMnist(dir: string, trainCount: number, testCount: number): void {
  const rng = new Generator(123);
  const write = (prefix: string, n: number): void => {
    const images = new Uint8Array(n * 28 * 28);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const k = rng.randint(0, 10);
      labels[i] = k;
      for (let p = 0; p < 784; p++) {
        const row = Math.floor(p / 28);
        images[i * 784 + p] = Math.min(255, (row >= 2 * k + 2 && row < 2 * k + 6 ? 200 : 0) + rng.randint(0, 40));
      }
    }
    writeFileSync(join(dir, `${prefix}-images-idx3-ubyte.gz`), encodeIdx({ type: 'uint8', shape: [n, 28, 28], data: images }, { gzip: true }));
    writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte.gz`), encodeIdx({ type: 'uint8', shape: [n], data: labels }, { gzip: true }));
  };
  write('train', trainCount);
  write('t10k', testCount);
}
