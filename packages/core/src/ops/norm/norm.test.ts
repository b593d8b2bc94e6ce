import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { ArgumentError, AutogradError, ShapeError } from '../../errors.js';
import { tensor, zeros } from '../../tensor/creation.js';
import { Generator } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkGrads } from '../../testing/check-grads.js';
import { fillTensor } from '../../testing/arbitraries.js';
import { sum } from '../reduce/sum.js';
import { batchNorm } from './batch-norm.js';
import { dropout } from './dropout.js';
import { layerNorm } from './layer-norm.js';
import { localResponseNorm } from './local-response-norm.js';
import * as api from '../../index.js';

interface Fixed {
  shape: number[];
  data: number[];
}
interface Fixture {
  batchNorm: {
    training: boolean; affine: boolean; x: Fixed; weight: Fixed; bias: Fixed; runningMean: Fixed; runningVar: Fixed;
    y: Fixed; runningMeanAfter: Fixed; runningVarAfter: Fixed; dy: Fixed; grads: Fixed[];
  }[];
  layerNorm: { normalizedShape: number[]; x: Fixed; weight: Fixed; bias: Fixed; y: Fixed; dy: Fixed; grads: Fixed[] }[];
  localResponseNorm: { size: number; alpha: number; beta: number; k: number; x: Fixed; y: Fixed; dy: Fixed; grads: Fixed[] }[];
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/norm.json', import.meta.url), 'utf8')) as Fixture;
const load = (f: Fixed, requiresGrad = false): Tensor => tensor(f.data, { shape: f.shape, dtype: 'float64', requiresGrad });

function expectClose(actual: Tensor, expected: Fixed, tol = 1e-11): void {
  expect(actual.shape).to.deep.equal(expected.shape);
  actual.data.forEach((v, i) => expect(v).to.be.closeTo(expected.data[i]!, tol * Math.max(1, Math.abs(expected.data[i]!)), `element ${i}`));
}

describe('batchNorm against PyTorch 1.13', () => {
  for (const c of fixture.batchNorm) {
    it(`${c.training ? 'training' : 'eval'}${c.affine ? ' affine' : ''} on ${JSON.stringify(c.x.shape)}: output, running statistics, gradients`, () => {
      const x = load(c.x, true);
      const w = load(c.weight, true);
      const b = load(c.bias, true);
      const rm = load(c.runningMean);
      const rv = load(c.runningVar);
      const versions = [rm.version.value, rv.version.value];
      const y = batchNorm(x, rm, rv, c.affine ? w : null, c.affine ? b : null, { training: c.training, momentum: 0.3, eps: 1e-4 });
      expectClose(y, c.y);
      expectClose(rm, c.runningMeanAfter);
      expectClose(rv, c.runningVarAfter);
      expect(rm.version.value > versions[0]!).to.equal(c.training);
      expect(rv.version.value > versions[1]!).to.equal(c.training);
      y.backward(load(c.dy));
      [x, w, b].slice(0, c.grads.length).forEach((t, i) => expectClose(t.grad!, c.grads[i]!));
    });
  }

  it('has checked second derivatives in training mode (x, weight, bias)', () => {
    const x = fillTensor([3, 2, 2, 2], 5);
    const w = fillTensor([2], 6);
    const b = fillTensor([2], 7);
    checkGrads((xx, ww, bb) => batchNorm(xx, null, null, ww, bb, { training: true }), [x, w, b], { order: 2 });
  });

  it('gives clear errors', () => {
    const x = zeros([4, 3]);
    expect(() => batchNorm(x, zeros([2]), zeros([2]))).to.throw(ShapeError, /batchNorm: runningMean must have shape \[3\] \(one per channel of x \[4,3\]\), got \[2\]/);
    expect(() => batchNorm(zeros([1, 3]), zeros([3]), zeros([3]), null, null, { training: true })).to.throw(ShapeError, /expected more than 1 value per channel when training/);
    expect(() => batchNorm(zeros([3]), null, null)).to.throw(ShapeError, /at least 2-D/);
    expect(() => batchNorm(x, zeros([3]), null)).to.throw(ArgumentError, /give both runningMean and runningVar/);
  });

  it('updating the running statistics in place after an eval-mode use makes that backward fail loudly', () => {
    const x = fillTensor([4, 2], 1).requiresGrad_(true);
    const rm = zeros([2], { dtype: 'float64' });
    const rv = fillTensor([2], 2, { min: 0.5, max: 1 });
    const y = batchNorm(x, rm, rv, null, null, { training: false });
    batchNorm(x.detach(), rm, rv, null, null, { training: true });
    expect(() => sum(y).backward()).to.throw(AutogradError, /modified in place/);
  });
});

describe('layerNorm and localResponseNorm against PyTorch 1.13', () => {
  for (const c of fixture.layerNorm) {
    it(`layerNorm ${JSON.stringify(c.normalizedShape)} on ${JSON.stringify(c.x.shape)}`, () => {
      const [x, w, b] = [load(c.x, true), load(c.weight, true), load(c.bias, true)];
      const y = layerNorm(x, c.normalizedShape, w, b);
      expectClose(y, c.y);
      y.backward(load(c.dy));
      [x, w, b].forEach((t, i) => expectClose(t.grad!, c.grads[i]!));
    });
  }
  for (const c of fixture.localResponseNorm) {
    it(`localResponseNorm size ${c.size}, alpha ${c.alpha}, beta ${c.beta}, k ${c.k}`, () => {
      const x = load(c.x, true);
      const y = localResponseNorm(x, c.size, { alpha: c.alpha, beta: c.beta, k: c.k });
      expectClose(y, c.y);
      y.backward(load(c.dy));
      expectClose(x.grad!, c.grads[0]!);
    });
  }

  it('errors name the problem', () => {
    expect(() => layerNorm(zeros([2, 3]), [2])).to.throw(ShapeError, /normalizedShape \[2\] must be non-empty and match the trailing dims of x \[2,3\]/);
    expect(() => layerNorm(zeros([2, 3]), 3, zeros([2]))).to.throw(ShapeError, /weight must have shape normalizedShape \[3\], got \[2\]/);
    expect(() => localResponseNorm(zeros([2, 3]), 2)).to.throw(ShapeError, /at least 3-D/);
    expect(() => localResponseNorm(zeros([1, 2, 3]), 0)).to.throw(ArgumentError, /size must be a positive integer/);
  });

  it('second derivatives of layerNorm and localResponseNorm are checked', () => {
    checkGrads((x, w) => layerNorm(x, [3], w), [fillTensor([2, 3], 9), fillTensor([3], 10)], { order: 2 });
    checkGrads((x) => localResponseNorm(x, 3, { alpha: 0.5 }), [fillTensor([1, 4, 2], 11)], { order: 2 });
  });
});

describe('dropout', () => {
  const x = tensor(Array.from({ length: 4000 }, () => 1), { dtype: 'float64' });

  it('is reproducible with a seed or a seeded generator, and different across seeds', () => {
    expect([...dropout(x, 0.3, { seed: 42 }).data]).to.deep.equal([...dropout(x, 0.3, { seed: 42 }).data]);
    expect([...dropout(x, 0.3, { generator: new Generator(42) }).data]).to.deep.equal([...dropout(x, 0.3, { seed: 42 }).data]);
    expect([...dropout(x, 0.3, { seed: 43 }).data]).to.not.deep.equal([...dropout(x, 0.3, { seed: 42 }).data]);
  });

  it('keeps about 1 − p of the elements, scaled by 1/(1 − p), so the mean is preserved', () => {
    const y = dropout(x, 0.3, { seed: 1 });
    const kept = [...y.data].filter((v) => v !== 0);
    kept.forEach((v) => expect(v).to.be.closeTo(1 / 0.7, 1e-15));
    // Binomial(4000, 0.7): standard deviation ≈ 29, so ±150 is over 5 sigma.
    expect(Math.abs(kept.length - 2800)).to.be.lessThan(150);
  });

  it('is the identity in eval mode and for p = 0, zero for p = 1; the gradient uses the same mask', () => {
    expect(dropout(x, 0.5, { training: false })).to.equal(x);
    expect(dropout(x, 0)).to.equal(x);
    expect([...dropout(x, 1, { seed: 3 }).data].every((v) => v === 0)).to.equal(true);
    const t = fillTensor([50], 4).requiresGrad_(true);
    const y = dropout(t, 0.5, { seed: 9 });
    sum(y).backward();
    t.grad!.data.forEach((g, i) => expect(g).to.equal(y.data[i] === 0 ? 0 : 2));
    expect(() => dropout(x, 1.5)).to.throw(ArgumentError, /dropout: p must be a probability in \[0, 1\], got 1.5/);
  });

  it('public wrappers work', () => {
    expect(api.dropout(x, 0.3, { seed: 42 }).data).to.deep.equal(dropout(x, 0.3, { seed: 42 }).data);
    expect(api.batchNorm([[1, 2], [3, 4]], null, null, null, null, { training: true }).shape).to.deep.equal([2, 2]);
  });
});

describe('batchNorm with weight and bias fused into normalize', () => {
  it('float32 agrees with float64 in value and in the gradients of x, weight and bias', () => {
    const rng = new Generator(11);
    const make = (shape: number[], dtype: 'float32' | 'float64', seed: Generator): Tensor =>
      tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => seed.uniform(-2, 3)), { shape, dtype, requiresGrad: true });
    const shapes = { x: [5, 3, 4, 6], w: [3], b: [3], dy: [5, 3, 4, 6] };
    const values = Object.fromEntries(Object.entries(shapes).map(([k, s]) => [k, make(s, 'float64', rng)]));
    const run = (dtype: 'float32' | 'float64'): Tensor[] => {
      const [x, w, b, dy] = (['x', 'w', 'b', 'dy'] as const).map((k) => tensor(Array.from(values[k]!.data), { shape: shapes[k], dtype, requiresGrad: k !== 'dy' }));
      const y = batchNorm(x!, null, null, w!, b!, { training: true });
      y.backward(dy!);
      return [y, x!.grad!, w!.grad!, b!.grad!];
    };
    const r32 = run('float32');
    const r64 = run('float64');
    r32.forEach((t, k) => {
      expect(t.dtype).to.equal('float32');
      t.data.forEach((v, i) => expect(v).to.be.closeTo(r64[k]!.data[i]!, 2e-5 * Math.max(1, Math.abs(r64[k]!.data[i]!)), `output ${k} element ${i}`));
    });
  });

  it('a weight of another dtype than x takes the unfused path (promoting like mul)', () => {
    const x = tensor([[1, 2], [3, 5]], { dtype: 'float32' });
    const y = batchNorm(x, null, null, tensor([2, 3], { dtype: 'float64' }), null, { training: true });
    expect(y.dtype).to.equal('float64');
    expect([...y.data].map((v) => Math.round(v * 1e4) / 1e4)).to.deep.equal([-2, -3, 2, 3]);
  });
});
