// DataLoader.prefetch with real worker threads (Node's default factory, set by the node entry).
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { ArgumentError, Generator, Tensor } from '@tensorgrad/core';
import { TensorDataset } from '../dataset.js';
import { ImageArrayDataset } from '../datasets/image-array.js';
import '../node.js';
import { randomAffine } from '../transforms/affine.js';
import { randomCrop } from '../transforms/crop.js';
import { randomErasing } from '../transforms/erasing.js';
import { randomHorizontalFlip } from '../transforms/flip.js';
import { normalize } from '../transforms/normalize.js';
import { toTensor } from '../transforms/to-tensor.js';
import { compose } from '../transforms/transform.js';
import { type Batch, DataLoader } from './data-loader.js';
import { type PrefetchWorkerFactory, defaultPrefetchWorker } from './prefetcher.js';

/** n random 28x28 grey images with labels 0..9. */
function randomImages(n: number): ImageArrayDataset {
  const g = new Generator(11);
  const pixels = Uint8Array.from({ length: n * 28 * 28 }, () => g.randint(0, 256));
  return new ImageArrayDataset(pixels, Uint8Array.from({ length: n }, () => g.randint(0, 10)), 28, 28, 1);
}

// Several random transforms, so each sample makes many draws from its generator.
const augment = compose(
  toTensor(), randomCrop(28, { padding: 2 }), randomHorizontalFlip(), randomAffine({ degrees: 10, translate: [0.1, 0.1] }),
  randomErasing({ p: 0.5 }), normalize([0.286], [0.353]),
);
const options = { batchSize: 32, shuffle: true, seed: 2024, transform: augment };

/** A batch's bits: inputs, shape, labels, indices, position. */
function fingerprint(b: Batch): string {
  const h = createHash('sha256');
  for (const a of [b.inputs.data, b.labels.data, b.indices]) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return `${b.epoch}/${b.index} ${b.inputs.shape.join('x')} ${h.digest('hex')}`;
}

/** Node's default worker factory, counting the threads that are running (started and not yet exited). */
function countingWorkers(): { factory: PrefetchWorkerFactory; live: () => number } {
  const node = defaultPrefetchWorker()!;
  let live = 0;
  const factory: PrefetchWorkerFactory = () => {
    const worker = node();
    live++;
    return {
      ...worker,
      terminate: async () => {
        await worker.terminate();
        live--;
      },
    };
  };
  return { factory, live: () => live };
}

describe('DataLoader.prefetch (worker threads)', function () {
  this.timeout(120_000);
  const dataset = randomImages(200); // 7 batches of 32 per epoch, the last of 8
  const reference = new DataLoader(dataset, options);
  const expected = (epochs: number): string[] =>
    Array.from({ length: epochs }, (_, e) => Array.from(reference.batches(e), fingerprint)).flat();

  it('gives the in-thread batches bit for bit over 3 augmented epochs: batch() as the Trainer calls it, for...of and for await', async () => {
    const want = expected(3);
    const { factory, live } = countingWorkers();
    const loader = new DataLoader(dataset, options).prefetch({ workers: 2, worker: factory });
    const got: string[] = [];
    for (let e = 0; e < 3; e++) {
      const order = loader.order(e);
      for (let i = 0; i < loader.length; i++) {
        const b = loader.batch(e, i, order);
        got.push(fingerprint(b));
        b.release();
        // A worker's buffer went back to it: this thread's view is detached, not overwritten.
        expect(b.inputs.data.length).to.equal(0);
      }
    }
    expect(got).to.deep.equal(want);
    expect(loader.prefetchWorkers).to.equal(2);
    expect(live()).to.equal(2);
    // The loops over the loader: one epoch each (each loop stops the workers at its end).
    loader.epoch = 1;
    const looped = Array.from(loader, fingerprint); // batches kept, not released
    expect(looped).to.deep.equal(want.slice(7, 14));
    expect(loader.epoch).to.equal(2);
    await loader.close();
    expect(live()).to.equal(0);
    const awaited: string[] = [];
    for await (const b of loader) {
      awaited.push(fingerprint(b));
      b.release();
    }
    expect(awaited).to.deep.equal(want.slice(14));
    expect(loader.epoch).to.equal(3);
    expect(loader.prefetchWorkers).to.equal(0);
    expect(live()).to.equal(0);
  });

  it('keeps the order with depth 1 to 4, also after a jump (resume mid-epoch), and never overwrites a batch the consumer keeps', async () => {
    const want = expected(3);
    for (const depth of [1, 2, 3, 4]) {
      const loader = new DataLoader(dataset, options).prefetch({ depth });
      const kept: Batch[] = [];
      for (let e = 0; e < 2; e++) for (let i = 0; i < loader.length; i++) kept.push(loader.batch(e, i, loader.order(e)));
      expect(kept.map(fingerprint), `depth ${depth}`).to.deep.equal(want.slice(0, 14));
      // A jump back to batch 3 of epoch 1 (the batches in flight are dropped), on into epoch 2.
      const jumped = [3, 4, 5, 6, 0, 1].map((i, j) => fingerprint(loader.batch(j < 4 ? 1 : 2, i)));
      expect(jumped, `depth ${depth}, jump`).to.deep.equal([...want.slice(10, 16)]);
      // In reverse order, so each request is a jump.
      expect([2, 1, 0].map((i) => fingerprint(loader.batch(0, i))), `depth ${depth}, backwards`).to.deep.equal(want.slice(0, 3).reverse());
      await loader.close();
      expect(loader.prefetchWorkers).to.equal(0);
    }
  });

  it('stops its workers when a loop breaks, and a process that never closes its loader exits', async () => {
    const { factory, live } = countingWorkers();
    const loader = new DataLoader(dataset, options).prefetch({ worker: factory });
    for await (const b of loader) {
      expect(fingerprint(b)).to.equal(fingerprint(reference.batch(0, 0)));
      break;
    }
    expect(loader.prefetchWorkers).to.equal(0);
    expect(live()).to.equal(0);
    expect(loader.epoch).to.equal(0);
    for (const b of loader) {
      expect(fingerprint(b)).to.equal(fingerprint(reference.batch(0, 0)));
      break;
    }
    expect(loader.prefetchWorkers).to.equal(0);
    // A child process that takes batches through batch() (workers left running) and breaks a loop, without close().
    const script = [
      "import { DataLoader, TensorDataset, compose, randomCrop, randomHorizontalFlip } from '@tensorgrad/data';",
      "import { rand } from '@tensorgrad/core';",
      'const loader = new DataLoader(new TensorDataset(rand([64, 1, 8, 8]), new Int32Array(64)), { batchSize: 8, shuffle: true, transform: compose(randomCrop(8, { padding: 1 }), randomHorizontalFlip()) }).prefetch({ workers: 2, depth: 3 });',
      'loader.batch(0, 0); loader.batch(0, 1);',
      'for await (const b of loader) break;',
      'loader.batch(0, 5);',
      "console.log('done', loader.prefetchWorkers);",
    ].join('\n');
    const child = spawnSync(process.execPath, ['--conditions=@tensorgrad/source', '--import=tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 90_000 });
    expect(child.stderr).to.equal('');
    expect(child.stdout.trim()).to.equal('done 2');
    expect(child.status).to.equal(0);
  });

  it('throws a worker\'s error here with its message and class, and stops the workers', async () => {
    // Every sample is 20x20, smaller than the crop: the transform throws in the worker.
    const small = new TensorDataset(new Tensor(new Float32Array(8 * 400), [8, 1, 20, 20]), new Int32Array(8));
    const transform = randomCrop(28);
    const inThread = (): unknown => new DataLoader(small, { batchSize: 4, transform }).batch(0, 0);
    expect(inThread).to.throw(ArgumentError);
    let message = '';
    try {
      inThread();
    } catch (error) {
      message = (error as Error).message;
    }
    const { factory, live } = countingWorkers();
    const loader = new DataLoader(small, { batchSize: 4, transform }).prefetch({ worker: factory });
    let thrown: unknown;
    try {
      loader.batch(0, 0);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).to.be.instanceOf(ArgumentError);
    expect((thrown as Error).message).to.equal(message);
    expect((thrown as Error).stack).to.contain('(thrown in a DataLoader prefetch worker)');
    expect(loader.prefetchWorkers).to.equal(0);
    thrown = undefined;
    try {
      for await (const b of loader) b.release();
    } catch (error) {
      thrown = error;
    }
    expect((thrown as Error).message).to.equal(message);
    expect(loader.prefetchWorkers).to.equal(0);
    await loader.close(); // resolves when the workers stopped on the errors have stopped
    expect(live()).to.equal(0);
  });

  it('refuses bad options and a pipeline it cannot rebuild, naming the part', () => {
    expect(() => new DataLoader(dataset, options).prefetch({ depth: 0 })).to.throw(ArgumentError, /DataLoader.prefetch: depth/);
    expect(() => new DataLoader(dataset, options).prefetch({ worker: 2 } as never)).to.throw(ArgumentError, /worker/);
    expect(() => new DataLoader(dataset, { ...options, prefetch: { threads: 2 } as never })).to.throw(ArgumentError, /threads/);
    const transform = compose(toTensor(), (x: Tensor) => x);
    expect(() => new DataLoader(dataset, { batchSize: 4, transform, prefetch: {} })).to.throw(ArgumentError, /compose argument 2 \(an anonymous function\) was not made by a transform factory/);
  });
});
