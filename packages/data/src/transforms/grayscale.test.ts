import { expect } from 'chai';
import { Generator, Tensor } from '@tensorgrad/core';
import { grayscale, randomGrayscale } from './grayscale.js';
import { randomImage } from './flip.test.js';

describe('grayscale and randomGrayscale', () => {
  const rgb = randomImage(3, 4, 5);

  it('grayscale is the luma 0.2989 r + 0.587 g + 0.114 b, copied into 3 channels when asked', () => {
    const px = new Tensor(Float32Array.of(1, 0, 0.5, 0, 1, 0.5, 0, 0, 0.5), [3, 1, 3]);
    const one = grayscale()(px, new Generator(0));
    expect(one.shape).to.deep.equal([1, 1, 3]);
    expect(Array.from(one.data)).to.deep.equal([Math.fround(0.2989), Math.fround(0.587), Math.fround(0.2989 * 0.5 + 0.587 * 0.5 + 0.114 * 0.5)]);
    const three = grayscale({ numOutputChannels: 3 })(px, new Generator(0));
    expect(Array.from(three.data)).to.deep.equal([...one.data, ...one.data, ...one.data]);
  });

  it('a one-channel image is already grey: copied, three times for 3 output channels (as the PIL path)', () => {
    const g = randomImage(1, 3, 3);
    expect(Array.from(grayscale()(g, new Generator(0)).data)).to.deep.equal(Array.from(g.data));
    const three = grayscale({ numOutputChannels: 3 })(g, new Generator(0));
    expect(three.shape).to.deep.equal([3, 3, 3]);
    expect(Array.from(three.data)).to.deep.equal([...g.data, ...g.data, ...g.data]);
  });

  it('randomGrayscale keeps the channel count, converts with probability p, one draw per call', () => {
    const t = randomGrayscale({ p: 0.3 });
    const g = new Generator(5);
    const grey = grayscale({ numOutputChannels: 3 })(rgb, g);
    let converted = 0;
    for (let k = 0; k < 1000; k++) {
      const y = t(rgb, g);
      if (y === rgb) continue;
      converted++;
      expect(Array.from(y.data)).to.deep.equal(Array.from(grey.data));
    }
    expect(converted / 1000).to.be.closeTo(0.3, 0.045);
    // One draw per call whatever p: the generator ends where 3 draws of random() leave it.
    const a = new Generator(9), b = new Generator(9);
    for (const p of [0, 0.5, 1]) randomGrayscale({ p })(rgb, a);
    for (let k = 0; k < 3; k++) b.random();
    expect(a.getState()).to.deep.equal(b.getState());
  });

  it('randomGrayscale: same seed, same choices; another seed, other choices; default p 0.1', () => {
    const seq = (seed: number, t = randomGrayscale({ p: 0.5 })) => {
      const g = new Generator(seed);
      return Array.from({ length: 40 }, () => (t(rgb, g) === rgb ? 0 : 1));
    };
    expect(seq(1)).to.deep.equal(seq(1));
    expect(seq(1)).to.not.deep.equal(seq(2));
    const tenth = seq(3, randomGrayscale()).concat(seq(4, randomGrayscale()), seq(5, randomGrayscale()));
    expect(tenth.reduce((a: number, b) => a + b, 0)).to.be.within(4, 24); // about 12 of 120
  });
});
