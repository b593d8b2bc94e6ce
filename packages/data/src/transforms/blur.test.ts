import { expect } from 'chai';
import { Generator, Tensor } from '@tensorgrad/core';
import { gaussianBlur } from './blur.js';
import { randomImage } from './flip.test.js';

describe('gaussianBlur', () => {
  const x = randomImage(3, 6, 7);

  it('keeps a constant image and the sum of a centred impulse; a 1-tap kernel is the identity', () => {
    const flat = new Tensor(new Float32Array(2 * 5 * 5).fill(0.4), [2, 5, 5]);
    gaussianBlur({ kernelSize: 5, sigma: 1.5 })(flat, new Generator(0)).data.forEach((v) => expect(v).to.be.closeTo(0.4, 1e-6));
    const impulse = new Tensor(new Float32Array(9 * 9), [1, 9, 9]);
    impulse.data[4 * 9 + 4] = 1;
    const y = gaussianBlur({ kernelSize: [5, 3], sigma: 1 })(impulse, new Generator(0));
    expect(Array.from(y.data).reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-6);
    // The kernel is kx = 5 wide and ky = 3 high (torchvision's [kx, ky] order): separable and symmetric.
    const k1 = (n: number) => {
      const w = Array.from({ length: n }, (_, i) => Math.exp(-0.5 * (i - (n - 1) / 2) ** 2));
      return w.map((v) => v / w.reduce((a, b) => a + b));
    };
    const kx = k1(5), ky = k1(3);
    for (let i = 0; i < 9; i++) {
      for (let j = 0; j < 9; j++) {
        const expected = Math.abs(i - 4) <= 1 && Math.abs(j - 4) <= 2 ? ky[i - 3]! * kx[j - 2]! : 0;
        expect(y.data[i * 9 + j]).to.be.closeTo(expected, 1e-7, `(${i}, ${j})`);
      }
    }
    expect(Array.from(gaussianBlur({ kernelSize: 1 })(x, new Generator(0)).data)).to.deep.equal(Array.from(x.data));
  });

  it('reflects at the edges (x[-1] = x[1]), as torch pad mode reflect', () => {
    // One row 0, 1, 0, 0: reflect padding sees 1, [0, 1, 0, 0], 0, so the first output is 2 k[0] (a zero pad would give k[0]).
    const row = new Tensor(Float32Array.of(0, 1, 0, 0), [1, 1, 4]);
    const y = gaussianBlur({ kernelSize: [3, 1], sigma: 1 })(row, new Generator(0));
    const e = Math.exp(-0.5), k0 = e / (1 + 2 * e);
    expect(y.data[0]).to.be.closeTo(2 * k0, 1e-7);
    expect(y.data[3]).to.be.closeTo(0, 1e-7);
  });

  it('draws sigma per call from the generator: same seed same image, other seed other image; a fixed sigma still draws once', () => {
    const t = gaussianBlur({ kernelSize: 3, sigma: [0.1, 2] });
    const a = t(x, new Generator(1));
    expect(Array.from(t(x, new Generator(1)).data)).to.deep.equal(Array.from(a.data));
    expect(Array.from(t(x, new Generator(2)).data)).to.not.deep.equal(Array.from(a.data));
    // The draw is sigma = uniform(0.1, 2): the fixed-sigma blur with that sigma gives the same bits.
    const sigma = new Generator(1).uniform(0.1, 2);
    expect(Array.from(gaussianBlur({ kernelSize: 3, sigma })(x, new Generator(99)).data)).to.deep.equal(Array.from(a.data));
    const g = new Generator(4), h = new Generator(4);
    gaussianBlur({ kernelSize: 3, sigma: 1 })(x, g);
    h.random();
    expect(g.getState()).to.deep.equal(h.getState());
    expect(Array.from(x.data)).to.deep.equal(Array.from(randomImage(3, 6, 7).data)); // the input is untouched
  });
});
