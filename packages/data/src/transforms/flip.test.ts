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
