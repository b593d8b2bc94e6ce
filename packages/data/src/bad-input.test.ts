// Bad calls a new user makes, across transforms, the DataLoader and the dataset readers. Each
// must throw the named error class, with a message naming the function and the argument (and,
// for a near-miss option, the key that was meant), instead of running with the input ignored.
import { expect } from 'chai';
import { ArgumentError, Generator, ShapeError, Tensor, tensor } from '@tensorgrad/core';
import { TensorDataset, randomSplit, subset } from './dataset.js';
import { cifar10 } from './datasets/cifar10-node.js';
import { decodeImage } from './datasets/decode-node.js';
import { encodeIdx, parseIdx, readIdx } from './datasets/idx-node.js';
import { ImageArrayDataset } from './datasets/image-array.js';
import { ImageFolder } from './datasets/image-folder-node.js';
import { fashionMnist, mnist } from './datasets/mnist-node.js';
import type { RawImage } from './image.js';
import { DataLoader } from './loader/data-loader.js';
import { deriveSeed } from './loader/seed.js';
import { affine, randomAffine, randomRotation, randomTranslate, warpAffine } from './transforms/affine.js';
import { gaussianBlur } from './transforms/blur.js';
import { adjustBrightness, adjustContrast, adjustSaturation, colorJitter } from './transforms/color.js';
import { erase, randomErasing } from './transforms/erasing.js';
import { grayscale, randomGrayscale } from './transforms/grayscale.js';
import { adjustHue } from './transforms/hue.js';
import { centerCrop, crop, fiveCrop, pad, randomCrop, tenCrop } from './transforms/crop.js';
import { hflip, randomHorizontalFlip, randomVerticalFlip } from './transforms/flip.js';
import { normalize } from './transforms/normalize.js';
import { computeRgbPca, pcaLighting } from './transforms/pca-lighting.js';
import { randomResizedCrop, resize, resizedCrop } from './transforms/resize.js';
import { compose } from './transforms/transform.js';
import { toTensor } from './transforms/to-tensor.js';

interface BadCall {
  call: () => unknown;
  error: abstract new (...args: never[]) => Error;
  /** The function the message must name, as `fn:`. */
  fn: string;
  /** The argument or option the message must name. */
  arg: string;
  /** The accepted key a near miss must suggest. */
  meant?: string;
}

// Bad calls are made on purpose: the casts let them through the type checker, as in JavaScript.
const bad = <T>(value: unknown): T => value as T;
const image = new Tensor(new Float32Array(3 * 6 * 6).fill(0.5), [3, 6, 6]);
const raw: RawImage = { data: new Uint8Array(16), height: 4, width: 4, channels: 1 };
const rawData = new ImageArrayDataset(new Uint8Array(4 * 16), new Uint8Array(4), 4, 4, 1);
const tensors = new TensorDataset(tensor([[1, 2], [3, 4], [5, 6]]), [0, 1, 0]);
const pca = { eigenvalues: [0.2, 0.02, 0.01], eigenvectors: [[0.58, 0.58, 0.58], [0.7, 0, -0.7], [0.4, -0.8, 0.4]] };
const g = new Generator(0);
// Readers must reject bad options before touching the disk: were the check missing, a
// directory that does not exist would give a DataError, not the ArgumentError expected.
const nowhere = '/nonexistent/tensorgrad-data';
const idx = { type: 'uint8' as const, shape: [2], data: Uint8Array.of(1, 2) };
const loader = () => new DataLoader(tensors, { batchSize: 2 });

const cases: Record<string, BadCall> = {
  // flips
  'randomHorizontalFlip(1.5)': { call: () => randomHorizontalFlip(1.5), error: ArgumentError, fn: 'randomHorizontalFlip', arg: 'p' },
  'randomVerticalFlip(NaN)': { call: () => randomVerticalFlip(NaN), error: ArgumentError, fn: 'randomVerticalFlip', arg: 'p' },
  'hflip of a RawImage': { call: () => hflip(bad(raw)), error: ArgumentError, fn: 'hflip', arg: 'image' },
  // crops and padding
  'randomCrop padding_mode': { call: () => randomCrop(4, bad({ padding: 1, padding_mode: 'reflect' })), error: ArgumentError, fn: 'randomCrop', arg: 'padding_mode', meant: 'paddingMode' },
  'randomCrop padding -1': { call: () => randomCrop(4, { padding: -1 }), error: ArgumentError, fn: 'randomCrop', arg: 'padding' },
  'randomCrop padding 1.5': { call: () => randomCrop(4, { padding: 1.5 }), error: ArgumentError, fn: 'randomCrop', arg: 'padding' },
  'randomCrop paddingMode mirror': { call: () => randomCrop(4, { paddingMode: bad('mirror') }), error: ArgumentError, fn: 'randomCrop', arg: 'paddingMode' },
  'randomCrop fill NaN': { call: () => randomCrop(4, { padding: 2, fill: NaN }), error: ArgumentError, fn: 'randomCrop', arg: 'fill' },
  'randomCrop size 0': { call: () => randomCrop(0), error: ArgumentError, fn: 'randomCrop', arg: 'size' },
  'randomCrop size of three': { call: () => randomCrop(bad([4, 4, 3])), error: ArgumentError, fn: 'randomCrop', arg: 'size' },
  'randomCrop larger than the image': { call: () => randomCrop(8)(image, g), error: ArgumentError, fn: 'randomCrop', arg: 'padding' },
  'pad 2.5': { call: () => pad(2.5), error: ArgumentError, fn: 'pad', arg: 'padding' },
  'pad with mode': { call: () => pad(2, bad({ mode: 'edge' })), error: ArgumentError, fn: 'pad', arg: 'mode' },
  'crop at a fractional top': { call: () => crop(image, 0.5, 0, 2, 2), error: ArgumentError, fn: 'crop', arg: 'top' },
  'crop of height 0': { call: () => crop(image, 0, 0, 0, 2), error: ArgumentError, fn: 'crop', arg: 'height' },
  'centerCrop(-3)': { call: () => centerCrop(-3), error: ArgumentError, fn: 'centerCrop', arg: 'size' },
  'fiveCrop(2.5)': { call: () => fiveCrop(2.5), error: ArgumentError, fn: 'fiveCrop', arg: 'size' },
  'tenCrop([0, 2])': { call: () => tenCrop([0, 2]), error: ArgumentError, fn: 'tenCrop', arg: 'size' },
  // resizing
  'resize(0)': { call: () => resize(0), error: ArgumentError, fn: 'resize', arg: 'size' },
  'resizedCrop to 3.5 rows': { call: () => resizedCrop(image, 0, 0, 2, 2, 3.5, 2), error: ArgumentError, fn: 'resizedCrop', arg: 'outH' },
  'randomResizedCrop scale reversed': { call: () => randomResizedCrop(4, { scale: [0.5, 0.2] }), error: ArgumentError, fn: 'randomResizedCrop', arg: 'scale' },
  'randomResizedCrop ratio 0': { call: () => randomResizedCrop(4, { ratio: [0, 1] }), error: ArgumentError, fn: 'randomResizedCrop', arg: 'ratio' },
  'randomResizedCrop area': { call: () => randomResizedCrop(4, bad({ area: [0.1, 1] })), error: ArgumentError, fn: 'randomResizedCrop', arg: 'area' },
  // affine
  'warpAffine with 5 numbers': { call: () => warpAffine(image, bad([1, 0, 0, 0, 1])), error: ArgumentError, fn: 'warpAffine', arg: 'forward' },
  'warpAffine bicubic': { call: () => warpAffine(image, [1, 0, 0, 0, 1, 0], { interpolation: bad('bicubic') }), error: ArgumentError, fn: 'warpAffine', arg: 'interpolation' },
  'affine rotate': { call: () => affine(bad({ rotate: 90 })), error: ArgumentError, fn: 'affine', arg: 'rotate' },
  'affine scale 0': { call: () => affine({ angle: 10, scale: 0 }), error: ArgumentError, fn: 'affine', arg: 'scale' },
  'affine shear 90': { call: () => affine({ shear: 90 }), error: ArgumentError, fn: 'affine', arg: 'shear' },
  'randomRotation(Infinity)': { call: () => randomRotation(Infinity), error: ArgumentError, fn: 'randomRotation', arg: 'degrees' },
  'randomRotation([30, -30])': { call: () => randomRotation([30, -30]), error: ArgumentError, fn: 'randomRotation', arg: 'degrees' },
  'randomRotation fil': { call: () => randomRotation(10, bad({ fil: 0 })), error: ArgumentError, fn: 'randomRotation', arg: 'fil', meant: 'fill' },
  'randomTranslate(1.5)': { call: () => randomTranslate(1.5), error: ArgumentError, fn: 'randomTranslate', arg: 'maxFraction' },
  'randomTranslate interpolation': { call: () => randomTranslate(0.1, bad({ interpolation: 'bilinear' })), error: ArgumentError, fn: 'randomTranslate', arg: 'interpolation' },
  'randomAffine translate [0.1]': { call: () => randomAffine({ degrees: 10, translate: bad([0.1]) }), error: ArgumentError, fn: 'randomAffine', arg: 'translate' },
  'randomAffine scale [0, 1]': { call: () => randomAffine({ scale: [0, 1] }), error: ArgumentError, fn: 'randomAffine', arg: 'scale' },
  'randomAffine shear -100': { call: () => randomAffine({ shear: [-100, 10] }), error: ArgumentError, fn: 'randomAffine', arg: 'shear' },
  'randomAffine rotation': { call: () => randomAffine(bad({ rotation: 10 })), error: ArgumentError, fn: 'randomAffine', arg: 'rotation' },
  // colour
  'colorJitter brightness -0.1': { call: () => colorJitter({ brightness: -0.1 }), error: ArgumentError, fn: 'colorJitter', arg: 'brightness' },
  'colorJitter contrast Infinity': { call: () => colorJitter({ contrast: Infinity }), error: ArgumentError, fn: 'colorJitter', arg: 'contrast' },
  'colorJitter hue 0.6': { call: () => colorJitter({ hue: 0.6 }), error: ArgumentError, fn: 'colorJitter', arg: 'hue' },
  'colorJitter hue -0.1': { call: () => colorJitter({ hue: -0.1 }), error: ArgumentError, fn: 'colorJitter', arg: 'hue' },
  'colorJitter of 4 channels': { call: () => colorJitter({ hue: 0.1 })(new Tensor(new Float32Array(4 * 4), [4, 2, 2]), g), error: ArgumentError, fn: 'colorJitter', arg: 'image' },
  'colorJitter hue_factor': { call: () => colorJitter(bad({ hue_factor: 0.1 })), error: ArgumentError, fn: 'colorJitter', arg: 'hue_factor' },
  'adjustHue factor 0.7': { call: () => adjustHue(image, 0.7), error: ArgumentError, fn: 'adjustHue', arg: 'factor' },
  'adjustHue of 2 channels': { call: () => adjustHue(new Tensor(new Float32Array(2 * 4), [2, 2, 2]), 0.1), error: ArgumentError, fn: 'adjustHue', arg: 'image' },
  'adjustSaturation factor -1': { call: () => adjustSaturation(image, -1), error: ArgumentError, fn: 'adjustSaturation', arg: 'factor' },
  'adjustBrightness factor NaN': { call: () => adjustBrightness(image, NaN), error: ArgumentError, fn: 'adjustBrightness', arg: 'factor' },
  'adjustContrast of a RawImage': { call: () => adjustContrast(bad(raw), 1), error: ArgumentError, fn: 'adjustContrast', arg: 'image' },
  // grayscale, blur, erasing
  'grayscale numOutputChannels 2': { call: () => grayscale({ numOutputChannels: bad(2) }), error: ArgumentError, fn: 'grayscale', arg: 'numOutputChannels' },
  'grayscale num_output_channels': { call: () => grayscale(bad({ num_output_channels: 3 })), error: ArgumentError, fn: 'grayscale', arg: 'num_output_channels', meant: 'numOutputChannels' },
  'grayscale(3)': { call: () => grayscale(bad(3)), error: ArgumentError, fn: 'grayscale', arg: 'options' },
  'grayscale of 4 channels': { call: () => grayscale()(new Tensor(new Float32Array(4 * 4), [4, 2, 2]), g), error: ArgumentError, fn: 'grayscale', arg: 'image' },
  'randomGrayscale p 1.1': { call: () => randomGrayscale({ p: 1.1 }), error: ArgumentError, fn: 'randomGrayscale', arg: 'p' },
  'randomGrayscale(0.2)': { call: () => randomGrayscale(bad(0.2)), error: ArgumentError, fn: 'randomGrayscale', arg: 'options' },
  'randomGrayscale of 2 channels, p 0': { call: () => randomGrayscale({ p: 0 })(new Tensor(new Float32Array(2 * 4), [2, 2, 2]), g), error: ArgumentError, fn: 'randomGrayscale', arg: 'image' },
  'gaussianBlur kernelSize 4': { call: () => gaussianBlur({ kernelSize: 4 }), error: ArgumentError, fn: 'gaussianBlur', arg: 'kernelSize' },
  'gaussianBlur kernelSize [3, 0]': { call: () => gaussianBlur({ kernelSize: [3, 0] }), error: ArgumentError, fn: 'gaussianBlur', arg: 'kernelSize' },
  'gaussianBlur without kernelSize': { call: () => gaussianBlur(bad({ sigma: 1 })), error: ArgumentError, fn: 'gaussianBlur', arg: 'kernelSize' },
  'gaussianBlur kernel_size': { call: () => gaussianBlur(bad({ kernel_size: 3 })), error: ArgumentError, fn: 'gaussianBlur', arg: 'kernel_size', meant: 'kernelSize' },
  'gaussianBlur sigma 0': { call: () => gaussianBlur({ kernelSize: 3, sigma: 0 }), error: ArgumentError, fn: 'gaussianBlur', arg: 'sigma' },
  'gaussianBlur sigma [2, 1]': { call: () => gaussianBlur({ kernelSize: 3, sigma: [2, 1] }), error: ArgumentError, fn: 'gaussianBlur', arg: 'sigma' },
  'gaussianBlur kernel wider than the reflect padding allows': { call: () => gaussianBlur({ kernelSize: [13, 3] })(image, g), error: ArgumentError, fn: 'gaussianBlur', arg: 'kernelSize' },
  'randomErasing p -0.5': { call: () => randomErasing({ p: -0.5 }), error: ArgumentError, fn: 'randomErasing', arg: 'p' },
  'randomErasing scale [0.3, 0.1]': { call: () => randomErasing({ scale: [0.3, 0.1] }), error: ArgumentError, fn: 'randomErasing', arg: 'scale' },
  'randomErasing scale [0.1, 1.5]': { call: () => randomErasing({ scale: [0.1, 1.5] }), error: ArgumentError, fn: 'randomErasing', arg: 'scale' },
  'randomErasing ratio [0, 3]': { call: () => randomErasing({ ratio: [0, 3] }), error: ArgumentError, fn: 'randomErasing', arg: 'ratio' },
  "randomErasing value 'mean'": { call: () => randomErasing({ value: bad('mean') }), error: ArgumentError, fn: 'randomErasing', arg: 'value' },
  'randomErasing value [NaN]': { call: () => randomErasing({ value: [NaN] }), error: ArgumentError, fn: 'randomErasing', arg: 'value[0]' },
  'randomErasing 2 values for 3 channels': { call: () => randomErasing({ value: [0.1, 0.2] })(image, g), error: ArgumentError, fn: 'randomErasing', arg: 'value' },
  "randomErasing inplace 'yes'": { call: () => randomErasing({ inplace: bad('yes') }), error: ArgumentError, fn: 'randomErasing', arg: 'inplace' },
  'randomErasing in_place': { call: () => randomErasing(bad({ in_place: true })), error: ArgumentError, fn: 'randomErasing', arg: 'in_place', meant: 'inplace' },
  'erase a box past the edge': { call: () => erase(image, 4, 0, 3, 2, 0), error: ArgumentError, fn: 'erase', arg: 'box' },
  'erase at a fractional left': { call: () => erase(image, 0, 1.5, 2, 2, 0), error: ArgumentError, fn: 'erase', arg: 'left' },
  'erase with a tensor of the wrong shape': { call: () => erase(image, 0, 0, 2, 2, new Tensor(new Float32Array(8), [2, 2, 2])), error: ArgumentError, fn: 'erase', arg: 'value' },
  'colorJitter Saturation': { call: () => colorJitter(bad({ Saturation: 0.4 })), error: ArgumentError, fn: 'colorJitter', arg: 'Saturation', meant: 'saturation' },
  'pcaLighting std -0.1': { call: () => pcaLighting(pca, -0.1), error: ArgumentError, fn: 'pcaLighting', arg: 'std' },
  'pcaLighting of 2 eigenvalues': { call: () => pcaLighting({ eigenvalues: [1, 2], eigenvectors: [] }), error: ArgumentError, fn: 'pcaLighting', arg: 'pca' },
  'pcaLighting NaN eigenvalue': { call: () => pcaLighting({ ...pca, eigenvalues: [NaN, 1, 1] }), error: ArgumentError, fn: 'pcaLighting', arg: 'eigenvalues' },
  'computeRgbPca max_images': { call: () => computeRgbPca(rawData, bad({ max_images: 2 })), error: ArgumentError, fn: 'computeRgbPca', arg: 'max_images', meant: 'maxImages' },
  'computeRgbPca maxImages 0': { call: () => computeRgbPca(rawData, { maxImages: 0 }), error: ArgumentError, fn: 'computeRgbPca', arg: 'maxImages' },
  // normalize, toTensor, compose
  'normalize std 0': { call: () => normalize([0.5], [0]), error: ArgumentError, fn: 'normalize', arg: 'std' },
  'normalize mean NaN': { call: () => normalize([NaN], [1]), error: ArgumentError, fn: 'normalize', arg: 'mean' },
  'normalize 2 means, 1 std': { call: () => normalize([0.5, 0.5], [0.2]), error: ArgumentError, fn: 'normalize', arg: 'std' },
  'normalize mean as a string': { call: () => normalize(bad('0.5'), [0.2]), error: ArgumentError, fn: 'normalize', arg: 'mean' },
  'toTensor({ scale: false })': { call: () => bad<(o: unknown) => unknown>(toTensor)({ scale: false }), error: ArgumentError, fn: 'toTensor', arg: 'arguments' },
  'toTensor of a Tensor': { call: () => toTensor()(bad(image), g), error: ArgumentError, fn: 'toTensor', arg: 'image' },
  'compose of an array': { call: () => compose(bad<never>([toTensor(), randomHorizontalFlip()])), error: ArgumentError, fn: 'compose', arg: 'arguments' },
  'compose of a string': { call: () => compose(toTensor(), bad('hflip')), error: ArgumentError, fn: 'compose', arg: 'transform 1' },
  // DataLoader
  'DataLoader batch_size': { call: () => new DataLoader(tensors, bad({ batch_size: 2 })), error: ArgumentError, fn: 'DataLoader', arg: 'batch_size', meant: 'batchSize' },
  'DataLoader batchSize 0': { call: () => new DataLoader(tensors, { batchSize: 0 }), error: ArgumentError, fn: 'DataLoader', arg: 'batchSize' },
  'DataLoader batchSize 2.5': { call: () => new DataLoader(tensors, { batchSize: 2.5 }), error: ArgumentError, fn: 'DataLoader', arg: 'batchSize' },
  "DataLoader shuffle 'yes'": { call: () => new DataLoader(tensors, { batchSize: 2, shuffle: bad('yes') }), error: ArgumentError, fn: 'DataLoader', arg: 'shuffle' },
  'DataLoader seed 1.5': { call: () => new DataLoader(tensors, { batchSize: 2, seed: 1.5 }), error: ArgumentError, fn: 'DataLoader', arg: 'seed' },
  'DataLoader drop_last': { call: () => new DataLoader(tensors, bad({ batchSize: 2, drop_last: true })), error: ArgumentError, fn: 'DataLoader', arg: 'drop_last', meant: 'dropLast' },
  'DataLoader num_workers': { call: () => new DataLoader(tensors, bad({ batchSize: 2, num_workers: 4 })), error: ArgumentError, fn: 'DataLoader', arg: 'num_workers' },
  'DataLoader transform as a string': { call: () => new DataLoader(tensors, { batchSize: 2, transform: bad('toTensor') }), error: ArgumentError, fn: 'DataLoader', arg: 'transform' },
  'DataLoader prefetchSlice 0': { call: () => new DataLoader(tensors, { batchSize: 2, prefetchSlice: 0 }), error: ArgumentError, fn: 'DataLoader', arg: 'prefetchSlice' },
  'DataLoader without options': { call: () => new DataLoader(tensors, bad<never>(undefined)), error: ArgumentError, fn: 'DataLoader', arg: 'options' },
  'DataLoader without a dataset': { call: () => new DataLoader(bad<never>({ batchSize: 2 }), bad<never>(undefined)), error: ArgumentError, fn: 'DataLoader', arg: 'dataset' },
  'DataLoader of RawImages without a transform': { call: () => new DataLoader(rawData, { batchSize: 2 }).batch(0, 0), error: ArgumentError, fn: 'DataLoader', arg: 'transform' },
  'DataLoader of a fractional label': {
    call: () => new DataLoader({ length: 1, get: () => ({ input: image, label: 1.5 }) }, { batchSize: 1 }).batch(0, 0),
    error: ArgumentError, fn: 'DataLoader', arg: 'label',
  },
  'DataLoader.batch at epoch 1.5': { call: () => loader().batch(1.5, 0), error: ArgumentError, fn: 'DataLoader', arg: 'epoch' },
  'DataLoader.batch index 2 of 2': { call: () => loader().batch(0, 2), error: ArgumentError, fn: 'DataLoader.batch', arg: 'index' },
  'DataLoader at epoch -1': {
    call: () => {
      const l = loader();
      l.epoch = -1;
      return [...l];
    },
    error: ArgumentError, fn: 'DataLoader', arg: 'epoch',
  },
  'deriveSeed key 2^32': { call: () => deriveSeed(1, 2 ** 32), error: ArgumentError, fn: 'deriveSeed', arg: 'key 0' },
  'deriveSeed seed NaN': { call: () => deriveSeed(NaN, 0), error: ArgumentError, fn: 'deriveSeed', arg: 'seed' },
  // datasets
  "fashionMnist split: 'train'": { call: () => fashionMnist(bad({ root: nowhere, split: 'train' })), error: ArgumentError, fn: 'fashionMnist', arg: 'split' },
  "fashionMnist train: 'false'": { call: () => fashionMnist({ root: nowhere, train: bad('false') }), error: ArgumentError, fn: 'fashionMnist', arg: 'train' },
  "fashionMnist root ''": { call: () => fashionMnist({ root: '' }), error: ArgumentError, fn: 'fashionMnist', arg: 'root' },
  'mnist without options': { call: () => mnist(bad(undefined)), error: ArgumentError, fn: 'mnist', arg: 'root' },
  'mnist Train': { call: () => mnist(bad({ root: nowhere, Train: false })), error: ArgumentError, fn: 'mnist', arg: 'Train', meant: 'train' },
  'cifar10 root 42': { call: () => cifar10({ root: bad(42) }), error: ArgumentError, fn: 'cifar10', arg: 'root' },
  'cifar10 path': { call: () => cifar10(bad({ path: nowhere })), error: ArgumentError, fn: 'cifar10', arg: 'path' },
  'ImageFolder channels 4': { call: () => new ImageFolder(nowhere, { channels: bad(4) }), error: ArgumentError, fn: 'ImageFolder', arg: 'channels' },
  "ImageFolder extensions ['png']": { call: () => new ImageFolder(nowhere, { extensions: ['png'] }), error: ArgumentError, fn: 'ImageFolder', arg: 'extensions[0]' },
  'ImageFolder extension': { call: () => new ImageFolder(nowhere, bad({ extension: ['.png'] })), error: ArgumentError, fn: 'ImageFolder', arg: 'extension', meant: 'extensions' },
  'ImageFolder without a root': { call: () => new ImageFolder(bad(undefined)), error: ArgumentError, fn: 'ImageFolder', arg: 'root' },
  'decodeImage of a file name': { call: () => decodeImage(bad('cat.png')), error: ArgumentError, fn: 'decodeImage', arg: 'bytes' },
  'decodeImage channels 4': { call: () => decodeImage(new Uint8Array(8), bad(4)), error: ArgumentError, fn: 'decodeImage', arg: 'channels' },
  'parseIdx of an array': { call: () => parseIdx(bad([0, 0, 8, 1])), error: ArgumentError, fn: 'parseIdx', arg: 'bytes' },
  'readIdx without a path': { call: () => readIdx(bad(undefined)), error: ArgumentError, fn: 'readIdx', arg: 'path' },
  'encodeIdx compress': { call: () => encodeIdx(idx, bad({ compress: true })), error: ArgumentError, fn: 'encodeIdx', arg: 'compress' },
  "encodeIdx gzip 'yes'": { call: () => encodeIdx(idx, { gzip: bad('yes') }), error: ArgumentError, fn: 'encodeIdx', arg: 'gzip' },
  'encodeIdx shape -2': { call: () => encodeIdx({ ...idx, shape: [-2] }), error: ArgumentError, fn: 'encodeIdx', arg: 'shape' },
  'randomSplit seed 0.5': { call: () => randomSplit(tensors, [2, 1], 0.5), error: ArgumentError, fn: 'randomSplit', arg: 'seed' },
  'randomSplit of a number': { call: () => randomSplit(tensors, bad(0.8)), error: ArgumentError, fn: 'randomSplit', arg: 'lengths' },
  'subset of a number': { call: () => subset(tensors, bad(2)), error: ArgumentError, fn: 'Subset', arg: 'indices' },
  'TensorDataset with 2 labels for 3 rows': { call: () => new TensorDataset(tensor([[1], [2], [3]]), [0, 1]), error: ShapeError, fn: 'TensorDataset', arg: 'labels' },
  'TensorDataset of nested arrays': { call: () => new TensorDataset(bad([[1, 2], [3, 4]]), [0, 1]), error: ArgumentError, fn: 'TensorDataset', arg: 'inputs' },
  'ImageArrayDataset of a number array': { call: () => new ImageArrayDataset(bad([0, 0, 0, 0]), new Uint8Array(1), 2, 2, 1), error: ArgumentError, fn: 'ImageArrayDataset', arg: 'pixels' },
  'ImageArrayDataset of 0 channels': { call: () => new ImageArrayDataset(new Uint8Array(0), new Uint8Array(0), 4, 4, 0), error: ArgumentError, fn: 'ImageArrayDataset', arg: 'channels' },
};

describe('bad input to @tensorgrad/data', () => {
  it(`covers at least 25 bad calls (${Object.keys(cases).length})`, () => {
    expect(Object.keys(cases).length).to.be.at.least(25);
  });

  for (const [name, c] of Object.entries(cases)) {
    it(name, () => {
      let thrown: unknown;
      try {
        c.call();
      } catch (e) {
        thrown = e;
      }
      expect(thrown, 'no error was thrown').to.be.instanceOf(c.error);
      const message = (thrown as Error).message;
      expect(message).to.include(`${c.fn}:`);
      expect(message).to.match(new RegExp(`(^|\\W)${c.arg.replace(/[[\]]/g, '\\$&')}(\\W|$)`), 'the argument, as a word');
      if (c.meant !== undefined) expect(message).to.include(`did you mean '${c.meant}'?`);
      if (process.env.SHOW_MESSAGES) console.log(`${name}\n    ${message}`);
    });
  }
});
