// The benchmark's three training models give the same bits with 1 and 2 threads (core's conv
// task pipelines split the batch over the threads; every result is summed in an order that does
// not depend on them): the loss and every parameter's gradient after forward and backward.
import { Generator, crossEntropy, randn, setNumThreads, tensor } from '@tensorgrad/core';
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import type { Module } from '../module/module.js';
import { resnet20 } from './cifar-resnet.js';
import { fmnistCnn } from './fmnist-cnn.js';
import { lenet5 } from './lenet.js';

// The bench's batches (packages/bench/src/cases.ts).
const MODELS: { name: string; batch: number; input: number[]; build: (generator: Generator) => Module }[] = [
  { name: 'fmnist-cnn', batch: 128, input: [1, 28, 28], build: (generator) => fmnistCnn({ numClasses: 10, generator, dropoutGenerator: new Generator(1) }) },
  { name: 'lenet5', batch: 64, input: [1, 28, 28], build: (generator) => lenet5({ numClasses: 10, generator }) },
  { name: 'resnet20', batch: 32, input: [3, 32, 32], build: (generator) => resnet20({ numClasses: 10, generator }) },
];

/** Hash of the loss and the parameters' gradients of one training-mode forward and backward. */
function stepHash(m: (typeof MODELS)[number]): string {
  const generator = new Generator(7);
  const model = m.build(generator);
  model.train();
  const x = randn([m.batch, ...m.input], { generator });
  const labels = tensor(Array.from({ length: m.batch }, (_, i) => i % 10), { dtype: 'int32' });
  const loss = crossEntropy(model.invoke(x), labels);
  loss.backward();
  const h = createHash('sha256').update(new Uint8Array(new Float32Array([loss.item()]).buffer));
  for (const p of model.parameters()) h.update(new Uint8Array(p.grad!.data.buffer, p.grad!.data.byteOffset, p.grad!.data.byteLength));
  return h.digest('hex');
}

describe('training steps with 1 and 2 threads', () => {
  after(() => setNumThreads(1));

  it('fmnist-cnn, lenet5 and resnet20: the same loss and gradients, bit for bit', async () => {
    const one = MODELS.map(stepHash);
    expect(await setNumThreads(2)).to.equal(true);
    expect(MODELS.map(stepHash)).to.deep.equal(one);
  });
});
