// What the data path costs a training step, with and without worker prefetch: the main job's
// pipeline (Fashion-MNIST, random 28x28 crop of the image padded by 2, horizontal flip,
// normalise; batch 128, shuffled; as packages/examples/src/train/session.ts builds it), consumed
// as the Trainer does (loader.batch(epoch, i, order), release after the step) by a main thread
// that is busy for STEP_MS between batches (a spin loop standing in for forward + backward).
// Modes alternate, REPS times, so both see the same machine load.
// Run: npx tsx --conditions=@tensorgrad/source bench/prefetch.ts
import { DataLoader, compose, fashionMnist, normalize, randomCrop, randomHorizontalFlip, toTensor } from '@tensorgrad/data';

const STEP_MS = Number(process.env.STEP_MS ?? 280);
const STEPS = Number(process.env.STEPS ?? 25);
const REPS = Number(process.env.REPS ?? 3);
const WARMUP = 3;

const train = fashionMnist({ train: true });
const transform = () => compose(toTensor(), randomCrop(28, { padding: 2 }), randomHorizontalFlip(), normalize([0.286], [0.353]));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

/** Milliseconds the main thread spent getting each batch (after WARMUP steps), over STEPS steps from `first`. */
function run(loader: DataLoader<any>, first: number): number[] {
  const epoch = 0;
  const order = loader.order(epoch);
  const times: number[] = [];
  for (let s = 0; s < WARMUP + STEPS; s++) {
    const t0 = performance.now();
    const batch = loader.batch(epoch, first + s, order);
    const t = performance.now() - t0;
    if (s >= WARMUP) times.push(t);
    spin(STEP_MS);
    batch.release();
  }
  return times;
}

const modes: Record<string, number[]> = { 'in-thread': [], 'prefetch (1 worker, depth 2)': [] };
for (let rep = 0; rep < REPS; rep++) {
  const first = rep * (WARMUP + STEPS);
  modes['in-thread']!.push(...run(new DataLoader(train, { batchSize: 128, shuffle: true, seed: 1, transform: transform() }), first));
  const prefetched = new DataLoader(train, { batchSize: 128, shuffle: true, seed: 1, transform: transform() }).prefetch({ workers: 1, depth: 2 });
  modes['prefetch (1 worker, depth 2)']!.push(...run(prefetched, first));
  await prefetched.close();
}
console.log(`Fashion-MNIST, batch 128, main-job augmentation; a ${STEP_MS} ms busy step between batches; ${REPS} alternating runs of ${STEPS} steps`);
for (const [name, times] of Object.entries(modes)) {
  const m = median(times);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(`${name.padEnd(30)} data per batch: median ${m.toFixed(2)} ms, mean ${mean.toFixed(2)} ms, max ${Math.max(...times).toFixed(2)} ms` +
    ` = ${((100 * m) / (m + STEP_MS)).toFixed(2)}% of a step (median), ${((100 * mean) / (mean + STEP_MS)).toFixed(2)}% (mean)`);
}
