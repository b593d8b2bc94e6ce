import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { conv2d, setNumThreads, tensor, vjp } from '../../../index.js';
import type { Tensor } from '../../../tensor/tensor.js';
import { fillTensor } from '../../../testing/arbitraries.js';
import { window2d } from '../../../ops/window.js';
import { convStrategies, setConvStrategy } from './chooser.js';
import { imagesPerFilterChunk, imagesPerTask } from './pipeline.js';
import { type ConvProduct, convShape } from './types.js';

const PRODUCTS: ConvProduct[] = ['forward', 'inputGrad', 'filterGrad'];

// [n, cin, hw, kernel, cout, stride, padding, groups]: the bench's shapes a–e, the training
// models' layers (fmnist-cnn at a smaller batch, resnet20's stride-2 conv) and ragged batches
// (the last task or filter chunk padded) with groups.
const SHAPES: [number, number, number, number, number, number, number, number][] = [
  [8, 3, 32, 3, 16, 1, 1, 1], [8, 16, 32, 3, 32, 1, 1, 1], [32, 64, 16, 3, 64, 1, 1, 1], [1, 3, 224, 11, 96, 4, 2, 1], [64, 1, 28, 5, 32, 1, 2, 1],
  [24, 1, 28, 3, 32, 1, 1, 1], [24, 32, 14, 3, 64, 1, 1, 1], [24, 64, 7, 3, 128, 1, 1, 1], [12, 16, 32, 3, 32, 2, 1, 1],
  [11, 6, 9, 3, 8, 1, 1, 2], [10, 4, 8, 1, 6, 1, 0, 2], [13, 5, 10, 5, 7, 1, 0, 1],
];

const hash = (t: Tensor): string => createHash('sha256').update(new Uint8Array((t.data as Float32Array).buffer)).digest('hex');

/** Hashes of y, dx and dW of every shape with each applicable strategy forced (one run per strategy index). */
function hashes(): string[] {
  const out: string[] = [];
  for (const [k, [n, cin, hw, kernel, cout, stride, padding, groups]] of SHAPES.entries()) {
    const s = convShape({ n, cin, cout, groups, window: window2d('conv2d', hw, hw, { kernelSize: kernel, stride, padding }) });
    const usable = PRODUCTS.map((p) => convStrategies(p).filter((c) => c.applies(s, 'float32')).map((c) => c.name));
    const x = tensor(fillTensor([n, cin, hw, hw], 10 * k + 1, { min: -1, max: 1 }), { dtype: 'float32' });
    const w = tensor(fillTensor([cout, cin / groups, kernel, kernel], 10 * k + 2, { min: -1, max: 1 }), { dtype: 'float32' });
    for (let run = 0; run < Math.max(...usable.map((u) => u.length)); run++) {
      PRODUCTS.forEach((p, i) => setConvStrategy(p, usable[i]![run % usable[i]!.length]!));
      const [y, pullback] = vjp((a, b) => conv2d(a, b, null, { stride, padding, groups }), x, w);
      const dy = tensor(fillTensor(y.shape as number[], 10 * k + 3, { min: -1, max: 1 }), { dtype: 'float32' });
      const [dx, dw] = pullback(dy);
      out.push(`${k} ${usable.map((u) => u[run % u.length]).join('/')}: ${[y, dx!, dw!].map(hash).join(' ')}`);
    }
  }
  return out;
}

describe('conv task pipelines', () => {
  afterEach(async () => {
    for (const p of PRODUCTS) setConvStrategy(p, 'auto');
    await setNumThreads(1);
  });

  it('give the same bits with 1 and 2 threads: conv2d, its input and filter gradients, every strategy, the bench and model shapes', async () => {
    const one = hashes();
    expect(await setNumThreads(2)).to.equal(true);
    expect(hashes()).to.deep.equal(one);
  });

  it('fix the filter gradient\'s image chunks by the batch size alone; forward tasks leave at least 4 where the batch allows', () => {
    expect([1, 7, 8, 9, 16, 17, 128].map(imagesPerFilterChunk)).to.deep.equal([1, 1, 1, 2, 2, 3, 16]);
    expect(imagesPerTask(128, 1000)).to.equal(32);
    expect(imagesPerTask(128, 1 << 16)).to.equal(2);
    expect(imagesPerTask(3, 1 << 20)).to.equal(1);
  });
});
