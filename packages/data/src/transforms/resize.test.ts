import { expect } from 'chai';
import { Generator, Tensor } from '@tensorgrad/core';
import { randomImage } from './flip.test.js';
import { randomResizedCrop, resize } from './resize.js';

describe('resize', () => {
  const g = new Generator();

  it('resizing to the same size is the identity; constant images stay constant', () => {
    const x = randomImage(2, 5, 6);
    expect(Array.from(resize([5, 6])(x, g).data)).to.deep.equal(Array.from(x.data));
    const flat = new Tensor(new Float32Array(3 * 7 * 9).fill(0.25), [3, 7, 9]);
    resize([4, 13])(flat, g).data.forEach((v) => expect(v).to.be.closeTo(0.25, 1e-7));
  });

  it('doubles a row with half-pixel-centred bilinear weights (PyTorch align_corners=false)', () => {
    const x = new Tensor(Float32Array.of(0, 4, 8), [1, 1, 3]);
    expect(Array.from(resize([1, 6])(x, g).data)).to.deep.equal([0, 1, 3, 5, 7, 8]);
  });

  it('matches the shorter side to one number, keeping the aspect ratio', () => {
    expect(resize(256)(randomImage(3, 30, 40), g).shape).to.deep.equal([3, 256, 341]);
  });

  it('randomResizedCrop gives the requested size and varies with the draw', () => {
    const x = randomImage(3, 20, 30);
    const t = randomResizedCrop(8);
    const a = t(x, g), b = t(x, g);
    expect(a.shape).to.deep.equal([3, 8, 8]);
    expect(Array.from(a.data)).to.not.deep.equal(Array.from(b.data));
    a.data.forEach((v) => expect(v).to.be.within(0, 1));
  });
});
