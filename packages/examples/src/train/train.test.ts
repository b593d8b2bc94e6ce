// The training job end to end on a small synthetic Fashion-MNIST-format dataset (so the test
// needs no download): it learns, writes its report, and a run interrupted after one epoch and
// resumed ends bit-identical to the uninterrupted run.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator, restoreConvChoices } from '@tensorgrad/core';
import { encodeIdx } from '@tensorgrad/data';
import { loadSafetensors } from '@tensorgrad/nn';
import { DEFAULTS, type TrainOptions } from './options.js';
import { Progress } from './progress.js';
import { train } from './run.js';

/** Class k is a bright horizontal band at rows 2k..2k+5 plus noise: learnable in a few steps. */
function writeSyntheticFashionMnist(dir: string, trainCount: number, testCount: number): void {
  const rng = new Generator(123);
  const write = (prefix: string, n: number): void => {
    const images = new Uint8Array(n * 28 * 28);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const k = rng.randint(0, 10);
      labels[i] = k;
      for (let p = 0; p < 784; p++) {
        const row = Math.floor(p / 28);
        images[i * 784 + p] = Math.min(255, (row >= 2 * k + 2 && row < 2 * k + 6 ? 200 : 0) + rng.randint(0, 40));
      }
    }
    writeFileSync(join(dir, `${prefix}-images-idx3-ubyte.gz`), encodeIdx({ type: 'uint8', shape: [n, 28, 28], data: images }, { gzip: true }));
    writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte.gz`), encodeIdx({ type: 'uint8', shape: [n], data: labels }, { gzip: true }));
  };
  write('train', trainCount);
  write('t10k', testCount);
}

const silent = (): Progress => new Progress({ stream: { isTTY: false, write: () => true }, logEverySeconds: Infinity });

describe('training job (synthetic data)', function () {
  this.timeout(240_000);
  const data = mkdtempSync(join(tmpdir(), 'tg-fmnist-'));
  writeSyntheticFashionMnist(data, 192, 96);
  const base = (out: string, extra: Partial<TrainOptions> = {}): TrainOptions => ({
    ...DEFAULTS, data, out, epochs: 2, batchSize: 32, lr: 3e-3, threads: false, quiet: true, ...extra,
  });

  it('learns, checkpoints, reports, and resumes exactly', async () => {
    const straight = await train(base(mkdtempSync(join(tmpdir(), 'tg-a-'))), silent());
    expect(straight.complete).to.equal(true);
    expect(straight.history).to.have.length(2);
    expect(straight.final!.testAccuracy).to.be.greaterThan(0.5);
    expect(straight.final!.trainLoss).to.be.lessThan(straight.history[0]!.trainLoss);
    expect(readFileSync(straight.chartPath, 'utf8')).to.match(/^<\?xml[\s\S]*<svg[\s\S]*<path d="M/);
    expect(JSON.parse(readFileSync(straight.metricsPath, 'utf8')).final.testAccuracy).to.equal(straight.final!.testAccuracy);

    const out = mkdtempSync(join(tmpdir(), 'tg-b-'));
    const first = await train(base(out, { stopAfter: 1 }), silent());
    expect(first.complete).to.equal(false);
    // A new process would measure the conv algorithms again and might pick others: simulate
    // that by switching every choice to the default; the resume must restore the checkpoint's.
    const saved = (JSON.parse(loadSafetensors(first.checkpoint).metadata['tensorgrad.metadata']!) as { convChoices: Record<string, string> }).convChoices;
    expect(Object.keys(saved)).to.not.be.empty;
    restoreConvChoices(Object.fromEntries(Object.keys(saved).map((key) => [key, 'gathered'])));
    // The resumed invocation may pass different run-defining options: the checkpoint's win.
    const resumed = await train(base(out, { resume: true, lr: 1 }), silent());
    expect(resumed.complete).to.equal(true);
    const strip = (r: typeof straight) => r.history.map(({ seconds: _s, imagesPerSecond: _i, ...rest }) => rest);
    expect(strip(resumed)).to.deep.equal(strip(straight));
    const a = loadSafetensors(straight.checkpoint).tensors;
    const b = loadSafetensors(resumed.checkpoint).tensors;
    expect([...b.keys()]).to.deep.equal([...a.keys()]);
    for (const [k, t] of a) expect(Buffer.from(b.get(k)!.data.buffer).equals(Buffer.from(t.data.buffer)), k).to.equal(true);
  });

  it('refuses --resume without a checkpoint', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tg-c-'));
    let error: unknown;
    await train(base(out, { resume: true }), silent()).catch((e: unknown) => { error = e; });
    expect(String(error)).to.match(/--resume: no checkpoint at .*checkpoint\.safetensors/);
  });
});
