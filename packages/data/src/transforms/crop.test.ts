import { expect } from 'chai';
import { ArgumentError, Generator, Tensor } from '@tensorgrad/core';
import { centerCrop, crop, fiveCrop, pad, randomCrop, tenCrop } from './crop.js';
import { hflip } from './flip.js';
import { randomImage } from './flip.test.js';

describe('crops and padding', () => {
  const row = new Tensor(Float32Array.of(1, 2, 3), [1, 1, 3]);

  it('pads with a constant, the edge, or a reflection', () => {
    expect(Array.from(pad(2, { fill: 9 })(row, new Generator()).data.subarray(14, 21))).to.deep.equal([9, 9, 1, 2, 3, 9, 9]);
    expect(Array.from(crop(row, 0, -2, 1, 7, { paddingMode: 'edge' }).data)).to.deep.equal([1, 1, 1, 2, 3, 3, 3]);
    expect(Array.from(crop(row, 0, -4, 1, 11, { paddingMode: 'reflect' }).data)).to.deep.equal([1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3]);
  });

  for (const paddingMode of ['constant', 'edge', 'reflect'] as const) {
    it(`random crops have the right size and are windows of the ${paddingMode}-padded image`, () => {
      const x = randomImage(3, 8, 6);
      const padded = pad(3, { paddingMode, fill: 0.5 })(x, new Generator());
      const t = randomCrop([7, 5], { padding: 3, paddingMode, fill: 0.5 });
      const rng = new Generator(11);
      const corners = new Set<string>();
      for (let k = 0; k < 200; k++) {
        const y = t(x, rng);
        expect(y.shape).to.deep.equal([3, 7, 5]);
        const at = windows(padded, y);
        expect(at).to.have.length.greaterThan(0);
        corners.add(at[0]!);
      }
      expect(corners.size).to.be.greaterThan(40); // (14-7+1) * (12-5+1) = 64 possible windows
    });
  }

  for (const padding of [0, 2]) {
    it(`randomCrop with padding ${padding} draws every offset in [0, H-h]x[0, W-w] of the padded image, and no other`, () => {
      // Distinct pixels and a fill no pixel has: each crop matches exactly one window.
      const x = new Tensor(Float32Array.from({ length: 5 * 6 }, (_, i) => i + 1), [1, 5, 6]);
      const padded = pad(padding, { fill: -1 })(x, new Generator());
      const [H, W] = [5 + 2 * padding, 6 + 2 * padding];
      const t = randomCrop([3, 4], { padding, fill: -1 });
      const rng = new Generator(7);
      const counts = new Map<string, number>();
      for (let k = 0; k < 1500; k++) {
        const at = windows(padded, t(x, rng));
        expect(at, `draw ${k} is not a window of the padded image`).to.have.length(1);
        counts.set(at[0]!, (counts.get(at[0]!) ?? 0) + 1);
      }
      const expected: string[] = [];
      for (let top = 0; top <= H - 3; top++) for (let left = 0; left <= W - 4; left++) expected.push(`${top},${left}`);
      expect([...counts.keys()].sort()).to.deep.equal(expected.sort());
      // Uniform: each of the n offsets about 1500/n times (a lost offset doubles a neighbour).
      const mean = 1500 / expected.length;
      for (const [at, c] of counts) expect(c, `offset ${at}`).to.be.within(mean / 2.5, mean * 2.5);
    });
  }

  it('centerCrop, fiveCrop and tenCrop take the expected windows', () => {
    const x = randomImage(2, 6, 7);
    const g = new Generator();
    expect(Array.from(centerCrop(4)(x, g).data)).to.deep.equal(Array.from(crop(x, 1, 2, 4, 4).data));
    const five = fiveCrop([3, 4])(x, g);
    expect(five.shape).to.deep.equal([5, 2, 3, 4]);
    const part = (t: Tensor, k: number): number[] => Array.from(t.data.subarray(k * 24, (k + 1) * 24));
    expect(part(five, 3)).to.deep.equal(Array.from(crop(x, 3, 3, 3, 4).data));
    const ten = tenCrop([3, 4])(x, g);
    expect(ten.shape).to.deep.equal([10, 2, 3, 4]);
    expect(part(ten, 5)).to.deep.equal(Array.from(crop(hflip(x), 0, 0, 3, 4).data));
    expect(() => fiveCrop(8)(x, g)).to.throw(ArgumentError, 'fiveCrop: crop 8x8 is larger than the image 6x7');
    expect(() => randomCrop(20, { padding: 2 })(x, g)).to.throw(ArgumentError, 'larger than the padded image 10x11');
  });
});

/** Positions "top,left" where y occurs as a window of big. */
function windows(big: Tensor, y: Tensor): string[] {
  const [c, H, W] = big.shape as [number, number, number];
  const [, h, w] = y.shape as [number, number, number];
  const found: string[] = [];
  for (let top = 0; top + h <= H; top++) {
    for (let left = 0; left + w <= W; left++) {
      let ok = true;
      for (let ch = 0; ch < c && ok; ch++) {
        for (let i = 0; i < h && ok; i++) {
          for (let j = 0; j < w && ok; j++) ok = big.data[(ch * H + top + i) * W + left + j] === y.data[(ch * h + i) * w + j];
        }
      }
      if (ok) found.push(`${top},${left}`);
    }
  }
  return found;
}
