// Fashion-MNIST with the real-time augmentation of the training job: a random 28×28 crop of
// the image padded by 2 (translations of up to ±2 px) and a horizontal flip, then normalisation.
import type { Tensor } from '@tensorgrad/core';
import {
  DataLoader, type Dataset, type RawImage, type Sample, compose, fashionMnist, normalize, randomCrop, randomHorizontalFlip, subset, toTensor,
} from '@tensorgrad/data';

/** Mean and std of the Fashion-MNIST training pixels in [0, 1]. */
export const FASHION_MNIST_MEAN = 0.286;
export const FASHION_MNIST_STD = 0.353;

export interface FashionMnistLoaders {
  train: DataLoader<RawImage>;
  test: DataLoader<RawImage>;
}

export function fashionMnistLoaders(options: { root?: string; batchSize: number; seed: number; limitTrain?: number; limitTest?: number }): FashionMnistLoaders {
  const root = options.root === undefined ? {} : { root: options.root };
  const limit = (ds: Dataset<Sample<RawImage>>, n?: number): Dataset<Sample<RawImage>> =>
    n === undefined || n >= ds.length ? ds : subset(ds, Array.from({ length: n }, (_, i) => i));
  const trainSet = limit(fashionMnist({ ...root, train: true }), options.limitTrain);
  const testSet = limit(fashionMnist({ ...root, train: false }), options.limitTest);
  const norm = normalize([FASHION_MNIST_MEAN], [FASHION_MNIST_STD]);
  const augment = compose<RawImage, Tensor>(toTensor(), randomCrop(28, { padding: 2 }), randomHorizontalFlip(), norm);
  return {
    train: new DataLoader(trainSet, { batchSize: options.batchSize, shuffle: true, seed: options.seed, transform: augment }),
    test: new DataLoader(testSet, { batchSize: 500, transform: compose<RawImage, Tensor>(toTensor(), norm) }),
  };
}
