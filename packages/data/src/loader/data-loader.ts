import { ArgumentError, Generator, ShapeError, Tensor, checkNumber, checkOptions, formatShape, optionKeys, shapesEqual } from '@tensorgrad/core';
import { checkBoolean, checkDataset, checkFunction, show } from '../check.js';
import type { Dataset, Sample } from '../dataset.js';
import { describe } from '../image.js';
import type { Transform } from '../transforms/transform.js';
import type { Batch } from './batch.js';
import { BatchBuffers } from './batch-buffers.js';
import { nextTask } from './next-task.js';
import { describeDataset, describeTransform } from './portable.js';
import { type PrefetchWorkerFactory, Prefetcher, defaultPrefetchWorker } from './prefetcher.js';
import { AUGMENT_STREAM, MAX_KEY, SHUFFLE_STREAM, checkSeed, deriveSeed } from './seed.js';

/** Options of `DataLoader` (torch.utils.data.DataLoader's, plus seeding). */
export interface DataLoaderOptions<X> {
  /** Samples per batch (required). */
  batchSize: number;
  /** A new order every epoch, derived from (seed, epoch). Default false. */
  shuffle?: boolean;
  /** Seeds the shuffle and every augmentation draw. Default 0. */
  seed?: number;
  /** Drop the last batch when it is smaller than batchSize. Default false. */
  dropLast?: boolean;
  /** Per-sample transform to a Tensor (required unless the inputs already are Tensors). */
  transform?: Transform<X, Tensor>;
  /** Samples prepared between yields to the event loop while prefetching. Default 32. */
  prefetchSlice?: number;
  /** Build batches ahead in worker threads: as calling `loader.prefetch(options)`. */
  prefetch?: PrefetchOptions;
}
const DATA_LOADER_OPTIONS = optionKeys<DataLoaderOptions<unknown>>()(['batchSize', 'shuffle', 'seed', 'dropLast', 'transform', 'prefetchSlice', 'prefetch']);

/** Options of `DataLoader.prefetch`. */
export interface PrefetchOptions {
  /** Worker threads building batches. Default 1. */
  workers?: number;
  /** Batches built ahead of the one being consumed. Default 2. */
  depth?: number;
  /**
   * Starts one worker. Default in Node: a worker_threads worker (the node entry's); browsers have
   * no default: pass `() => fromWebWorker(new Worker(url, { type: 'module' }))` for a module
   * script that calls `serveDataWorker()`.
   */
  worker?: PrefetchWorkerFactory;
}
const PREFETCH_OPTIONS = optionKeys<PrefetchOptions>()(['workers', 'depth', 'worker']);

export type { Batch } from './batch.js';

/**
 * Batches a dataset: seeded shuffling, per-sample augmentation and collation. Sample i of
 * epoch e is transformed with a generator seeded from (seed, e, i), so every epoch draws new
 * augmentations and any epoch replays exactly from the seed alone.
 *
 * Iterating the loader itself (for...of or for await...of), or batches() / prefetched() without
 * an epoch, runs epoch `loader.epoch`. The counter advances (to that epoch + 1) only when the
 * iteration runs to its end: after the epoch's last batch, when the loop asks for the next one.
 * A loop that breaks, returns or throws before that leaves it unchanged, so the next iteration
 * runs the same epoch again from its first batch. Set `loader.epoch = k` to resume at epoch k.
 */
export class DataLoader<X = Tensor> implements Iterable<Batch>, AsyncIterable<Batch> {
  /**
   * The epoch iterating the loader runs next; advances when an iteration runs to its end (see
   * above); set it to resume at an epoch.
   */
  epoch = 0;
  /** As given in the options. */
  readonly batchSize: number;
  /** As given in the options (default false). */
  readonly shuffle: boolean;
  /** As given in the options (default 0). */
  readonly seed: number;
  /** As given in the options (default false). */
  readonly dropLast: boolean;
  private readonly transform: Transform<X, Tensor> | undefined;
  private readonly prefetchSlice: number;
  private readonly batchBuffers = new BatchBuffers();
  private prefetcher: Prefetcher | undefined;
  /** An order given to batch() found equal to this loader's (the Trainer passes order(epoch) back). */
  private checkedOrder: { epoch: number; order: Int32Array } | undefined;

  constructor(
    /** The samples to batch. */
    readonly dataset: Dataset<Sample<X>>,
    options: DataLoaderOptions<X>,
  ) {
    checkDataset('DataLoader', dataset);
    if (options === undefined) throw new ArgumentError(`DataLoader: options with at least batchSize are required; accepted: ${DATA_LOADER_OPTIONS.join(', ')}`);
    checkOptions('DataLoader', options, DATA_LOADER_OPTIONS);
    const { batchSize, shuffle = false, seed = 0, dropLast = false, transform, prefetchSlice = 32, prefetch } = options;
    checkNumber('DataLoader', 'batchSize', batchSize, { integer: true, min: 1 });
    checkBoolean('DataLoader', 'shuffle', shuffle);
    checkSeed('DataLoader', seed);
    checkBoolean('DataLoader', 'dropLast', dropLast);
    if (transform !== undefined) checkFunction('DataLoader', 'transform', transform);
    checkNumber('DataLoader', 'prefetchSlice', prefetchSlice, { integer: true, min: 1 });
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
    this.dropLast = dropLast;
    this.transform = transform;
    this.prefetchSlice = prefetchSlice;
    if (prefetch !== undefined) this.prefetch(prefetch);
  }

  /**
   * From now on, batches are built ahead in worker threads: while the consumer works on batch i,
   * workers build the next `depth` (i+1.., into the next epoch), so augmentation never runs on
   * the consumer's thread. Same batches, bit for bit: each worker rebuilds this loader (same
   * dataset, same transform factories and arguments, same seed). Applies to batch(), batches(),
   * prefetched() and the loops over the loader. Workers start with the first batch asked for;
   * close() stops them, as does the end, break or error of a loop over the loader, and an
   * error in a worker (thrown here with the worker's message). Parked workers never keep the
   * process alive. Throws, naming them, if the dataset or a transform cannot be rebuilt in a
   * worker. Returns the loader.
   */
  prefetch(options: PrefetchOptions = {}): this {
    checkOptions('DataLoader.prefetch', options, PREFETCH_OPTIONS);
    const { workers = 1, depth = 2, worker = defaultPrefetchWorker() } = options;
    checkNumber('DataLoader.prefetch', 'workers', workers, { integer: true, min: 1 });
    checkNumber('DataLoader.prefetch', 'depth', depth, { integer: true, min: 1 });
    if (worker === undefined) {
      throw new ArgumentError("DataLoader.prefetch: no worker factory: in browsers pass { worker: () => fromWebWorker(new Worker(url, { type: 'module' })) } for a module script that calls serveDataWorker()");
    }
    checkFunction('DataLoader.prefetch', 'worker', worker);
    const description = {
      type: 'init' as const,
      dataset: describeDataset('DataLoader.prefetch', this.dataset),
      transform: this.transform === undefined ? undefined : describeTransform('DataLoader.prefetch', this.transform),
      batchSize: this.batchSize, shuffle: this.shuffle, seed: this.seed, dropLast: this.dropLast,
    };
    void this.close();
    this.prefetcher = new Prefetcher(description, this.length, workers, depth, worker);
    return this;
  }

  /** Worker threads running for prefetch() now (0 when parked or off). */
  get prefetchWorkers(): number {
    return this.prefetcher?.running ?? 0;
  }

  /**
   * Stops the prefetch workers (prefetching stays on: the next batch starts them again); resolves
   * once they have stopped.
   */
  async close(): Promise<void> {
    await this.prefetcher?.close();
  }

  /** Batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** The dataset indices of an epoch, in visiting order. */
  order(epoch: number): Int32Array {
    checkEpoch(epoch);
    const n = this.dataset.length;
    if (this.shuffle) return new Generator(deriveSeed(this.seed, epoch, SHUFFLE_STREAM)).permutation(n);
    return Int32Array.from({ length: n }, (_, i) => i);
  }

  /**
   * Batch `index` of `epoch` (random access, e.g. to resume mid-epoch). `order` must be
   * `order(epoch)` (passed to save recomputing it) or another order of the dataset's indices.
   * Prefetching, the batch comes from the workers (waiting for it in Node); with another order,
   * or where the thread cannot wait (browsers) and it has not arrived, it is built here.
   */
  batch(epoch: number, index: number, order?: Int32Array): Batch {
    if (this.prefetcher !== undefined && this.isOwnOrder(epoch, order)) {
      this.checkPosition(epoch, index);
      const batch = this.prefetcher.takeSync(epoch, index);
      if (batch !== undefined) return batch;
    }
    const build = this.builder(epoch, index, order ?? this.order(epoch));
    build.step(build.size);
    return build.finish();
  }

  /**
   * The batches of one epoch, built on demand. Without `epoch`: epoch `loader.epoch`, which
   * advances when the iteration runs to its end (see the class comment).
   */
  batches(epoch?: number): IterableIterator<Batch> {
    return this.epochBatches(epoch ?? this.epoch, epoch === undefined);
  }

  private *epochBatches(epoch: number, advance: boolean): IterableIterator<Batch> {
    const order = this.prefetcher === undefined ? this.order(epoch) : undefined;
    try {
      for (let b = 0; b < this.length; b++) yield this.batch(epoch, b, order);
      if (advance) this.epoch = epoch + 1;
    } finally {
      void this.close();
    }
  }

  /**
   * The batches of one epoch, with batch i+1 prepared while the consumer works on batch i:
   * preparation runs in slices of `prefetchSlice` samples between turns of the event loop, so
   * it proceeds whenever the consumer awaits (I/O, a progress display, a worker). Without
   * `epoch`: epoch `loader.epoch`, advanced as batches() advances it.
   */
  prefetched(epoch?: number): AsyncIterableIterator<Batch> {
    return this.prefetchedBatches(epoch ?? this.epoch, epoch === undefined);
  }

  private async *prefetchedBatches(epoch: number, advance: boolean): AsyncIterableIterator<Batch> {
    if (this.prefetcher !== undefined) {
      checkEpoch(epoch);
      try {
        for (let b = 0; b < this.length; b++) yield await this.prefetcher.take(epoch, b);
        if (advance) this.epoch = epoch + 1;
      } finally {
        await this.close();
      }
      return;
    }
    const order = this.order(epoch);
    const count = this.length;
    const cancelled = { value: false };
    const start = (b: number): Promise<Batch> | null => {
      if (b >= count) return null;
      const p = this.buildAsync(epoch, b, order, cancelled);
      p.catch(() => {}); // rethrown where awaited; this keeps an abandoned prefetch from crashing the process
      return p;
    };
    let pending = start(0);
    try {
      for (let b = 0; pending !== null; b++) {
        const batch: Batch = await pending;
        pending = start(b + 1);
        yield batch;
      }
      if (advance) this.epoch = epoch + 1;
    } finally {
      cancelled.value = true;
    }
  }

  /**
   * `for (const batch of loader)`: the batches of epoch `loader.epoch`, built synchronously (as
   * batches()).
   */
  [Symbol.iterator](): IterableIterator<Batch> {
    return this.batches();
  }

  /**
   * `for await (const batch of loader)`: the batches of epoch `loader.epoch`, the next one prepared
   * while the loop awaits (as prefetched()).
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<Batch> {
    return this.prefetched();
  }

  private async buildAsync(epoch: number, index: number, order: Int32Array, cancelled: { value: boolean }): Promise<Batch> {
    const build = this.builder(epoch, index, order);
    while (build.step(this.prefetchSlice)) {
      await nextTask();
      if (cancelled.value) throw new Error('DataLoader: prefetch abandoned');
    }
    return build.finish();
  }

  private checkPosition(epoch: number, index: number): void {
    checkEpoch(epoch);
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new ArgumentError(`DataLoader.batch: index must be an integer in [0, ${this.length}), got ${index}`);
    }
  }

  /** Whether `order` (undefined: the loader's own) is order(epoch), so the workers' batches are the ones asked for. */
  private isOwnOrder(epoch: number, order: Int32Array | undefined): boolean {
    if (order === undefined || (this.checkedOrder?.order === order && this.checkedOrder.epoch === epoch)) return true;
    const own = this.order(epoch);
    if (own.length !== order.length || own.some((v, i) => v !== order[i])) return false;
    this.checkedOrder = { epoch, order };
    return true;
  }

  /** Incremental construction of one batch: step(k) adds up to k samples, false when done. */
  private builder(epoch: number, index: number, order: Int32Array) {
    this.checkPosition(epoch, index);
    const indices = order.slice(index * this.batchSize, Math.min((index + 1) * this.batchSize, order.length));
    const size = indices.length;
    const labels = new Int32Array(size);
    const rng = new Generator();
    let buffer: Float32Array | null = null;
    let sampleShape: readonly number[] = [];
    let done = 0;
    const step = (k: number): boolean => {
      for (const end = Math.min(size, done + k); done < end; done++) {
        const i = indices[done]!;
        const sample = this.dataset.get(i);
        rng.manualSeed(deriveSeed(this.seed, epoch, AUGMENT_STREAM, i));
        const x = this.transform ? this.transform(sample.input, rng) : sample.input;
        if (!(x instanceof Tensor)) {
          throw new ArgumentError(`DataLoader: sample ${i} became ${describe(x)}, expected a Tensor; give a transform ending in one (e.g. toTensor())`);
        }
        if (buffer === null) {
          sampleShape = x.shape;
          buffer = this.batchBuffers.take(size * x.size);
        } else if (!shapesEqual(x.shape, sampleShape)) {
          throw new ShapeError(`DataLoader: sample ${i} has shape ${formatShape(x.shape)} but earlier samples of the batch have ${formatShape(sampleShape)}; add a crop or resize`);
        }
        buffer.set(x.data, done * x.size);
        // An Int32Array would store 1.5 as 1 and 'cat' as 0 without a word.
        if (!Number.isInteger(sample.label) || Math.abs(sample.label) > 0x7fffffff) {
          throw new ArgumentError(`DataLoader: sample ${i} has label ${show(sample.label)}, expected an integer class index`);
        }
        labels[done] = sample.label;
      }
      return done < size;
    };
    const finish = (): Batch => {
      const data = buffer!;
      let released = false;
      return {
        inputs: new Tensor(data, [size, ...sampleShape]),
        labels: new Tensor(labels, [size]),
        indices,
        epoch,
        index,
        release: () => {
          if (!released) this.batchBuffers.giveBack(data);
          released = true;
        },
      };
    };
    return { size, step, finish };
  }
}

/** Epochs key the shuffle and augmentation seeds: 1.5 or -1 would silently alias another epoch. */
function checkEpoch(epoch: number): void {
  checkNumber('DataLoader', 'epoch', epoch, { integer: true, min: 0, max: MAX_KEY });
}

/** A prefetch worker's loader takes back a buffer its consumer released (loader/serve.ts). */
export function recycleBatchBuffer(loader: DataLoader<unknown>, buffer: Float32Array): void {
  loader['batchBuffers'].giveBack(buffer);
}
