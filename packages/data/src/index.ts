// @tensorgrad/data — datasets, a seeded data loader, and augmentation transforms.
// Image convention: readers produce RawImage (HWC uint8); toTensor makes CHW float32 in [0, 1];
// all other transforms take and return CHW float32 tensors; the loader collates NCHW float32.
export { DataError } from './errors.js';
export { type RawImage } from './image.js';
export { type Dataset, type Sample, TensorDataset, Subset, subset, randomSplit } from './dataset.js';

export { parseIdx, readIdx, encodeIdx, type EncodeIdxOptions, type IdxArray, type IdxType, type IdxData } from './datasets/idx.js';
export { ImageArrayDataset } from './datasets/image-array.js';
export { fashionMnist, mnist, FASHION_MNIST_DIR, FASHION_MNIST_CLASSES, type MnistOptions } from './datasets/mnist.js';
export { cifar10, parseCifar10, CIFAR10_CLASSES, type Cifar10Options } from './datasets/cifar10.js';
export { ImageFolder, type ImageFolderOptions } from './datasets/image-folder.js';
export { decodeImage } from './datasets/decode.js';

export { DataLoader, type DataLoaderOptions, type Batch } from './loader/data-loader.js';
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
export { colorJitter, type ColorJitterOptions } from './transforms/color.js';
export { pcaLighting, computeRgbPca, type RgbPca, type ComputeRgbPcaOptions } from './transforms/pca-lighting.js';
