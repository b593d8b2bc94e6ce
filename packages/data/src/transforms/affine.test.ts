import { expect } from 'chai';
import { Generator, Tensor } from '@tensorgrad/core';
import { affine, randomAffine, randomRotation, randomTranslate } from './affine.js';
import { hflip, vflip } from './flip.js';
import { randomImage } from './flip.test.js';

function transpose(x: Tensor): Tensor {
  const [c, h, w] = x.shape as [number, number, number];
  const out = new Float32Array(x.size);
  for (let ch = 0; ch < c; ch++) for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) out[(ch * w + j) * h + i] = x.data[(ch * h + i) * w + j]!;
  return new Tensor(out, [c, w, h]);
}

function expectClose(a: Tensor, b: Tensor, tol = 1e-5): void {
  expect(a.shape).to.deep.equal(b.shape);
  a.data.forEach((v, i) => expect(v).to.be.closeTo(b.data[i]!, tol));
}

describe('affine transforms', () => {
  const g = new Generator(0);
  for (const size of [4, 5]) {
    const x = randomImage(2, size, size, size);
    it(`a 90° rotation of a square ${size}x${size} image is transpose then flip`, () => {
      for (const interpolation of ['bilinear', 'nearest'] as const) {
        expectClose(affine({ angle: 90 }, { interpolation })(x, g), vflip(transpose(x)));
        expectClose(affine({ angle: -90 }, { interpolation })(x, g), hflip(transpose(x)));
        expectClose(affine({ angle: 180 }, { interpolation })(x, g), hflip(vflip(x)));
      }
    });
  }

  it('turns counter-clockwise for positive angles', () => {
    const x = new Tensor(Float32Array.of(1, 2, 3, 4), [1, 2, 2]);
    expectClose(affine({ angle: 90 })(x, g), new Tensor(Float32Array.of(2, 4, 1, 3), [1, 2, 2]));
  });

  it('rotation by zero and randomRotation(0) are the identity', () => {
    const x = randomImage(3, 6, 5);
    expectClose(randomRotation(0)(x, g), x, 1e-7);
    expectClose(randomAffine({})(x, g), x, 1e-7);
  });

  it('fills what comes from outside the image', () => {
    const x = randomImage(1, 9, 9);
    const y = randomRotation([45, 45], { fill: -1 })(x, g);
    expect(y.data[0]).to.equal(-1); // the corner maps from outside a 45° turned square
    expect(y.data[4 * 9 + 4]).to.be.closeTo(x.data[4 * 9 + 4]!, 1e-6); // the centre stays
  });

  it('randomTranslate shifts by whole pixels within the bound, filling the rest', () => {
    const x = randomImage(1, 10, 10);
    const t = randomTranslate(0.2, { fill: 7 });
    const rng = new Generator(3);
    for (let k = 0; k < 20; k++) {
      const y = t(x, rng);
      const shifts: Array<[number, number]> = [];
      for (let dy = -2; dy <= 2; dy++) {
        for (let dx = -2; dx <= 2; dx++) {
          let ok = true;
          for (let i = 0; i < 10 && ok; i++) {
            for (let j = 0; j < 10 && ok; j++) {
              const si = i - dy, sj = j - dx;
              const expected = si >= 0 && si < 10 && sj >= 0 && sj < 10 ? x.data[si * 10 + sj]! : 7;
              ok = y.data[i * 10 + j] === expected;
            }
          }
          if (ok) shifts.push([dx, dy]);
        }
      }
      expect(shifts).to.have.length(1);
    }
  });

  it('randomAffine scale and shear keep the image size and the centre pixel', () => {
    const x = randomImage(3, 9, 9);
    const y = randomAffine({ degrees: 30, scale: [0.8, 1.2], shear: 10 })(x, new Generator(2));
    expect(y.shape).to.deep.equal([3, 9, 9]);
    expect(y.data[4 * 9 + 4]).to.be.closeTo(x.data[4 * 9 + 4]!, 1e-6);
  });
});
