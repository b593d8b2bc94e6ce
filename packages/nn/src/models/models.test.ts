// Structure of the models against torchvision: parameter counts, and state-dict names, shapes
// and dtypes equal to those in fixtures/torchvision-state-keys.json (written by
// scripts/torchvision-state-keys.py from torchvision 0.14).
import { readFileSync } from 'node:fs';
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
    it(`${name}: ${count.toLocaleString('en')} parameters and torchvision's state-dict names, shapes and dtypes`, () => {
      const model = make();
      const expected = torchvision[name]!;
      expect(model.numParameters()).to.equal(count);
      expect(expected.parameters).to.equal(count);
      expect(stateSignature(model)).to.deep.equal(expected.state.map(([k, s, d]) => [k, s, TORCH_DTYPES[d]]));
    });
  }
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
