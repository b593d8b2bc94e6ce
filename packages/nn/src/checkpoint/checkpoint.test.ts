import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, fstatSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Generator, type Tensor, crossEntropy, noGrad, randn, tensor } from '@tensorgrad/core';
import { expect } from 'chai';
import { CheckpointError, StateDictError } from '../errors.js';
import { BatchNorm2d } from '../layers/batchnorm.js';
import { Conv2d } from '../layers/conv.js';
import { Linear } from '../layers/linear.js';
import { Flatten } from '../layers/misc.js';
import { resnet20 } from '../models/cifar-resnet.js';
import { Sequential } from '../module/containers.js';
import { Adam } from '../optim/adam.js';
import { CosineAnnealingLR } from '../optim/lr-scheduler.js';
import { SGD } from '../optim/sgd.js';
import { temporaryPath } from './atomic-write.js';
import { OPTIMIZER_PREFIX } from './checkpoint.js';
import { loadCheckpoint, loadSafetensors, saveCheckpoint, saveSafetensors } from './files.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';

const fixture = (name: string): URL => new URL(`../../fixtures/${name}`, import.meta.url);

/** The same architecture as the PyTorch model in scripts/safetensors-fixture.py. */
const tinyNet = (seed = 0): Sequential => {
  const generator = new Generator(seed);
  return new Sequential(new Conv2d(1, 2, 3, { generator }), new BatchNorm2d(2), new Flatten(), new Linear(8, 3, { generator }));
};

const snapshot = (m: Sequential): Map<string, number[]> => new Map([...m.stateDict()].map(([k, t]) => [k, Array.from(t.data)]));

describe('safetensors', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nn-ckpt-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file PyTorch wrote (F32, F64, I32, I64, 0-d, metadata), and its weights compute PyTorch\'s output', () => {
    const expected = JSON.parse(readFileSync(fixture('torch-written.json'), 'utf8')) as {
      tensors: Record<string, { dtype: string; shape: number[]; values: number[] }>;
      input: number[];
      output: number[];
    };
    const { tensors, metadata } = loadSafetensors(fixture('torch-written.safetensors').pathname);
    expect(metadata).to.deep.equal({ format: 'pt', writer: 'scripts/safetensors-fixture.py' });
    expect([...tensors.keys()]).to.deep.equal(Object.keys(expected.tensors));
    const dtypes: Record<string, string> = { F32: 'float32', F64: 'float64', I32: 'int32', I64: 'int32' };
    for (const [name, e] of Object.entries(expected.tensors)) {
      const t = tensors.get(name)!;
      expect(t.dtype, name).to.equal(dtypes[e.dtype]);
      expect([...t.shape], name).to.deep.equal(e.shape);
      expect(Array.from(t.data), name).to.deep.equal(e.values);
    }
    expect(tensors.get('1.num_batches_tracked')!.item()).to.equal(1);

    const model = tinyNet();
    tensors.delete('extra.f64');
    tensors.delete('extra.i32');
    model.loadStateDict(tensors);
    const y = noGrad(() => model.eval().invoke(tensor(expected.input, { shape: [2, 1, 4, 4] })));
    Array.from(y.data).forEach((v, i) => expect(v).to.be.closeTo(expected.output[i]!, 1e-5));
  });

  it('round-trips every dtype bit-exactly, in order, with metadata', () => {
    const tensors = new Map<string, Tensor>([
      ['b', tensor([[1.5, -0, Number.MIN_VALUE], [NaN, Infinity, 1e300]], { dtype: 'float64' })],
      ['a', randn([3, 1, 2])],
      ['i', tensor([-2147483648, 0, 2147483647], { dtype: 'int32' })],
      ['scalar', tensor(7)],
      ['empty', tensor([], { shape: [0, 3] })],
    ]);
    const bytes = encodeSafetensors(tensors, { note: 'x' });
    expect(Number(new DataView(bytes.buffer).getBigUint64(0, true)) % 8).to.equal(0);
    const back = decodeSafetensors(bytes);
    expect(back.metadata).to.deep.equal({ note: 'x' });
    expect([...back.tensors.keys()]).to.deep.equal(['b', 'a', 'i', 'scalar', 'empty']);
    for (const [k, t] of tensors) {
      const u = back.tensors.get(k)!;
      expect([u.dtype, ...u.shape], k).to.deep.equal([t.dtype, ...t.shape]);
      expect(Buffer.from(u.data.buffer, u.data.byteOffset, u.data.byteLength).equals(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength)), k).to.equal(true);
    }
  });

  it('rejects truncated, corrupted and unsupported files with a CheckpointError naming the problem', () => {
    const good = encodeSafetensors({ w: tensor([1, 2, 3]) });
    const header = (json: string, data = new Uint8Array(0)): Uint8Array => {
      const h = new TextEncoder().encode(json);
      const out = new Uint8Array(8 + h.length + data.length);
      new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
      out.set(h, 8);
      out.set(data, 8 + h.length);
      return out;
    };
    const cases: [Uint8Array, RegExp][] = [
      [good.subarray(0, 5), /truncated: 5 byte\(s\)/],
      [good.subarray(0, 20), /truncated: header needs/],
      [good.subarray(0, good.length - 4), /truncated: tensors need 12 data bytes but the file has 8/],
      [header('{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}', new Uint8Array(12)), /4 trailing byte/],
      [header('{"w": '), /header is not valid JSON/],
      [header('[1, 2]'), /header must be a JSON object/],
      [header('{"w": {"dtype": "F16", "shape": [1], "data_offsets": [0, 2]}}', new Uint8Array(2)), /'w' has dtype "F16"; supported: F32, F64, I32, I64/],
      [header('{"w": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}', new Uint8Array(8)), /needs 12 bytes but data_offsets span 8/],
      [header('{"w": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}', new Uint8Array(4)), /invalid shape/],
      [
        header('{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "b": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}', new Uint8Array(8)),
        /'b' starts at byte 4 but the previous tensor ends at 8/,
      ],
      [header('{"__metadata__": {"epoch": 3}}'), /__metadata__.epoch must be a string/],
      [header('{"n": {"dtype": "I64", "shape": [1], "data_offsets": [0, 8]}}', new Uint8Array(new BigInt64Array([2n ** 40n]).buffer)), /does not fit in int32/],
    ];
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 2n ** 40n, true);
    cases.push([huge, /header length .* is implausible/]);
    for (const [bytes, message] of cases) expect(() => decodeSafetensors(bytes, 'f'), String(message)).to.throw(CheckpointError, message);
    expect(() => loadSafetensors(join(dir, 'missing.safetensors'))).to.throw(CheckpointError, /cannot read .*missing\.safetensors/);
  });

  it('writes atomically: a new file renamed over the old one, never the old file rewritten in place', () => {
    const path = join(dir, 'w.safetensors');
    writeFileSync(path, 'old contents');
    // A reader that opened the old file keeps reading it whole: the new bytes go to another
    // inode that replaces the name. Writing in place (truncate + write) would change what it reads.
    const reader = openSync(path, 'r');
    try {
      const oldInode = fstatSync(reader).ino;
      saveSafetensors(path, { w: tensor([1, 2]) });
      const seen = Buffer.alloc(64);
      const n = readSync(reader, seen, 0, 64, 0);
      expect(seen.subarray(0, n).toString()).to.equal('old contents');
      expect(statSync(path).ino).to.not.equal(oldInode);
    } finally {
      closeSync(reader);
    }
    expect(readdirSync(dir)).to.deep.equal(['w.safetensors']);
    expect(Array.from(loadSafetensors(path).tensors.get('w')!.data)).to.deep.equal([1, 2]);
    expect(() => saveSafetensors(join(dir, 'no-such-dir', 'w.safetensors'), { w: tensor([1]) })).to.throw(
      CheckpointError, /saveSafetensors: cannot write .*no-such-dir\/w\.safetensors: the directory .*no-such-dir does not exist/,
    );
  });

  it("removes the temporary files of writers killed mid-save (SIGKILL), but not a live writer's or another path's", async () => {
    const path = join(dir, 'ckpt.safetensors');
    // A child process writes part of its temporary copy under the name a saver of `path` with
    // its pid uses, then hangs as if in the middle of a long write.
    const writer = async (): Promise<{ pid: number; tmp: string; kill: () => Promise<void> }> => {
      const child = spawn(process.execPath, ['-e', `
        process.stdin.once('data', (name) => {
          require('fs').writeFileSync(String(name), Buffer.alloc(4096, 1));
          process.stdout.write('written');
        });
        setInterval(() => {}, 1000);`], { stdio: ['pipe', 'pipe', 'inherit'] });
      const tmp = temporaryPath(path, child.pid!);
      child.stdin.write(tmp);
      await once(child.stdout, 'data');
      return { pid: child.pid!, tmp, kill: async () => { child.kill('SIGKILL'); await once(child, 'exit'); } };
    };
    const dead = await writer();
    const live = await writer();
    try {
      await dead.kill();
      // The same dead writer's leftover under the name older versions used (no host tag), and a
      // leftover of another checkpoint in the same directory.
      const legacy = join(dir, `.ckpt.safetensors.${dead.pid}.0123456789ab.tmp`);
      const other = temporaryPath(join(dir, 'other.safetensors'), dead.pid);
      writeFileSync(legacy, 'partial');
      writeFileSync(other, 'partial');
      expect(readdirSync(dir)).to.include.members([basename(dead.tmp), basename(live.tmp)]);
      saveSafetensors(path, { w: tensor([1, 2]) });
      expect(readdirSync(dir).sort()).to.deep.equal([basename(live.tmp), basename(other), 'ckpt.safetensors'].sort());
      expect(Array.from(loadSafetensors(path).tensors.get('w')!.data)).to.deep.equal([1, 2]);
    } finally {
      await live.kill();
    }
  });
});

describe('checkpoints', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nn-ckpt-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const batch = (): [Tensor, Tensor] => [randn([6, 1, 4, 4], { generator: new Generator(5) }), tensor([0, 1, 2, 0, 1, 2], { dtype: 'int32' })];

  function trainStep(model: Sequential, opt: SGD | Adam, x: Tensor, y: Tensor): void {
    opt.zeroGrad();
    crossEntropy(model.invoke(x), y).backward();
    opt.step();
  }

  it('a model trained a few steps, saved and loaded into a fresh model gives identical outputs and continues identically', () => {
    const [x, y] = batch();
    const model = tinyNet(1);
    const opt = new Adam(model.parameters(), { lr: 0.01 });
    const scheduler = new CosineAnnealingLR(opt, 10);
    for (let i = 0; i < 3; i++) {
      trainStep(model, opt, x, y);
      scheduler.step();
    }
    const path = join(dir, 'ckpt.safetensors');
    const rng = new Generator(42);
    rng.normal();
    saveCheckpoint(path, { model, optimizer: opt, scheduler, metadata: { epoch: 3, rng: rng.getState().slice(0, 4) } });

    const fresh = tinyNet(2);
    const freshOpt = new Adam(fresh.parameters(), { lr: 0.01 });
    const freshScheduler = new CosineAnnealingLR(freshOpt, 10);
    const meta = loadCheckpoint(path, { model: fresh, optimizer: freshOpt, scheduler: freshScheduler });
    expect(meta).to.deep.equal({ epoch: 3, rng: rng.getState().slice(0, 4) });
    expect(freshOpt.paramGroups[0]!.lr).to.equal(opt.paramGroups[0]!.lr);
    expect(freshScheduler.lastEpoch).to.equal(3);
    for (const mode of ['eval', 'train'] as const) {
      const a = noGrad(() => model[mode]().invoke(x));
      const b = noGrad(() => fresh[mode]().invoke(x));
      expect(Array.from(b.data), mode).to.deep.equal(Array.from(a.data));
    }
    // The forward passes in train mode advanced both BatchNorms identically; the next steps match too.
    for (let i = 0; i < 2; i++) {
      trainStep(model, opt, x, y);
      trainStep(fresh, freshOpt, x, y);
    }
    expect(snapshot(fresh)).to.deep.equal(snapshot(model));
  });

  it('metadata round-trips exactly, NaN, ±Infinity and -0 included (JSON alone would give null and 0)', () => {
    const path = join(dir, 'meta.safetensors');
    const metadata = { loss: NaN, best: [Infinity, -0, 1.5], nested: { low: -Infinity, ok: null, s: 'NaN' } };
    saveCheckpoint(path, { model: tinyNet(), metadata });
    const back = loadCheckpoint(path, { model: tinyNet() }) as typeof metadata;
    expect(back.loss).to.be.NaN;
    expect(back.best).to.deep.equal([Infinity, -0, 1.5]);
    expect(Object.is(back.best[1], -0)).to.equal(true);
    expect(back.nested).to.deep.equal({ low: -Infinity, ok: null, s: 'NaN' });
    // The plain JSON entry stays standard for other readers.
    expect(JSON.parse(loadSafetensors(path).metadata['tensorgrad.metadata']!)).to.deep.equal({ loss: null, best: [null, 0, 1.5], nested: { low: null, ok: null, s: 'NaN' } });
    saveCheckpoint(path, { model: tinyNet(), metadata: NaN });
    expect(loadCheckpoint(path, { model: tinyNet() })).to.be.NaN;
  });

  it("a CIFAR resnet20's full state (BatchNorm buffers included) round-trips bit-exactly through a file", () => {
    const model = resnet20({ generator: new Generator(8) });
    noGrad(() => model.train().invoke(randn([4, 3, 8, 8], { generator: new Generator(9) }))); // non-default running statistics
    const path = join(dir, 'r20.safetensors');
    saveCheckpoint(path, { model });
    const fresh = resnet20({ skipInit: true });
    loadCheckpoint(path, { model: fresh });
    const a = model.stateDict();
    const b = fresh.stateDict();
    expect([...b.keys()]).to.deep.equal([...a.keys()]);
    for (const [k, t] of a) {
      const u = b.get(k)!;
      expect(Buffer.from(u.data.buffer, u.data.byteOffset, u.data.byteLength).equals(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength)), k).to.equal(true);
    }
    expect(b.get('layer3.2.bn2.num_batches_tracked')!.item()).to.equal(1);
  });

  it('stores optimizer state under its prefix and scalars in __metadata__, readable as plain safetensors', () => {
    const [x, y] = batch();
    const model = tinyNet();
    const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    trainStep(model, opt, x, y);
    const path = join(dir, 'ckpt.safetensors');
    saveCheckpoint(path, { model, optimizer: opt });
    const { tensors, metadata } = loadSafetensors(path);
    expect([...tensors.keys()].filter((k) => !k.startsWith(OPTIMIZER_PREFIX))).to.deep.equal([...model.stateDict().keys()]);
    expect(tensors.has(`${OPTIMIZER_PREFIX}state.0.momentumBuffer`)).to.equal(true);
    expect(metadata.format).to.equal('pt');
    expect(JSON.parse(metadata['tensorgrad.optimizer']!).type).to.equal('SGD');
  });

  it('a mismatched, truncated or corrupted checkpoint throws and changes nothing', () => {
    const [x, y] = batch();
    const source = tinyNet(3);
    const opt = new SGD(source.parameters(), { lr: 0.1, momentum: 0.9 });
    trainStep(source, opt, x, y);
    const path = join(dir, 'ckpt.safetensors');
    saveCheckpoint(path, { model: source, optimizer: opt });

    const target = tinyNet(4);
    const targetOpt = new SGD(target.parameters(), { lr: 0.5, momentum: 0.9 });
    const before = snapshot(target);
    const unchanged = (): void => {
      expect(snapshot(target)).to.deep.equal(before);
      expect(targetOpt.state.size).to.equal(0);
      expect(targetOpt.paramGroups[0]!.lr).to.equal(0.5);
    };

    const other = new Sequential(new Conv2d(1, 2, 3), new BatchNorm2d(2), new Flatten(), new Linear(8, 4));
    const otherPath = join(dir, 'other.safetensors');
    saveCheckpoint(otherPath, { model: other });
    expect(() => loadCheckpoint(otherPath, { model: target, optimizer: targetOpt })).to.throw(StateDictError, /'3\.weight' has shape \[4,8\] but the module expects \[3,8\]/);
    unchanged();

    // The model part fits but the optimizer state is for another optimizer: nothing is loaded.
    expect(() => loadCheckpoint(path, { model: target, optimizer: new Adam(target.parameters()) })).to.throw(CheckpointError, /holds SGD state but the optimizer is Adam/);
    unchanged();
    expect(() => loadCheckpoint(otherPath, { model: other, optimizer: new SGD(other.parameters()) })).to.throw(CheckpointError, /no 'tensorgrad.optimizer' entry/);

    const bytes = readFileSync(path);
    const truncated = join(dir, 'truncated.safetensors');
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 100));
    expect(() => loadCheckpoint(truncated, { model: target, optimizer: targetOpt })).to.throw(CheckpointError, /truncated/);
    unchanged();

    const corrupted = join(dir, 'corrupted.safetensors');
    const bad = Buffer.from(bytes);
    bad[9] = 0x7b; // the header's first quote becomes '{': invalid JSON
    writeFileSync(corrupted, bad);
    expect(() => loadCheckpoint(corrupted, { model: target, optimizer: targetOpt })).to.throw(CheckpointError, /not valid JSON/);
    unchanged();

    loadCheckpoint(path, { model: target, optimizer: targetOpt });
    expect(snapshot(target)).to.deep.equal(snapshot(source));
  });
});
