// A grid of augmented Fashion-MNIST samples: each row one image, first column the original,
// then independent draws of the training pipeline (crop of the padded image, flip, rotation,
// translation, colour jitter). Written as a PNG.
// pnpm --filter @tensorgrad/examples run example:augmentation-preview [-- --out FILE --data DIR --rows N --draws N]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Generator, type Tensor } from '@tensorgrad/core';
import {
  FASHION_MNIST_CLASSES, colorJitter, compose, fashionMnist, randomAffine, randomCrop, randomHorizontalFlip, toTensor,
} from '@tensorgrad/data';
import { gridPng } from './grid.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] ?? fallback : fallback;
};
const out = arg('--out', 'runs/augmentation-preview.png');
const rows = Number(arg('--rows', '8'));
const draws = Number(arg('--draws', '9'));
const root = process.argv.includes('--data') ? arg('--data', '') : undefined;

const data = fashionMnist(root === undefined ? { train: true } : { root, train: true });
const asTensor = toTensor();
const augment = compose<Tensor, Tensor>(
  randomCrop(28, { padding: 3 }),
  randomHorizontalFlip(),
  randomAffine({ degrees: 15, translate: [0.08, 0.08], scale: [0.9, 1.1] }),
  colorJitter({ brightness: 0.4, contrast: 0.4 }),
);
const rng = new Generator(2024);
const grid: Tensor[][] = [];
const labels: string[] = [];
for (let r = 0; r < rows; r++) {
  const sample = data.get(r * 997 % data.length);
  const original = asTensor(sample.input, rng);
  grid.push([original, ...Array.from({ length: draws }, () => augment(original, rng))]);
  labels.push(FASHION_MNIST_CLASSES[sample.label] ?? String(sample.label));
}
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, gridPng(grid, 3));
console.log(`wrote ${out}: ${rows} rows (${labels.join(', ')}), each the original then ${draws} augmented draws`);
console.log(JSON.stringify({ example: 'augmentation-preview', out, rows, draws }));
