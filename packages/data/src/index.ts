// @tensorgrad/data — datasets, a seeded data loader, and augmentation transforms.
// The main entry: runs in browsers and Node (datasets from bytes and URLs). Node resolves the
// package to node.ts instead, which adds files and directories (package.json's "node" condition).
// Image convention: readers produce RawImage (HWC uint8); toTensor makes CHW float32 in [0, 1];
// all other transforms take and return CHW float32 tensors; the loader collates NCHW float32.
export { DataError } from './errors.js';
export { type RawImage } from './image.js';
export { type Dataset, type Sample, TensorDataset, Subset, subset, randomSplit } from './dataset.js';

export { gunzip } from './datasets/gzip.js';
export { parseIdx, parseIdxAsync, encodeIdx, type EncodeIdxOptions, type IdxArray, type IdxType, type IdxData } from './datasets/idx.js';
export { ImageArrayDataset } from './datasets/image-array.js';
export {
  fashionMnistFromBytes, fashionMnistFromUrl, mnistFromBytes, mnistFromUrl, FASHION_MNIST_CLASSES, type MnistBytes, type MnistUrlOptions,
} from './datasets/mnist.js';
export { parseCifar10, CIFAR10_CLASSES } from './datasets/cifar10.js';
export { decodeImageAsync } from './datasets/decode.js';

export { DataLoader, type DataLoaderOptions, type PrefetchOptions, type Batch } from './loader/data-loader.js';
export { type PrefetchWorker, type PrefetchWorkerFactory, type TakenMessage } from './loader/prefetcher.js';
export {
  type DataWorkerEndpoint, type ToWorker, type FromWorker, type InitMessage, type BuildMessage, type BufferMessage, type BatchMessage, type ErrorMessage,
} from './loader/prefetch-protocol.js';
export { serveDataWorker } from './loader/serve.js';
export { fromWebWorker } from './loader/web-worker.js';
export { deriveSeed } from './loader/seed.js';

export { type Transform, compose } from './transforms/transform.js';
export { type Size } from './transforms/size.js';
export { toTensor } from './transforms/to-tensor.js';
export { normalize, denormalize, type ChannelStats } from './transforms/normalize.js';
export { hflip, vflip, randomHorizontalFlip, randomVerticalFlip } from './transforms/flip.js';
export { crop, pad, randomCrop, centerCrop, fiveCrop, tenCrop, type PaddingMode, type PadOptions, type RandomCropOptions } from './transforms/crop.js';
export { resize, resizedCrop, randomResizedCrop, type RandomResizedCropOptions } from './transforms/resize.js';
export {
  warpAffine, affineMatrix, affine, randomRotation, randomTranslate, randomAffine,
  type Affine, type AffineParams, type WarpOptions, type RandomAffineOptions,
} from './transforms/affine.js';
export { colorJitter, adjustBrightness, adjustContrast, adjustSaturation, type ColorJitterOptions } from './transforms/color.js';
export { adjustHue } from './transforms/hue.js';
export { grayscale, randomGrayscale, type GrayscaleOptions, type RandomGrayscaleOptions } from './transforms/grayscale.js';
export { gaussianBlur, type GaussianBlurOptions } from './transforms/blur.js';
export { erase, randomErasing, type EraseValue, type EraseOptions, type RandomErasingOptions } from './transforms/erasing.js';
export { pcaLighting, computeRgbPca, type RgbPca, type ComputeRgbPcaOptions } from './transforms/pca-lighting.js';
