// One training run of the page, a step at a time: the training job's computation (session.ts
// of @tensorgrad/examples: same data order, augmentation, model, optimizer and schedule) run by
// @tensorgrad/train's Trainer, stepped by the worker so it can pause, save and load between
// steps; evaluations every evalEvery steps, predictions, and checkpoints as bytes. On the CPU or
// on WebGPU (values read back asynchronously). The browser test drives this same code in Node
// and compares.
import { type Device, argmax, noGrad } from '@tensorgrad/core';
import { DataLoader, subset } from '@tensorgrad/data';
import { type ImageDataset, type Training, buildTraining, testTransform, trainerOptions } from '@tensorgrad/examples/train/session';
import { Trainer, type ValidationRecord, readCheckpointMetadata } from '@tensorgrad/train';
import type { PageConfig } from './config.js';

export interface Datasets {
  train: ImageDataset;
  test: ImageDataset;
}

export interface StepRecord {
  /** Steps done after this one (1 for the first). */
  step: number;
  /** From 0. */
  epoch: number;
  loss: number;
  /** Of the batch, and its size. */
  accuracy: number;
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

/** What a page checkpoint holds besides the trainer's state (TrainerOptions.metadata). */
interface PageMetadata {
  page: 'tensorgrad-web';
  config: PageConfig;
}

const evalRecord = (v: ValidationRecord): EvalRecord => ({ step: v.step, loss: v.values.loss, accuracy: v.values.accuracy! });

export class PageTraining {
  readonly training: Training;
  readonly trainer: Trainer;

  /** A fresh run on `device` (WebGPU: after initWebGPU). */
  constructor(readonly config: PageConfig, readonly datasets: Datasets, readonly device: Device = 'cpu') {
    this.training = buildTraining(config, datasets, device);
    const metadata: PageMetadata = { page: 'tensorgrad-web', config };
    this.trainer = new Trainer(this.training.model, {
      ...trainerOptions(this.training, config.epochs),
      ...(config.maxSteps === undefined ? {} : { maxSteps: config.maxSteps }),
      ...(config.evalEvery === undefined ? {} : { validateEvery: config.evalEvery }),
      metadata: metadata as never,
    });
  }

  /** A run on `device` continued from a page checkpoint (its own config; the same datasets). */
  static fromCheckpoint(bytes: Uint8Array, datasets: Datasets, device: Device = 'cpu'): PageTraining {
    let user: Partial<PageMetadata> | undefined;
    try {
      user = readCheckpointMetadata(bytes).user as Partial<PageMetadata> | undefined;
    } catch {
      user = undefined;
    }
    if (user?.page !== 'tensorgrad-web' || user.config === undefined) {
      throw new Error('this file is not a checkpoint of the training page (no page metadata); it may be a checkpoint of the Node job or another model');
    }
    const run = new PageTraining(user.config, datasets, device);
    run.trainer.load(bytes);
    return run;
  }

  get step(): number {
    return this.trainer.stepsDone;
  }

  /** The loss of every step so far (a loaded checkpoint brings its earlier ones). */
  get losses(): number[] {
    return this.trainer.steps.loss;
  }

  get evals(): EvalRecord[] {
    return this.trainer.validations.map(evalRecord);
  }

  get stepsPerEpoch(): number {
    return this.trainer.stepsPerEpoch;
  }

  get totalSteps(): number {
    return this.trainer.totalSteps;
  }

  get done(): boolean {
    return this.trainer.done;
  }

  get trainImages(): number {
    return this.training.loaders.train.dataset.length;
  }

  get testImages(): number {
    return this.training.loaders.test.dataset.length;
  }

  /** One training step on the next batch (the Node job's batches, in its order), with the evaluation if one fell due. */
  async advance(): Promise<{ record: StepRecord; evaluation?: EvalRecord }> {
    const r = await this.trainer.step();
    const record: StepRecord = { step: r.step, epoch: r.epoch - 1, loss: r.values.loss, accuracy: r.values.accuracy!, size: r.samples, lr: r.lr };
    const last = this.trainer.validations.at(-1);
    return last?.step === this.step ? { record, evaluation: evalRecord(last) } : { record };
  }

  /** The model's classes for the first `count` test images (eval mode, no recording). */
  async predictions(count = 32): Promise<Predictions> {
    const test = this.training.loaders.test.dataset;
    const n = Math.min(count, test.length);
    const loader = new DataLoader(subset(test, Array.from({ length: n }, (_, i) => i)), { batchSize: n, transform: testTransform() });
    const batch = loader.batch(0, 0);
    const model = this.training.model.eval();
    const step = this.step;
    const logits = noGrad(() => model.invoke(batch.inputs.to(this.device)));
    const [predicted, values] = await Promise.all([argmax(logits, 1).dataAsync(), logits.dataAsync()]);
    const pixels = new Uint8Array(n * 784);
    for (let i = 0; i < n; i++) pixels.set(test.get(i).input.data, i * 784);
    return { step, pixels, labels: batch.labels.data as Int32Array, predicted: predicted as Int32Array, logits: Float32Array.from(values) };
  }

  /** The run as checkpoint bytes (nn's format, with the trainer's state): what a Node Trainer writes for this state. */
  checkpoint(): Promise<Uint8Array> {
    return this.trainer.checkpointAsync();
  }
}
