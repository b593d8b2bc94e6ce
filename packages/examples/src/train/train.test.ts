// The training job end to end on a small synthetic Fashion-MNIST-format dataset (so the test
// needs no download): it learns, writes its report, and a run interrupted after one epoch and
// resumed ends bit-identical to the uninterrupted run.
import { expect } from 'chai';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnomalyError, isAnomalyDetectionEnabled, restoreConvChoices } from '@tensorgrad/core';
import { loadSafetensors } from '@tensorgrad/nn';
import { TextProgress } from '@tensorgrad/train';
import { DEFAULTS, type TrainOptions } from './options.js';
import { train } from './run.js';
import { writeSyntheticFashionMnist } from './synthetic-data.js';

const silent = (): TextProgress => new TextProgress({ stream: { write: () => true }, mode: 'lines', logEverySeconds: Infinity });

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
    expect(straight.final!.validation!.accuracy).to.be.greaterThan(0.5);
    expect(straight.final!.train.loss).to.be.lessThan(straight.history[0]!.train.loss);
    // curves.svg: the first path is the loss of every step (6 per epoch), epoch means and test evaluations follow.
    const svg = readFileSync(straight.chartPath, 'utf8');
    expect(svg).to.match(/^<\?xml[\s\S]*<svg/);
    expect(svg.match(/<path d="M[^"]*"/g)!.map((p) => p.split('L').length)).to.deep.equal([12, 2, 2, 2, 2, 12]);
    const metrics = JSON.parse(readFileSync(straight.metricsPath, 'utf8'));
    expect(metrics.final.validation.accuracy).to.equal(straight.final!.validation!.accuracy);
    // The learning rate of each epoch, stated at its start and end (warm-up, then cosine to 0).
    const [e1, e2] = metrics.history as { lrAtEpochStart: number; lrAtEpochEnd: number }[];
    expect(e1!.lrAtEpochStart).to.be.closeTo(3e-4, 1e-12);
    expect(e1!.lrAtEpochEnd).to.equal(e2!.lrAtEpochStart).and.be.greaterThan(1e-3);
    expect(e2!.lrAtEpochEnd).to.be.lessThan(1e-9);

    const out = mkdtempSync(join(tmpdir(), 'tg-b-'));
    const first = await train(base(out, { stopAfter: 1 }), silent());
    expect(first.complete).to.equal(false);
    // A new process in benchmark mode (or with a rule table measured again) could pick other
    // conv algorithms: simulate that by switching every choice to the default; the resume must
    // restore the checkpoint's.
    const saved = (JSON.parse(loadSafetensors(first.checkpoint).metadata['tensorgrad.metadata']!) as { trainer: { convChoices: Record<string, string> } }).trainer.convChoices;
    expect(Object.keys(saved)).to.not.be.empty;
    restoreConvChoices(Object.fromEntries(Object.keys(saved).map((key) => [key, 'gathered'])));
    // The resumed invocation may pass different run-defining options: the checkpoint's win.
    const resumed = await train(base(out, { resume: true, lr: 1 }), silent());
    expect(resumed.complete).to.equal(true);
    const strip = (r: typeof straight) => r.history.map(({ seconds: _s, samplesPerSecond: _i, ...rest }) => rest);
    expect(strip(resumed)).to.deep.equal(strip(straight));
    const a = loadSafetensors(straight.checkpoint).tensors;
    const b = loadSafetensors(resumed.checkpoint).tensors;
    expect([...b.keys()]).to.deep.equal([...a.keys()]);
    for (const [k, t] of a) expect(Buffer.from(b.get(k)!.data.buffer).equals(Buffer.from(t.data.buffer)), k).to.equal(true);
  });

  it('with --detect-anomaly stops at the first op that produces NaN or Infinity, and switches detection off again', async () => {
    // lr 1e38: Adam's first step moves every weight by ~1e38, so the next forward overflows.
    let error: unknown;
    await train(base(mkdtempSync(join(tmpdir(), 'tg-nan-')), { lr: 1e38, epochs: 1, detectAnomaly: true }), silent()).catch((e: unknown) => { error = e; });
    expect(error).to.be.instanceOf(AnomalyError);
    expect(String(error)).to.match(/NaN|Infinity/);
    expect(isAnomalyDetectionEnabled()).to.equal(false);
  });

  it('refuses --resume without a checkpoint', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tg-c-'));
    let error: unknown;
    await train(base(out, { resume: true }), silent()).catch((e: unknown) => { error = e; });
    expect(String(error)).to.match(/--resume: no checkpoint at .*checkpoint\.safetensors/);
  });
});
