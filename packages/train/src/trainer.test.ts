// fit() and Trainer on a tiny synthetic problem (the class is which of 3 features is largest): the
// loss falls; callbacks come in order; a run stopped after an epoch, or checkpointed mid-epoch,
// and resumed through fit() ends with the bits of the straight run; early stopping; a checkpoint
// save that fails mid-write leaves the previous checkpoint whole.
import { expect } from 'chai';
import fs, { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, type Tensor, argmax, cast, equal, mean, sum } from '@tensorgrad/core';
import { OneCycleLR, ReduceLROnPlateau, StepLR, accuracy } from '@tensorgrad/nn';
import type { Callbacks } from './callbacks.js';
import { checkpointFile } from './node.js';
import { readCheckpointMetadata } from './state.js';
import { fingerprint, setup } from './synthetic.test-util.js';
import { Trainer, fit } from './trainer.js';

describe('fit and Trainer', () => {
  it('trains: the loss falls, validation accuracy rises, the records agree', async () => {
    const { model, options } = setup();
    const result = await fit(model, options);
    expect(result.complete).to.equal(true);
    expect(result.history.map((r) => r.epoch)).to.deep.equal([1, 2, 3]);
    expect(result.steps.loss).to.have.length(18);
    expect(result.history[2]!.train.loss).to.be.lessThan(0.7 * result.history[0]!.train.loss);
    expect(result.history[2]!.validation!.accuracy).to.be.greaterThan(0.75).and.greaterThan(result.history[0]!.validation!.accuracy!);
    // The lr in effect at an epoch's end is the next epoch's first; per step, the lr each step used.
    expect(result.history[0]!.lrAtEpochStart).to.equal(0.03);
    expect(result.history[0]!.lrAtEpochEnd).to.equal(result.history[1]!.lrAtEpochStart).and.equal(result.steps.lr[6]);
    expect(result.history[2]!.lrAtEpochEnd).to.be.lessThan(1e-12); // cosine to zero over the 18 steps
    expect(result.validations.map((v) => v.step)).to.deep.equal([6, 12, 18]);
    expect(result.history[1]!.validation).to.deep.equal(result.validations[1]!.values);
  });

  it('calls back in order: train start, per epoch start, steps, validation, checkpoint, epoch end, train end', async () => {
    const log: string[] = [];
    const recorder: Callbacks = {
      onTrainStart: () => void log.push('train start'),
      onEpochStart: ({ epoch, batches }) => void log.push(`epoch ${epoch} start (${batches} batches)`),
      onStepEnd: ({ record }) => void log.push(`step ${record.step}`),
      onValidationEnd: ({ record }) => void log.push(`validation at ${record.step}`),
      // An async callback is awaited before training goes on.
      onEpochEnd: async ({ record, checkpointSaved }) => {
        await new Promise((r) => setTimeout(r, 1));
        log.push(`epoch ${record.epoch} end${checkpointSaved ? ', saved' : ''}`);
      },
      onTrainEnd: ({ result }) => void log.push(`train end after ${result.stepsDone}`),
    };
    const { model, options } = setup({ epochs: 2, callbacks: [recorder], checkpoint: (_bytes, { epoch }) => void log.push(`checkpoint ${epoch}`) }, { batchSize: 48 });
    await fit(model, options);
    expect(log).to.deep.equal([
      'train start',
      'epoch 1 start (2 batches)', 'step 1', 'step 2', 'validation at 2', 'checkpoint 1', 'epoch 1 end, saved',
      'epoch 2 start (2 batches)', 'step 3', 'step 4', 'validation at 4', 'checkpoint 2', 'epoch 2 end, saved',
      'train end after 4',
    ]);
  });

  it('resumed through fit() after an epoch, or from a mid-epoch checkpoint, ends with the bits of the straight run', async () => {
    const straight = setup();
    const expected = fingerprint(straight.model, straight.dropoutRng, await fit(straight.model, straight.options));

    // Stopped after epoch 1: the checkpoint of epoch 1, into a model initialised differently.
    let saved: Uint8Array | undefined;
    const first = setup({ checkpoint: (bytes) => void (saved = bytes), callbacks: [{ onEpochEnd: ({ run }) => run.stop() }] });
    const partial = await fit(first.model, first.options);
    expect([partial.epochsDone, partial.complete]).to.deep.equal([1, false]);
    expect(readCheckpointMetadata(saved!).trainer.epochsDone).to.equal(1);
    const resumed = setup({}, { init: 7 });
    const result = await fit(resumed.model, { ...resumed.options, resume: saved! });
    expect(fingerprint(resumed.model, resumed.dropoutRng, result)).to.deep.equal(expected);

    // Four steps into epoch 1 (of 6), between steps.
    const stepper = setup();
    const trainer = new Trainer(stepper.model, stepper.options);
    for (let i = 0; i < 10; i++) await trainer.step();
    const midEpoch = setup({}, { init: 11 });
    const again = await fit(midEpoch.model, { ...midEpoch.options, resume: trainer.checkpoint() });
    expect(fingerprint(midEpoch.model, midEpoch.dropoutRng, again)).to.deep.equal(expected);
  });

  it('stops early when the monitored value has not improved for `patience` epochs, and stays stopped on resume', async () => {
    let saved: Uint8Array | undefined;
    // lr 0: the validation loss never changes, so epoch 1 stays the best.
    const { model, options } = setup({ epochs: 5, scheduler: undefined, earlyStopping: { patience: 2 }, checkpoint: (bytes) => void (saved = bytes) }, { lr: 0 });
    const result = await fit(model, options);
    expect([result.epochsDone, result.stoppedEarly, result.complete]).to.deep.equal([3, true, true]);
    expect(readCheckpointMetadata(saved!).trainer.earlyStopping).to.deep.equal({ best: result.history[0]!.validation!.loss, bestEpoch: 1, wait: 2 });
    const again = setup({ epochs: 5, scheduler: undefined, earlyStopping: { patience: 2 } }, { lr: 0 });
    const resumed = await fit(again.model, { ...again.options, resume: saved! });
    expect([resumed.epochsDone, resumed.stepsDone, resumed.stoppedEarly]).to.deep.equal([3, 18, true]);
    // A metric that keeps improving does not stop the run.
    const improving = setup({ earlyStopping: { monitor: 'train.loss', patience: 0 } });
    expect((await fit(improving.model, improving.options)).stoppedEarly).to.equal(false);
  });

  it('steps each scheduler as its kind requires: OneCycleLR per batch, ReduceLROnPlateau per epoch on the monitored value', async () => {
    const cycle = setup({ scheduler: undefined }, { lr: 1e-9 });
    cycle.options.scheduler = new OneCycleLR(cycle.options.optimizer, { maxLr: 0.01, totalSteps: 18 });
    const steps = (await fit(cycle.model, cycle.options)).steps.lr;
    expect(new Set(steps.slice(0, 6)).size).to.equal(6); // a new lr every step
    // lr 1e-6: the validation loss does not improve by 10% after epoch 1, so with patience 0 the lr halves at every later epoch's end.
    const flat = setup({ scheduler: undefined }, { lr: 1e-6 });
    flat.options.scheduler = { scheduler: new ReduceLROnPlateau(flat.options.optimizer, { patience: 0, factor: 0.5, threshold: 0.1 }) };
    const history = (await fit(flat.model, flat.options)).history;
    expect(history.map((r) => r.lrAtEpochEnd / r.lrAtEpochStart)).to.deep.equal([1, 0.5, 0.5]);
    const { model, options } = setup({ scheduler: undefined });
    const plateau = new ReduceLROnPlateau(options.optimizer);
    expect(() => new Trainer(model, { ...options, scheduler: { scheduler: plateau, interval: 'step' } })).to.throw(ArgumentError, /ReduceLROnPlateau steps on a metric once per epoch; scheduler.interval must be 'epoch'/);
    expect(() => new Trainer(model, { ...options, scheduler: { scheduler: plateau, monitor: 'validation.accuracy' }, validateEvery: 3 })).to.throw(ArgumentError, /scheduler.monitor 'validation.accuracy' needs validation at every epoch's end/);
    expect(() => new Trainer(model, { ...options, scheduler: { scheduler: new StepLR(options.optimizer, 1), monitor: 'train.loss' } })).to.throw(ArgumentError, /scheduler.monitor is for a scheduler that steps on a metric/);
    expect(() => new Trainer(model, { ...options, scheduler: new OneCycleLR(options.optimizer, { maxLr: 0.1, totalSteps: 17 }) })).to.throw(ArgumentError, /cycle has 17 steps but the run steps it 18 times/);
  });

  it('a checkpoint save that fails mid-write leaves the previous checkpoint file whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tg-train-atomic-'));
    const path = join(dir, 'run.safetensors');
    const file = checkpointFile(path);
    let first: Uint8Array | undefined;
    const { model, options } = setup({ checkpoint: (bytes, info) => (info.epoch === 1 && (first = bytes), file(bytes, info)) });
    const writeSync = fs.writeSync;
    let calls = 0;
    // The second save writes half of its bytes, then the disk is full.
    (fs as { writeSync: unknown }).writeSync = (fd: number, bytes: Uint8Array, offset = 0, length = bytes.length - offset) => {
      if (++calls === 1) return writeSync(fd, bytes, offset, length);
      writeSync(fd, bytes, offset, length >> 1);
      throw new Error('ENOSPC: no space left on device');
    };
    syncBuiltinESMExports();
    try {
      let error: unknown;
      await fit(model, options).catch((e: unknown) => (error = e));
      expect(String(error)).to.match(/ENOSPC/);
    } finally {
      (fs as { writeSync: unknown }).writeSync = writeSync;
      syncBuiltinESMExports();
    }
    expect(Buffer.from(readFileSync(path)).equals(Buffer.from(first!))).to.equal(true);
    expect(readCheckpointMetadata(readFileSync(path)).trainer.epochsDone).to.equal(1);
    expect(readdirSync(dir)).to.deep.equal(['run.safetensors']); // the half-written temporary file is gone
  });

  it('refuses bad options by name', () => {
    const { model, options } = setup();
    const { epochs: _e, ...rest } = options;
    expect(() => new Trainer(model, { ...rest, epoch: 3 } as never)).to.throw(ArgumentError, /unknown option 'epoch' .*did you mean 'epochs'/);
    expect(() => new Trainer(model, { ...options, callbacks: [{ onEpochEnds: () => {} } as never] })).to.throw(ArgumentError, /unknown option 'onEpochEnds' in callbacks\[0\] \(did you mean 'onEpochEnd'\?\)/);
    expect(() => new Trainer(model, { ...options, earlyStopping: { monitor: 'validation.acc', patience: 1 } })).to.throw(ArgumentError, /monitor 'validation.acc' names no metric; known: loss, accuracy/);
    expect(() => new Trainer(model, { ...options, validateEvery: 2, earlyStopping: { patience: 1 } })).to.throw(ArgumentError, /needs validation at every epoch's end/);
  });

  describe('devices (on the CPU; trainer.webgpu.test.ts trains on WebGPU)', () => {
    it('refuses a model that is not on options.device, naming model.to(device); refuses an unknown device', () => {
      const { model, options } = setup();
      expect(() => new Trainer(model, { ...options, device: 'webgpu' })).to.throw(
        ArgumentError, /^Trainer: the model's parameter '0\.weight' is on 'cpu' but options\.device is 'webgpu': move the model first with model\.to\('webgpu'\) \(after await initWebGPU\(\)\), then create the trainer$/,
      );
      expect(() => new Trainer(model, { ...options, device: 'cuda' as never })).to.throw(ArgumentError, /^Trainer: device must be one of 'cpu', 'webgpu', got string cuda$/);
      expect(() => new Trainer(model, { ...options, device: 'cpu' })).not.to.throw();
    });

    it('reads metrics that return one-element tensors (read back with the loss), in the order given; refuses other shapes', async () => {
      const tensorAccuracy = (y: Tensor, t: Tensor): Tensor => mean(cast(equal(argmax(y, 1), t), 'float32'));
      const numbers = setup({ epochs: 1 });
      const tensors = setup({ epochs: 1, metrics: { correct: tensorAccuracy, accuracy } });
      const [a, b] = [await fit(numbers.model, numbers.options), await fit(tensors.model, tensors.options)];
      expect(b.steps.loss).to.deep.equal(a.steps.loss);
      expect(Object.keys(b.history[0]!.train)).to.deep.equal(['loss', 'correct', 'accuracy']);
      expect(b.history[0]!.train.correct).to.equal(a.history[0]!.train.accuracy);
      expect(b.validations[0]!.values.correct).to.equal(a.validations[0]!.values.accuracy);
      const bad = setup({ metrics: { rows: (y: Tensor) => sum(y, 1) } });
      let error: unknown;
      await fit(bad.model, bad.options).catch((e: unknown) => (error = e));
      expect(String(error)).to.match(/^ArgumentError: Trainer: metric 'rows' must return a number or a one-element Tensor \(the batch mean\), got a tensor of shape \[16\]$/);
    });

    it('checkpointAsync() gives checkpoint()\'s bytes; a step is refused while it reads', async () => {
      const { model, options } = setup();
      const trainer = new Trainer(model, options);
      for (let i = 0; i < 3; i++) await trainer.step();
      const pending = trainer.checkpointAsync();
      expect(() => trainer.checkpoint()).to.throw(ArgumentError, /^Trainer\.checkpoint: a step or validation is in progress/);
      const bytes = await pending;
      expect(Buffer.from(bytes).equals(Buffer.from(trainer.checkpoint()))).to.equal(true);
      expect(readCheckpointMetadata(bytes).trainer.stepsDone).to.equal(3);
    });
  });
});
