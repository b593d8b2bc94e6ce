import { expect } from 'chai';
import { zeroFilled } from '../../../tensor/creation.js';
import type { Tensor } from '../../../tensor/tensor.js';
import { fillTensor } from '../../../testing/arbitraries.js';
import { window2d } from '../../../ops/window.js';
import { convOutputShape } from '../../conv.js';
import { type ConvProduct, type ConvShape, type ConvStrategy, convShape } from './types.js';
import { convStrategies, runStrategy } from './chooser.js';

// Batches big enough that the strategies split them into several chunks of images (about 2²⁰
// floats each), the last one partial: every strategy must give each image what it gives that
// image alone.
const products: ConvProduct[] = ['forward', 'inputGrad', 'filterGrad'];

function run(product: ConvProduct, st: ConvStrategy<ConvProduct>, s: ConvShape, ops: { x: Tensor; w: Tensor; b: Tensor | null; dy: Tensor }): Tensor {
  const out = zeroFilled(convOutputShape(product, s), 'float32', 'cpu');
  out.data.fill(NaN);
  if (product === 'forward') runStrategy('forward', st as ConvStrategy<'forward'>, s, out.data, ops.x.data, ops.w.data, ops.b?.data ?? null);
  else if (product === 'inputGrad') runStrategy('inputGrad', st as ConvStrategy<'inputGrad'>, s, out.data, ops.dy.data, ops.w.data);
  else runStrategy('filterGrad', st as ConvStrategy<'filterGrad'>, s, out.data, ops.x.data, ops.dy.data);
  return out;
}

/** Image i of a batched tensor (a copy). */
function image(t: Tensor, i: number, n: number): Tensor {
  const per = t.size / n;
  const out = zeroFilled([1, ...t.shape.slice(1)], 'float32', 'cpu');
  out.data.set(t.data.subarray(i * per, (i + 1) * per));
  return out;
}

describe('conv strategies over several batch chunks', () => {
  // 2 groups of 1 channel in and out, 300×300 planes: 360,000 floats per image for pointwise
  // and direct (chunks of 2 images, then 1), more for gathered (chunks of 1).
  const n = 3;
  const cases = [
    { kernel: 1, padding: 0, wShape: [2, 1, 1, 1] },
    { kernel: 3, padding: 1, wShape: [2, 1, 3, 3] },
  ];
  for (const { kernel, padding, wShape } of cases) {
    it(`${kernel}×${kernel} kernel: each image as if alone, for every strategy that applies`, () => {
      const s = convShape({ n, cin: 2, cout: 2, groups: 2, window: window2d('conv2d', 300, 300, { kernelSize: kernel, stride: 1, padding }) });
      const one: ConvShape = { ...s, n: 1 };
      const ops = {
        x: fillTensor([n, 2, 300, 300], 1, { dtype: 'float32' }),
        w: fillTensor(wShape, 2, { dtype: 'float32' }),
        b: fillTensor([2], 3, { dtype: 'float32' }),
        dy: fillTensor([n, 2, 300, 300], 4, { dtype: 'float32' }),
      };
      let checked = 0;
      for (const product of products) {
        for (const st of convStrategies(product) as readonly ConvStrategy<ConvProduct>[]) {
          if (!st.applies(s, 'float32')) continue;
          const batched = run(product, st, s, ops);
          if (product === 'filterGrad') {
            // dW sums over the batch: compare with the sum of the per-image results.
            const total = new Float64Array(batched.size);
            for (let i = 0; i < n; i++) {
              const part = run(product, st, one, { ...ops, x: image(ops.x, i, n), dy: image(ops.dy, i, n) });
              part.data.forEach((v, k) => (total[k]! += v));
            }
            batched.data.forEach((v, k) => expect(Math.abs(v - total[k]!), `${product} ${st.name} [${k}]`).to.be.at.most(1e-3 * (1 + Math.abs(total[k]!))));
          } else {
            const per = batched.size / n;
            for (let i = 0; i < n; i++) {
              const alone = run(product, st, one, { ...ops, x: image(ops.x, i, n), dy: image(ops.dy, i, n) });
              const got = batched.data.subarray(i * per, (i + 1) * per);
              for (let k = 0; k < per; k += 97) {
                if (!(Math.abs(got[k]! - alone.data[k]!) <= 1e-5 * (1 + Math.abs(alone.data[k]!)))) {
                  expect.fail(`${product} ${st.name}: image ${i} element ${k} is ${got[k]}, alone ${alone.data[k]}`);
                }
              }
              expect(got.every((v) => v === v), `${product} ${st.name}: image ${i} fully written`).to.equal(true);
            }
          }
          if (product === 'forward') {
            // Without a bias (run after the biased call, so stale scratch would show): y − b.
            const plain = run(product, st, s, { ...ops, b: null });
            const per = plain.size / (n * 2);
            for (let k = 0; k < plain.size; k += 89) {
              const expected = batched.data[k]! - ops.b.data[Math.floor(k / per) % 2]!;
              if (!(Math.abs(plain.data[k]! - expected) <= 1e-5 * (1 + Math.abs(expected)))) expect.fail(`forward ${st.name} without bias: element ${k} is ${plain.data[k]}, expected ${expected}`);
            }
          }
          checked++;
        }
      }
      expect(checked).to.be.at.least(3);
    });
  }
});
