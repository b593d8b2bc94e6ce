import { expect } from 'chai';
import { Generator, Tensor } from '@tensorgrad/core';
import { erase, randomErasing } from './erasing.js';
import { randomImage } from './flip.test.js';

/** The box where y differs from x: [top, left, height, width], or null when nothing changed. */
function changedBox(x: Tensor, y: Tensor): [number, number, number, number] | null {
  const [c, h, w] = x.shape as [number, number, number];
  let top = h, left = w, bottom = -1, right = -1;
  for (let ch = 0; ch < c; ch++) {
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        if (x.data[(ch * h + i) * w + j] === y.data[(ch * h + i) * w + j]) continue;
        top = Math.min(top, i), left = Math.min(left, j), bottom = Math.max(bottom, i), right = Math.max(right, j);
      }
    }
  }
  return bottom < 0 ? null : [top, left, bottom - top + 1, right - left + 1];
}

/** torchvision's get_params, replayed on a generator: the box and how many tries it took. */
function replay(g: Generator, h: number, w: number, scale: [number, number], ratio: [number, number]): [number, number, number, number] | null {
  for (let attempt = 0; attempt < 10; attempt++) {
    const area = h * w * g.uniform(scale[0], scale[1]);
    const r = Math.exp(g.uniform(Math.log(ratio[0]), Math.log(ratio[1])));
    const eh = Math.round(Math.sqrt(area * r)), ew = Math.round(Math.sqrt(area / r));
    if (eh < h && ew < w) return [g.randint(0, h - eh + 1), g.randint(0, w - ew + 1), eh, ew];
  }
  return null;
}

describe('erase and randomErasing', () => {
  const x = randomImage(3, 8, 10);
  const copy = Array.from(x.data);

  it('erase fills the box (one value, one per channel, a tensor) and leaves the rest and its input alone', () => {
    const y = erase(x, 2, 3, 4, 5, [-1, -2, -3]);
    expect(changedBox(x, y)).to.deep.equal([2, 3, 4, 5]);
    for (let ch = 0; ch < 3; ch++) expect(y.data[(ch * 8 + 5) * 10 + 7]).to.equal(-(ch + 1));
    expect(Array.from(x.data)).to.deep.equal(copy);
    const fill = randomImage(3, 1, 2, 9);
    const z = erase(x, 7, 8, 1, 2, fill);
    expect([z.data[79], z.data[80 + 79], z.data[160 + 79]]).to.deep.equal([fill.data[1], fill.data[3], fill.data[5]]);
    expect(Array.from(erase(x, 1, 1, 0, 3, 5).data)).to.deep.equal(copy); // an empty box
  });

  it('erase inplace writes into its input and bumps its version', () => {
    const own = randomImage(1, 3, 3);
    const version = own.version.value;
    expect(erase(own, 0, 0, 1, 1, 7, { inplace: true })).to.equal(own);
    expect(own.data[0]).to.equal(7);
    expect(own.version.value).to.equal(version + 1);
  });

  it('randomErasing erases the box of torchvision\'s sampler (10 tries, log-uniform ratio) drawn from the generator', () => {
    const t = randomErasing({ p: 1, scale: [0.05, 0.4], ratio: [0.5, 2], value: 0.5 });
    let erased = 0;
    for (let seed = 0; seed < 50; seed++) {
      const g = new Generator(seed);
      g.random(); // the p draw
      const box = replay(g, 8, 10, [0.05, 0.4], [0.5, 2]);
      const y = t(x, new Generator(seed));
      if (box === null || box[2] === 0 || box[3] === 0) {
        expect(y.data).to.deep.equal(x.data);
        continue;
      }
      erased++;
      expect(changedBox(x, y)).to.deep.equal(box);
      expect(Array.from(erase(x, ...box, 0.5).data)).to.deep.equal(Array.from(y.data));
    }
    expect(erased).to.be.at.least(45);
    expect(Array.from(x.data)).to.deep.equal(copy);
  });

  it('gives up after 10 tries that do not fit, returning the image', () => {
    // Boxes of at least 90% of the area with ratios of 4 or more never fit 8 x 10.
    const t = randomErasing({ p: 1, scale: [0.9, 1], ratio: [4, 8] });
    const g = new Generator(3), h = new Generator(3);
    expect(t(x, g)).to.equal(x);
    for (let k = 0; k < 1 + 20; k++) h.random(); // p, then 10 x (area, ratio)
    expect(g.getState()).to.deep.equal(h.getState());
  });

  it("value 'random' fills the box with standard normal draws, made before the position's", () => {
    const t = randomErasing({ p: 1, scale: [0.2, 0.2], ratio: [1, 1], value: 'random' });
    const g = new Generator(5);
    g.random();
    g.uniform(0.2, 0.2);
    g.uniform(0, 0);
    const side = Math.round(Math.sqrt(80 * 0.2)); // 4
    const noise = Float32Array.from({ length: 3 * side * side }, () => g.normal());
    const top = g.randint(0, 8 - side + 1), left = g.randint(0, 10 - side + 1);
    const y = t(x, new Generator(5));
    expect(Array.from(y.data)).to.deep.equal(Array.from(erase(x, top, left, side, side, new Tensor(noise, [3, side, side])).data));
  });

  it('erases with probability p; same seed same output, another seed another; inplace only when asked', () => {
    const t = randomErasing();
    const g = new Generator(7);
    let erased = 0;
    for (let k = 0; k < 400; k++) if (t(x, g) !== x) erased++;
    expect(erased / 400).to.be.closeTo(0.5, 0.08);
    const s = randomErasing({ p: 1, value: [0.1, 0.2, 0.3] });
    expect(Array.from(s(x, new Generator(1)).data)).to.deep.equal(Array.from(s(x, new Generator(1)).data));
    expect(Array.from(s(x, new Generator(1)).data)).to.not.deep.equal(Array.from(s(x, new Generator(2)).data));
    expect(Array.from(x.data)).to.deep.equal(copy);
    const own = randomImage(3, 8, 10);
    const y = randomErasing({ p: 1, inplace: true })(own, new Generator(1));
    expect(y).to.equal(own);
    expect(Array.from(own.data)).to.deep.equal(Array.from(erase(x, ...replayFrom(1), 0).data));
  });
});

function replayFrom(seed: number): [number, number, number, number] {
  const g = new Generator(seed);
  g.random();
  return replay(g, 8, 10, [0.02, 0.33], [0.3, 3.3])!;
}
