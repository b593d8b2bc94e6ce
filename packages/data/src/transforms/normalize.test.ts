import { expect } from 'chai';
import { ArgumentError, Generator, Tensor } from '@tensorgrad/core';
import { denormalize, normalize } from './normalize.js';
import { randomImage } from './flip.test.js';
import { toTensor } from './to-tensor.js';

describe('toTensor and normalize', () => {
  const g = new Generator();

  it('toTensor turns HWC uint8 into CHW float in [0, 1]', () => {
    const raw = { data: Uint8Array.of(0, 255, 51, 102, 204, 0), height: 1, width: 2, channels: 3 };
    const x = toTensor()(raw, g);
    expect(x.shape).to.deep.equal([3, 1, 2]);
    expect(Array.from(x.data)).to.deep.equal([0, 102 / 255, 1, 204 / 255, 51 / 255, 0].map(Math.fround));
  });

  it('normalizes each channel and denormalize inverts it', () => {
    const mean = [0.485, 0.456, 0.406], std = [0.229, 0.224, 0.225];
    const x = randomImage(3, 4, 5);
    const y = normalize(mean, std)(x, g);
    expect(y.data[20]).to.be.closeTo((x.data[20]! - 0.456) / 0.224, 1e-6);
    const back = denormalize(mean, std)(y, g);
    back.data.forEach((v, i) => expect(v).to.be.closeTo(x.data[i]!, 1e-6));
  });

  it('broadcasts one statistic and checks its arguments', () => {
    const x = new Tensor(Float32Array.of(1, 3), [2, 1, 1]);
    expect(Array.from(normalize([1], [2])(x, g).data)).to.deep.equal([0, 1]);
    expect(Array.from(normalize(1, 2)(x, g).data)).to.deep.equal([0, 1]);
    expect(() => normalize([0, 0], [1, 0])).to.throw(ArgumentError, 'normalize: std[1] must be a finite number > 0, got 0');
    expect(() => normalize([0, 0, 0], [1, 1, 1])(x, g)).to.throw(ArgumentError, 'normalize: 3 channel statistics for an image with 2 channels');
  });
});
