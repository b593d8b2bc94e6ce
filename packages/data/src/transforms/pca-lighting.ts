import { ArgumentError, type Tensor, checkNumber, checkOptions, optionKeys } from '@tensorgrad/core';
import { checkDataset, checkNumbers } from '../check.js';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { Dataset, Sample } from '../dataset.js';
import { type RawImage, chwImage, chwOf, isRawImage } from '../image.js';
import { rawToChw } from './to-tensor.js';
import type { Transform } from './transform.js';
import { madeBy } from './recipe.js';

/** Principal components of RGB pixel values: covariance = Σ λᵢ pᵢ pᵢᵀ. */
export interface RgbPca {
  /** Mean R, G and B value. */
  mean: [number, number, number];
  /** 3x3, row-major rows. */
  covariance: number[][];
  /** Largest first. */
  eigenvalues: number[];
  /** eigenvectors[i] is the unit vector pᵢ of eigenvalues[i]. */
  eigenvectors: number[][];
}

/** Options of `computeRgbPca`. */
export interface ComputeRgbPcaOptions {
  /** Use only the first maxImages images. Default: all. */
  maxImages?: number;
}
const COMPUTE_RGB_PCA_OPTIONS = optionKeys<ComputeRgbPcaOptions>()(['maxImages']);

/**
 * The RGB covariance of every pixel of the first `maxImages` images of a dataset (RawImages
 * are scaled to [0, 1] as toTensor does, so the result fits images after toTensor) and its
 * eigen-decomposition, for pcaLighting.
 */
export function computeRgbPca(dataset: Dataset<Sample<Tensor | RawImage>>, options: ComputeRgbPcaOptions = {}): RgbPca {
  checkDataset('computeRgbPca', dataset);
  checkOptions('computeRgbPca', options, COMPUTE_RGB_PCA_OPTIONS);
  if (options.maxImages !== undefined) checkNumber('computeRgbPca', 'maxImages', options.maxImages, { integer: true, min: 1 });
  const count = Math.min(dataset.length, options.maxImages ?? dataset.length);
  if (count < 1) throw new ArgumentError('computeRgbPca: the dataset is empty');
  const sum = [0, 0, 0];
  const outer = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  let pixels = 0;
  for (let n = 0; n < count; n++) {
    const input = dataset.get(n).input;
    const x = isRawImage(input) ? rawToChw(input) : input;
    const { c, h, w } = chwOf('computeRgbPca', x);
    if (c !== 3) throw new ArgumentError(`computeRgbPca: images must have 3 channels, image ${n} has ${c}`);
    const plane = h * w;
    for (let p = 0; p < plane; p++) {
      const v = [x.data[p]!, x.data[plane + p]!, x.data[2 * plane + p]!];
      for (let i = 0; i < 3; i++) {
        sum[i]! += v[i]!;
        for (let j = 0; j < 3; j++) outer[3 * i + j]! += v[i]! * v[j]!;
      }
    }
    pixels += plane;
  }
  const mean = sum.map((s) => s / pixels) as [number, number, number];
  const covariance = [0, 1, 2].map((i) => [0, 1, 2].map((j) => outer[3 * i + j]! / pixels - mean[i]! * mean[j]!));
  const evd = new EigenvalueDecomposition(new Matrix(covariance), { assumeSymmetric: true });
  const vectors = evd.eigenvectorMatrix;
  const order = [0, 1, 2].sort((a, b) => evd.realEigenvalues[b]! - evd.realEigenvalues[a]!);
  return {
    mean,
    covariance,
    eigenvalues: order.map((k) => evd.realEigenvalues[k]!),
    eigenvectors: order.map((k) => vectors.getColumn(k)),
  };
}

/**
 * AlexNet's lighting noise: adds Σ αᵢ λᵢ pᵢ to every RGB pixel, with αᵢ ~ N(0, std) drawn once
 * per image (std 0.1 in the paper), so intensity and colour of the illumination vary while
 * object identity does not.
 */
export function pcaLighting(pca: Pick<RgbPca, 'eigenvalues' | 'eigenvectors'>, std = 0.1): Transform {
  const { eigenvalues, eigenvectors } = pca ?? {};
  if (eigenvalues?.length !== 3 || eigenvectors?.length !== 3 || eigenvectors.some((v) => v?.length !== 3)) {
    throw new ArgumentError('pcaLighting: pca must have 3 eigenvalues and 3 eigenvectors of length 3 (see computeRgbPca)');
  }
  checkNumbers('pcaLighting', 'pca.eigenvalues', eigenvalues);
  eigenvectors.forEach((v, i) => checkNumbers('pcaLighting', `pca.eigenvectors[${i}]`, v));
  checkNumber('pcaLighting', 'std', std, { min: 0 });
  return madeBy('pcaLighting', [pca, std], (x, rng) => {
    const { c, h, w } = chwOf('pcaLighting', x);
    if (c !== 3) throw new ArgumentError(`pcaLighting: image must have 3 channels (RGB), got ${c}`);
    const alpha = eigenvalues.map((l) => rng.normal(0, std) * l);
    const shift = [0, 1, 2].map((ch) => alpha.reduce((s, a, i) => s + a * eigenvectors[i]![ch]!, 0));
    const out = new Float32Array(x.size);
    const plane = h * w;
    for (let ch = 0; ch < 3; ch++) {
      const d = shift[ch]!;
      for (let p = ch * plane; p < (ch + 1) * plane; p++) out[p] = x.data[p]! + d;
    }
    return chwImage(c, h, w, out);
  });
}
