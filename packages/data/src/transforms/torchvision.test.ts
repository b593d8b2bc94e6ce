// The deterministic parts of the colour, grayscale, blur and erasing transforms against
// torchvision 0.14 (fixtures/make_transform_fixtures.py): a given factor, sigma or box. Their
// random parameters come from tensorgrad's generator, tested in each transform's own test file.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { Generator, Tensor } from '@tensorgrad/core';
import { gaussianBlur } from './blur.js';
import { adjustBrightness, adjustContrast, adjustSaturation } from './color.js';
import { erase } from './erasing.js';
import { grayscale } from './grayscale.js';
import { adjustHue } from './hue.js';

interface Fixed {
  shape: number[];
  data: number[];
}
interface Case {
  fn: 'adjustHue' | 'adjustBrightness' | 'adjustContrast' | 'adjustSaturation' | 'grayscale' | 'gaussianBlur' | 'erase';
  x: Fixed;
  y: Fixed;
  factor?: number;
  numOutputChannels?: 1 | 3;
  kernelSize?: number | [number, number];
  sigma?: number;
  box?: [number, number, number, number];
  value?: number | number[] | Fixed;
}

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/transforms.json', import.meta.url), 'utf8')) as { torchvision: string; cases: Case[] };
const load = (f: Fixed): Tensor => new Tensor(Float32Array.from(f.data), f.shape);

function run(c: Case, x: Tensor): Tensor {
  switch (c.fn) {
    case 'adjustHue': return adjustHue(x, c.factor!);
    case 'adjustBrightness': return adjustBrightness(x, c.factor!);
    case 'adjustContrast': return adjustContrast(x, c.factor!);
    case 'adjustSaturation': return adjustSaturation(x, c.factor!);
    case 'grayscale': return grayscale({ numOutputChannels: c.numOutputChannels })(x, new Generator(0));
    case 'gaussianBlur': return gaussianBlur({ kernelSize: c.kernelSize!, sigma: c.sigma })(x, new Generator(0));
    case 'erase': {
      const v = c.value!;
      const [top, left, h, w] = c.box!;
      return erase(x, top, left, h, w, typeof v === 'number' || Array.isArray(v) ? v : load(v));
    }
  }
}

const describeCase = (c: Case): string =>
  `${c.fn} ${JSON.stringify({ factor: c.factor, numOutputChannels: c.numOutputChannels, kernelSize: c.kernelSize, sigma: c.sigma, box: c.box, value: typeof c.value === 'object' && !Array.isArray(c.value) ? 'tensor' : c.value })} of ${JSON.stringify(c.x.shape)}`;

describe(`colour, grayscale, blur and erasing match torchvision ${fixtures.torchvision}`, () => {
  it('covers every function', () => {
    expect(new Set(fixtures.cases.map((c) => c.fn))).to.have.lengthOf(7);
  });

  for (const c of fixtures.cases) {
    it(describeCase(c), () => {
      const x = load(c.x);
      const before = Array.from(x.data);
      const y = run(c, x);
      expect(y.shape).to.deep.equal(c.y.shape);
      // torchvision computes in float32 (and the blur as one 2-d convolution); we sum in float64.
      y.data.forEach((v, i) => expect(v).to.be.closeTo(c.y.data[i]!, 2e-6, `element ${i}`));
      expect(Array.from(x.data)).to.deep.equal(before); // the input is untouched
    });
  }
});
