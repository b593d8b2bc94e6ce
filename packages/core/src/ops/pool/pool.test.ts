import { expect } from 'chai';
import { ArgumentError, DTypeError, ShapeError } from '../../errors.js';
import { tensor } from '../../tensor/creation.js';
import { Tensor } from '../../tensor/tensor.js';
import { checkGrads } from '../../testing/check-grads.js';
import { adaptiveAvgPool2d, avgPool2d, globalAvgPool2d } from './avg-pool.js';
import { adaptiveMaxPool2d, maxPool2d } from './max-pool.js';
import { type Fixed, poolFixtures as fixtures, runPool } from './pool.test-util.js';
import * as api from '../../index.js';
import { Generator } from '../../tensor/random.js';
import { maxPool2x2Backward, maxPool2x2Forward, maxPoolForward, scatterAddPlanes } from '../../backend/cpu/pool.js';
import { isPairAxis, slidingWindows } from '../../backend/window.js';
import { slidingGeometry } from './windows.js';

const load = (f: Fixed, requiresGrad = false): Tensor => tensor(f.data, { shape: f.shape, dtype: 'float64', requiresGrad });

function expectClose(actual: Tensor, expected: Fixed, tol = 1e-12): void {
  expect(actual.shape).to.deep.equal(expected.shape);
  actual.data.forEach((v, i) => expect(v).to.be.closeTo(expected.data[i]!, tol, `element ${i}`));
}

describe('pooling against PyTorch 1.13 fixtures', () => {
  for (const c of fixtures.cases) {
    it(`${c.name} ${JSON.stringify(c.args)} on ${JSON.stringify(c.x.shape)}: values, indices and input gradient`, () => {
      const x = load(c.x, true);
      const [y, indices] = runPool(c, x);
      expectClose(y, c.y);
      if (c.indices) {
        expect(indices!.dtype).to.equal('int32');
        expect([...indices!.data]).to.deep.equal(c.indices.data);
      }
      y.backward(load(c.dy));
      expectClose(x.grad!, c.dx);
    });
  }
});

describe('maxPool2d', () => {
  it('sends the gradient of a tie to the first maximum in window order', () => {
    const x = tensor([[[[1, 3], [3, 2]]]], { dtype: 'float64', requiresGrad: true });
    const [y, idx] = maxPool2d(x, { kernelSize: 2, returnIndices: true });
    expect([...y.data]).to.deep.equal([3]);
    expect([...idx.data]).to.deep.equal([1]);
    y.backward();
    expect([...x.grad!.data]).to.deep.equal([0, 1, 0, 0]);
  });

  it('accumulates the gradients of overlapping windows that share a maximum', () => {
    const x = tensor([[[[0, 0, 0], [0, 9, 0], [0, 0, 0]]]], { dtype: 'float64', requiresGrad: true });
    const y = maxPool2d(x, { kernelSize: 2, stride: 1 });
    expect([...y.data]).to.deep.equal([9, 9, 9, 9]);
    y.backward(tensor([[[[1, 2], [3, 4]]]], { dtype: 'float64' }));
    expect([...x.grad!.data]).to.deep.equal([0, 0, 0, 0, 10, 0, 0, 0, 0]);
  });

  it('propagates the first NaN and handles -inf and all -inf windows (branch-free argmax)', () => {
    const x = tensor([[[[1, NaN, -Infinity, -Infinity], [NaN, 5, -Infinity, -Infinity], [2, 2, -1, 7], [2, 2, Infinity, 7]]]], { dtype: 'float32' });
    const [y, idx] = maxPool2d(x, { kernelSize: 2, returnIndices: true });
    expect([...y.data]).to.deep.equal([NaN, -Infinity, 2, Infinity]);
    expect([...idx.data]).to.deep.equal([1, 2, 8, 14]);
  });

  it('the specialised 2×2 stride-2 kernels equal the general ones (ties, NaN, ±inf, odd sizes, float32 and float64)', () => {
    const rng = new Generator(7);
    const pick = [0, 1, -1, 2, NaN, Infinity, -Infinity];
    for (const [inH, inW] of [[2, 2], [4, 6], [7, 7], [5, 8], [28, 28], [3, 2]] as const) {
      for (const make of [(n: number) => new Float32Array(n), (n: number) => new Float64Array(n)]) {
        const planes = 3;
        const x = make(planes * inH * inW).map(() => (rng.random() < 0.7 ? pick[rng.randint(0, 4)]! : pick[rng.randint(0, pick.length)]!));
        const windows = slidingWindows(slidingGeometry('maxPool2d', inH, inW, { kernelSize: 2 }));
        const { outH, outW } = windows;
        expect(isPairAxis(windows.rows, outH) && isPairAxis(windows.cols, outW)).to.equal(true);
        const [yGeneral, ySpecial] = [make(planes * outH * outW), make(planes * outH * outW)];
        const [aGeneral, aSpecial] = [new Int32Array(yGeneral.length), new Int32Array(yGeneral.length)];
        maxPoolForward(x, planes, windows, yGeneral, aGeneral);
        maxPool2x2Forward(x, planes, inH, inW, outH, outW, ySpecial, aSpecial);
        expect([...ySpecial]).to.deep.equal([...yGeneral]);
        expect([...aSpecial]).to.deep.equal([...aGeneral]);
        const dy = make(yGeneral.length).map(() => rng.normal());
        const [dxGeneral, dxSpecial] = [make(x.length), make(x.length).fill(5)];
        scatterAddPlanes(dy, outH * outW, aGeneral, inH * inW, dxGeneral);
        maxPool2x2Backward(dy, planes, inH, inW, outH, outW, aSpecial, dxSpecial);
        expect([...dxSpecial]).to.deep.equal([...dxGeneral]);
      }
    }
    const overlapping = slidingWindows(slidingGeometry('maxPool2d', 5, 5, { kernelSize: 2, stride: 1 }));
    expect(isPairAxis(overlapping.rows, overlapping.outH)).to.equal(false);
    const ceil = slidingWindows(slidingGeometry('maxPool2d', 5, 5, { kernelSize: 2, ceilMode: true }));
    expect(isPairAxis(ceil.rows, ceil.outH)).to.equal(false);
  });

  it('2×2 stride-2 pooling on an odd-sized input has first- and second-order gradients', () => {
    const x = new Tensor(Float64Array.from({ length: 2 * 7 * 5 }, (_, i) => Math.sin(i * 1.3) * 3), [1, 2, 7, 5]);
    checkGrads((t: Tensor) => { const y = maxPool2d(t, { kernelSize: 2 }); return api.mul(y, y); }, [x], { order: 2 });
  });

  it('treats padding as -inf (negative inputs never lose to the padding)', () => {
    const x = tensor([[[[-5, -6], [-7, -8]]]], { dtype: 'float64' });
    expect([...maxPool2d(x, { kernelSize: 3, stride: 1, padding: 1 }).data]).to.deep.equal([-5, -5, -5, -5]);
  });

  it('has second-order gradients (the scatter is itself differentiable)', () => {
    const x = new Tensor(Float64Array.from({ length: 2 * 5 * 5 }, (_, i) => Math.sin(i * 1.7) * 3), [1, 2, 5, 5]);
    const squared = (t: Tensor): Tensor => {
      const y = maxPool2d(t, { kernelSize: 3, stride: 2, padding: 1 });
      return api.mul(y, y);
    };
    checkGrads(squared, [x], { order: 2 });
  });

  it('gives clear errors', () => {
    const x = tensor([[[[1, 2], [3, 4]]]]);
    expect(() => maxPool2d(x, { kernelSize: 2, padding: 2 })).to.throw(ArgumentError, /padding must be at most half the kernel size.*padding \[2,2\] for kernelSize \[2,2\]/);
    expect(() => maxPool2d(tensor([1, 2, 3]), { kernelSize: 2 })).to.throw(ShapeError, /maxPool2d: x must be 4-D \[N, C, H, W\] or 3-D \[C, H, W\], got 1-D \[3\]/);
    expect(() => maxPool2d(x, { kernelSize: 3 })).to.throw(ShapeError, /kernel height extent 3.*larger than the padded input height 2/);
    expect(() => maxPool2d(x, { kernelSize: 0 })).to.throw(ArgumentError, /kernelSize must be an integer >= 1/);
    expect(() => maxPool2d(tensor([[[[1]]]], { dtype: 'int32' }), { kernelSize: 1 })).to.throw(DTypeError, /maxPool2d: x must be a floating-point tensor/);
    expect(() => api.maxPool2d(x, 'big' as never)).to.throw(ArgumentError, /maxPool2d: argument 'options'/);
  });
});

describe('avgPool2d and adaptive pools', () => {
  it('averages with count_include_pad by default and without it on request (hand-computed)', () => {
    const x = tensor([[[[1, 2], [3, 4]]]], { dtype: 'float64' });
    expect([...avgPool2d(x, { kernelSize: 2, stride: 1, padding: 1 }).data]).to.deep.equal([1 / 4, 3 / 4, 2 / 4, 4 / 4, 10 / 4, 6 / 4, 3 / 4, 7 / 4, 4 / 4]);
    expect([...avgPool2d(x, { kernelSize: 2, stride: 1, padding: 1, countIncludePad: false }).data]).to.deep.equal([1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4]);
    expect([...avgPool2d(x, { kernelSize: 2, divisorOverride: 2 }).data]).to.deep.equal([5]);
  });

  it('globalAvgPool2d is the mean of every plane, and its gradient spreads dy uniformly', () => {
    const x = tensor([[[[1, 2], [3, 6]], [[0, 0], [0, 4]]]], { dtype: 'float64', requiresGrad: true });
    const y = globalAvgPool2d(x);
    expect(y.shape).to.deep.equal([1, 2, 1, 1]);
    expect([...y.data]).to.deep.equal([3, 1]);
    y.backward(tensor([[[[4]], [[8]]]], { dtype: 'float64' }));
    expect([...x.grad!.data]).to.deep.equal([1, 1, 1, 1, 2, 2, 2, 2]);
  });

  it('adaptive windows follow start = floor(i·in/out), end = ceil((i+1)·in/out)', () => {
    const x = tensor([[[[0, 1, 2, 3, 4]]]], { dtype: 'float64' });
    // in 5, out 3: windows [0,2), [1,4), [3,5)
    expect([...adaptiveAvgPool2d(x, [1, 3]).data]).to.deep.equal([0.5, 2, 3.5]);
    expect([...adaptiveMaxPool2d(x, [1, 3]).data]).to.deep.equal([1, 3, 4]);
  });

  it('one-tap windows (kernel 1: a strided subsample; adaptive upsampling) take their own loop, with the general one\'s values', () => {
    const x = tensor([[[[-0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]]], { dtype: 'float32', requiresGrad: true });
    const y = avgPool2d(x, { kernelSize: 1, stride: 2 });
    expect(y.shape).to.deep.equal([1, 1, 2, 2]);
    // −0 comes out +0, as from the general loop's 0 + v.
    expect(Object.is(y.data[0], 0)).to.equal(true);
    expect([...y.data]).to.deep.equal([0, 2, 8, 10]);
    y.backward(tensor([[[[1, 2], [3, 4]]]]));
    expect([...x.grad!.data]).to.deep.equal([1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4, 0]);
    expect([...avgPool2d(x, { kernelSize: 1, stride: [1, 3], divisorOverride: 4 }).data]).to.deep.equal([0, 0.75, 1, 1.75, 2, 2.75]);
    // Adaptive, in 1 → out 2 rows and in 2 → out 4 columns: windows [0,1), [0,1), [1,2), [1,2), one tap each, and
    // windows share inputs, so the gradient adds. In 2 → out 3 has a two-tap window [0,2): the general loop.
    const u = tensor([[[[1, 2]]]], { dtype: 'float64', requiresGrad: true });
    const up = adaptiveAvgPool2d(u, [2, 4]);
    expect([...up.data]).to.deep.equal([1, 1, 2, 2, 1, 1, 2, 2]);
    up.backward(tensor([[[[1, 2, 3, 4], [5, 6, 7, 8]]]], { dtype: 'float64' }));
    expect([...u.grad!.data]).to.deep.equal([14, 22]);
    expect([...adaptiveAvgPool2d(tensor([[[[1], [2]]]], { dtype: 'float64' }), [3, 1]).data]).to.deep.equal([1, 1.5, 2]);
    checkGrads((t) => avgPool2d(t, { kernelSize: 1, stride: 2, divisorOverride: 3 }), [tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]], { dtype: 'float64' })]);
    checkGrads((t) => adaptiveAvgPool2d(t, [6, 1]), [tensor([[[[1], [2], [3]]]], { dtype: 'float64' })]);
  });

  it('rejects a bad divisorOverride and a bad outputSize', () => {
    const x = tensor([[[[1, 2], [3, 4]]]]);
    expect(() => avgPool2d(x, { kernelSize: 2, divisorOverride: 0 })).to.throw(ArgumentError, /divisorOverride must be a positive integer, got 0/);
    expect(() => adaptiveAvgPool2d(x, 0)).to.throw(ArgumentError, /adaptiveAvgPool2d: outputSize must be an integer >= 1/);
  });

  it('public wrappers accept a kernel size alone and nested arrays', () => {
    expect([...api.maxPool2d([[[[1, 2], [3, 4]]]], 2).data]).to.deep.equal([4]);
    expect([...api.avgPool2d([[[[1, 2], [3, 4]]]], [2, 2]).data]).to.deep.equal([2.5]);
  });
});
