// The training page in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core;
// no browser download), against the same training run in Node:
//  - served with COOP/COEP (cross-origin isolated: 2 threads) and without (1 thread), the page
//    trains STEPS steps on a slice of Fashion-MNIST from the server's real files; the loss falls;
//  - its per-step losses equal, bit for bit, those of the same run in Node: the page's own
//    training code (src/trainer.ts, bundled for Node) on the packages' node entries;
//  - a checkpoint downloaded from the page holds the tensors and trainer state, bit for bit, of
//    the one the same Trainer writes in Node (learning rates included; all but timings and conv
//    choices: see comparable()), and loaded in Node
//    with nn's loadCheckpoint it gives the predictions the page showed (same logits, bit for bit);
//  - a checkpoint written by Node halfway, uploaded to the page and resumed there (with a pause
//    on the way), continues with Node's losses; a file that is not a page checkpoint is refused;
//  - the page keeps drawing frames while the worker trains;
//  - without a WebGPU adapter (this browser runs with --disable-gpu) the device selector's WebGPU
//    is disabled, with initWebGPU's reason beside it;
//  - in a Chromium with --enable-unsafe-webgpu (headless: a SwiftShader adapter), the page trains
//    on WebGPU in its worker with the losses of the same run on the CPU in Node, to float32
//    rounding; its predictions too; the selector moves the run to the CPU;
//  - a screenshot of the page after training goes to test-output/ (with step times, batch 128,
//    1 and 2 threads, browser and Node, in test-output/step-times.json);
//  - core's seeded normal draws (randn, normal initialisations) have Node's bits in the page;
//  - so do core's portable exp, log, pow... (which Chromium's Math functions are not), the
//    kernels built on them (float64 exp, log, tanh, sigmoid, gelu, softmax, logsumexp, pow...,
//    forward and backward), an Adam run with StepLR, and data's erasing, resized crop, affine and blur.
// Needs the packages built (pnpm build). Run: pnpm --filter @tensorgrad/web test:browser
import { expect } from 'chai';
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { Generator, noGrad, setNumThreads, tensor } from '@tensorgrad/core';
import { fashionMnist } from '@tensorgrad/data';
import { decodeSafetensors, fmnistCnn, loadCheckpoint, saveCheckpoint } from '@tensorgrad/nn';
import { buildPage } from '../scripts/build.mjs';
import { startServer } from '../server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'test-output');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const STEPS = 200;
// 80 batches of 32 per epoch, 3 epochs for the schedule (warm-up and cosine over 240 steps), stopped after STEPS.
const QUERY = `limitTrain=2560&limitTest=500&batchSize=32&epochs=3&steps=${STEPS}&evalEvery=50&autostart=1`;
const HALF = 100;
// Arguments of every Chromium launched here (no sandbox in containers, no network chatter).
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
// WebGPU on SwiftShader runs at ~1 GFLOP/s: 6 steps of 16 images (~0.7 GFLOP each).
const GPU_STEPS = 6;
const GPU_QUERY = `limitTrain=256&limitTest=32&batchSize=16&epochs=1&steps=${GPU_STEPS}&evalEvery=${GPU_STEPS}&threads=1&autostart=1&device=webgpu`;
// Per-step losses on WebGPU vs the CPU: float32 sums in other orders (tiled GEMMs, tree
// reductions) differ by ~1e-7 relative per op; over these Adam steps they stay below this
// (measured: 2.3e-7 over 8 steps).
const GPU_LOSS_RTOL = 1e-4;

/** The page's training code (trainer.ts, config.ts), bundled for Node; the packages stay external, so Node loads their node entries. */
async function nodeTrainer() {
  const dir = join(out, 'node-trainer');
  await build({
    stdin: {
      contents: "export * from './src/trainer.ts'; export * from './src/config.ts'; export { testTransform } from '@tensorgrad/examples/train/session';",
      resolveDir: root, loader: 'ts', sourcefile: 'node-entry.ts',
    },
    outfile: join(dir, 'trainer.mjs'), bundle: true, format: 'esm', platform: 'node', target: 'es2022',
    external: ['@tensorgrad/core', '@tensorgrad/nn', '@tensorgrad/data', '@tensorgrad/train'], logLevel: 'warning',
  });
  return import(pathToFileURL(join(dir, 'trainer.mjs')).href);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/**
 * Runs in Node and, as source text, in the page: n normal draws of each seed (Generator.normal,
 * as randn) and Math.log u, Math.sin 2πv, Math.cos 2πv on the sampler's arguments for n / 2 (u, v)
 * pairs, each as the hex of its float64 bytes.
 */
function drawNormals(Generator, seeds, n) {
  const hex = (xs) => Array.from(new Uint8Array(xs.buffer), (b) => b.toString(16).padStart(2, '0')).join('');
  return seeds.map((seed) => {
    const g = new Generator(seed);
    const normals = Float64Array.from({ length: n }, () => g.normal());
    const h = new Generator(seed);
    const math = new Float64Array((3 * n) / 2);
    for (let i = 0; i < math.length; i += 3) {
      let u = 0;
      while (u === 0) u = h.random();
      const angle = 2 * Math.PI * h.random();
      math.set([Math.log(u), Math.sin(angle), Math.cos(angle)], i);
    }
    return { normals: hex(normals), math: hex(math) };
  });
}

/**
 * Runs in Node and, as source text, in the page (core, nn and data: the packages' browser
 * bundles there): Math's and core's portable elementary functions on n arguments each, float64
 * kernels forward and backward, an Adam run with StepLR, and random transforms; every result as
 * the hex of its float64 bytes. The arguments come from an integer generator (the same doubles
 * in every engine).
 */
function portableProbe(core, nn, data, n) {
  const hex = (xs) => Array.from(new Uint8Array(Float64Array.from(xs).buffer), (b) => b.toString(16).padStart(2, '0')).join('');
  let seed = 7;
  const uniform = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) | 0) >>> 0) / 4294967296;
  const args = (lo, hi) => Float64Array.from({ length: n }, () => lo + (hi - lo) * (uniform() + uniform() / 4294967296));
  const wide = args(-750, 750), small = args(-8, 8), positive = args(0, 30), exponents = args(-4, 4);
  const functions = {
    exp: [Math.exp, core.portableExp, small], expWide: [Math.exp, core.portableExp, wide], log: [Math.log, core.portableLog, positive],
    expm1: [Math.expm1, core.portableExpm1, small], log1p: [Math.log1p, core.portableLog1p, positive], tanh: [Math.tanh, core.portableTanh, small],
    tan: [Math.tan, core.portableTan, small], log2: [Math.log2, core.portableLog2, positive],
    pow: [(x, i) => x ** exponents[i], (x, i) => core.portablePow(x, exponents[i]), positive],
    powInteger: [(x, i) => x ** Math.round(exponents[i] * 10), (x, i) => core.portablePow(x, Math.round(exponents[i] * 10)), small],
  };
  const math = {};
  const portable = {};
  for (const [name, [m, p, xs]] of Object.entries(functions)) {
    math[name] = hex(Array.from(xs, (x, i) => m(x, i)));
    portable[name] = hex(Array.from(xs, (x, i) => p(x, i)));
  }
  const kernels = {};
  const x = core.tensor(small.subarray(0, 4096), { dtype: 'float64', shape: [64, 64], requiresGrad: true });
  const p = core.tensor(positive.subarray(0, 4096), { dtype: 'float64', shape: [64, 64], requiresGrad: true });
  const ops = {
    exp: () => core.exp(x), log: () => core.log(p), tanh: () => core.tanh(x), sigmoid: () => core.sigmoid(x), gelu: () => core.gelu(x),
    geluTanh: () => core.gelu(x, { approximate: 'tanh' }), softplus: () => core.softplus(x), elu: () => core.elu(x), mish: () => core.mish(x),
    pow: () => core.pow(p, core.mul(x, 0.25)), softmax: () => core.softmax(x, 1), logSoftmax: () => core.logSoftmax(x, 0), logsumexp: () => core.logsumexp(x, 1),
    crossEntropy: () => core.crossEntropy(x, core.tensor(Array.from({ length: 64 }, (_, i) => (i * 5) % 64), { dtype: 'int32' })),
  };
  for (const [name, f] of Object.entries(ops)) {
    x.grad = null;
    p.grad = null;
    const y = f();
    core.sum(core.mul(y, y)).backward();
    kernels[name] = hex([...y.data, ...(x.grad?.data ?? []), ...(p.grad?.data ?? [])]);
  }
  const w = core.tensor(small.subarray(0, 256), { dtype: 'float64', requiresGrad: true });
  const adam = new nn.Adam([w], { lr: 0.05, betas: [0.85, 0.995] });
  const schedule = new nn.StepLR(adam, 3, 0.7);
  const lrs = [];
  for (let t = 0; t < 30; t++) {
    adam.zeroGrad();
    core.sum(core.mul(core.mul(w, w), core.tensor(positive.subarray(0, 256), { dtype: 'float64' }))).backward();
    adam.step();
    schedule.step();
    lrs.push(adam.paramGroups[0].lr);
  }
  kernels.adamStepLR = hex([...w.data, ...lrs]);
  const image = core.tensor(Float32Array.from(positive.subarray(0, 3 * 24 * 24), (v) => v / 30), { shape: [3, 24, 24] });
  const transforms = [data.randomErasing({ p: 1 }), data.randomResizedCrop(16), data.randomAffine({ degrees: 40, shear: [-20, 20], scale: [0.8, 1.2] }), data.gaussianBlur({ kernelSize: 7 })];
  kernels.transforms = hex(transforms.flatMap((t) => Array.from({ length: 20 }, (_, s) => [...t(image, new core.Generator(s)).data]).flat()));
  return { math, portable, kernels };
}

/**
 * A checkpoint's tensors (hex) and metadata without what belongs to the process rather than the
 * run: wall-clock timings, and the conv algorithms used (keyed by its thread count). The learning
 * rates stay in, per step and at epoch boundaries: nn's schedules take their cosine from core's
 * portableCos (+ − × ÷ only), not from Math.cos, which Chromium 156's V8 and Node 20's round
 * differently in the last bit for some inputs (9 of this run's 194).
 */
function comparable(bytes) {
  const { tensors, metadata } = decodeSafetensors(new Uint8Array(bytes));
  const { trainer, user } = JSON.parse(metadata['tensorgrad.metadata']);
  const { trainingSeconds: _t, convChoices: _c, history, epoch, ...rest } = trainer;
  const { seconds: _s, ...epochRest } = epoch ?? {};
  return {
    tensors: [...tensors].map(([k, t]) => [k, Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('hex')]),
    trainer: { ...rest, epoch: epoch === null ? null : epochRest, history: history.map(({ seconds: _a, samplesPerSecond: _b, ...h }) => h) },
    user,
    other: Object.fromEntries(Object.entries(metadata).filter(([k]) => k !== 'tensorgrad.metadata')),
  };
}

describe('training page in Chromium', function () {
  let browser;
  let isolated;
  let plain;
  let node; // the Node bundle of trainer.ts/config.ts
  let datasets;
  let nodeRun; // the same run in Node, STEPS steps
  let nodeHalf; // its checkpoint after HALF steps
  const pages = {};

  before(async function () {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: bash scripts/setup.sh installs Debian's chromium (or set CHROMIUM)`);
    mkdirSync(out, { recursive: true });
    await buildPage();
    [isolated, plain, node] = await Promise.all([startServer({ port: 0 }), startServer({ port: 0, isolation: false }), nodeTrainer()]);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [...CHROMIUM_ARGS, '--disable-gpu'],
    });
    datasets = { train: fashionMnist({ train: true }), test: fashionMnist({ train: false }) };
  });

  after(async () => {
    await browser?.close();
    await Promise.all([isolated?.close(), plain?.close()]);
  });

  /**
   * Opens the page with a query and waits until training is done; returns the page and its state,
   * and with `probe`, the page's animation frames over one second of training (is it responsive?).
   */
  async function train(server, query, { timeout = 150_000, probe = false, inBrowser = browser } = {}) {
    const page = await inBrowser.newPage({ viewport: { width: 1280, height: 1000 }, acceptDownloads: true });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}?${query}`);
    let frames;
    if (probe) {
      await page.waitForFunction(() => globalThis.tgPage?.phase !== 'loading' && globalThis.tgPage?.phase !== 'ready', null, { timeout, polling: 100 });
      frames = await page.evaluate(() => new Promise((resolve) => {
        const times = [];
        const frame = (t) => (times.push(t), t - times[0] < 1000 ? requestAnimationFrame(frame) : resolve(times));
        requestAnimationFrame(frame);
      }));
      expect(await page.evaluate(() => globalThis.tgPage.phase)).to.equal('running'); // the whole second was training
    }
    await page.waitForFunction(() => ['done', 'error'].includes(globalThis.tgPage?.phase), null, { timeout, polling: 200 });
    const state = await page.evaluate(() => ({ ...globalThis.tgPage, crossOriginIsolated: globalThis.crossOriginIsolated }));
    expect(state.error, state.error ?? '').to.equal(null);
    expect(errors).to.deep.equal([]);
    return { page, state, frames };
  }

  it(`trains ${STEPS} steps cross-origin isolated on 2 threads, and without isolation on 1 thread; the loss falls`, async () => {
    // One after the other: side by side they would share the 2 cores and time each other out.
    pages.isolated = await train(isolated, `${QUERY}&threads=2`, { probe: true });
    // The page stays responsive while the worker trains: it keeps drawing frames.
    const gaps = pages.isolated.frames.slice(1).map((t, i) => t - pages.isolated.frames[i]);
    console.log(`      page while training: ${pages.isolated.frames.length} frames in 1 s, longest gap ${Math.round(Math.max(...gaps))} ms`);
    expect(pages.isolated.frames.length).to.be.greaterThan(10);
    expect(Math.max(...gaps)).to.be.lessThan(500);
    pages.plain = await train(plain, `${QUERY}&threads=2`); // asks for 2, gets 1
    const [a, b] = [pages.isolated.state, pages.plain.state];
    expect([a.crossOriginIsolated, a.threads]).to.deep.equal([true, 2]);
    expect([b.crossOriginIsolated, b.threads]).to.deep.equal([false, 1]);
    for (const { state } of [pages.isolated, pages.plain]) {
      expect(state.losses).to.have.length(STEPS);
      const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
      const [first, last] = [mean(state.losses.slice(0, 20)), mean(state.losses.slice(-20))];
      expect(last, `mean loss of the first 20 steps ${first}, of the last 20 ${last}`).to.be.lessThan(0.6 * first);
      expect(state.evals.map((e) => e.step)).to.deep.equal([50, 100, 150, 200]);
      expect(state.evals.at(-1).accuracy).to.be.greaterThan(0.7);
    }
  });

  it('offers WebGPU only with an adapter: without one the selector disables it and says why', async () => {
    const { page, state } = pages.isolated;
    expect(state.run.device).to.equal('cpu');
    expect(state.webgpu.available).to.equal(false);
    expect(state.webgpu.reason).to.match(/^initWebGPU: no WebGPU adapter/);
    expect(await page.$eval('#device option[value="webgpu"]', (o) => o.disabled)).to.equal(true);
    expect(await page.textContent('#device-note')).to.equal(`WebGPU unavailable: ${state.webgpu.reason}`);
  });

  it(`trains ${GPU_STEPS} steps on WebGPU (SwiftShader) with the losses and predictions of the CPU run to float32 rounding; the selector moves it to the CPU`, async () => {
    const gpuBrowser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, '--enable-unsafe-webgpu'] });
    try {
      const t0 = performance.now();
      const { page, state } = await train(isolated, GPU_QUERY, { inBrowser: gpuBrowser });
      const seconds = (performance.now() - t0) / 1000;
      expect(state.webgpu.available, state.webgpu.reason).to.equal(true);
      expect(await page.textContent('#device-note')).to.equal(`WebGPU: ${state.webgpu.adapter}`);
      expect(state.run.device).to.equal('webgpu');
      expect(state.losses).to.have.length(GPU_STEPS);
      // The same run on the CPU, in Node.
      const cpu = new node.PageTraining(node.settingsFromParams(new URLSearchParams(GPU_QUERY)).config, datasets);
      while (!cpu.done) await cpu.advance();
      const worst = Math.max(...state.losses.map((l, i) => Math.abs(l - cpu.losses[i]) / Math.abs(cpu.losses[i])));
      console.log(`      WebGPU in Chromium (${state.webgpu.adapter}): ${GPU_STEPS} steps in ${seconds.toFixed(1)} s with page load; losses ${state.losses.map((l) => l.toFixed(5)).join(' ')}; CPU ${cpu.losses.map((l) => l.toFixed(5)).join(' ')}; largest relative difference ${worst.toExponential(2)}`);
      state.losses.forEach((l, i) => expect(l, `step ${i + 1}: WebGPU ${l}, CPU ${cpu.losses[i]}`).to.be.closeTo(cpu.losses[i], GPU_LOSS_RTOL * cpu.losses[i]));
      expect(state.losses.every(Number.isFinite)).to.equal(true);
      const [gpuEval, cpuEval] = [state.evals.at(-1), cpu.evals.at(-1)];
      expect(gpuEval.step).to.equal(GPU_STEPS);
      expect(gpuEval.loss).to.be.closeTo(cpuEval.loss, GPU_LOSS_RTOL * cpuEval.loss);
      const shown = await cpu.predictions(32);
      Object.values(state.predictions.logits).forEach((v, i) => expect(v, `logit ${i}`).to.be.closeTo(shown.logits[i], 1e-3 * Math.max(1, Math.abs(shown.logits[i]))));

      // Between steps, the run moves to the CPU (its checkpoint, read back from the GPU, loaded there).
      await page.evaluate(() => { globalThis.tgPage.predictions = null; }); // the next ones come from the moved run
      await page.selectOption('#device', 'cpu');
      await page.waitForFunction(() => globalThis.tgPage.run.device === 'cpu' || globalThis.tgPage.phase === 'error', null, { timeout: 30_000, polling: 100 });
      expect(await page.evaluate(() => globalThis.tgPage.error)).to.equal(null);
      expect(await page.$eval('#device', (select) => select.value)).to.equal('cpu');
      await page.waitForFunction(() => globalThis.tgPage.predictions !== null, null, { timeout: 10_000, polling: 100 });
      const moved = await page.evaluate(() => globalThis.tgPage.predictions);
      expect(moved.step).to.equal(GPU_STEPS);
      Object.values(moved.logits).forEach((v, i) => expect(v, `logit ${i} after the move`).to.be.closeTo(shown.logits[i], 1e-3 * Math.max(1, Math.abs(shown.logits[i]))));
      await page.close();
    } finally {
      await gpuBrowser.close();
    }
  });

  it('gives the per-step losses of the same run in Node, bit for bit, on 1 and 2 threads', async () => {
    const { config } = node.settingsFromParams(new URLSearchParams(QUERY));
    nodeRun = new node.PageTraining(config, datasets);
    while (!nodeRun.done) {
      await nodeRun.advance();
      if (nodeRun.step === HALF) nodeHalf = await nodeRun.checkpoint();
    }
    expect(nodeRun.losses).to.have.length(STEPS);
    expect(pages.isolated.state.losses).to.deep.equal(nodeRun.losses);
    expect(pages.plain.state.losses).to.deep.equal(nodeRun.losses);
    expect(pages.isolated.state.evals).to.deep.equal(nodeRun.evals);
  });

  it("downloads the checkpoint Node's Trainer writes for the same state; loaded in Node it predicts what the page showed", async () => {
    const { page, state } = pages.isolated;
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    expect(download.suggestedFilename()).to.equal(`fmnist-cnn-step-${STEPS}.safetensors`);
    const file = join(out, download.suggestedFilename());
    await download.saveAs(file);
    const bytes = readFileSync(file);
    const [fromPage, fromNode] = [comparable(bytes), comparable(await nodeRun.checkpoint())];
    expect(fromNode.trainer.stepsDone).to.equal(STEPS);
    expect(fromNode.trainer.steps.lr).to.have.length(STEPS);
    expect(fromPage, "page checkpoint vs Node's Trainer.checkpoint()").to.deep.equal(fromNode);

    // A fresh model in Node, loaded with nn's file API, on the images the page showed.
    const fresh = fmnistCnn({ skipInit: true });
    loadCheckpoint(file, { model: fresh });
    const shown = state.predictions;
    const n = shown.labels.length;
    expect(n).to.equal(32);
    const transform = node.testTransform();
    const x = new Float32Array(n * 784);
    for (let i = 0; i < n; i++) {
      const raw = datasets.test.get(i).input;
      expect(Buffer.from(raw.data).equals(Buffer.from(Object.values(shown.pixels).slice(i * 784, (i + 1) * 784)))).to.equal(true);
      x.set(transform(raw, new Generator(0)).data, i * 784);
    }
    const logits = noGrad(() => fresh.eval().invoke(tensor(x, { shape: [n, 1, 28, 28] })));
    const predicted = Array.from({ length: n }, (_, i) => {
      const row = logits.data.subarray(i * 10, i * 10 + 10);
      return row.indexOf(Math.max(...row));
    });
    expect(predicted).to.deep.equal(Object.values(shown.predicted));
    expect(Array.from(logits.data)).to.deep.equal(Object.values(shown.logits));
    expect(Object.values(shown.labels)).to.deep.equal(Array.from({ length: n }, (_, i) => datasets.test.get(i).label));
  });

  it("continues a checkpoint uploaded from Node with Node's losses", async () => {
    const { page } = pages.plain;
    // A checkpoint that is not the page's (a bare model) is refused; the run stays.
    const bare = join(out, 'bare-model.safetensors');
    saveCheckpoint(bare, { model: fmnistCnn() });
    await page.setInputFiles('#upload', bare);
    await page.waitForFunction(() => document.getElementById('error').textContent !== '', null, { timeout: 30_000, polling: 100 });
    expect(await page.textContent('#error')).to.match(/^could not load the checkpoint: .*not a checkpoint of the training page/);
    expect(await page.evaluate(() => [globalThis.tgPage.phase, globalThis.tgPage.run.step])).to.deep.equal(['done', STEPS]);
    const file = join(out, `node-step-${HALF}.safetensors`);
    writeFileSync(file, nodeHalf);
    await page.setInputFiles('#upload', file);
    await page.waitForFunction((step) => (globalThis.tgPage.phase === 'paused' && globalThis.tgPage.run.step === step) || globalThis.tgPage.phase === 'error', HALF, { timeout: 30_000, polling: 100 });
    expect(await page.evaluate(() => globalThis.tgPage.error)).to.equal(null);
    // Resume, pause a while in the middle, resume again: no effect on the result.
    await page.click('#run');
    await page.waitForFunction(() => globalThis.tgPage.run.step >= 130 || globalThis.tgPage.phase === 'error', null, { timeout: 60_000, polling: 50 });
    await page.click('#run');
    await page.waitForFunction(() => globalThis.tgPage.phase !== 'running', null, { timeout: 10_000, polling: 50 });
    const pausedAt = await page.evaluate(() => [globalThis.tgPage.phase, globalThis.tgPage.run.step]);
    await page.waitForTimeout(700);
    expect(await page.evaluate(() => [globalThis.tgPage.phase, globalThis.tgPage.run.step])).to.deep.equal(pausedAt);
    expect(pausedAt[0]).to.equal('paused');
    expect(pausedAt[1]).to.be.within(130, STEPS - 1);
    await page.click('#run');
    await page.waitForFunction(() => ['done', 'error'].includes(globalThis.tgPage.phase), null, { timeout: 120_000, polling: 200 });
    const state = await page.evaluate(() => globalThis.tgPage);
    expect(state.error).to.equal(null);
    expect(state.losses).to.deep.equal(nodeRun.losses);
    expect(state.steps.map((s) => s.step)).to.deep.equal(Array.from({ length: STEPS - HALF }, (_, i) => HALF + 1 + i));
  });

  it("draws Node's normals bit for bit (Generator.normal takes core's portableLog and portableSinCos, not Math's)", async () => {
    const { outputFiles } = await build({
      stdin: { contents: "export { Generator } from '@tensorgrad/core';", resolveDir: root, sourcefile: 'generator-entry.js' },
      bundle: true, format: 'iife', globalName: 'tg', platform: 'browser', target: 'es2022', write: false, logLevel: 'warning',
    });
    const [seeds, n] = [[0, 1, 12345], 100_000];
    const page = await browser.newPage();
    await page.addScriptTag({ content: outputFiles[0].text });
    const inPage = await page.evaluate(`(${drawNormals})(tg.Generator, ${JSON.stringify(seeds)}, ${n})`);
    await page.close();
    const inNode = drawNormals(Generator, seeds, n);
    const words = (hex) => hex.match(/.{16}/g);
    seeds.forEach((seed, i) => {
      const [web, node] = [inPage[i], inNode[i]].map(({ normals, math }) => ({ normals: words(normals), math: words(math) }));
      // What Math's log, sin and cos alone would change (with Chromium 156, about 6% of the draws).
      const differ = node.math.filter((w, j) => w !== web.math[j]).length;
      console.log(`      seed ${seed}: ${n} normals; Math.log/sin/cos differ from Node's on ${differ} of their ${node.math.length} arguments`);
      expect(web.normals.length).to.equal(n);
      const first = node.normals.findIndex((w, j) => w !== web.normals[j]);
      expect(first, `seed ${seed}: the first draw with other bits in the page`).to.equal(-1);
    });
  });

  it("computes Node's bits for core's portable functions, the float64 kernels on them, Adam with StepLR and data's random transforms", async () => {
    const { outputFiles } = await build({
      stdin: {
        contents: "export * as core from '@tensorgrad/core'; export * as nn from '@tensorgrad/nn'; export * as data from '@tensorgrad/data';",
        resolveDir: root, sourcefile: 'portable-entry.js',
      },
      bundle: true, format: 'iife', globalName: 'tgp', platform: 'browser', target: 'es2022', write: false, logLevel: 'warning',
    });
    const n = 20_000;
    const page = await browser.newPage();
    await page.addScriptTag({ content: outputFiles[0].text });
    const inPage = await page.evaluate(`(${portableProbe})(tgp.core, tgp.nn, tgp.data, ${n})`);
    await page.close();
    const inNode = portableProbe(await import('@tensorgrad/core'), await import('@tensorgrad/nn'), await import('@tensorgrad/data'), n);
    const words = (hex) => hex.match(/.{16}/g) ?? [];
    /** How many of the two hex strings' doubles differ. */
    const differing = (a, b) => {
      const [wa, wb] = [words(a), words(b)];
      return wa.filter((w, j) => w !== wb[j]).length + Math.abs(wa.length - wb.length);
    };
    for (const name of Object.keys(inNode.math)) {
      // What Math's function alone would change in the page (Chromium 156: exp about 10%, pow 10%...).
      const [math, portable] = [differing(inNode.math[name], inPage.math[name]), differing(inNode.portable[name], inPage.portable[name])];
      console.log(`      ${name.padEnd(10)} Math's differs from Node's on ${String(math).padStart(5)} of ${n} arguments; core's portable one on ${portable}`);
      expect(portable, `portable ${name}: doubles with other bits in the page`).to.equal(0);
    }
    expect(Object.keys(inPage.kernels)).to.deep.equal(Object.keys(inNode.kernels));
    for (const [name, bits] of Object.entries(inNode.kernels)) {
      expect(differing(bits, inPage.kernels[name]), `${name}: values with other bits in the page`).to.equal(0);
      expect(bits.length).to.be.greaterThan(0);
    }
  });

  it('writes a screenshot of the page after training', async () => {
    const { page } = pages.isolated;
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
    const path = join(out, 'page-after-training.png');
    await page.screenshot({ path, fullPage: true });
    expect(readFileSync(path).length).to.be.greaterThan(20_000);
  });

  it('records step times of the default model, batch 128, in the browser and in Node, on 1 and 2 threads', async () => {
    // Nothing else runs meanwhile: the training pages (and their thread pools) are closed.
    await Promise.all([pages.isolated.page.close(), pages.plain.page.close()]);
    const timed = 6;
    const query = `limitTrain=${128 * (timed + 2)}&limitTest=128&epochs=1&evalEvery=1000000&autostart=1`;
    const times = {};
    for (const threads of [1, 2]) {
      const { page, state } = await train(isolated, `${query}&threads=${threads}`);
      await page.close();
      expect(state.threads).to.equal(threads);
      // The first two steps warm up (JIT, scratch buffers).
      times[`browser, ${threads} thread${threads > 1 ? 's' : ''}`] = median(state.steps.slice(2, -1).map((s) => s.ms)); // the last step includes the final evaluation
      await setNumThreads(threads);
      const run = new node.PageTraining(node.settingsFromParams(new URLSearchParams(query)).config, datasets);
      const ms = [];
      while (!run.done) {
        const t0 = performance.now();
        await run.advance();
        ms.push(performance.now() - t0);
      }
      await setNumThreads(1);
      expect(run.losses).to.deep.equal(state.losses);
      times[`Node, ${threads} thread${threads > 1 ? 's' : ''}`] = median(ms.slice(2, -1)); // the last step includes the final evaluation
    }
    const report = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, { msPerStep: Math.round(v), imagesPerSecond: Math.round((128 * 1000) / v) }]));
    writeFileSync(join(out, 'step-times.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log('      median training step, default model, batch 128:');
    for (const [k, v] of Object.entries(report)) console.log(`        ${k.padEnd(20)} ${String(v.msPerStep).padStart(5)} ms  ${String(v.imagesPerSecond).padStart(5)} images/s`);
  });
});
