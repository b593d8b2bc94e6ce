// One training run of the page, a step at a time: the training job's computation (session.ts
// of @tensorgrad/examples: same data order, augmentation, model, optimizer and schedule) with a
// step cursor, evaluations, predictions and checkpoints as safetensors bytes. The worker drives
// it in the browser; the browser test drives this same code in Node and compares.
import { noGrad } from '@tensorgrad/core';
import { DataLoader, subset } from '@tensorgrad/data';
import { type Training, argmaxRows, buildTraining, evaluate, testTransform, trainStep, type ImageDataset } from '@tensorgrad/examples/train/session';
import { checkpointToBytes, decodeSafetensors, loadCheckpointFromBytes } from '@tensorgrad/nn';
import type { PageConfig } from './config.js';

export interface Datasets {
  train: ImageDataset;
  test: ImageDataset;
}

export interface StepRecord {
  /** Steps done after this one (1 for the first). */
  step: number;
  epoch: number;
  loss: number;
  /** Images of the batch classified right, and the batch size. */
  correct: number;
  size: number;
  /** Learning rate the step used. */
  lr: number;
}

export interface EvalRecord {
  step: number;
  loss: number;
  accuracy: number;
}

export interface Predictions {
  step: number;
  /** The first `count` test images, 28×28 uint8 each, row after row. */
  pixels: Uint8Array;
  labels: Int32Array;
  predicted: Int32Array;
  /** [count, 10] logits of the model in eval mode. */
  logits: Float32Array;
}

/** What a page checkpoint holds besides model, optimizer and schedule state. */
interface PageMetadata {
  page: 'tensorgrad-web';
  config: PageConfig;
  step: number;
  dropoutRng: number[];
  losses: number[];
  evals: EvalRecord[];
}

export class PageTraining {
  step = 0;
  readonly losses: number[] = [];
  readonly evals: EvalRecord[] = [];
  readonly training: Training;
  #order: { epoch: number; indices: Int32Array } | null = null;

  constructor(readonly config: PageConfig, readonly datasets: Datasets) {
    this.training = buildTraining(config, datasets);
  }

  /** A run continued from a page checkpoint (its own config; the same datasets). */
  static fromCheckpoint(bytes: Uint8Array, datasets: Datasets): PageTraining {
    const text = decodeSafetensors(bytes).metadata['tensorgrad.metadata'];
    const saved = text === undefined ? undefined : (JSON.parse(text) as Partial<PageMetadata>);
    if (saved?.page !== 'tensorgrad-web' || saved.config === undefined) {
      throw new Error('this file is not a checkpoint of the training page (no page metadata); it may be a checkpoint of the Node job or another model');
    }
    const run = new PageTraining(saved.config, datasets);
    const { model, optimizer, scheduler } = run.training;
    const meta = loadCheckpointFromBytes(bytes, { model, optimizer, scheduler }) as unknown as PageMetadata;
    run.step = meta.step;
    run.training.dropoutRng.setState(meta.dropoutRng);
    run.losses.push(...meta.losses);
    run.evals.push(...meta.evals);
    return run;
  }

  get stepsPerEpoch(): number {
    return this.training.stepsPerEpoch;
  }

  get totalSteps(): number {
    return Math.min(this.config.maxSteps ?? Infinity, this.stepsPerEpoch * this.config.epochs);
  }

  get done(): boolean {
    return this.step >= this.totalSteps;
  }

  get trainImages(): number {
    return this.training.loaders.train.dataset.length;
  }

  get testImages(): number {
    return this.training.loaders.test.dataset.length;
  }

  /**
   * One training step on the next batch (batch step % stepsPerEpoch of epoch step / stepsPerEpoch:
   * the batches the Node job trains on, in its order), then an evaluation when one is due.
   */
  advance(): { record: StepRecord; evaluation?: EvalRecord } {
    if (this.done) throw new Error(`PageTraining.advance: all ${this.totalSteps} steps are done`);
    const { loaders, optimizer } = this.training;
    const epoch = Math.floor(this.step / this.stepsPerEpoch);
    if (this.#order?.epoch !== epoch) this.#order = { epoch, indices: loaders.train.order(epoch) };
    const batch = loaders.train.batch(epoch, this.step % this.stepsPerEpoch, this.#order.indices);
    const lr = optimizer.paramGroups[0]!.lr;
    const { loss, correct } = trainStep(this.training, batch);
    const size = batch.labels.size;
    batch.release();
    this.step++;
    this.losses.push(loss);
    const record: StepRecord = { step: this.step, epoch, loss, correct, size, lr };
    const every = this.config.evalEvery ?? this.stepsPerEpoch;
    return this.step % every === 0 || this.done ? { record, evaluation: this.evaluate() } : { record };
  }

  /** Loss and accuracy on the test images now (recorded in the history). */
  evaluate(): EvalRecord {
    const record = { step: this.step, ...evaluate(this.training.model, this.training.loaders.test) };
    const last = this.evals.at(-1);
    if (last?.step === this.step) this.evals[this.evals.length - 1] = record;
    else this.evals.push(record);
    return record;
  }

  /** The model's classes for the first `count` test images (eval mode, no recording). */
  predictions(count = 32): Predictions {
    const test = this.training.loaders.test.dataset;
    const n = Math.min(count, test.length);
    const loader = new DataLoader(subset(test, Array.from({ length: n }, (_, i) => i)), { batchSize: n, transform: testTransform() });
    const batch = loader.batch(0, 0);
    const model = this.training.model.eval();
    const logits = noGrad(() => model.invoke(batch.inputs));
    const pixels = new Uint8Array(n * 784);
    for (let i = 0; i < n; i++) pixels.set(test.get(i).input.data, i * 784);
    return { step: this.step, pixels, labels: batch.labels.data as Int32Array, predicted: argmaxRows(logits), logits: Float32Array.from(logits.data) };
  }

  /** The run as safetensors bytes: the bytes nn's saveCheckpoint writes in Node for this state. */
  checkpoint(): Uint8Array {
    const { model, optimizer, scheduler, dropoutRng } = this.training;
    const metadata: PageMetadata = { page: 'tensorgrad-web', config: this.config, step: this.step, dropoutRng: dropoutRng.getState(), losses: this.losses, evals: this.evals };
    return checkpointToBytes({ model, optimizer, scheduler, metadata: metadata as never });
  }
}
