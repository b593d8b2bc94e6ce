// Loader throughput on Fashion-MNIST (60000 28x28 training images) with the flip + padded
// crop pipeline, batch 128. Run: npx tsx --conditions=@tensorgrad/source bench/loader.ts
import { DataLoader, compose, fashionMnist, randomCrop, randomHorizontalFlip, toTensor } from '@tensorgrad/data';

const EPOCHS = Number(process.env.EPOCHS ?? 5);
const padding = Number(process.env.PADDING ?? 4);

const t0 = performance.now();
const train = fashionMnist({ train: true });
console.log(`read ${train.length} images in ${(performance.now() - t0).toFixed(0)} ms`);

const transform = compose(toTensor(), randomHorizontalFlip(), randomCrop(28, { padding }));
const loader = new DataLoader(train, { batchSize: 128, shuffle: true, seed: 0, transform });

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(name: string, epoch: (k: number) => Promise<number>): Promise<void> {
  const rates: number[] = [];
  for (let k = 0; k < EPOCHS; k++) {
    const start = performance.now();
    const images = await epoch(k);
    rates.push(images / ((performance.now() - start) / 1000));
  }
  console.log(`${name.padEnd(34)} median ${median(rates).toFixed(0)} images/s  (epochs: ${rates.map((r) => r.toFixed(0)).join(', ')})`);
}

await measure('sync, batches kept', async (k) => {
  let n = 0;
  for (const b of loader.batches(k)) n += b.labels.size;
  return n;
});
await measure('sync, batches released', async (k) => {
  let n = 0;
  for (const b of loader.batches(k)) {
    n += b.labels.size;
    b.release();
  }
  return n;
});
await measure('prefetched (async), released', async (k) => {
  let n = 0;
  for await (const b of loader.prefetched(k)) {
    n += b.labels.size;
    b.release();
  }
  return n;
});
