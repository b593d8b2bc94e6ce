import { expect } from 'chai';
import { Generator, Tensor } from '@tensorgrad/core';
import { adjustBrightness, adjustContrast, adjustSaturation, colorJitter } from './color.js';
import { adjustHue } from './hue.js';
import { randomImage } from './flip.test.js';

describe('colorJitter', () => {
  const x = randomImage(3, 6, 6);

  it('with zero strength is the identity', () => {
    const g = new Generator(1);
    for (let k = 0; k < 5; k++) expect(Array.from(colorJitter({ brightness: 0, contrast: 0, saturation: 0, hue: 0 })(x, g).data)).to.deep.equal(Array.from(x.data));
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
    const grey = (t: ArrayLike<number>, p: number) => 0.2989 * t[p]! + 0.587 * t[36 + p]! + 0.114 * t[72 + p]!;
    const mid = randomImage(3, 6, 6, 5);
    mid.data.forEach((v, i) => (mid.data[i] = 0.4 + 0.2 * v)); // far from the clamp
    // torchvision's luma weights sum to 0.9999, not 1, so the grey level moves by up to 1e-4.
    const s = colorJitter({ saturation: 0.9 })(mid, new Generator(3));
    for (let p = 0; p < 36; p++) expect(grey(s.data, p)).to.be.closeTo(grey(mid.data, p), 1e-4);
    const c = colorJitter({ contrast: 0.9 })(mid, new Generator(3));
    const meanGrey = (t: ArrayLike<number>) => Array.from({ length: 36 }, (_, p) => grey(t, p)).reduce((a, b) => a + b) / 36;
    expect(meanGrey(c.data)).to.be.closeTo(meanGrey(mid.data), 1e-4);
    expect(Array.from(c.data)).to.not.deep.equal(Array.from(mid.data));
  });

  it('hue turns the colour wheel: a full-saturation red by 1/3 is green, by -1/3 blue; grey and value stay', () => {
    // Pixels: red, grey, a dark orange; 3 channels of 1x3.
    const img = new Tensor(Float32Array.of(1, 0.5, 0.6, 0, 0.5, 0.3, 0, 0.5, 0), [3, 1, 3]);
    const green = adjustHue(img, 1 / 3);
    expect(green.data[0]).to.be.closeTo(0, 1e-6); // red turns green
    expect(green.data[3]).to.be.closeTo(1, 1e-6);
    const blue = adjustHue(img, -1 / 3);
    expect(blue.data[6]).to.be.closeTo(1, 1e-6);
    expect(blue.data[0]).to.be.closeTo(0, 1e-6);
    for (const y of [green, blue, adjustHue(img, 0.5)]) {
      const px = (t: Tensor, p: number) => [t.data[p]!, t.data[3 + p]!, t.data[6 + p]!];
      for (let p = 0; p < 3; p++) {
        expect(Math.max(...px(y, p))).to.be.closeTo(Math.max(...px(img, p)), 1e-6); // value kept
        expect(Math.min(...px(y, p))).to.be.closeTo(Math.min(...px(img, p)), 1e-6); // and chroma
      }
      expect([y.data[1], y.data[4], y.data[7]]).to.deep.equal([0.5, 0.5, 0.5]);
    }
    // A half turn twice is the identity; a one-channel image is left as it is.
    const back = adjustHue(adjustHue(x, 0.5), -0.5);
    back.data.forEach((v, i) => expect(v).to.be.closeTo(x.data[i]!, 1e-6));
    const one = randomImage(1, 3, 3);
    expect(Array.from(adjustHue(one, 0.3).data)).to.deep.equal(Array.from(one.data));
  });

  it('colorJitter applies the four adjustments in a random order: every order turns up, each as adjust* composed', () => {
    const mid = randomImage(3, 4, 4, 7);
    mid.data.forEach((v, i) => (mid.data[i] = 0.2 + 0.6 * v));
    const t = colorJitter({ brightness: 0.5, contrast: 0.5, saturation: 0.5, hue: 0.2 });
    const fns = [adjustBrightness, adjustContrast, adjustSaturation, adjustHue];
    const seen = new Set<string>();
    for (let seed = 0; seed < 150; seed++) {
      // Replay the draws: the permutation, then one factor per adjustment in the listed order.
      const g = new Generator(seed);
      const order = Array.from(g.permutation(4));
      const factors = [g.uniform(0.5, 1.5), g.uniform(0.5, 1.5), g.uniform(0.5, 1.5), g.uniform(-0.2, 0.2)];
      const expected = order.reduce((y, k) => fns[k]!(y, factors[k]!), mid);
      const y = t(mid, new Generator(seed));
      y.data.forEach((v, i) => expect(v).to.be.closeTo(expected.data[i]!, 1e-6));
      seen.add(order.join(''));
    }
    expect(seen.size).to.equal(24);
  });

  it('colorJitter: same seed, same image; another seed, another; the same draws whatever the strengths', () => {
    const t = colorJitter({ brightness: 0.3, hue: 0.1 });
    expect(Array.from(t(x, new Generator(11)).data)).to.deep.equal(Array.from(t(x, new Generator(11)).data));
    expect(Array.from(t(x, new Generator(11)).data)).to.not.deep.equal(Array.from(t(x, new Generator(12)).data));
    const a = new Generator(3), b = new Generator(3);
    colorJitter({})(x, a);
    t(x, b);
    expect(a.getState()).to.deep.equal(b.getState());
    b.permutation(4);
    for (let k = 0; k < 4; k++) b.random();
    t(x, a);
    expect(a.getState()).to.deep.equal(b.getState());
  });

  it('hue changes hues only: the jitter of a grey image is the identity, of a colour image not', () => {
    const greyImage = new Tensor(new Float32Array(3 * 4).fill(0.25), [3, 2, 2]);
    const t = colorJitter({ hue: 0.5 });
    const g = new Generator(1);
    for (let k = 0; k < 5; k++) expect(Array.from(t(greyImage, g).data)).to.deep.equal(Array.from(greyImage.data));
    expect(Array.from(t(x, g).data)).to.not.deep.equal(Array.from(x.data));
  });
});
