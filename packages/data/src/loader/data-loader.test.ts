import { expect } from 'chai';
import { ArgumentError, Generator, ShapeError, Tensor, tensor } from '@tensorgrad/core';
import { TensorDataset } from '../dataset.js';
import { ImageArrayDataset } from '../datasets/image-array.js';
import type { RawImage } from '../image.js';
import { randomCrop } from '../transforms/crop.js';
import { randomHorizontalFlip } from '../transforms/flip.js';
import { type Transform, compose } from '../transforms/transform.js';
import { toTensor } from '../transforms/to-tensor.js';
import { type Batch, DataLoader } from './data-loader.js';
import { deriveSeed } from './seed.js';

/** n 1x4x4 images whose pixels all hold their own index, labels index mod 10. */
function indexImages(n: number): ImageArrayDataset {
  const pixels = new Uint8Array(n * 16);
  for (let i = 0; i < n; i++) pixels.fill(i, 16 * i, 16 * (i + 1));
  return new ImageArrayDataset(pixels, Uint8Array.from({ length: n }, (_, i) => i % 10), 4, 4, 1);
}

/** n 1x4x4 images without symmetry (pixel p of image i is 16 i + p mod 256), so flips and crops show. */
function patternImages(n: number): ImageArrayDataset {
  const pixels = Uint8Array.from({ length: n * 16 }, (_, q) => q % 256);
  return new ImageArrayDataset(pixels, new Uint8Array(n), 4, 4, 1);
}

const augment = compose(toTensor(), randomHorizontalFlip(), randomCrop(4, { padding: 2 }));
const flat = (batches: Iterable<Batch>): number[][] => Array.from(batches, (b) => Array.from(b.inputs.data));
const orderOf = (batches: Iterable<Batch>): number[] => Array.from(batches).flatMap((b) => Array.from(b.indices));

/** The transformed input of each dataset index in an epoch's batches. */
function rowsByIndex(batches: Iterable<Batch>): Map<number, number[]> {
  const rows = new Map<number, number[]>();
  for (const b of batches) {
    const size = b.inputs.size / b.indices.length;
    b.indices.forEach((i, k) => rows.set(i, Array.from(b.inputs.data.subarray(k * size, (k + 1) * size))));
  }
  return rows;
}

const sameValues = (a: number[], b: number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

describe('DataLoader', () => {
  const data = indexImages(25);

  it('collates NCHW float32 inputs and int32 labels', () => {
    const loader = new DataLoader(data, { batchSize: 8, transform: toTensor() });
    const b = loader.batch(0, 1);
    expect(b.inputs.shape).to.deep.equal([8, 1, 4, 4]);
    expect(b.inputs.dtype).to.equal('float32');
    expect(b.labels.dtype).to.equal('int32');
    expect(Array.from(b.labels.data)).to.deep.equal([8, 9, 0, 1, 2, 3, 4, 5]);
    expect(b.inputs.data[16 * 3]).to.be.closeTo(11 / 255, 1e-7);
  });

  it('visits each sample exactly once per epoch, with and without dropLast', () => {
    for (const dropLast of [false, true]) {
      const loader = new DataLoader(data, { batchSize: 4, shuffle: true, seed: 3, dropLast, transform: toTensor() });
      for (let epoch = 0; epoch < 3; epoch++) {
        const batches = [...loader];
        expect(batches.length).to.equal(dropLast ? 6 : 7).and.equal(loader.length);
        const seen = batches.flatMap((b) => Array.from(b.indices));
        // Pixels carry the index, so this checks the data as well as the bookkeeping.
        const fromPixels = batches.flatMap((b) => Array.from({ length: b.indices.length }, (_, k) => Math.round(b.inputs.data[16 * k]! * 255)));
        expect(fromPixels).to.deep.equal(seen);
        expect(new Set(seen).size).to.equal(seen.length);
        expect(seen.length).to.equal(dropLast ? 24 : 25);
        if (!dropLast) expect([...seen].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 25 }, (_, i) => i));
      }
      expect(loader.epoch).to.equal(3);
    }
  });

  it('gives equal batches for equal seeds and different ones for different seeds', () => {
    const make = (seed: number) => new DataLoader(data, { batchSize: 5, shuffle: true, seed, transform: augment });
    expect(flat(make(1).batches(0))).to.deep.equal(flat(make(1).batches(0)));
    expect(flat(make(1).batches(0))).to.not.deep.equal(flat(make(2).batches(0)));
  });

  it('shuffles each epoch into a new order of sample indices, and the same (seed, epoch) replays it', () => {
    // No augmentation: the orders themselves are compared, not pixels an augmentation would change anyway.
    const make = (seed: number) => new DataLoader(data, { batchSize: 4, shuffle: true, seed, transform: toTensor() });
    const loader = make(9);
    const epochs = [0, 1, 2, 3].map(() => orderOf(loader));
    const identity = Array.from({ length: 25 }, (_, i) => i);
    for (let e = 0; e < 4; e++) {
      expect([...epochs[e]!].sort((a, b) => a - b)).to.deep.equal(identity);
      expect(epochs[e], `epoch ${e} is not shuffled`).to.not.deep.equal(identity);
      for (let f = 0; f < e; f++) expect(epochs[e], `epochs ${f} and ${e} have the same order`).to.not.deep.equal(epochs[f]);
    }
    // A fresh loader replays any epoch directly, however it is asked for.
    const again = make(9);
    expect(orderOf(again.batches(2))).to.deep.equal(epochs[2]);
    expect(Array.from(again.order(1))).to.deep.equal(epochs[1]);
    again.epoch = 3;
    expect(orderOf(again)).to.deep.equal(epochs[3]);
    expect(orderOf(make(10).batches(0))).to.not.deep.equal(epochs[0]);
  });

  it('augments sample i of epoch e from (seed, e, i) alone: not its batch size, its position or the shuffle', async () => {
    const images = patternImages(25);
    const make = (batchSize: number, shuffle: boolean) => new DataLoader(images, { batchSize, shuffle, seed: 5, transform: augment });
    const byEpoch: Array<Map<number, number[]>> = [];
    for (const epoch of [0, 1, 3]) {
      const reference = rowsByIndex(make(4, false).batches(epoch));
      expect(reference.size).to.equal(25);
      for (const [batchSize, shuffle] of [[7, false], [4, true], [7, true], [25, true]] as const) {
        expect(rowsByIndex(make(batchSize, shuffle).batches(epoch)), `batch size ${batchSize}, shuffle ${shuffle}`).to.deep.equal(reference);
      }
      const dropped = rowsByIndex(new DataLoader(images, { batchSize: 7, shuffle: true, seed: 5, dropLast: true, transform: augment }).batches(epoch));
      expect(dropped.size).to.equal(21);
      for (const [i, row] of dropped) expect(row).to.deep.equal(reference.get(i));
      const prefetched: Batch[] = [];
      for await (const b of make(7, true).prefetched(epoch)) prefetched.push(b);
      expect(rowsByIndex(prefetched)).to.deep.equal(reference);
      // The documented formula: the generator of sample i is seeded from deriveSeed(seed, epoch, 1, i).
      for (const [i, row] of reference) {
        expect(row).to.deep.equal(Array.from(augment(images.get(i).input, new Generator(deriveSeed(5, epoch, 1, i))).data));
      }
      byEpoch.push(reference);
    }
    // New augmentations each epoch: flip x 25 crop offsets, so a sample repeats by chance about 1 time in 50.
    for (const [a, b] of [[0, 1], [0, 2], [1, 2]] as const) {
      const same = [...byEpoch[a]!].filter(([i, row]) => sameValues(row, byEpoch[b]!.get(i)!)).length;
      expect(same, `samples augmented alike in two epochs`).to.be.at.most(4);
    }
    // Every sample of every epoch gets a generator of its own: two draws from it are never repeated.
    const draws: Transform<RawImage, Tensor> = (_, rng) => new Tensor(Float32Array.of(rng.random(), rng.random()), [2]);
    const seen = new Set<string>();
    for (const epoch of [0, 1, 2]) {
      for (const b of new DataLoader(images, { batchSize: 4, shuffle: true, seed: 5, transform: draws }).batches(epoch)) {
        for (let k = 0; k < b.indices.length; k++) seen.add(`${b.inputs.data[2 * k]},${b.inputs.data[2 * k + 1]}`);
      }
    }
    expect(seen.size).to.equal(3 * 25);
  });

  it('without shuffling the order repeats but augmentations change, and the same seed replays them', () => {
    const ordered = new DataLoader(data, { batchSize: 25, seed: 9, transform: augment });
    expect(Array.from(ordered.batch(0, 0).indices)).to.deep.equal(Array.from(ordered.batch(1, 0).indices));
    expect(Array.from(ordered.batch(0, 0).inputs.data)).to.not.deep.equal(Array.from(ordered.batch(1, 0).inputs.data));
    const resumed = new DataLoader(data, { batchSize: 25, seed: 9, transform: augment });
    resumed.epoch = 1;
    expect(flat(resumed)).to.deep.equal(flat([ordered.batch(1, 0)]));
  });

  it('prefetching yields the same batches as synchronous iteration', async () => {
    const loader = new DataLoader(data, { batchSize: 4, shuffle: true, seed: 5, transform: augment, prefetchSlice: 3 });
    const prefetched: Batch[] = [];
    for await (const b of loader.prefetched(4)) {
      await new Promise((r) => setImmediate(r)); // the consumer yields, so the next batch is prepared meanwhile
      prefetched.push(b);
    }
    expect(flat(prefetched)).to.deep.equal(flat(loader.batches(4)));
  });

  it('prepares the next batch while the consumer awaits', async () => {
    let gets = 0;
    const counting = { length: data.length, get: (i: number) => (gets++, data.get(i)) };
    const loader = new DataLoader(counting, { batchSize: 8, transform: toTensor(), prefetchSlice: 2 });
    const it = loader.prefetched(0);
    await it.next();
    expect(gets).to.be.within(8, 15);
    // The consumer awaits timers (as it would a worker or I/O): batch 1 is built meanwhile.
    for (let k = 0; k < 200 && gets < 16; k++) await new Promise((r) => setTimeout(r, 1));
    await new Promise((r) => setTimeout(r, 5));
    expect(gets).to.equal(16); // batch 1 is ready before it is asked for, and no further
    await it.return?.(undefined);
  });

  it('prefetching yields to the event loop between slices, so timers and messages are not held up for a whole batch', async () => {
    let gets = 0;
    const busy = (ms: number): void => {
      for (const end = performance.now() + ms; performance.now() < end; );
    };
    const slow = { length: data.length, get: (i: number) => (gets++, busy(2), data.get(i)) };
    const loader = new DataLoader(slow, { batchSize: 8, transform: toTensor(), prefetchSlice: 1 });
    const it = loader.prefetched(0);
    await it.next(); // batch 1's preparation starts now: 8 samples of 2 ms, one per slice
    const seen = await new Promise<number>((resolve) => setTimeout(() => resolve(gets), 0));
    expect(seen).to.be.below(16); // a timer of 1 ms ran before batch 1 was complete
    await it.return?.(undefined);
  });

  it('an abandoned prefetch neither throws nor leaks into later epochs', async () => {
    const loader = new DataLoader(data, { batchSize: 4, transform: augment });
    for await (const b of loader) {
      expect(b.index).to.equal(0);
      break;
    }
    expect(loader.epoch).to.equal(0);
    await new Promise((r) => setTimeout(r, 5));
  });

  it('advances its epoch counter only when an iteration runs to its end, not when a loop breaks or throws', async () => {
    const loader = new DataLoader(data, { batchSize: 10, shuffle: true, seed: 2, transform: toTensor() });
    const epochsOf = (batches: Batch[]): number[] => batches.map((b) => b.epoch);
    // Broken after the last batch's body started: the loop did not run to its end.
    for (const b of loader) if (b.index === loader.length - 1) break;
    expect(loader.epoch).to.equal(0);
    expect(() => {
      for (const _ of loader) throw new Error('in the loop');
    }).to.throw('in the loop');
    expect(loader.epoch).to.equal(0);
    for await (const _ of loader) break;
    expect(loader.epoch).to.equal(0);
    // The next full iteration is epoch 0 from its first batch, then the counter moves on.
    expect(epochsOf([...loader])).to.deep.equal([0, 0, 0]);
    expect(loader.epoch).to.equal(1);
    const prefetched: Batch[] = [];
    for await (const b of loader) prefetched.push(b);
    expect(epochsOf(prefetched)).to.deep.equal([1, 1, 1]);
    expect(loader.epoch).to.equal(2);
    // An explicit epoch never touches the counter.
    expect(epochsOf([...loader.batches(7)])).to.deep.equal([7, 7, 7]);
    expect(loader.epoch).to.equal(2);
  });

  it('reuses a released buffer but never one the consumer still holds', () => {
    const loader = new DataLoader(data, { batchSize: 5, transform: toTensor() });
    const kept = loader.batch(0, 0);
    const copy = Array.from(kept.inputs.data);
    const released = loader.batch(0, 1);
    released.release();
    const next = loader.batch(0, 2);
    expect(next.inputs.data).to.equal(released.inputs.data);
    expect(next.inputs.data).to.not.equal(kept.inputs.data);
    loader.batch(0, 3);
    expect(Array.from(kept.inputs.data)).to.deep.equal(copy);
  });

  it('explains inputs that are not tensors and samples of different shapes', () => {
    expect(() => new DataLoader(data, { batchSize: 2 }).batch(0, 0)).to.throw(ArgumentError, 'sample 0 became RawImage 4x4x1, expected a Tensor');
    const ragged = { length: 2, get: (i: number) => ({ input: tensor(new Float32Array(i + 1)), label: 0 }) };
    expect(() => new DataLoader(ragged, { batchSize: 2 }).batch(0, 0)).to.throw(ShapeError, 'sample 1 has shape [2] but earlier samples of the batch have [1]');
    expect(() => new DataLoader(data, { batchSize: 0 })).to.throw(ArgumentError, 'DataLoader: batchSize must be a finite integer >= 1, got 0');
  });

  it('batches a TensorDataset without a transform', () => {
    const ds = new TensorDataset(tensor([[1, 2], [3, 4], [5, 6]]), [0, 1, 2]);
    const batches = [...new DataLoader<Tensor>(ds, { batchSize: 2 })];
    expect(batches.map((b) => b.inputs.shape)).to.deep.equal([[2, 2], [1, 2]]);
    expect(Array.from(batches[1]!.inputs.data)).to.deep.equal([5, 6]);
  });
});
