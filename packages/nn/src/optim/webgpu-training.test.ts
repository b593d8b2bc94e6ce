// A model on WebGPU (Dawn on llvmpipe): Module.to moves parameters, gradients and buffers keeping
// their identity, every optimizer (each option) updates them on the device and agrees with the
// same five steps on the CPU within float32 tolerance, clipGradNormAsync clips on the device,
// state follows its parameters, and what needs a synchronous read of GPU memory says what to call.
import { expect } from 'chai';
import { DTypeError, DeviceError, Generator, type Tensor, mseLoss, onesLike, randn, tensor } from '@tensorgrad/core';
import { initDawn } from '../dawn.test-util.js';
import { checkpointToBytes } from '../checkpoint/checkpoint.js';
import { BatchNorm1d } from '../layers/batchnorm.js';
import { Linear } from '../layers/linear.js';
import { Adam, AdamW } from './adam.js';
import { clipGradNorm, clipGradNormAsync } from './clip.js';
import type { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

/** |got − want| ≤ atol + rtol·|want| elementwise (float32 GPU arithmetic against the CPU's float64-rounded-to-float32 steps). */
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string, rtol = 1e-4, atol = 1e-5): void {
  expect(got.length, what).to.equal(want.length);
  for (let i = 0; i < want.length; i++) {
    expect(Math.abs(got[i]! - want[i]!), `${what}[${i}]: ${got[i]} vs ${want[i]}`).to.be.at.most(atol + rtol * Math.abs(want[i]!));
  }
}

const OPTIMIZERS: [string, (ps: Tensor[]) => Optimizer<any>][] = [
  ['SGD', (ps) => new SGD(ps, { lr: 0.1 })],
  ['SGD momentum dampening weightDecay', (ps) => new SGD(ps, { lr: 0.1, momentum: 0.9, dampening: 0.2, weightDecay: 0.01 })],
  ['SGD nesterov', (ps) => new SGD(ps, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.1 })],
  ['Adam', (ps) => new Adam(ps, { lr: 0.01 })],
  ['Adam amsgrad weightDecay', (ps) => new Adam(ps, { lr: 0.01, amsgrad: true, weightDecay: 0.1, betas: [0.8, 0.95] })],
  ['AdamW', (ps) => new AdamW(ps, { lr: 0.01 })],
  ['AdamW amsgrad', (ps) => new AdamW(ps, { lr: 0.02, amsgrad: true, weightDecay: 0.3 })],
  ['RMSprop', (ps) => new RMSprop(ps, { lr: 0.01 })],
  ['RMSprop centered momentum weightDecay', (ps) => new RMSprop(ps, { lr: 0.01, centered: true, momentum: 0.9, weightDecay: 0.1, alpha: 0.9 })],
];

describe('training on WebGPU (Dawn): Module.to, optimizers, clipping', () => {
  before(async () => {
    await initDawn();
  });

  const data = () => {
    const g = new Generator(3);
    return { x: randn([8, 4], { generator: g }), y: randn([8, 3], { generator: g }) };
  };

  /** Five steps of `make`'s optimizer on a seeded Linear(4, 3) on `device`; the final weight and bias. */
  async function train(device: 'cpu' | 'webgpu', make: (ps: Tensor[]) => Optimizer<any>, clip: boolean): Promise<number[][]> {
    const model = new Linear(4, 3, { generator: new Generator(7) });
    const weight = model.weight;
    model.to(device);
    expect(model.weight).to.equal(weight);
    expect(model.weight.device).to.equal(device);
    const opt = make(model.parameters());
    const { x, y } = data();
    const [xd, yd] = [x.to(device), y.to(device)];
    for (let step = 0; step < 5; step++) {
      opt.zeroGrad();
      mseLoss(model.invoke(xd), yd).backward();
      if (clip) await clipGradNormAsync(model.parameters(), 0.5);
      opt.step();
    }
    for (const s of opt.state.values()) for (const v of Object.values(s)) if (typeof v !== 'number') expect(v.device).to.equal(device);
    await model.toAsync('cpu');
    return [Array.from(model.weight.data), Array.from(model.bias!.data)];
  }

  for (const [name, make] of OPTIMIZERS) {
    it(`${name}: five steps on WebGPU agree with the CPU`, async () => {
      const cpu = await train('cpu', make, false);
      const gpu = await train('webgpu', make, false);
      expectClose(gpu[0]!, cpu[0]!, `${name} weight`);
      expectClose(gpu[1]!, cpu[1]!, `${name} bias`);
      // The steps moved the weights (a GPU update that wrote nothing would not agree with this).
      const untouched = Array.from(new Linear(4, 3, { generator: new Generator(7) }).weight.data);
      expect(cpu[0]).to.not.deep.equal(untouched);
    });
  }

  it('clipGradNormAsync clips on the device as clipGradNorm does on the CPU; clipGradNorm names it for GPU gradients', async () => {
    const cpu = await train('cpu', OPTIMIZERS[1]![1], true);
    const gpu = await train('webgpu', OPTIMIZERS[1]![1], true);
    expectClose(gpu[0]!, cpu[0]!, 'clipped weight');
    const p = tensor([0, 0], { requiresGrad: true }).to('webgpu');
    p.grad = tensor([3, 4]).to('webgpu');
    expect(() => clipGradNorm([p], 1)).to.throw(DeviceError, /clipGradNorm: the gradients are on 'webgpu'.*await clipGradNormAsync/);
    expect(await clipGradNormAsync([p], 1)).to.be.closeTo(5, 1e-5);
    expectClose(await p.grad.dataAsync(), [0.6, 0.8], 'clipped gradient');
    const cpuP = tensor([0, 0], { requiresGrad: true });
    cpuP.grad = tensor([3, 4]);
    expect(await clipGradNormAsync([cpuP], 1, { errorIfNonfinite: true })).to.equal(5);
  });

  it('buffers move; CPU optimizer state follows its parameter to the GPU; the way back needs toAsync', async () => {
    const bn = new BatchNorm1d(3);
    const mean = bn.runningMean!;
    bn.to('webgpu');
    expect([bn.runningMean, mean.device, bn.numBatchesTracked!.device]).to.deep.equal([mean, 'webgpu', 'webgpu']);
    expect(() => bn.to('cpu')).to.throw(DeviceError, /^BatchNorm1d\.to: 'weight' is on 'webgpu', and moving it to 'cpu' reads GPU memory.*await model\.toAsync\('cpu'\)/);
    expect(() => checkpointToBytes({ model: bn })).to.throw(DeviceError, /checkpointToBytes: 'weight' is on 'webgpu'.*await model\.toAsync\('cpu'\)/);
    await bn.toAsync('cpu');
    expect([bn.runningMean!.device, Array.from(bn.runningVar!.data)]).to.deep.equal(['cpu', [1, 1, 1]]);

    const fc = new Linear(2, 1, { generator: new Generator(1) });
    const opt = new SGD(fc.parameters(), { lr: 0.1, momentum: 0.9 });
    for (const p of fc.parameters()) p.grad = onesLike(p.detach());
    opt.step();
    fc.to('webgpu');
    expect([fc.weight.grad!.device, fc.bias!.grad!.device]).to.deep.equal(['webgpu', 'webgpu']);
    for (const p of fc.parameters()) p.grad = onesLike(p.detach()).to('webgpu');
    opt.step();
    expect(opt.state.get(fc.weight)!.momentumBuffer).to.have.property('device', 'webgpu');
    await fc.toAsync('cpu');
    for (const p of fc.parameters()) p.grad = onesLike(p.detach());
    expect(() => opt.step()).to.throw(DeviceError, /SGD\.step: the optimizer state 'momentumBuffer' of .* is on 'webgpu' but the parameter is on 'cpu'.*moveStateAsync/);
    await opt.moveStateAsync();
    opt.step();
    // b = 1, then 0.9·1 + 1 = 1.9, then 0.9·1.9 + 1 = 2.71: the state made the round trip intact.
    expectClose((opt.state.get(fc.weight)!.momentumBuffer as Tensor).data, [2.71, 2.71], 'momentum');
  });

  it('float64 cannot go to WebGPU (nothing moves); a dtype and a device together convert first', () => {
    const fc = new Linear(2, 2, { dtype: 'float64' });
    expect(() => fc.to('webgpu')).to.throw(DTypeError, /Linear\.to: 'weight' is float64, which 'webgpu' cannot hold.*dtype: 'float32'/);
    expect([fc.weight.device, fc.bias!.device]).to.deep.equal(['cpu', 'cpu']);
    fc.to({ device: 'webgpu', dtype: 'float32' });
    expect([fc.weight.device, fc.weight.dtype]).to.deep.equal(['webgpu', 'float32']);
  });
});
