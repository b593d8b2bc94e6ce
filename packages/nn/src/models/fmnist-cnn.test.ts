// fmnistCnn: the training job's network, moved here from the examples. It must build exactly the
// network the job defined before (same layers in the same order, so the same state-dict names and
// the same initial weights from the same generator, and the same dropout masks), so results and
// checkpoints of the job are unchanged.
import { ArgumentError, Generator, type Tensor, randn } from '@tensorgrad/core';
import { expect } from 'chai';
import { ReLU } from '../layers/activation.js';
import { BatchNorm2d } from '../layers/batchnorm.js';
import { Conv2d } from '../layers/conv.js';
import { Linear } from '../layers/linear.js';
import { Dropout, Flatten } from '../layers/misc.js';
import { MaxPool2d } from '../layers/pooling.js';
import { Sequential } from '../module/containers.js';
import type { Module } from '../module/module.js';
import { FmnistCnn, fmnistCnn } from './fmnist-cnn.js';

/** The definition the training job had in packages/examples/src/train/models.ts. */
function reference(generator: Generator, dropoutGenerator: Generator): Sequential {
  const stage = (cin: number, cout: number): Module[] => [
    new Conv2d(cin, cout, 3, { padding: 1, bias: false, generator }), new BatchNorm2d(cout), new MaxPool2d(2), new ReLU(),
  ];
  return new Sequential(
    ...stage(1, 32), ...stage(32, 64), ...stage(64, 128),
    new Flatten(), new Dropout(0.2, { generator: dropoutGenerator }), new Linear(128 * 3 * 3, 10, { generator }),
  );
}

const bytes = (t: Tensor): Buffer => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);

describe('fmnistCnn', () => {
  it("has the training job's layers, state-dict names and 104,426 parameters", () => {
    const m = fmnistCnn();
    expect(m).to.be.instanceOf(FmnistCnn).and.instanceOf(Sequential);
    expect(m.numParameters()).to.equal(104_426);
    expect([...m].map((l) => l.constructor.name)).to.deep.equal([
      'Conv2d', 'BatchNorm2d', 'MaxPool2d', 'ReLU', 'Conv2d', 'BatchNorm2d', 'MaxPool2d', 'ReLU',
      'Conv2d', 'BatchNorm2d', 'MaxPool2d', 'ReLU', 'Flatten', 'Dropout', 'Linear',
    ]);
    const names = [...m.stateDict().keys()];
    expect(names.slice(0, 6)).to.deep.equal(['0.weight', '1.weight', '1.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked']);
    expect(names.slice(-2)).to.deep.equal(['14.weight', '14.bias']);
  });

  it('draws the same initial weights and dropout masks as the definition it replaces', () => {
    const ours = fmnistCnn({ generator: new Generator(3), dropoutGenerator: new Generator(4) });
    const theirs = reference(new Generator(3), new Generator(4));
    const a = ours.stateDict();
    const b = theirs.stateDict();
    expect([...a.keys()]).to.deep.equal([...b.keys()]);
    for (const [k, t] of a) expect(bytes(t).equals(bytes(b.get(k)!)), k).to.equal(true);
    // Training mode: the outputs agree only if the dropout masks do.
    const x = randn([4, 1, 28, 28], { generator: new Generator(5) });
    const [ya, yb] = [ours.train().invoke(x), theirs.train().invoke(x)];
    expect(ya.shape).to.deep.equal([4, 10]);
    expect(bytes(ya).equals(bytes(yb))).to.equal(true);
  });

  it('takes numClasses, inChannels, dropout and skipInit', () => {
    const m = fmnistCnn({ numClasses: 3, inChannels: 2, dropout: 0, skipInit: true });
    expect(m.invoke(randn([2, 2, 28, 28])).shape).to.deep.equal([2, 3]);
    expect([...m.stateDict().get('0.weight')!.data].every((v) => v === 0)).to.equal(true);
    expect((m.at(13) as Dropout).p).to.equal(0);
  });

  it('rejects unknown options and bad values, naming the function and the option', () => {
    expect(() => fmnistCnn({ dropout_generator: new Generator(1) } as never)).to.throw(ArgumentError, /fmnistCnn.*dropout_generator.*did you mean 'dropoutGenerator'/);
    expect(() => new FmnistCnn({ dropoutGenerator: 1 as never })).to.throw(ArgumentError, /FmnistCnn: dropoutGenerator must be a Generator, got 1/);
    expect(() => fmnistCnn({ dropout: 1.5 })).to.throw(ArgumentError, /FmnistCnn: dropout must be a finite number.*1\.5/);
    expect(() => fmnistCnn({ inChannels: 0 })).to.throw(ArgumentError, /FmnistCnn: inChannels must be a positive integer/);
    expect(() => fmnistCnn({ numClasses: 2.5 })).to.throw(ArgumentError, /fmnistCnn: numClasses must be a positive integer, got 2.5/);
  });
});
