import { ArgumentError, Generator, type Tensor, add, tensor } from '@tensorgrad/core';
import { expect } from 'chai';
import { Linear } from '../layers/linear.js';
import { fmnistCnn } from '../models/fmnist-cnn.js';
import { lenet5 } from '../models/lenet.js';
import { Module } from './module.js';

describe('Module.summary', () => {
  it('lenet5: a row per call (the shared pool twice), output shapes, own parameters, totals', () => {
    expect(lenet5().summary([1, 1, 28, 28])).to.equal(
      [
        'Layer (type)        Output shape         Param #',
        '================================================',
        'LeNet5              [1, 10]                   --',
        '  conv1 (Conv2d)    [1, 6, 28, 28]           156',
        '  pool (MaxPool2d)  [1, 6, 14, 14]            --',
        '  conv2 (Conv2d)    [1, 16, 10, 10]        2,416',
        '  pool (MaxPool2d)  [1, 16, 5, 5]    (recursive)',
        '  fc1 (Linear)      [1, 120]              48,120',
        '  fc2 (Linear)      [1, 84]               10,164',
        '  fc3 (Linear)      [1, 10]                  850',
        '================================================',
        'Total params: 61,706',
        'Trainable params: 61,706',
        'Non-trainable params: 0',
      ].join('\n'),
    );
  });

  it('fmnistCnn: a Sequential, names 0..14, non-trainable parameters counted apart', () => {
    const model = fmnistCnn();
    model.at(1).parameters().forEach((p) => (p.requiresGrad = false)); // a frozen BatchNorm
    expect(model.summary([2, 1, 28, 28])).to.equal(
      [
        'Layer (type)       Output shape     Param #',
        '===========================================',
        'FmnistCnn          [2, 10]               --',
        '  0 (Conv2d)       [2, 32, 28, 28]      288',
        '  1 (BatchNorm2d)  [2, 32, 28, 28]       64',
        '  2 (MaxPool2d)    [2, 32, 14, 14]       --',
        '  3 (ReLU)         [2, 32, 14, 14]       --',
        '  4 (Conv2d)       [2, 64, 14, 14]   18,432',
        '  5 (BatchNorm2d)  [2, 64, 14, 14]      128',
        '  6 (MaxPool2d)    [2, 64, 7, 7]         --',
        '  7 (ReLU)         [2, 64, 7, 7]         --',
        '  8 (Conv2d)       [2, 128, 7, 7]    73,728',
        '  9 (BatchNorm2d)  [2, 128, 7, 7]       256',
        '  10 (MaxPool2d)   [2, 128, 3, 3]        --',
        '  11 (ReLU)        [2, 128, 3, 3]        --',
        '  12 (Flatten)     [2, 1152]             --',
        '  13 (Dropout)     [2, 1152]             --',
        '  14 (Linear)      [2, 10]           11,530',
        '===========================================',
        'Total params: 104,426',
        'Trainable params: 104,362',
        'Non-trainable params: 64',
      ].join('\n'),
    );
    expect(model.numParameters()).to.equal(104426);
  });

  it('changes no state: training flags, BatchNorm statistics, dropout draws, forward, graph', () => {
    const dropoutGenerator = new Generator(7);
    const model = fmnistCnn({ dropoutGenerator });
    model.at(3).eval(); // mixed modes are restored module by module
    const before = [...model.stateDict()].map(([k, t]): [string, number[]] => [k, Array.from(t.data)]);
    const state = dropoutGenerator.getState();
    model.summary([2, 1, 28, 28]);
    expect([...model.modules()].map((m) => m.training)).to.deep.equal([...model.modules()].map((m) => m !== model.at(3)));
    expect([...model.stateDict()].map(([k, t]): [string, number[]] => [k, Array.from(t.data)])).to.deep.equal(before);
    expect(dropoutGenerator.getState()).to.deep.equal(state);
    expect([...model.modules()].every((m) => !Object.hasOwn(m, 'forward'))).to.equal(true);
  });

  it('takes one shape per input, and describes tuple outputs', () => {
    class Pair extends Module<[Tensor, Tensor], [Tensor, Tensor]> {
      readonly a = new Linear(3, 2);
      readonly b = new Linear(4, 2);
      forward(x: Tensor, y: Tensor): [Tensor, Tensor] {
        const h = add(this.a.invoke(x), this.b.invoke(y));
        return [h, this.a.weight];
      }
    }
    expect(new Pair().summary([[5, 3], [5, 4]]).split('\n').slice(2, 5)).to.deep.equal([
      'Pair          ([5, 2], [2, 3])       --',
      '  a (Linear)  [5, 2]                  8',
      '  b (Linear)  [5, 2]                 10',
    ]);
  });

  it('runs in the dtype of the model', () => {
    expect(lenet5({ dtype: 'float64' }).summary([1, 1, 28, 28])).to.include('Total params: 61,706');
  });

  it('names a failed forward and the shapes tried, and leaves the module as it was', () => {
    const model = lenet5();
    expect(() => model.summary([1, 3, 28, 28])).to.throw(ArgumentError, /^LeNet5\.summary: the forward pass on zeros of shape \[1, 3, 28, 28\] \(float32\) failed: .*Conv2d/);
    expect([...model.modules()].every((m) => m.training && !Object.hasOwn(m, 'forward'))).to.equal(true);
    expect(() => model.summary([] as number[])).to.throw(ArgumentError, /LeNet5\.summary: inputShape must be a shape such as \[1, 3, 32, 32\]/);
    expect(() => model.summary([1, 1.5])).to.throw(ArgumentError, /inputShape must hold non-negative integers, got \[1,1.5\]/);
    expect(() => model.summary(tensor([1]) as never)).to.throw(ArgumentError, /inputShape must be a shape/);
  });
});
