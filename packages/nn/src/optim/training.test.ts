// End to end: a small CNN (conv → BN → ReLU → pool → conv → ReLU → global pool → linear) fits a
// tiny fixed batch of random images with random labels, which needs every gradient to be right.
import { Generator, type Tensor, crossEntropy, randn, tensor } from '@tensorgrad/core';
import { expect } from 'chai';
import { ReLU } from '../layers/activation.js';
import { BatchNorm2d } from '../layers/batchnorm.js';
import { Conv2d } from '../layers/conv.js';
import { Linear } from '../layers/linear.js';
import { Flatten } from '../layers/misc.js';
import { AdaptiveAvgPool2d, MaxPool2d } from '../layers/pooling.js';
import { Sequential } from '../module/containers.js';
import { Adam } from './adam.js';
import type { Optimizer } from './optimizer.js';
import { SGD } from './sgd.js';

function smallCnn(seed: number): Sequential {
  const generator = new Generator(seed);
  return new Sequential(
    new Conv2d(3, 8, 3, { padding: 1, generator }), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2),
    new Conv2d(8, 16, 3, { padding: 1, generator }), new ReLU(), new AdaptiveAvgPool2d(1), new Flatten(),
    new Linear(16, 4, { generator }),
  );
}

function fit(model: Sequential, opt: Optimizer<any>, steps: number): number[] {
  const x = randn([8, 3, 8, 8], { generator: new Generator(11) });
  const y = tensor([0, 1, 2, 3, 3, 2, 1, 0], { dtype: 'int32' });
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    const loss: Tensor = crossEntropy(model.invoke(x), y);
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  return losses;
}

describe('training a small CNN on a tiny fixed batch', () => {
  it('SGD with momentum drives the loss to near zero', () => {
    const model = smallCnn(1);
    const losses = fit(model, new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }), 80);
    expect(losses[0]).to.be.greaterThan(1);
    expect(losses.at(-1)).to.be.below(0.02);
  });

  it('Adam drives the loss to near zero', () => {
    const model = smallCnn(2);
    const losses = fit(model, new Adam(model.parameters(), { lr: 0.02 }), 80);
    expect(losses[0]).to.be.greaterThan(1);
    expect(losses.at(-1)).to.be.below(0.02);
  });
});
