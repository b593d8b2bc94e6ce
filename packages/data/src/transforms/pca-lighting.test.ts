import { expect } from 'chai';
import { Generator, Tensor } from '@tensorgrad/core';
import { ImageArrayDataset } from '../datasets/image-array.js';
import { computeRgbPca, pcaLighting } from './pca-lighting.js';

/** Images whose pixels have correlated colours: G follows R, B is mostly independent. */
function correlatedImages(n: number): ImageArrayDataset {
  const g = new Generator(7);
  const pixels = new Uint8Array(n * 8 * 8 * 3);
  for (let p = 0; p < n * 64; p++) {
    const r = g.uniform(20, 230);
    pixels[3 * p] = r;
    pixels[3 * p + 1] = 0.8 * r + g.uniform(0, 30);
    pixels[3 * p + 2] = g.uniform(0, 255);
  }
  return new ImageArrayDataset(pixels, new Uint8Array(n), 8, 8, 3);
}

describe('PCA lighting', () => {
  const pca = computeRgbPca(correlatedImages(20));

  it('eigenvectors are orthonormal and reconstruct the covariance', () => {
    const V = pca.eigenvectors;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const dot = V[i]!.reduce((s, v, k) => s + v * V[j]![k]!, 0);
        expect(dot).to.be.closeTo(i === j ? 1 : 0, 1e-10);
        const rebuilt = [0, 1, 2].reduce((s, k) => s + pca.eigenvalues[k]! * V[k]![i]! * V[k]![j]!, 0);
        expect(rebuilt).to.be.closeTo(pca.covariance[i]![j]!, 1e-12);
      }
    }
    expect(pca.eigenvalues[0]).to.be.greaterThan(pca.eigenvalues[1]!);
    expect(pca.eigenvalues[2]).to.be.greaterThan(0);
  });

  it('computes the covariance of the pixels in [0, 1]', () => {
    // R is uniform on [20, 230]/255: variance (210/255)²/12, plus the uint8 rounding.
    expect(pca.covariance[0]![0]).to.be.closeTo((210 / 255) ** 2 / 12, 0.004);
    expect(pca.covariance[0]![1]! / pca.covariance[0]![0]!).to.be.closeTo(0.8, 0.03);
  });

  it('adds one colour shift Σ αᵢλᵢpᵢ to every pixel, α drawn from the generator', () => {
    const x = new Tensor(Float32Array.from({ length: 3 * 16 }, (_, i) => (i % 7) / 7), [3, 4, 4]);
    const rng = new Generator(5);
    const y = pcaLighting(pca, 0.1)(x, rng);
    const replay = new Generator(5);
    const alpha = [0, 1, 2].map((i) => replay.normal(0, 0.1) * pca.eigenvalues[i]!);
    for (let ch = 0; ch < 3; ch++) {
      const shift = alpha.reduce((s, a, i) => s + a * pca.eigenvectors[i]![ch]!, 0);
      for (let p = 0; p < 16; p++) expect(y.data[ch * 16 + p]! - x.data[ch * 16 + p]!).to.be.closeTo(shift, 1e-6);
    }
    expect(Array.from(pcaLighting(pca, 0)(x, rng).data)).to.deep.equal(Array.from(x.data));
  });
});
