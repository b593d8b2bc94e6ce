import { DataLoader, TensorDataset, compose, randomCrop, randomHorizontalFlip } from '@tensorgrad/data';
import { rand } from '@tensorgrad/core';
const t0 = performance.now();
const loader = new DataLoader(new TensorDataset(rand([64, 1, 8, 8]), new Int32Array(64)), { batchSize: 8, shuffle: true, transform: compose(randomCrop(8, { padding: 1 }), randomHorizontalFlip()) }).prefetch({ workers: 2, depth: 3 });
loader.batch(0, 0); console.log('b0', performance.now() - t0); loader.batch(0, 1);
for await (const b of loader) break;
console.log('loop', performance.now() - t0);
loader.batch(0, 5);
console.log('done', loader.prefetchWorkers, performance.now() - t0);
