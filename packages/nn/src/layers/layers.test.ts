import { ArgumentError, Generator, ShapeError, type Tensor, randn, tensor } from '@tensorgrad/core';
import { expect } from 'chai';
import { ReLU, Sigmoid, Softmax } from './activation.js';
import { BatchNorm1d, BatchNorm2d } from './batchnorm.js';
import { Conv2d, ConvTranspose2d } from './conv.js';
import { LayerNorm } from './layernorm.js';
import { Linear } from './linear.js';
import { Dropout, Flatten, Identity, LocalResponseNorm } from './misc.js';
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from './pooling.js';

const values = (t: Tensor): number[] => Array.from(t.data);

/** Per-channel mean and biased variance of an NCHW tensor. */
function channelStats(t: Tensor): { mean: number[]; variance: number[] } {
  const [n, c, h, w] = t.shape as [number, number, number, number];
  const mean: number[] = [];
  const variance: number[] = [];
  for (let ch = 0; ch < c; ch++) {
    const xs: number[] = [];
    for (let i = 0; i < n; i++) for (let j = 0; j < h * w; j++) xs.push(t.data[(i * c + ch) * h * w + j]!);
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    mean.push(m);
    variance.push(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
  }
  return { mean, variance };
}

describe('layers', () => {
  it('Linear computes x·Wᵀ + b and has PyTorch default init bounds', () => {
    const fc = new Linear(2, 3, { dtype: 'float64' });
    fc.weight.copy_(tensor([[1, 2], [3, 4], [5, 6]], { dtype: 'float64' }));
    fc.bias!.copy_(tensor([0.5, 0, -1], { dtype: 'float64' }));
    expect(values(fc.invoke(tensor([[1, -1]], { dtype: 'float64' })))).to.deep.equal([-0.5, -1, -2]);
    const big = new Linear(100, 50, { generator: new Generator(1) });
    expect(Math.max(...values(big.weight).map(Math.abs))).to.be.within(0.09, 0.1);
    expect(Math.max(...values(big.bias!).map(Math.abs))).to.be.within(0.08, 0.1);
  });

  it('Conv2d and ConvTranspose2d: weight shapes, output shapes, default init from fan_in', () => {
    const conv = new Conv2d(4, 6, 3, { stride: 2, padding: 1, groups: 2, generator: new Generator(2) });
    expect(conv.weight.shape).to.deep.equal([6, 2, 3, 3]);
    // fan_in = 2·3·3 = 18, bound 1/√18
    expect(Math.max(...values(conv.weight).map(Math.abs))).to.be.within(0.2, 1 / Math.sqrt(18));
    expect(conv.invoke(randn([2, 4, 8, 8])).shape).to.deep.equal([2, 6, 4, 4]);
    const up = new ConvTranspose2d(6, 4, 3, { stride: 2, padding: 1, outputPadding: 1 });
    expect(up.weight.shape).to.deep.equal([6, 4, 3, 3]);
    expect(up.invoke(randn([1, 6, 4, 4])).shape).to.deep.equal([1, 4, 8, 8]);
    expect(() => conv.invoke(randn([2, 3, 8, 8]))).to.throw(ShapeError, /Conv2d: expected input \[N, 4, H, W\], got \[2,3,8,8\]/);
    expect(() => new Conv2d(4, 6, 3, { groups: 4 })).to.throw(ArgumentError, /outChannels \(6\) must both be divisible by groups \(4\)/);
    expect(() => new Linear(0, 2)).to.throw(ArgumentError, /Linear: inFeatures must be a positive integer, got 0/);
  });

  it('BatchNorm2d: training normalises with batch statistics and updates running ones; eval uses the running ones', () => {
    const bn = new BatchNorm2d(3, { dtype: 'float64' });
    const x = randn([4, 3, 5, 5], { dtype: 'float64', generator: new Generator(3) });
    const batch = channelStats(x);
    const y = bn.invoke(x);
    const out = channelStats(y);
    out.mean.forEach((m) => expect(m).to.be.closeTo(0, 1e-12));
    out.variance.forEach((v, c) => expect(v).to.be.closeTo(batch.variance[c]! / (batch.variance[c]! + 1e-5), 1e-12));
    // running = 0.9·initial + 0.1·batch, with the unbiased variance (n = 100 values per channel)
    values(bn.runningMean!).forEach((m, c) => expect(m).to.be.closeTo(0.1 * batch.mean[c]!, 1e-12));
    values(bn.runningVar!).forEach((v, c) => expect(v).to.be.closeTo(0.9 + 0.1 * batch.variance[c]! * (100 / 99), 1e-12));
    expect(bn.numBatchesTracked!.item()).to.equal(1);

    bn.eval();
    const rm = values(bn.runningMean!);
    const rv = values(bn.runningVar!);
    const z = bn.invoke(x);
    expect(bn.numBatchesTracked!.item()).to.equal(1);
    expect(values(bn.runningMean!)).to.deep.equal(rm);
    z.data.forEach((v, i) => {
      const c = Math.floor(i / 25) % 3;
      expect(v).to.be.closeTo((x.data[i]! - rm[c]!) / Math.sqrt(rv[c]! + 1e-5), 1e-12);
    });
  });

  it('BatchNorm with momentum null keeps a cumulative average; BatchNorm1d takes [N, C]', () => {
    const bn = new BatchNorm1d(2, { momentum: null, dtype: 'float64' });
    bn.invoke(tensor([[1, 10], [3, 30]], { dtype: 'float64' }));
    bn.invoke(tensor([[5, 50], [7, 70]], { dtype: 'float64' }));
    expect(values(bn.runningMean!)).to.deep.equal([4, 40]);
    expect(bn.numBatchesTracked!.item()).to.equal(2);
    expect(() => bn.invoke(randn([1, 2], { dtype: 'float64' }))).to.throw(ShapeError, /more than 1 value per channel/);
    expect(bn.numBatchesTracked!.item()).to.equal(2);
    expect(values(bn.runningMean!)).to.deep.equal([4, 40]);
    expect(() => bn.invoke(randn([2, 3]))).to.throw(ShapeError, /BatchNorm1d: expected input \[N, 2\] or \[N, 2, ·\], got \[2,3\]/);
    expect(() => new BatchNorm2d(2).invoke(randn([2, 2, 3]))).to.throw(ShapeError, /BatchNorm2d: expected input \[N, 2, ·, ·\]/);
  });

  it('Dropout: zeroes with probability p and scales by 1/(1-p) while training, identity in eval, seedable', () => {
    const x = randn([10_000]);
    const drop = new Dropout(0.25, { generator: new Generator(7) });
    const y = drop.invoke(x);
    let zeros = 0;
    y.data.forEach((v, i) => {
      if (v === 0) zeros++;
      else expect(v).to.be.closeTo(x.data[i]! / 0.75, 1e-6);
    });
    expect(zeros / 10_000).to.be.closeTo(0.25, 0.02);
    expect(values(new Dropout(0.25, { generator: new Generator(7) }).invoke(x))).to.deep.equal(values(y));
    expect(drop.eval().invoke(x)).to.equal(x);
    expect(() => new Dropout(1.5)).to.throw(ArgumentError, /Dropout: p must be in \[0, 1\], got 1.5/);
  });

  it('pooling, LRN, LayerNorm, Flatten, Identity and activations compute the right shapes and values', () => {
    const x = tensor([[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]]]);
    expect(values(new MaxPool2d(2).invoke(x))).to.deep.equal([6, 8, 14, 16]);
    expect(values(new AvgPool2d(2).invoke(x))).to.deep.equal([3.5, 5.5, 11.5, 13.5]);
    expect(new MaxPool2d(3, { stride: 2, ceilMode: true }).invoke(x).shape).to.deep.equal([1, 1, 2, 2]);
    expect(values(new AdaptiveAvgPool2d(1).invoke(x))).to.deep.equal([8.5]);
    // LRN over a single channel: x / (k + α·x²/n)^β
    const lrn = values(new LocalResponseNorm(5, { alpha: 1, beta: 0.5, k: 2 }).invoke(tensor([[[[3]]]])));
    expect(lrn[0]).to.be.closeTo(3 / Math.sqrt(2 + 9 / 5), 1e-6);
    const ln = new LayerNorm(4).invoke(tensor([[1, 2, 3, 4]]));
    expect(values(ln)[0]).to.be.closeTo(-1.5 / Math.sqrt(1.25 + 1e-5), 1e-5);
    expect(() => new LayerNorm(3).invoke(tensor([[1, 2, 3, 4]]))).to.throw(ShapeError, /LayerNorm: input \[1,4\] must end with the normalized shape \[3\]/);
    expect(new Flatten().invoke(x).shape).to.deep.equal([1, 16]);
    expect(new Identity().invoke(x)).to.equal(x);
    expect(values(new ReLU().invoke(tensor([-1, 2])))).to.deep.equal([0, 2]);
    expect(values(new Sigmoid().invoke(tensor([0])))).to.deep.equal([0.5]);
    expect(values(new Softmax(1).invoke(tensor([[0, 0]])))).to.deep.equal([0.5, 0.5]);
  });

  it('gradients flow to every parameter of a layer stack', () => {
    const conv = new Conv2d(2, 3, 3, { padding: 1 });
    const bn = new BatchNorm2d(3);
    const out = bn.invoke(conv.invoke(randn([2, 2, 4, 4])));
    out.backward(randn(out.shape));
    for (const p of [...conv.parameters(), ...bn.parameters()]) expect(p.grad?.shape).to.deep.equal(p.shape);
  });
});
