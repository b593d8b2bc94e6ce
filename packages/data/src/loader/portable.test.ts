import { expect } from 'chai';
import { ArgumentError, Generator, Tensor, zeros } from '@tensorgrad/core';
import * as data from '../index.js';
import { TensorDataset, subset } from '../dataset.js';
import { ImageArrayDataset } from '../datasets/image-array.js';
import type { Transform } from '../transforms/transform.js';
import { DataLoader } from './data-loader.js';
import { TRANSFORM_FACTORIES, describeDataset, describeTransform, rebuildDataset, rebuildTransform } from './portable.js';

const { compose, toTensor, normalize, randomCrop, randomHorizontalFlip } = data;

/** A 3x12x10 image of distinct values in [0, 1]. */
function image(): Tensor {
  const g = new Generator(5);
  return new Tensor(Float32Array.from({ length: 3 * 12 * 10 }, () => g.random()), [3, 12, 10]);
}

/** One call of every factory, with options that make it draw random numbers where it can. */
const EXAMPLES: Record<string, () => Transform> = {
  affine: () => data.affine({ angle: 20, translate: [1, -2], scale: 1.1, shear: 5 }, { fill: 0.5 }),
  randomAffine: () => data.randomAffine({ degrees: 30, translate: [0.1, 0.2], scale: [0.8, 1.2], shear: [-5, 5], interpolation: 'nearest' }),
  randomRotation: () => data.randomRotation([-40, 10], { fill: 0.3 }),
  randomTranslate: () => data.randomTranslate([0.2, 0.1]),
  gaussianBlur: () => data.gaussianBlur({ kernelSize: [3, 5], sigma: [0.5, 1.5] }),
  colorJitter: () => data.colorJitter({ brightness: 0.4, contrast: 0.3, saturation: 0.2, hue: 0.1 }),
  centerCrop: () => data.centerCrop([8, 6]),
  fiveCrop: () => data.fiveCrop(4),
  pad: () => data.pad(2, { paddingMode: 'reflect' }),
  randomCrop: () => randomCrop([10, 8], { padding: 3, paddingMode: 'edge' }),
  tenCrop: () => data.tenCrop([4, 5]),
  randomErasing: () => data.randomErasing({ p: 1, value: 'random' }),
  randomHorizontalFlip: () => randomHorizontalFlip(0.7),
  randomVerticalFlip: () => data.randomVerticalFlip(),
  grayscale: () => data.grayscale({ numOutputChannels: 3 }),
  randomGrayscale: () => data.randomGrayscale({ p: 0.6 }),
  denormalize: () => data.denormalize([0.1, 0.2, 0.3], [0.5, 0.6, 0.7]),
  normalize: () => normalize([0.4, 0.5, 0.6], [0.2, 0.3, 0.4]),
  pcaLighting: () => data.pcaLighting({ eigenvalues: [0.2, 0.02, 0.002], eigenvectors: [[0.58, 0.58, 0.57], [-0.7, 0, 0.7], [0.4, -0.8, 0.4]] }, 0.3),
  randomResizedCrop: () => data.randomResizedCrop([7, 9], { scale: [0.2, 0.9] }),
  resize: () => data.resize(9),
  compose: () => compose(randomHorizontalFlip(), data.colorJitter({ brightness: 0.5 }), randomCrop(10, { padding: 1 })),
};

describe('portable pipelines (what prefetch workers rebuild)', () => {
  it('knows every transform factory the package exports, by its own name', () => {
    for (const [name, factory] of Object.entries(TRANSFORM_FACTORIES)) expect((data as Record<string, unknown>)[name], name).to.equal(factory);
    expect(Object.keys(EXAMPLES).sort()).to.deep.equal(Object.keys(TRANSFORM_FACTORIES).filter((n) => n !== 'toTensor').sort());
  });

  it('rebuilds each factory\'s transform from its posted description, drawing and computing the same bits', () => {
    const x = image();
    for (const [name, make] of Object.entries(EXAMPLES)) {
      const original = make();
      const rebuilt = rebuildTransform(structuredClone(describeTransform('test', original)));
      for (let seed = 0; seed < 4; seed++) {
        const a = original(x, new Generator(seed));
        const b = rebuilt(x, new Generator(seed));
        expect(b.shape, name).to.deep.equal(a.shape);
        expect(Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength).equals(Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength)), `${name} seed ${seed}`).to.equal(true);
      }
    }
  });

  it('rebuilds toTensor and the in-memory datasets: ImageArrayDataset, TensorDataset, Subset', () => {
    const images = new ImageArrayDataset(Uint8Array.from({ length: 5 * 12 }, (_, i) => (i * 7) % 256), new Uint8Array([1, 2, 3, 4, 5]), 3, 2, 2, ['a']);
    const tensors = new TensorDataset(new Tensor(Float32Array.from({ length: 4 * 6 }, (_, i) => i / 3), [4, 2, 3]), [9, 8, 7, 6]);
    for (const [ds, transform] of [[subset(images, [4, 0, 2]), compose(toTensor(), randomHorizontalFlip())], [tensors, undefined]] as const) {
      const copy = rebuildDataset(structuredClone(describeDataset('test', ds)));
      const rebuilt = transform && rebuildTransform(structuredClone(describeTransform('test', transform)));
      const a = new DataLoader(ds as never, { batchSize: 2, shuffle: true, seed: 1, ...(transform ? { transform } : {}) });
      const b = new DataLoader(copy as never, { batchSize: 2, shuffle: true, seed: 1, ...(rebuilt ? { transform: rebuilt } : {}) });
      for (let i = 0; i < a.length; i++) {
        expect(Array.from(b.batch(3, i).inputs.data)).to.deep.equal(Array.from(a.batch(3, i).inputs.data));
        expect(Array.from(b.batch(3, i).labels.data)).to.deep.equal(Array.from(a.batch(3, i).labels.data));
      }
    }
  });

  it('names every part of a pipeline that a worker cannot rebuild', () => {
    const mine: Transform = function brighten(x) {
      return x;
    };
    const call = (): unknown => describeTransform('DataLoader.prefetch', compose(toTensor(), mine, randomHorizontalFlip(), (x: Tensor) => x));
    expect(call).to.throw(ArgumentError, /DataLoader\.prefetch: cannot rebuild the pipeline in a worker: the transform > compose argument 2 \(function brighten\) was not made by a transform factory of @tensorgrad\/data; the transform > compose argument 4 \(an anonymous function\)/);
    expect(() => describeTransform('f', mine)).to.throw(ArgumentError, /the transform \(function brighten\) was not made/);
    class Dots {
      length = 3;
      get(i: number) {
        return { input: zeros([1]), label: i };
      }
    }
    expect(() => describeDataset('DataLoader.prefetch', subset(new Dots(), [0]))).to.throw(ArgumentError, /the dataset \(a Subset\) over a Dots is a Dots: only ImageArrayDataset/);
  });
});
