import { expect } from 'chai';
import { Generator, Tensor } from '@tensorgrad/core';
import { hflip, randomHorizontalFlip, randomVerticalFlip, vflip } from './flip.js';

export function randomImage(c: number, h: number, w: number, seed = 1): Tensor {
  const g = new Generator(seed);
  return new Tensor(Float32Array.from({ length: c * h * w }, () => g.random()), [c, h, w]);
}

describe('flips', () => {
  const x = randomImage(3, 5, 7);

  it('flipping twice is the identity', () => {
    expect(Array.from(hflip(hflip(x)).data)).to.deep.equal(Array.from(x.data));
    expect(Array.from(vflip(vflip(x)).data)).to.deep.equal(Array.from(x.data));
  });

  it('mirror a hand-made image', () => {
    const img = new Tensor(Float32Array.of(1, 2, 3, 4, 5, 6), [1, 2, 3]);
    expect(Array.from(hflip(img).data)).to.deep.equal([3, 2, 1, 6, 5, 4]);
    expect(Array.from(vflip(img).data)).to.deep.equal([4, 5, 6, 1, 2, 3]);
  });

  it('randomHorizontalFlip mirrors left-right and randomVerticalFlip top-bottom, exactly (p = 1), or not at all (p = 0)', () => {
    // 2 channels of 2x3, no symmetry: every flip moves every value somewhere else.
    const img = new Tensor(Float32Array.of(1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60), [2, 2, 3]);
    const g = new Generator(0);
    const h = randomHorizontalFlip(1)(img, g);
    expect(h.shape).to.deep.equal([2, 2, 3]);
    expect(Array.from(h.data)).to.deep.equal([3, 2, 1, 6, 5, 4, 30, 20, 10, 60, 50, 40]);
    const v = randomVerticalFlip(1)(img, g);
    expect(v.shape).to.deep.equal([2, 2, 3]);
    expect(Array.from(v.data)).to.deep.equal([4, 5, 6, 1, 2, 3, 40, 50, 60, 10, 20, 30]);
    for (const t of [randomHorizontalFlip(0), randomVerticalFlip(0)]) {
      for (let k = 0; k < 20; k++) expect(Array.from(t(img, g).data)).to.deep.equal([1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60]);
    }
    expect(Array.from(img.data)).to.deep.equal([1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60]); // the input is untouched
  });

  it('random flips happen with probability p, reproducibly from the generator', () => {
    const t = randomHorizontalFlip(0.3);
    const g = new Generator(4);
    let flipped = 0;
    for (let i = 0; i < 2000; i++) if (t(x, g) !== x) flipped++;
    expect(flipped / 2000).to.be.closeTo(0.3, 0.04);
    expect(randomVerticalFlip(1)(x, g).data).to.deep.equal(vflip(x).data);
    const a = new Generator(8), b = new Generator(8);
    const seq = (g: Generator) => Array.from({ length: 20 }, () => (t(x, g) === x ? 0 : 1));
    expect(seq(a)).to.deep.equal(seq(b));
  });
});
