// The computation of the Fashion-MNIST training job, with no files and no Node built-ins: the
// data pipeline (seeded shuffle and augmentation), the model, optimizer and schedule built from
// the run's options, and the trainer options (@tensorgrad/train) that train and evaluate it. The
// Node job (run.ts) and the training page's worker (packages/web) both run this code, so one
// seed gives the same per-step losses in Node and in a browser.
import { type Device, Generator, type Tensor, argmax, cast, crossEntropy, equal, mean } from '@tensorgrad/core';
import {
  DataLoader, type Dataset, type RawImage, type Sample, type Transform, compose, normalize, randomCrop, randomHorizontalFlip, subset, toTensor,
} from '@tensorgrad/data';
import { Adam, CosineAnnealingLR, LinearLR, type LRScheduler, type Module, type Optimizer, SGD, SequentialLR, accuracy } from '@tensorgrad/nn';
import type { TrainerOptions } from '@tensorgrad/train';
import { buildModel } from './models.js';
import type { TrainOptions } from './options.js';

/** Mean and std of the Fashion-MNIST training pixels in [0, 1]. */
export const FASHION_MNIST_MEAN = 0.286;
export const FASHION_MNIST_STD = 0.353;

/** The options that define the computation (the rest only say where files go and what is shown). */
export type RunConfig = Pick<TrainOptions, 'model' | 'epochs' | 'batchSize' | 'lr' | 'optimizer' | 'weightDecay' | 'seed' | 'limitTrain' | 'limitTest'>;

export type ImageDataset = Dataset<Sample<RawImage>>;

export interface FashionMnistLoaders {
  train: DataLoader<RawImage>;
  test: DataLoader<RawImage>;
}

/**
 * Test images per batch. Not larger: 500-image batches make 50 MB activations, which the C
 * allocator maps fresh from the OS (page faults on every first touch) instead of reusing its heap;
 * evaluating in batches of 128 took 204 ms per 500 images against 243 ms (2 threads).
 */
const TEST_BATCH = 128;

/**
 * The job's loaders over the two datasets (the first limitTrain / limitTest images when given):
 * training batches shuffled per epoch from the seed, each image augmented with a random 28×28
 * crop of the image padded by 2 (translations of up to ±2 px) and a horizontal flip, then
 * normalised; test batches of TEST_BATCH, normalised only.
 */
export function fashionMnistLoadersFrom(
  datasets: { train: ImageDataset; test: ImageDataset },
  options: { batchSize: number; seed: number; limitTrain?: number | undefined; limitTest?: number | undefined },
): FashionMnistLoaders {
  const limit = (ds: ImageDataset, n?: number): ImageDataset =>
    n === undefined || n >= ds.length ? ds : subset(ds, Array.from({ length: n }, (_, i) => i));
  const augment = compose<RawImage, Tensor>(toTensor(), randomCrop(28, { padding: 2 }), randomHorizontalFlip(), normalizeFashionMnist());
  return {
    train: new DataLoader(limit(datasets.train, options.limitTrain), { batchSize: options.batchSize, shuffle: true, seed: options.seed, transform: augment }),
    test: new DataLoader(limit(datasets.test, options.limitTest), { batchSize: TEST_BATCH, transform: testTransform() }),
  };
}

const normalizeFashionMnist = (): Transform<Tensor, Tensor> => normalize([FASHION_MNIST_MEAN], [FASHION_MNIST_STD]);

/** What test images go through: to a tensor in [0, 1], then normalised. */
export const testTransform = (): Transform<RawImage, Tensor> => compose<RawImage, Tensor>(toTensor(), normalizeFashionMnist());

export interface Training {
  loaders: FashionMnistLoaders;
  model: Module<[Tensor], Tensor>;
  optimizer: Optimizer<any>;
  scheduler: LRScheduler;
  /** Draws the dropout masks; its state goes into checkpoints so a resume draws the same masks. */
  dropoutRng: Generator;
  stepsPerEpoch: number;
  /** Where the model is and trains. */
  device: Device;
}

/**
 * Everything a run needs, freshly initialised from the config's seed (on the CPU, so every device
 * starts from the same weights), with the model moved to `device` (WebGPU: after initWebGPU).
 */
export function buildTraining(config: RunConfig, datasets: { train: ImageDataset; test: ImageDataset }, device: Device = 'cpu'): Training {
  const loaders = fashionMnistLoadersFrom(datasets, config);
  const dropoutRng = new Generator(config.seed + 1);
  const model = buildModel(config.model, new Generator(config.seed), dropoutRng).to(device);
  const optimizer = config.optimizer === 'adam'
    ? new Adam(model.parameters(), { lr: config.lr, weightDecay: config.weightDecay })
    : new SGD(model.parameters(), { lr: config.lr, momentum: 0.9, nesterov: true, weightDecay: config.weightDecay });
  const stepsPerEpoch = loaders.train.length;
  return { loaders, model, optimizer, scheduler: makeScheduler(optimizer, stepsPerEpoch * config.epochs), dropoutRng, stepsPerEpoch, device };
}

/** Linear warm-up from lr/10 over the first 3% of steps, then cosine annealing to zero; stepped per batch. */
function makeScheduler(optimizer: Optimizer<any>, totalSteps: number): LRScheduler {
  const warm = Math.max(1, Math.round(totalSteps * 0.03));
  return new SequentialLR(optimizer, [new LinearLR(optimizer, 0.1, 1, warm), new CosineAnnealingLR(optimizer, Math.max(1, totalSteps - warm))], [warm]);
}

/**
 * What the job and the page give the Trainer: the training and test loaders, cross-entropy,
 * accuracy, the schedule stepped after every batch, the dropout generator (its state goes into
 * checkpoints, so a resumed run draws the same masks) and the device. The test images are the
 * validation.
 */
export function trainerOptions(t: Training, epochs: number): TrainerOptions {
  return {
    train: t.loaders.train, validation: t.loaders.test, optimizer: t.optimizer, scheduler: { scheduler: t.scheduler, interval: 'step' }, epochs,
    loss: (logits, labels) => crossEntropy(logits, labels), metrics: { accuracy: batchAccuracy }, generators: [t.dropoutRng], device: t.device,
  };
}

/**
 * nn's accuracy on the CPU (read synchronously); on a GPU the same fraction (argmax's first
 * maximum, as nn's) computed there as a tensor, which the trainer reads back with the loss.
 */
export function batchAccuracy(logits: Tensor, labels: Tensor): number | Tensor {
  return logits.device === 'cpu' ? accuracy(logits, labels) : mean(cast(equal(argmax(logits, 1), labels), 'float32'));
}
