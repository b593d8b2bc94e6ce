// The Trainer on WebGPU (Dawn on llvmpipe): the same run as on the CPU to float32 rounding, step
// by step (losses, metrics read back with them, validation); checkpoints read back from the GPU
// with the model left there, resumed on either device; metrics that cannot run on a GPU and a
// model on the wrong device are refused with what to do instead.
import { expect } from 'chai';
import { ArgumentError, DeviceError, type Tensor, argmax, cast, equal, mean } from '@tensorgrad/core';
import { accuracy } from '@tensorgrad/nn';
import { initDawn } from './dawn.test-util.js';
import type { FitResult } from './records.js';
import { readCheckpointMetadata } from './state.js';
import { setup } from './synthetic.test-util.js';
import { Trainer, fit } from './trainer.js';

/** The fraction of rows whose top logit is the label, computed on the tensors' device. */
const onDeviceAccuracy = (y: Tensor, t: Tensor): Tensor => mean(cast(equal(argmax(y, 1), t), 'float32'));
// Float32 sums in other orders (tiled GEMM, tree reductions): the losses of 18 Adam steps stay
// within this of the CPU's (measured: below 3e-7).
const RTOL = 1e-5;

function expectClose(actual: readonly number[], expected: readonly number[], what: string): void {
  expect(actual, what).to.have.length(expected.length);
  actual.forEach((v, i) => expect(v, `${what}[${i}]`).to.be.closeTo(expected[i]!, RTOL * Math.max(1, Math.abs(expected[i]!))));
}

/** Losses, epoch means and validations of two runs agree to RTOL. */
function expectSameRun(gpu: FitResult, cpu: FitResult): void {
  expectClose(gpu.steps.loss, cpu.steps.loss, 'step losses');
  expect(gpu.steps.lr).to.deep.equal(cpu.steps.lr);
  expect(gpu.validations.map((v) => v.step)).to.deep.equal(cpu.validations.map((v) => v.step));
  gpu.validations.forEach((v, i) => {
    expect(Object.keys(v.values)).to.deep.equal(['loss', 'accuracy']);
    expectClose(Object.values(v.values), Object.values(cpu.validations[i]!.values), `validation ${i}`);
  });
  gpu.history.forEach((h, i) => expectClose(Object.values(h.train), Object.values(cpu.history[i]!.train), `epoch ${i + 1} train means`));
}

describe('Trainer on WebGPU (Dawn, llvmpipe)', function () {
  this.timeout(120_000);
  before(() => initDawn());

  it('trains with the losses, metrics and validations of the CPU run, step by step; the model stays on the GPU', async () => {
    const cpu = setup({ metrics: { accuracy: onDeviceAccuracy } });
    const expected = await fit(cpu.model, cpu.options);
    const gpu = setup({ metrics: { accuracy: onDeviceAccuracy }, device: 'webgpu' });
    gpu.model.to('webgpu');
    const result = await fit(gpu.model, { ...gpu.options, device: 'webgpu' });
    expectSameRun(result, expected);
    expect(result.history[2]!.validation!.accuracy).to.be.greaterThan(0.75);
    expect(gpu.model.parameters().every((p) => p.device === 'webgpu')).to.equal(true);
  });

  it('checkpoints from the GPU (the model stays there); a run resumed on either device tracks the straight run', async () => {
    const straight = setup({ metrics: { accuracy: onDeviceAccuracy } });
    const expected = await fit(straight.model, straight.options);

    const gpu = setup({ metrics: { accuracy: onDeviceAccuracy } });
    gpu.model.to('webgpu');
    const sunk: Uint8Array[] = [];
    const trainer = new Trainer(gpu.model, { ...gpu.options, device: 'webgpu', checkpoint: (bytes) => void sunk.push(bytes) });
    for (let i = 0; i < 8; i++) await trainer.step(); // past epoch 1's checkpoint, into epoch 2
    expect(sunk).to.have.length(1);
    expect(() => trainer.checkpoint()).to.throw(DeviceError, /^Trainer\.checkpoint: the model is on 'webgpu', .*use `await trainer\.checkpointAsync\(\)`/);
    const bytes = await trainer.checkpointAsync();
    expect(readCheckpointMetadata(bytes).trainer.stepsDone).to.equal(8);
    expect(gpu.model.parameters().every((p) => p.device === 'webgpu')).to.equal(true);

    // On the CPU (a model initialised differently: the checkpoint overwrites it) ...
    const onCpu = setup({ metrics: { accuracy: onDeviceAccuracy } }, { init: 7 });
    expectSameRun(await fit(onCpu.model, { ...onCpu.options, resume: bytes }), expected);
    // ... and on the GPU, from the GPU's epoch-1 checkpoint: CPU state loaded into GPU parameters.
    const again = setup({ metrics: { accuracy: onDeviceAccuracy } }, { init: 7 });
    again.model.to('webgpu');
    expectSameRun(await fit(again.model, { ...again.options, device: 'webgpu', resume: sunk[0]! }), expected);
  });

  it('refuses a metric that reads values synchronously, and a model left on another device, saying what to do', async () => {
    const { model, options } = setup({ metrics: { accuracy } });
    model.to('webgpu');
    let error: unknown;
    await fit(model, { ...options, device: 'webgpu' }).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(ArgumentError);
    expect((error as Error).message).to.match(/^Trainer: metric 'accuracy' reads values synchronously, which 'webgpu' tensors cannot give \(.*\); compute it with tensor ops and return a one-element Tensor/);
    expect(() => new Trainer(model, options)).to.throw(
      ArgumentError, /^Trainer: the model's parameter '0\.weight' is on 'webgpu' but options\.device is 'cpu': move the model first with await model\.toAsync\('cpu'\), then create the trainer$/,
    );
  });
});
