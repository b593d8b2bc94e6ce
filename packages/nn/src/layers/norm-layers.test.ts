// GroupNorm and InstanceNorm2d against torch.nn's modules (fixtures/norm-layers.json, written by
// scripts/norm-layers-fixture.py): state_dict names and shapes, training outputs and gradients,
// running statistics after two training steps, eval outputs; and their argument checks.
import { ArgumentError, ShapeError, type Tensor, tensor, zeros } from '@tensorgrad/core';
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { Module } from '../module/module.js';
import { GroupNorm } from './groupnorm.js';
import { InstanceNorm2d } from './instancenorm.js';

interface Fixed {
  shape: number[];
  data: number[];
}
interface Step {
  x: Fixed;
  y: Fixed;
  dy: Fixed;
  xGrad: Fixed;
  weightGrad?: Fixed;
  biasGrad?: Fixed;
}
interface LayerCase {
  name: string;
  stateKeys: [string, number[]][];
  weight: Fixed | null;
  bias: Fixed | null;
  train: Step[];
  buffersAfter: Record<string, Fixed>;
  eval: { x: Fixed; y: Fixed };
}

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/norm-layers.json', import.meta.url), 'utf8')) as { torch: string; cases: LayerCase[] };
const load = (f: Fixed, requiresGrad = false): Tensor => tensor(f.data, { shape: f.shape, dtype: 'float64', requiresGrad });

function expectClose(actual: Tensor, expected: Fixed, tol = 1e-11): void {
  expect(actual.shape).to.deep.equal(expected.shape);
  actual.data.forEach((v, i) => expect(v).to.be.closeTo(expected.data[i]!, tol * Math.max(1, Math.abs(expected.data[i]!)), `element ${i}`));
}

type NormLayer = GroupNorm | InstanceNorm2d;
/** The same modules as the fixture script builds, by its case names. */
const layers: Record<string, () => NormLayer> = {
  'GroupNorm(3, 6)': () => new GroupNorm(3, 6, { dtype: 'float64' }),
  'GroupNorm(2, 4, eps=1e-3, affine=False)': () => new GroupNorm(2, 4, { eps: 1e-3, affine: false, dtype: 'float64' }),
  'InstanceNorm2d(4, momentum=0.2, affine=True, track_running_stats=True)': () =>
    new InstanceNorm2d(4, { momentum: 0.2, affine: true, trackRunningStats: true, dtype: 'float64' }),
  'InstanceNorm2d(3)': () => new InstanceNorm2d(3, { dtype: 'float64' }),
  'InstanceNorm2d(3, eps=1e-3, track_running_stats=True) unbatched': () => new InstanceNorm2d(3, { eps: 1e-3, trackRunningStats: true, dtype: 'float64' }),
};

describe('GroupNorm and InstanceNorm2d against torch.nn (PyTorch 1.13)', () => {
  for (const c of fixture.cases) {
    it(`${c.name}: state_dict names, training steps, running statistics, eval`, () => {
      const layer = layers[c.name]!();
      const sd = (layer as Module).stateDict();
      expect([...sd].map(([k, v]) => [k, [...v.shape]])).to.deep.equal(c.stateKeys);
      if (c.weight) layer.weight!.copy_(load(c.weight));
      if (c.bias) layer.bias!.copy_(load(c.bias));
      layer.train();
      for (const step of c.train) {
        const x = load(step.x, true);
        const y = layer.invoke(x);
        expectClose(y, step.y);
        y.backward(load(step.dy));
        expectClose(x.grad!, step.xGrad);
        if (step.weightGrad) {
          expectClose(layer.weight!.grad!, step.weightGrad);
          expectClose(layer.bias!.grad!, step.biasGrad!);
          layer.zeroGrad();
        }
      }
      for (const [name, expected] of Object.entries(c.buffersAfter)) expectClose(sd.get(name)!, expected);
      layer.eval();
      expectClose(layer.invoke(load(c.eval.x)), c.eval.y);
    });
  }

  it('InstanceNorm2d without running statistics normalises each instance in eval too; with them, eval leaves them unchanged', () => {
    const x = tensor([[[[1, 2], [4, 8]]]], { dtype: 'float64' });
    const plain = new InstanceNorm2d(1, { dtype: 'float64' }).eval();
    expect(Array.from(plain.invoke(x).data)).to.deep.equal(Array.from(new InstanceNorm2d(1, { dtype: 'float64' }).invoke(x).data));
    const tracking = new InstanceNorm2d(1, { trackRunningStats: true, dtype: 'float64' }).eval();
    expect(Array.from(tracking.invoke(x).data).map((v) => Math.round(v * 1e4) / 1e4)).to.deep.equal([1, 2, 4, 8]);
    expect(Array.from(tracking.runningMean!.data)).to.deep.equal([0]);
    expect(Array.from(tracking.runningVar!.data)).to.deep.equal([1]);
  });

  it('check their arguments and inputs', () => {
    expect(() => new GroupNorm(4, 6)).to.throw(ArgumentError, 'GroupNorm: numChannels (6) must be divisible by numGroups (4)');
    expect(() => new GroupNorm(0, 6)).to.throw(ArgumentError, /^GroupNorm: numGroups must be a positive integer/);
    expect(() => new GroupNorm(2, 6, { eps: -1 })).to.throw(ArgumentError, /^GroupNorm: eps/);
    expect(() => new GroupNorm(2, 6, { num_groups: 2 } as never)).to.throw(ArgumentError, /^GroupNorm: unknown option 'num_groups'/);
    expect(() => new GroupNorm(2, 6).invoke(zeros([2, 4, 3]))).to.throw(ShapeError, 'GroupNorm: expected input [N, 6, ...], got [2,4,3]');
    expect(() => new InstanceNorm2d(3, { momentum: 2 })).to.throw(ArgumentError, /^InstanceNorm2d: momentum/);
    expect(() => new InstanceNorm2d(3, { track_running_stats: true } as never)).to.throw(ArgumentError, /did you mean 'trackRunningStats'/);
    expect(() => new InstanceNorm2d(3, { affine: 1 } as never)).to.throw(ArgumentError, /^InstanceNorm2d: affine/);
    expect(new InstanceNorm2d(3).invoke(zeros([3, 4, 4])).shape).to.deep.equal([3, 4, 4]);
    expect(() => new InstanceNorm2d(3).invoke(zeros([2, 3, 4, 4, 1]))).to.throw(ShapeError, 'InstanceNorm2d: expected input [N, 3, H, W] or [3, H, W], got [2,3,4,4,1]');
    expect(() => new InstanceNorm2d(3).invoke(zeros([2, 4, 4, 4]))).to.throw(ShapeError, /^InstanceNorm2d: expected input \[N, 3, H, W\]/);
    expect(() => new InstanceNorm2d(3).invoke(zeros([2, 3, 1, 1]))).to.throw(ShapeError, /^instanceNorm: expected more than 1 spatial element/);
  });

  it('convert to float32 with their buffers (num_batches_tracked stays int32)', () => {
    const layer = new InstanceNorm2d(2, { affine: true, trackRunningStats: true, dtype: 'float64' }).float();
    expect([layer.weight!.dtype, layer.runningVar!.dtype, layer.numBatchesTracked!.dtype]).to.deep.equal(['float32', 'float32', 'int32']);
    expect(layer.invoke(zeros([1, 2, 2, 2])).dtype).to.equal('float32');
  });
});
