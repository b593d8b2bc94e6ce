// The page: controls, live charts and predictions, fed by the training worker. Nothing heavy
// runs here, so the page stays responsive while the worker trains. The page's state is also on
// window.tgPage, for the browser test.
import { drawChart } from './chart.js';
import type { FromWorker, RunInfo, TimedStep, ToWorker, WebGPUAvailability } from './protocol.js';
import type { EvalRecord, Predictions } from './trainer.js';

interface PageState {
  phase: 'loading' | 'ready' | 'running' | 'paused' | 'done' | 'error';
  run: RunInfo | null;
  /** Per-step losses of the run (a loaded checkpoint brings its earlier ones). */
  losses: number[];
  /** The steps trained in this page, with their times. */
  steps: TimedStep[];
  evals: EvalRecord[];
  predictions: Predictions | null;
  threads: number;
  isolated: boolean;
  /** Whether the worker can train on WebGPU (null until it has checked). */
  webgpu: WebGPUAvailability | null;
  error: string | null;
}

const state: PageState = {
  phase: 'loading', run: null, losses: [], steps: [], evals: [], predictions: null, threads: 1, isolated: globalThis.crossOriginIsolated === true, webgpu: null, error: null,
};
(globalThis as unknown as { tgPage: PageState }).tgPage = state;

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const ui = {
  run: $<HTMLButtonElement>('run'), threads: $<HTMLSelectElement>('threads'), device: $<HTMLSelectElement>('device'), deviceNote: $('device-note'), download: $<HTMLButtonElement>('download'),
  upload: $<HTMLInputElement>('upload'), status: $('status'), progress: $<HTMLProgressElement>('progress'), error: $('error'),
  step: $('step'), total: $('total'), epoch: $('epoch'), rate: $('rate'), steptime: $('steptime'), loss: $('loss'), testacc: $('testacc'),
  elapsed: $('elapsed'), isolation: $('isolation'), lossChart: $<HTMLCanvasElement>('loss-chart'), accChart: $<HTMLCanvasElement>('acc-chart'),
  predictions: $<HTMLCanvasElement>('predictions'), predictionsTitle: $('predictions-title'),
};

function fail(message: string): void {
  state.phase = 'error';
  state.error = message;
  ui.error.textContent = message;
  ui.status.textContent = 'stopped by an error';
  ui.run.disabled = true;
}

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const send = (message: ToWorker, transfer: Transferable[] = []): void => worker.postMessage(message, transfer);
worker.onerror = (e) => fail(`worker error: ${e.message}`);

ui.isolation.textContent = state.isolated
  ? 'cross-origin isolated: 2 threads available'
  : 'not cross-origin isolated: 1 thread (serve with COOP/COEP headers for 2)';
if (!state.isolated) ui.threads.querySelector<HTMLOptionElement>('option[value="2"]')!.disabled = true;
send({ type: 'init', query: location.search, dataUrl: new URL('data/', location.href).href });

ui.run.onclick = () => send({ type: state.phase === 'running' ? 'pause' : 'resume' });
ui.threads.onchange = () => send({ type: 'threads', threads: Number(ui.threads.value) as 1 | 2 });
ui.device.onchange = () => send({ type: 'device', device: ui.device.value as 'cpu' | 'webgpu' });
ui.download.onclick = () => send({ type: 'checkpoint' });
ui.upload.onchange = async () => {
  const file = ui.upload.files?.[0];
  if (file === undefined) return;
  const bytes = new Uint8Array(await file.arrayBuffer());
  ui.upload.value = '';
  send({ type: 'load', bytes }, [bytes.buffer]);
};

worker.onmessage = (event: MessageEvent<FromWorker>) => {
  const m = event.data;
  switch (m.type) {
    case 'status':
      ui.status.textContent = m.text;
      break;
    case 'ready':
    case 'loaded':
      state.run = m.run;
      state.losses = [...m.run.losses];
      state.evals = [...m.run.evals];
      state.steps = [];
      state.phase = m.run.step >= m.run.totalSteps ? 'done' : m.type === 'ready' ? 'ready' : 'paused';
      ui.error.textContent = '';
      ui.device.value = m.run.device;
      ui.status.textContent = m.type === 'ready'
        ? `data loaded in ${(m.dataMs / 1000).toFixed(1)} s: ${m.run.trainImages} training and ${m.run.testImages} test images; ${m.run.parameters.toLocaleString('en-US')} parameters`
        : m.from === 'device' ? `moved to ${m.run.device === 'cpu' ? 'the CPU' : 'WebGPU'} at step ${m.run.step}` : `checkpoint loaded at step ${m.run.step}`;
      ui.run.disabled = state.phase === 'done';
      ui.download.disabled = false;
      break;
    case 'steps':
      state.steps.push(...m.steps);
      for (const s of m.steps) state.losses.push(s.loss);
      if (state.run !== null) state.run.step = m.steps.at(-1)!.step;
      break;
    case 'eval':
      state.evals = [...state.evals.filter((e) => e.step !== m.evaluation.step), m.evaluation];
      break;
    case 'predictions':
      state.predictions = m.predictions;
      drawPredictions(m.predictions);
      break;
    case 'state':
      state.phase = m.done ? 'done' : m.running ? 'running' : 'paused';
      ui.run.disabled = m.done;
      if (m.done) ui.status.textContent = 'training complete';
      else ui.status.textContent = m.running ? 'training…' : 'paused';
      break;
    case 'threads':
      state.threads = m.threads;
      ui.threads.value = String(m.threads);
      break;
    case 'checkpoint': {
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([m.bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
      link.download = `${state.run?.config.model ?? 'model'}-step-${m.step}.safetensors`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
      break;
    }
    case 'error':
      fail(m.message);
      break;
    case 'warning':
      ui.error.textContent = m.message;
      // A move to another device that failed leaves the run where it was.
      if (state.run !== null) ui.device.value = state.run.device;
      break;
    case 'webgpu': {
      state.webgpu = m.webgpu;
      const option = ui.device.querySelector<HTMLOptionElement>('option[value="webgpu"]')!;
      option.disabled = !m.webgpu.available;
      ui.deviceNote.textContent = m.webgpu.available ? `WebGPU: ${m.webgpu.adapter}` : `WebGPU unavailable: ${m.webgpu.reason}`;
      break;
    }
  }
  scheduleRender();
};

let renderQueued = false;
function scheduleRender(): void {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    render();
  });
}

const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;

function render(): void {
  const run = state.run;
  if (run === null) return;
  ui.run.textContent = state.phase === 'running' ? 'Pause' : state.phase === 'ready' ? 'Start' : 'Resume';
  ui.step.textContent = String(run.step);
  ui.total.textContent = String(run.totalSteps);
  ui.progress.value = run.step / run.totalSteps;
  ui.epoch.textContent = `${Math.min(run.config.epochs, Math.floor(run.step / run.stepsPerEpoch) + 1)} / ${run.config.epochs}`;
  // Speed over the last ~20 steps' own times (pauses and evaluations excluded).
  const recent = state.steps.slice(-20);
  if (recent.length > 0) {
    const ms = recent.reduce((t, s) => t + s.ms, 0);
    ui.rate.textContent = ((1000 * recent.reduce((n, s) => n + s.size, 0)) / ms).toFixed(0);
    ui.steptime.textContent = (ms / recent.length).toFixed(0);
  }
  const smooth = smoothed(state.losses);
  if (smooth.length > 0) ui.loss.textContent = smooth.at(-1)![1].toFixed(4);
  const lastEval = state.evals.at(-1);
  if (lastEval !== undefined) ui.testacc.textContent = `${pct(lastEval.accuracy)} (step ${lastEval.step})`;
  ui.elapsed.textContent = `${(state.steps.reduce((t, s) => t + s.ms, 0) / 1000).toFixed(1)} s`;

  drawChart(ui.lossChart, {
    title: 'loss', xLabel: 'step', xMax: run.totalSteps,
    series: [
      { label: 'train (per step)', color: '#b9cde6', width: 1, points: state.losses.map((l, i) => [i + 1, l] as const) },
      { label: 'train (smoothed)', color: '#1f5fa8', width: 2, points: smooth },
      { label: 'test', color: '#d2691e', dots: true, points: state.evals.map((e) => [e.step, e.loss] as const) },
    ],
  });
  drawChart(ui.accChart, {
    title: 'accuracy', xLabel: 'step', xMax: run.totalSteps, yRange: [0, 1], yFormat: (v) => `${Math.round(v * 100)}%`,
    series: [
      { label: 'train batches (smoothed)', color: '#1f5fa8', width: 2, points: smoothed(state.steps.map((s) => s.accuracy), state.steps[0]?.step ?? 1) },
      { label: 'test', color: '#d2691e', dots: true, points: state.evals.map((e) => [e.step, e.accuracy] as const) },
    ],
  });
}

/** Exponential moving average (bias-corrected, so the first points are not pulled to 0), as [step, value]. */
function smoothed(values: readonly number[], firstStep = 1, beta = 0.95): [number, number][] {
  let avg = 0;
  return values.map((v, i) => {
    avg = beta * avg + (1 - beta) * v;
    return [firstStep + i, avg / (1 - beta ** (i + 1))];
  });
}

const CELL = 96;
const SCALE = 3;

function drawPredictions(p: Predictions): void {
  const classes = state.run?.classes ?? [];
  const n = p.labels.length;
  const columns = Math.max(1, Math.min(n, Math.floor(ui.predictions.parentElement!.clientWidth / CELL) || 8));
  const rows = Math.ceil(n / columns);
  const ratio = globalThis.devicePixelRatio || 1;
  const canvas = ui.predictions;
  canvas.style.width = `${columns * CELL}px`;
  canvas.style.height = `${rows * (CELL + 24)}px`;
  canvas.width = columns * CELL * ratio;
  canvas.height = rows * (CELL + 24) * ratio;
  const g = canvas.getContext('2d')!;
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.imageSmoothingEnabled = false;
  g.font = '11px system-ui, sans-serif';
  g.textAlign = 'center';
  const tile = new OffscreenCanvas(28, 28);
  const tg = tile.getContext('2d')!;
  const image = tg.createImageData(28, 28);
  let right = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 784; k++) {
      const v = p.pixels[i * 784 + k]!;
      image.data.set([v, v, v, 255], 4 * k);
    }
    tg.putImageData(image, 0, 0);
    const x = (i % columns) * CELL;
    const y = Math.floor(i / columns) * (CELL + 24);
    g.drawImage(tile, x + (CELL - 28 * SCALE) / 2, y + 2, 28 * SCALE, 28 * SCALE);
    const ok = p.predicted[i] === p.labels[i];
    if (ok) right++;
    g.fillStyle = ok ? '#1a7f37' : '#c62828';
    g.fillText(classes[p.predicted[i]!] ?? String(p.predicted[i]), x + CELL / 2, y + 28 * SCALE + 14);
    g.fillStyle = '#777';
    g.fillText(ok ? '' : `true: ${classes[p.labels[i]!] ?? p.labels[i]}`, x + CELL / 2, y + 28 * SCALE + 27);
  }
  ui.predictionsTitle.textContent = `Predictions on the first ${n} test images after step ${p.step}: ${right} of ${n} right (green: predicted class is the true one; red: wrong, true class below).`;
}

window.addEventListener('resize', scheduleRender);
