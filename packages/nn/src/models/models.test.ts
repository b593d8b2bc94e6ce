// Structure of the models against torchvision: parameter counts, and state-dict names, shapes
// and dtypes equal to those in fixtures/torchvision-state-keys.json (written by
// scripts/torchvision-state-keys.py from torchvision 0.14).
import { readFileSync } from 'node:fs';
import { Generator, type Tensor, noGrad, randn } from '@tensorgrad/core';
import { expect } from 'chai';
import type { Module } from '../module/module.js';
import { alexnet } from './alexnet.js';
import { resnet20, resnet32, resnet56 } from './cifar-resnet.js';
import { googlenet } from './googlenet.js';
import { lenet5 } from './lenet.js';
import { resnet101, resnet18, resnet34, resnet50 } from './resnet.js';
import { zfnet } from './zfnet.js';

interface TorchvisionModel {
  parameters: number;
  state: [string, number[], string][];
}
const torchvision = JSON.parse(readFileSync(new URL('../../fixtures/torchvision-state-keys.json', import.meta.url), 'utf8')) as Record<string, TorchvisionModel>;

// torchvision's int64 num_batches_tracked is int32 here (no int64 dtype); checkpoints convert.
const TORCH_DTYPES: Record<string, string> = { float32: 'float32', int64: 'int32' };

function stateSignature(m: Module<any, any>): [string, number[], string][] {
  return [...m.stateDict()].map(([k, t]) => [k, [...t.shape], t.dtype]);
}

// One 224×224 image for every ImageNet model (a forward takes 0.2–2 s in pure JS).
const image = randn([1, 3, 224, 224], { generator: new Generator(0) });
const forward = (m: Module<any, any>, x: Tensor): Tensor => noGrad(() => m.eval().invoke(x));

describe('models match torchvision', () => {
  const cases: [string, () => Module<any, any>, number][] = [
    ['alexnet', () => alexnet({ skipInit: true }), 61_100_840],
    ['resnet18', () => resnet18({ skipInit: true }), 11_689_512],
    ['resnet34', () => resnet34({ skipInit: true }), 21_797_672],
    ['resnet50', () => resnet50({ skipInit: true }), 25_557_032],
    ['resnet101', () => resnet101({ skipInit: true }), 44_549_160],
    ['googlenet', () => googlenet({ skipInit: true }), 6_624_904],
    ['googlenet_aux', () => googlenet({ auxLogits: true, skipInit: true }), 13_004_888],
  ];
  for (const [name, make, count] of cases) {
    it(`${name}: ${count.toLocaleString('en')} parameters, torchvision's state-dict names, shapes and dtypes; 1×3×224×224 → 1×1000`, () => {
      const model = make();
      const expected = torchvision[name]!;
      expect(model.numParameters()).to.equal(count);
      expect(expected.parameters).to.equal(count);
      expect(stateSignature(model)).to.deep.equal(expected.state.map(([k, s, d]) => [k, s, TORCH_DTYPES[d]]));
      // resnet101 and googlenet_aux share their forward path with resnet50 and googlenet.
      if (name !== 'resnet101' && name !== 'googlenet_aux') expect(forward(model, image).shape).to.deep.equal([1, 1000]);
    });
  }

  it('googlenet with aux classifiers returns their logits while training, and only the main ones in eval', () => {
    const model = googlenet({ auxLogits: true, numClasses: 10, skipInit: true });
    const x = randn([2, 3, 224, 224], { generator: new Generator(1) });
    const out = noGrad(() => model.train().forwardWithAux(x));
    expect([out.logits.shape, out.aux1?.shape, out.aux2?.shape]).to.deep.equal([[2, 10], [2, 10], [2, 10]]);
    const evalOut = noGrad(() => model.eval().forwardWithAux(x));
    expect([evalOut.aux1, evalOut.aux2]).to.deep.equal([null, null]);
  });

  it("googlenet's transformInput rescales ImageNet-normalised inputs to (x - 0.5) / 0.5 before conv1", () => {
    const a = googlenet({ numClasses: 3, generator: new Generator(4) }).eval();
    const b = googlenet({ numClasses: 3, transformInput: true, skipInit: true }).eval();
    b.loadStateDict(a.stateDict());
    const pixels = randn([1, 3, 64, 64], { generator: new Generator(5) }); // values in [0, 1] space
    const mean = [0.485, 0.456, 0.406];
    const std = [0.229, 0.224, 0.225];
    const normalised = pixels.clone();
    const halfScaled = pixels.clone();
    normalised.data.forEach((v, i) => {
      const c = Math.floor(i / 4096);
      normalised.data[i] = (v - mean[c]!) / std[c]!;
      halfScaled.data[i] = (v - 0.5) / 0.5;
    });
    const ya = forward(a, halfScaled);
    const yb = forward(b, normalised);
    ya.data.forEach((v, i) => expect(yb.data[i]).to.be.closeTo(v, 1e-4));
  });
});

describe('models documented here', () => {
  it('parameter counts of the paper AlexNet, ZFNet, LeNet-5 and the CIFAR ResNets', () => {
    expect(alexnet({ variant: 'paper', skipInit: true }).numParameters()).to.equal(62_378_344);
    expect(zfnet({ skipInit: true }).numParameters()).to.equal(62_357_608);
    expect(lenet5().numParameters()).to.equal(61_706);
    expect(lenet5({ inputSize: 32, inChannels: 3 }).numParameters()).to.equal(62_006);
    // He et al. report 0.27M, 0.46M and 0.85M for option A; option B adds two 1×1 projections + BN.
    expect(resnet20().numParameters()).to.equal(269_722);
    expect(resnet32().numParameters()).to.equal(464_154);
    expect(resnet56().numParameters()).to.equal(853_018);
    expect(resnet20({ shortcut: 'B' }).numParameters()).to.equal(269_722 + (16 * 32 + 2 * 32) + (32 * 64 + 2 * 64));
  });

  it('forward shapes of the paper AlexNet, ZFNet (with its layer table), LeNet-5 and the CIFAR ResNets', () => {
    expect(forward(alexnet({ variant: 'paper', skipInit: true }), image).shape).to.deep.equal([1, 1000]);
    const zf = zfnet({ skipInit: true, numClasses: 10 }).eval();
    const shapes: number[][] = [];
    noGrad(() => [...zf.features].reduce((h, layer) => {
      const out = layer.invoke(h);
      shapes.push([...out.shape]);
      return out;
    }, image));
    expect([shapes[0], shapes[3], shapes[4], shapes[7], shapes[8], shapes[14]]).to.deep.equal([
      [1, 96, 110, 110], [1, 96, 55, 55], [1, 256, 26, 26], [1, 256, 13, 13], [1, 384, 13, 13], [1, 256, 6, 6],
    ]);
    expect(forward(zf, image).shape).to.deep.equal([1, 10]);
    expect(forward(lenet5(), randn([2, 1, 28, 28])).shape).to.deep.equal([2, 10]);
    expect(forward(lenet5({ inputSize: 32, inChannels: 3 }), randn([2, 3, 32, 32])).shape).to.deep.equal([2, 10]);
    expect(forward(resnet20(), randn([2, 3, 32, 32])).shape).to.deep.equal([2, 10]);
    expect(forward(resnet20({ shortcut: 'B', numClasses: 100 }), randn([2, 3, 28, 28])).shape).to.deep.equal([2, 100]);
  });

  it('the option A shortcut subsamples and zero-pads channels', () => {
    const block = resnet20().layer2.at(0) as unknown as { downsample: Module<any, any> };
    const x = randn([1, 16, 4, 4]);
    const y = block.downsample.invoke(x);
    expect(y.shape).to.deep.equal([1, 32, 2, 2]);
    expect(y.data[0]).to.equal(x.data[0]);
    expect(y.data[1]).to.equal(x.data[2]);
    expect(y.data[2]).to.equal(x.data[8]);
    expect(Array.from(y.data.slice(16 * 4))).to.deep.equal(new Array(16 * 4).fill(0));
  });

  it('the paper AlexNet has LRN after the first two convolutions and its paper initialisation', () => {
    const m = alexnet({ variant: 'paper', numClasses: 10 });
    expect([...m.features].map((l) => l.constructor.name)).to.deep.equal([
      'Conv2d', 'ReLU', 'LocalResponseNorm', 'MaxPool2d', 'Conv2d', 'ReLU', 'LocalResponseNorm', 'MaxPool2d',
      'Conv2d', 'ReLU', 'Conv2d', 'ReLU', 'Conv2d', 'ReLU', 'MaxPool2d',
    ]);
    const sd = m.stateDict();
    expect(Array.from(sd.get('features.4.bias')!.data.slice(0, 3))).to.deep.equal([1, 1, 1]);
    expect(Array.from(sd.get('features.0.bias')!.data.slice(0, 3))).to.deep.equal([0, 0, 0]);
    const w = sd.get('classifier.1.weight')!.data;
    let sq = 0;
    for (let i = 0; i < 100_000; i++) sq += w[i]! ** 2;
    expect(Math.sqrt(sq / 100_000)).to.be.closeTo(0.01, 0.0002);
  });
});
