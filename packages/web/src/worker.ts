// The training worker: fetches Fashion-MNIST from the page's server, runs PageTraining (a
// @tensorgrad/train Trainer) one step at a time and reports steps, evaluations and predictions
// to the page. Between steps it lets queued messages in, so pause, thread changes and checkpoint
// requests take effect after the step in progress; the page's own thread never computes.
// WebGPU works in dedicated workers: the worker sets it up (initWebGPU) and trains there too.
import { type Device, type WebGPUInfo, initWebGPU, setNumThreads } from '@tensorgrad/core';
import { FASHION_MNIST_CLASSES, fashionMnistFromUrl } from '@tensorgrad/data';
import { settingsFromParams } from './config.js';
import type { FromWorker, RunInfo, TimedStep, ToWorker, WebGPUAvailability } from './protocol.js';
import { type Datasets, PageTraining } from './trainer.js';

interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  crossOriginIsolated: boolean;
}
const scope = self as unknown as WorkerScope;
const post = (message: FromWorker, transfer: Transferable[] = []): void => scope.postMessage(message, transfer);

/** Steps are sent in groups, at most this often, so messages do not cost training time. */
const POST_EVERY_MS = 150;
/** Test images shown with their predicted and true classes, updated every PREDICT_EVERY steps (32 images: cheap). */
const SHOWN = 32;
const PREDICT_EVERY = 25;

let datasets: Datasets | null = null;
let run: PageTraining | null = null;
let running = false;
let loop: Promise<void> | null = null;
let threads = 1;
let webgpu: WebGPUAvailability | null = null;

// A macrotask without setTimeout's 4 ms clamp: lets messages in between steps.
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
const yieldToEvents = (): Promise<void> => new Promise((resolve) => {
  waiting.push(resolve);
  channel.port2.postMessage(null);
});

function info(r: PageTraining): RunInfo {
  return {
    config: r.config, device: r.device, step: r.step, totalSteps: r.totalSteps, stepsPerEpoch: r.stepsPerEpoch, trainImages: r.trainImages, testImages: r.testImages,
    parameters: r.training.model.numParameters(), classes: FASHION_MNIST_CLASSES, losses: [...r.losses], evals: [...r.evals],
  };
}

async function sendPredictions(r: PageTraining): Promise<void> {
  const predictions = await r.predictions(SHOWN);
  post({ type: 'predictions', predictions });
}

/** WebGPU in this worker: initWebGPU's adapter, or its reason for refusing (no navigator.gpu, no adapter, limits too low). */
async function probeWebGPU(): Promise<WebGPUAvailability> {
  try {
    return { available: true, adapter: describeAdapter(await initWebGPU()) };
  } catch (e) {
    return { available: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

function describeAdapter(info: WebGPUInfo): string {
  // Browsers may hide the adapter's names (an empty info).
  const named = [info.vendor, info.architecture, info.description || info.device].filter((s) => s !== '').join(' ');
  return `${named === '' ? 'an adapter whose name the browser hides' : named}${info.compatibilityMode ? ' (compatibility mode)' : ''}`;
}

/** `device`, if this worker can train there; else an Error saying why. */
function usable(device: Device): Device {
  if (device === 'webgpu' && webgpu?.available !== true) throw new Error(`WebGPU is unavailable here: ${webgpu?.available === false ? webgpu.reason : 'not probed yet'}`);
  return device;
}

async function useThreads(n: 1 | 2): Promise<void> {
  const ok = await setNumThreads(n);
  threads = ok ? n : 1;
  post({ type: 'threads', threads, isolated: scope.crossOriginIsolated });
}

async function trainLoop(r: PageTraining): Promise<void> {
  let pending: TimedStep[] = [];
  let lastPost = performance.now();
  const flush = (): void => {
    if (pending.length > 0) post({ type: 'steps', steps: pending });
    pending = [];
    lastPost = performance.now();
  };
  while (running && !r.done) {
    const t0 = performance.now();
    const { record, evaluation } = await r.advance();
    pending.push({ ...record, ms: performance.now() - t0 });
    if (evaluation !== undefined) {
      flush();
      post({ type: 'eval', evaluation });
    } else if (performance.now() - lastPost >= POST_EVERY_MS) {
      flush();
    }
    if (evaluation !== undefined || r.step % PREDICT_EVERY === 0) await sendPredictions(r);
    await yieldToEvents();
  }
  flush();
  running = false;
  post({ type: 'state', running: false, done: r.done });
}

/** Stops the loop after its current step and waits for it. */
async function stop(): Promise<void> {
  running = false;
  await loop;
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'init': {
      const settings = settingsFromParams(new URLSearchParams(message.query));
      await useThreads(settings.threads);
      webgpu = await probeWebGPU();
      post({ type: 'webgpu', webgpu });
      post({ type: 'status', text: 'fetching Fashion-MNIST…' });
      const t0 = performance.now();
      const [train, test] = await Promise.all([
        fashionMnistFromUrl(message.dataUrl, { train: true }),
        fashionMnistFromUrl(message.dataUrl, { train: false }),
      ]);
      datasets = { train, test };
      run = new PageTraining(settings.config, datasets, usable(settings.device));
      post({ type: 'ready', run: info(run), dataMs: performance.now() - t0 });
      await sendPredictions(run);
      if (settings.autostart) await handle({ type: 'resume' });
      return;
    }
    case 'resume': {
      if (run === null || running || run.done) return;
      running = true;
      post({ type: 'state', running: true, done: false });
      loop = trainLoop(run);
      return;
    }
    case 'pause':
      await stop();
      return;
    case 'threads': {
      // Between steps, never during one; the results are the same bits either way.
      const wasRunning = running;
      await stop();
      await useThreads(message.threads);
      if (wasRunning) await handle({ type: 'resume' });
      return;
    }
    case 'device': {
      // Between steps: the run's checkpoint, continued by a run on the other device.
      if (run === null || datasets === null || message.device === run.device) return;
      const wasRunning = running;
      await stop();
      try {
        run = PageTraining.fromCheckpoint(await run.checkpoint(), datasets, usable(message.device));
      } catch (e) {
        // The run stays where it was, paused.
        post({ type: 'warning', message: `could not move the run to ${message.device}: ${e instanceof Error ? e.message : String(e)}` });
        post({ type: 'state', running: false, done: run.done });
        return;
      }
      post({ type: 'loaded', run: info(run), from: 'device' });
      post({ type: 'state', running: false, done: run.done });
      await sendPredictions(run);
      if (wasRunning) await handle({ type: 'resume' });
      return;
    }
    case 'checkpoint': {
      if (run === null) throw new Error('no run to save yet');
      const bytes = await run.checkpoint();
      post({ type: 'checkpoint', bytes, step: run.step }, [bytes.buffer]);
      return;
    }
    case 'load': {
      if (datasets === null) throw new Error('the dataset is still loading');
      await stop();
      try {
        run = PageTraining.fromCheckpoint(message.bytes, datasets, run?.device ?? 'cpu');
      } catch (e) {
        // The current run stays, paused.
        post({ type: 'warning', message: `could not load the checkpoint: ${e instanceof Error ? e.message : String(e)}` });
        post({ type: 'state', running: false, done: run?.done ?? false });
        return;
      }
      post({ type: 'loaded', run: info(run), from: 'upload' });
      post({ type: 'state', running: false, done: run.done });
      await sendPredictions(run);
      return;
    }
  }
}

// Messages are handled one after another (a checkpoint request waits for a thread change...);
// the training loop runs beside them and yields between steps.
let queue = Promise.resolve();
scope.onmessage = (event) => {
  queue = queue.then(() => handle(event.data)).catch((e: unknown) => {
    running = false;
    post({ type: 'error', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  });
};
