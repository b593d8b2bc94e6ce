import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { ArgumentError, DTypeError, ShapeError } from '../../errors.js';
import { tensor, zeros } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkGrads } from '../../testing/check-grads.js';
import { fillTensor } from '../../testing/arbitraries.js';
import { mul } from '../elementwise/arithmetic.js';
import { sum } from '../reduce/sum.js';
import { groupNorm } from './group-norm.js';
import { instanceNorm } from './instance-norm.js';
import * as api from '../../index.js';

interface Fixed {
  shape: number[];
  data: number[];
}
interface Fixture {
  groupNorm: { numGroups: number; eps: number; x: Fixed; weight: Fixed | null; bias: Fixed | null; y: Fixed; dy: Fixed; grads: (Fixed | null)[] }[];
  instanceNorm: {
    useInputStats: boolean; running: boolean; affine: boolean; x: Fixed; weight: Fixed; bias: Fixed;
    runningMean: Fixed; runningVar: Fixed; runningMeanAfter: Fixed; runningVarAfter: Fixed; y: Fixed; dy: Fixed; grads: (Fixed | null)[];
  }[];
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/group_norm.json', import.meta.url), 'utf8')) as Fixture;
const load = (f: Fixed, requiresGrad = false): Tensor => tensor(f.data, { shape: f.shape, dtype: 'float64', requiresGrad });
const loadOptional = (f: Fixed | null): Tensor | null => (f === null ? null : load(f, true));

function expectClose(actual: Tensor, expected: Fixed, tol = 1e-11): void {
  expect(actual.shape).to.deep.equal(expected.shape);
  actual.data.forEach((v, i) => expect(v).to.be.closeTo(expected.data[i]!, tol * Math.max(1, Math.abs(expected.data[i]!)), `element ${i}`));
}

describe('groupNorm against PyTorch 1.13', () => {
  for (const c of fixture.groupNorm) {
    const parts = `${c.weight ? ' weight' : ''}${c.bias ? ' bias' : ''}`;
    it(`${JSON.stringify(c.x.shape)} in ${c.numGroups} groups${parts}: output and gradients`, () => {
      const x = load(c.x, true);
      const w = loadOptional(c.weight);
      const b = loadOptional(c.bias);
      const y = groupNorm(x, c.numGroups, w, b, { eps: c.eps });
      expectClose(y, c.y);
      y.backward(load(c.dy));
      [x, w, b].forEach((t, i) => {
        if (t !== null) expectClose(t.grad!, c.grads[i]!);
      });
    });
  }

  it('has checked first and second derivatives (x, weight, bias), also with one group per channel and without affine', () => {
    const x = fillTensor([2, 4, 3], 1);
    const w = fillTensor([4], 2);
    const b = fillTensor([4], 3);
    checkGrads((xx, ww, bb) => groupNorm(xx, 2, ww, bb), [x, w, b], { order: 2 });
    checkGrads((xx, ww) => groupNorm(xx, 4, ww, null, { eps: 1e-3 }), [x, w], { order: 2 });
    checkGrads((xx) => groupNorm(xx, 1), [x], { order: 2 });
  });

  it('gives the same gradients with and without createGraph (x̂ and statistics taken again vs kept from forward)', () => {
    const dy = fillTensor([2, 6, 2], 7);
    const run = (createGraph: boolean): number[][] => {
      const x = fillTensor([2, 6, 2], 4).requiresGrad_(true);
      const w = fillTensor([6], 5).requiresGrad_(true);
      const b = fillTensor([6], 6).requiresGrad_(true);
      groupNorm(x, 3, w, b).backward(dy, { createGraph });
      return [x, w, b].map((t) => Array.from(t.grad!.data));
    };
    const [plain, graphed] = [run(false), run(true)];
    plain.forEach((g, i) => g.forEach((v, k) => expect(v).to.be.closeTo(graphed[i]![k]!, 1e-13)));
  });

  it('float32 agrees with float64', () => {
    const [y32, y64] = (['float32', 'float64'] as const).map((dtype) => groupNorm(fillTensor([2, 4, 3, 3], 8, { dtype }), 2, fillTensor([4], 9, { dtype })));
    expect(y32!.dtype).to.equal('float32');
    y32!.data.forEach((v, i) => expect(v).to.be.closeTo(y64!.data[i]!, 1e-5));
  });

  it('gives clear errors', () => {
    const x = zeros([2, 4, 3]);
    expect(() => groupNorm(x, 3)).to.throw(ShapeError, 'groupNorm: the 4 channels of x [2,4,3] must split evenly into numGroups = 3 groups');
    expect(() => groupNorm(x, 1.5)).to.throw(ArgumentError, /^groupNorm: numGroups/);
    expect(() => groupNorm(x, 0)).to.throw(ArgumentError, /^groupNorm: numGroups/);
    expect(() => groupNorm(x, 2, zeros([2]))).to.throw(ShapeError, 'groupNorm: weight must have shape [4] (one per channel of x [2,4,3]), got [2]');
    expect(() => groupNorm(x, 2, null, zeros([4], { dtype: 'float64' }))).to.throw(DTypeError, "groupNorm: bias must have x's dtype float32, got float64");
    expect(() => groupNorm(zeros([4]), 2)).to.throw(ShapeError, 'groupNorm: x must be at least 2-D [N, C, ...], got [4]');
    expect(() => groupNorm(tensor([[1, 2]], { dtype: 'int32' }), 1)).to.throw(DTypeError, /^groupNorm: x must be a floating-point tensor/);
    expect(() => groupNorm(zeros([1, 2]), 2)).to.throw(ShapeError, 'groupNorm: expected more than 1 value per group, got x [1,2] with numGroups = 2');
    expect(() => groupNorm(x, 2, null, null, { eps: 0 })).to.throw(ArgumentError, /^groupNorm: eps/);
    expect(() => groupNorm(x, 2, null, null, { epsilon: 1e-3 } as never)).to.throw(ArgumentError, /^groupNorm: unknown option 'epsilon'/);
    // PyTorch allows one value per group when the batch has more than one sample (the output is the bias).
    expect(Array.from(groupNorm(tensor([[1, 2], [3, 5]]), 2, null, tensor([0.5, -1])).data)).to.deep.equal([0.5, -1, 0.5, -1]);
  });

  it('is public, converting arrays', () => {
    const y = api.groupNorm([[1, 2, 3, 4]], 2, [1, 2, 1, 1], [0, 0, 0, 1], { eps: 1e-5 });
    expectClose(y, { shape: [1, 4], data: [-0.9999800005999799, 1.9999600011999598, -0.9999800005999799, 1.9999800005999799] }, 1e-7);
    expect(() => api.groupNorm(zeros([2, 2]), 'a' as never)).to.throw(ArgumentError, /^groupNorm: argument 'numGroups' must be number/);
  });
});

describe('instanceNorm against PyTorch 1.13', () => {
  for (const c of fixture.instanceNorm) {
    const what = `${c.useInputStats ? 'input statistics' : 'running statistics'}${c.running ? ' with running statistics' : ''}${c.affine ? ' affine' : ''}`;
    it(`${what} on ${JSON.stringify(c.x.shape)}: output, running statistics, gradients`, () => {
      const x = load(c.x, true);
      const w = load(c.weight, true);
      const b = load(c.bias, true);
      const rm = load(c.runningMean);
      const rv = load(c.runningVar);
      const versions = [rm.version.value, rv.version.value];
      const y = instanceNorm(x, {
        runningMean: c.running ? rm : null, runningVar: c.running ? rv : null,
        weight: c.affine ? w : null, bias: c.affine ? b : null, useInputStats: c.useInputStats, momentum: 0.3, eps: 1e-4,
      });
      expectClose(y, c.y);
      expectClose(rm, c.runningMeanAfter);
      expectClose(rv, c.runningVarAfter);
      const updated = c.running && c.useInputStats;
      expect(rm.version.value > versions[0]!).to.equal(updated);
      expect(rv.version.value > versions[1]!).to.equal(updated);
      y.backward(load(c.dy));
      [x, w, b].forEach((t, i) => {
        if (c.grads[i]) expectClose(t.grad!, c.grads[i]!);
        else expect(t.grad).to.equal(null);
      });
    });
  }

  it('has checked second derivatives with the input statistics and with the running ones', () => {
    const x = fillTensor([2, 3, 2, 2], 11);
    const w = fillTensor([3], 12);
    const b = fillTensor([3], 13);
    checkGrads((xx, ww, bb) => instanceNorm(xx, { weight: ww, bias: bb }), [x, w, b], { order: 2 });
    const runningMean = fillTensor([3], 14);
    const runningVar = fillTensor([3], 15, { min: 0.5, max: 2 });
    checkGrads((xx, ww) => instanceNorm(xx, { weight: ww, runningMean, runningVar, useInputStats: false }), [x, w], { order: 2 });
  });

  it('gives clear errors', () => {
    const x = zeros([2, 3, 4]);
    expect(() => instanceNorm(x, { useInputStats: false })).to.throw(ArgumentError, /^instanceNorm: useInputStats false normalises with runningMean and runningVar/);
    expect(() => instanceNorm(x, { runningMean: zeros([3]) })).to.throw(ArgumentError, 'instanceNorm: give both runningMean and runningVar, or neither');
    expect(() => instanceNorm(x, { runningMean: zeros([2]), runningVar: zeros([2]) })).to.throw(ShapeError, 'instanceNorm: runningMean must have shape [3] (one per channel of x [2,3,4]), got [2]');
    expect(() => instanceNorm(x, { runningMean: [0, 0, 0] as never, runningVar: zeros([3]) })).to.throw(ArgumentError, /^instanceNorm: runningMean must be a Tensor or null, got an Array/);
    expect(() => instanceNorm(zeros([2, 3, 1, 1]))).to.throw(ShapeError, "instanceNorm: expected more than 1 spatial element when using the input's statistics, got x [2,3,1,1]");
    expect(() => instanceNorm(x, { momentum: 1.5 })).to.throw(ArgumentError, /^instanceNorm: momentum/);
    expect(() => instanceNorm(x, { useInputStats: 1 as never })).to.throw(ArgumentError, /^instanceNorm: useInputStats/);
    expect(() => instanceNorm(x, { use_input_stats: true } as never)).to.throw(ArgumentError, /did you mean 'useInputStats'/);
    expect(() => instanceNorm(zeros([3]))).to.throw(ShapeError, 'instanceNorm: x must be at least 2-D [N, C, ...], got [3]');
    // [N, C] with the running statistics is allowed, as in PyTorch (no spatial statistics needed).
    expect(instanceNorm(zeros([2, 3]), { runningMean: zeros([3]), runningVar: tensor([1, 1, 1]), useInputStats: false }).shape).to.deep.equal([2, 3]);
  });

  it('a rejected call leaves the running statistics as they were', () => {
    const rm = tensor([1, 2, 3]);
    const rv = tensor([1, 1, 1]);
    expect(() => instanceNorm(zeros([2, 3, 1]), { runningMean: rm, runningVar: rv })).to.throw(ShapeError);
    expect(Array.from(rm.data)).to.deep.equal([1, 2, 3]);
    expect(rm.version.value).to.equal(0);
  });

  it('is public', () => {
    const x = fillTensor([2, 2, 3], 16);
    expect(Array.from(api.instanceNorm(x).data)).to.deep.equal(Array.from(api.groupNorm(x, 2).data));
    expect(sum(mul(api.instanceNorm(x, { eps: 1e-3 }), x)).item()).to.be.a('number');
  });
});
