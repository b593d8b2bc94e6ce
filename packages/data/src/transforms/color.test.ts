import { expect } from 'chai';
import { Generator } from '@tensorgrad/core';
import { colorJitter } from './color.js';
import { randomImage } from './flip.test.js';

describe('colorJitter', () => {
  const x = randomImage(3, 6, 6);

  it('with zero strength is the identity', () => {
    const g = new Generator(1);
    for (let k = 0; k < 5; k++) expect(Array.from(colorJitter({ brightness: 0, contrast: 0, saturation: 0 })(x, g).data)).to.deep.equal(Array.from(x.data));
    expect(Array.from(colorJitter({})(x, g).data)).to.deep.equal(Array.from(x.data));
  });

  it('brightness scales every pixel by one factor in range', () => {
    const y = colorJitter({ brightness: 0.5 })(x, new Generator(2));
    const ratios = Array.from(x.data, (v, i) => y.data[i]! / v).filter((r, i) => y.data[i]! < 1 && x.data[i]! > 0.01);
    const f = ratios[0]!;
    expect(f).to.be.within(0.5, 1.5);
    ratios.forEach((r) => expect(r).to.be.closeTo(f, 1e-5));
  });

  it('saturation keeps each pixel grey level; contrast keeps the mean grey level when unclamped', () => {
    const grey = (t: ArrayLike<number>, p: number) => 0.299 * t[p]! + 0.587 * t[36 + p]! + 0.114 * t[72 + p]!;
    const mid = randomImage(3, 6, 6, 5);
    mid.data.forEach((v, i) => (mid.data[i] = 0.4 + 0.2 * v)); // far from the clamp
    const s = colorJitter({ saturation: 0.9 })(mid, new Generator(3));
    for (let p = 0; p < 36; p++) expect(grey(s.data, p)).to.be.closeTo(grey(mid.data, p), 1e-5);
    const c = colorJitter({ contrast: 0.9 })(mid, new Generator(3));
    const meanGrey = (t: ArrayLike<number>) => Array.from({ length: 36 }, (_, p) => grey(t, p)).reduce((a, b) => a + b) / 36;
    expect(meanGrey(c.data)).to.be.closeTo(meanGrey(mid.data), 1e-5);
    expect(Array.from(c.data)).to.not.deep.equal(Array.from(mid.data));
  });
});
