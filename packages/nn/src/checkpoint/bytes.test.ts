// The byte-level checkpoint functions of the main entry (what browsers use): the same bytes as
// the Node file path, the same all-or-nothing loading.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, Generator, crossEntropy, noGrad, randn, tensor } from '@tensorgrad/core';
import { expect } from 'chai';
import { CheckpointError, StateDictError } from '../errors.js';
import { BatchNorm2d } from '../layers/batchnorm.js';
import { Conv2d } from '../layers/conv.js';
import { Linear } from '../layers/linear.js';
import { Flatten } from '../layers/misc.js';
import { Sequential } from '../module/containers.js';
import { Adam } from '../optim/adam.js';
import { CosineAnnealingLR } from '../optim/lr-scheduler.js';
import { SGD } from '../optim/sgd.js';
import { checkpointToBytes, checkpointToBytesAsync, loadCheckpointFromBytes } from './checkpoint.js';
import { loadCheckpoint, saveCheckpoint } from './files.js';

const tinyNet = (seed: number): Sequential => {
  const generator = new Generator(seed);
  return new Sequential(new Conv2d(1, 2, 3, { generator }), new BatchNorm2d(2), new Flatten(), new Linear(8, 3, { generator }));
};
const snapshot = (m: Sequential): Map<string, number[]> => new Map([...m.stateDict()].map(([k, t]) => [k, Array.from(t.data)]));

/** A model, Adam and a schedule after three steps: every kind of state a checkpoint holds. */
function trained(seed: number) {
  const model = tinyNet(seed);
  const optimizer = new Adam(model.parameters(), { lr: 0.01 });
  const scheduler = new CosineAnnealingLR(optimizer, 10);
  const x = randn([6, 1, 4, 4], { generator: new Generator(5) });
  const y = tensor([0, 1, 2, 0, 1, 2], { dtype: 'int32' });
  for (let i = 0; i < 3; i++) {
    optimizer.zeroGrad();
    crossEntropy(model.invoke(x), y).backward();
    optimizer.step();
    scheduler.step();
  }
  return { model, optimizer, scheduler, x };
}

describe('checkpoints as bytes (checkpointToBytes, loadCheckpointFromBytes)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nn-bytes-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('checkpointToBytes gives exactly the bytes saveCheckpoint writes, and each side loads the other', () => {
    const { model, optimizer, scheduler, x } = trained(1);
    const metadata = { epoch: 3, loss: NaN, note: 'page' };
    const bytes = checkpointToBytes({ model, optimizer, scheduler, metadata });
    const path = join(dir, 'ckpt.safetensors');
    saveCheckpoint(path, { model, optimizer, scheduler, metadata });
    expect(Buffer.from(bytes).equals(readFileSync(path))).to.equal(true);

    // Bytes (as an ArrayBuffer, what fetch or File.arrayBuffer() give) into a fresh model.
    const fresh = trained(2);
    const ab = new Uint8Array(bytes).buffer;
    const meta = loadCheckpointFromBytes(ab, { model: fresh.model, optimizer: fresh.optimizer, scheduler: fresh.scheduler }) as typeof metadata;
    expect(meta.epoch).to.equal(3);
    expect(meta.loss).to.be.NaN;
    expect(snapshot(fresh.model)).to.deep.equal(snapshot(model));
    expect(fresh.scheduler.lastEpoch).to.equal(3);
    expect(Buffer.from(checkpointToBytes({ model: fresh.model, optimizer: fresh.optimizer, scheduler: fresh.scheduler, metadata })).equals(Buffer.from(bytes))).to.equal(true);
    const y1 = noGrad(() => model.eval().invoke(x));
    const y2 = noGrad(() => fresh.model.eval().invoke(x));
    expect(Array.from(y2.data)).to.deep.equal(Array.from(y1.data));

    // The file written from bytes (as a page's download would be saved) loads with loadCheckpoint.
    const other = trained(3);
    loadCheckpoint(path, { model: other.model, optimizer: other.optimizer, scheduler: other.scheduler });
    expect(snapshot(other.model)).to.deep.equal(snapshot(model));
  });

  it('checkpointToBytesAsync gives checkpointToBytes\'s bytes (on the CPU; the trainer tests run it on WebGPU) and names itself in errors', async () => {
    const { model, optimizer, scheduler } = trained(1);
    const metadata = { epoch: 3 };
    const bytes = await checkpointToBytesAsync({ model, optimizer, scheduler, metadata });
    expect(Buffer.from(bytes).equals(Buffer.from(checkpointToBytes({ model, optimizer, scheduler, metadata })))).to.equal(true);
    let error: unknown;
    await checkpointToBytesAsync({ model, optimiser: optimizer } as never).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(ArgumentError);
    expect((error as Error).message).to.match(/^checkpointToBytesAsync: .*optimiser/);
  });

  it('mismatched or corrupted bytes throw and change nothing; bad arguments name the function', () => {
    const { model, optimizer } = trained(1);
    const bytes = checkpointToBytes({ model, optimizer: new SGD(model.parameters(), { lr: 0.1 }) });
    const target = tinyNet(4);
    const targetOpt = new Adam(target.parameters(), { lr: 0.5 });
    const before = snapshot(target);
    expect(() => loadCheckpointFromBytes(bytes, { model: target, optimizer: targetOpt })).to.throw(CheckpointError, /loadCheckpointFromBytes: the checkpoint holds SGD state but the optimizer is Adam/);
    expect(() => loadCheckpointFromBytes(bytes.subarray(0, bytes.length - 10), { model: target })).to.throw(CheckpointError, /checkpoint bytes: truncated/);
    const wide = new Sequential(new Conv2d(1, 2, 3), new BatchNorm2d(2), new Flatten(), new Linear(8, 4));
    expect(() => loadCheckpointFromBytes(checkpointToBytes({ model: wide }), { model: target })).to.throw(StateDictError, /'3\.weight' has shape \[4,8\]/);
    expect(snapshot(target)).to.deep.equal(before);
    expect(targetOpt.state.size).to.equal(0);
    expect(targetOpt.paramGroups[0]!.lr).to.equal(0.5);

    expect(() => loadCheckpointFromBytes([1, 2, 3] as unknown as Uint8Array, { model: target })).to.throw(ArgumentError, /loadCheckpointFromBytes: bytes must be a Uint8Array or an ArrayBuffer/);
    expect(() => loadCheckpointFromBytes(bytes, { model: target, strict: 'no' as unknown as boolean })).to.throw(ArgumentError, /loadCheckpointFromBytes: strict/);
    expect(() => checkpointToBytes({ model, optimiser: optimizer } as never)).to.throw(ArgumentError, /checkpointToBytes.*optimiser/);
    expect(() => checkpointToBytes({ model, metadata: new Date(0) as never })).to.throw(ArgumentError, /checkpointToBytes: metadata is a Date/);
  });
});
