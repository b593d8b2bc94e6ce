// batchNormMaxPool2d against maxPool2d(batchNorm(...)): the same bits for values, gradients and
// running statistics, fused (float32, ≥ 4096 elements: the wasm kernels) or not (float64, small),
// after a conv that hands batch norm its run moments, at 1 and 2 threads; its errors. The fused op's
// gradients against finite differences are the registry's generic test (normalizeMaxPool2d).
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { ArgumentError, ShapeError, batchNorm, batchNormMaxPool2d, conv2d, full, maxPool2d, mul, ones, setNumThreads, sum, tensor, zeros } from '../../index.js';
import type { BatchNormMaxPoolOptions, FloatDType } from '../../index.js';
import { backward } from '../../autograd/engine.js';
import { wasmAvailable } from '../../backend/cpu/wasm/runtime.js';
import { fillTensor } from '../../testing/arbitraries.js';
import type { Tensor } from '../../tensor/tensor.js';

interface Fixed {
  shape: number[];
  data: number[];
}
interface TorchCase {
  dtype: FloatDType; pool: BatchNormMaxPoolOptions; training: boolean; affine: boolean;
  x: Fixed; weight: Fixed; bias: Fixed; runningMean: Fixed; runningVar: Fixed;
  y: Fixed; runningMeanAfter: Fixed; runningVarAfter: Fixed; dy: Fixed; grads: Fixed[];
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/batch_norm_max_pool.json', import.meta.url), 'utf8')) as { cases: TorchCase[] };

const bitsOf = (t: Tensor): string => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('base64');

interface Layer {
  x: Tensor;
  weight: Tensor;
  bias: Tensor;
  /** Seeds the loss's weights. */
  lossSeed: number;
}

function layer(shape: number[], dtype: FloatDType, seed: number): Layer {
  const c = shape[1]!;
  const leaf = (s: number[], k: number, min = -2, max = 2): Tensor => fillTensor(s, seed + k, { dtype, min, max }).requiresGrad_();
  return { x: leaf(shape, 0), weight: leaf([c], 1, 0.5, 2), bias: leaf([c], 2), lossSeed: seed + 3 };
}

/** Values, running statistics and the gradients of x, weight and bias of one step, fused or through the two ops. */
function step(l: Layer, pool: BatchNormMaxPoolOptions, fused: boolean, training = true, withoutRunning = false): string[] {
  const c = l.x.shape[1]!;
  // Running statistics away from the batch's (mean 0.3, variance 1.7), so eval mode shows which ones it used.
  const rm = withoutRunning ? null : full([c], 0.3, { dtype: l.x.dtype }), rv = withoutRunning ? null : full([c], 1.7, { dtype: l.x.dtype });
  const opts = { training, momentum: 0.2, eps: 1e-4 };
  const y = fused ? batchNormMaxPool2d(l.x, rm, rv, l.weight, l.bias, opts, pool) : maxPool2d(batchNorm(l.x, rm, rv, l.weight, l.bias, opts), pool);
  // A loss weighting each output differently; backward without createGraph, so gradients may be written over dy.
  const w = fillTensor(y.shape, l.lossSeed, { dtype: y.dtype as FloatDType });
  const grads = backward([sum(mul(y, w))], [null], { accumulate: false, createGraph: false, retainGraph: false, targets: [l.x, l.weight, l.bias] });
  return [y, ...(rm && rv ? [rm, rv] : []), ...[l.x, l.weight, l.bias].map((t) => grads.get(t)!)].map(bitsOf);
}

const POOLS: [string, BatchNormMaxPoolOptions][] = [
  ['2×2', { kernelSize: 2 }],
  ['3×3 stride 2 padding 1', { kernelSize: 3, stride: 2, padding: 1 }],
  ['2×2 ceil mode', { kernelSize: 2, ceilMode: true }],
];

describe('batchNormMaxPool2d: maxPool2d(batchNorm(x)) in one pass', () => {
  afterEach(async () => {
    await setNumThreads(1);
  });

  for (const [name, pool] of POOLS) {
    for (const [dtype, shape] of [['float32', [6, 8, 14, 14]], ['float32', [3, 5, 7, 9]], ['float64', [3, 5, 7, 9]], ['float32', [2, 3, 4, 4]], ['float32', [4, 6, 15, 13]]] as const) {
      it(`${name}, ${dtype} ${JSON.stringify(shape)}: the same bits as the two ops`, () => {
        const l = layer([...shape], dtype, 11);
        expect(step(l, pool, true)).to.deep.equal(step(l, pool, false));
      });
    }
  }

  for (const [dtype, shape] of [['float32', [4, 8, 12, 12]], ['float32', [4, 6, 15, 13]], ['float64', [2, 3, 5, 5]]] as const) {
    it(`eval mode, ${dtype} ${JSON.stringify(shape)}: the same bits as the two ops, with running statistics or without`, () => {
      const l = layer([...shape], dtype, 5);
      for (const [, pool] of POOLS) {
        expect(step(l, pool, true, false)).to.deep.equal(step(l, pool, false, false));
        expect(step(l, pool, true, false, true)).to.deep.equal(step(l, pool, false, false, true));
      }
    });
  }

  for (const threads of [1, 2]) {
    it(`after a conv that hands over its run moments, over steps (${threads} thread(s)): the same bits as the two ops`, async function () {
      if (!wasmAvailable()) this.skip();
      await setNumThreads(threads);
      const x = fillTensor([8, 4, 16, 16], 3, { dtype: 'float32' });
      const w = fillTensor([16, 4, 3, 3], 4, { dtype: 'float32' }).requiresGrad_();
      const run = (fused: boolean): string[] => {
        const l: Layer = { x: conv2d(x, w, null, { padding: 1 }), weight: ones([16]).requiresGrad_(), bias: zeros([16]).requiresGrad_(), lossSeed: 9 };
        return step(l, { kernelSize: 2 }, fused);
      };
      // The first step's conv takes no moments; the ones after do, for either consumer.
      for (let i = 0; i < 3; i++) expect(run(true), `step ${i}`).to.deep.equal(run(false));
    });
  }

  it('rejects what batchNorm and maxPool2d reject, naming batchNormMaxPool2d', () => {
    const x = zeros([2, 3, 4, 4]);
    const c = (): Tensor => zeros([3]);
    expect(() => batchNormMaxPool2d(x, c(), c(), null, null, {}, { kernelSize: 2, returnIndices: true } as BatchNormMaxPoolOptions)).to.throw(
      ArgumentError, /batchNormMaxPool2d.*returnIndices/,
    );
    expect(() => batchNormMaxPool2d(x, c(), c(), null, null, { trainig: true } as never, { kernelSize: 2 })).to.throw(ArgumentError, /batchNormMaxPool2d.*trainig/);
    expect(() => batchNormMaxPool2d(zeros([3, 4, 4]), zeros([4]), zeros([4]), null, null, {}, { kernelSize: 2 })).to.throw(ShapeError, /batchNormMaxPool2d: x must be 4-D/);
    expect(() => batchNormMaxPool2d(x, zeros([2]), c(), null, null, {}, { kernelSize: 2 })).to.throw(ShapeError, /batchNormMaxPool2d: runningMean must have shape \[3\]/);
    expect(() => batchNormMaxPool2d(x, c(), c(), null, null, {}, { kernelSize: 5 })).to.throw(/batchNormMaxPool2d/);
    expect(() => batchNormMaxPool2d(tensor([[[[1]]]]), null, null, null, null, { training: true }, { kernelSize: 1 })).to.throw(ShapeError, /batchNormMaxPool2d: expected more than 1 value per channel/);
  });
});

describe('batchNormMaxPool2d against PyTorch 1.13 (F.max_pool2d of F.batch_norm)', () => {
  for (const c of fixture.cases) {
    const name = `${c.dtype} ${JSON.stringify(c.x.shape)} ${c.training ? 'training' : 'eval'}${c.affine ? ' affine' : ''}, pool ${JSON.stringify(c.pool)}`;
    it(`${name}: output, running statistics, gradients`, () => {
      // float32: PyTorch's own reductions and rounding, so agreement to float32 accuracy.
      const tol = c.dtype === 'float64' ? 1e-11 : 2e-5;
      const load = (f: Fixed, requiresGrad = false): Tensor => tensor(f.data, { shape: f.shape, dtype: c.dtype, requiresGrad });
      const close = (actual: Tensor, expected: Fixed, what: string): void => {
        expect(actual.shape, what).to.deep.equal(expected.shape);
        actual.data.forEach((v, i) => expect(v, `${what}[${i}]`).to.be.closeTo(expected.data[i]!, tol * Math.max(1, Math.abs(expected.data[i]!))));
      };
      const [x, w, b] = [load(c.x, true), load(c.weight, true), load(c.bias, true)];
      const [rm, rv] = [load(c.runningMean), load(c.runningVar)];
      const y = batchNormMaxPool2d(x, rm, rv, c.affine ? w : null, c.affine ? b : null, { training: c.training, momentum: 0.3, eps: 1e-4 }, c.pool);
      close(y, c.y, 'y');
      close(rm, c.runningMeanAfter, 'runningMean');
      close(rv, c.runningVarAfter, 'runningVar');
      y.backward(load(c.dy));
      [x, w, b].slice(0, c.grads.length).forEach((t, i) => close(t.grad!, c.grads[i]!, ['dx', 'dweight', 'dbias'][i]!));
    });
  }
});
