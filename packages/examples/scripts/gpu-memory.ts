// GPU memory over a long WebGPU training run, measured by the backend's own allocation counters
// (webgpuMemoryStats): a small CNN (conv-BN-ReLU-pool twice, then a linear layer) trains on
// seeded random batches of 16 1×28×28 images, Adam and SGD with momentum, and the counters are
// sampled every `--every` steps. Memory is flat when createdBuffers stops growing after warm-up
// and liveBytes + pooledBytes stays bounded.
// GPU buffers are invisible to V8's heap accounting: a buffer dropped without an explicit release
// comes back only when the GC finalizes its array. Run with --expose-gc (the package script does)
// to measure each optimizer twice: without any forced GC, and with global.gc() at every sample.
// pnpm --filter @tensorgrad/examples run gpu-memory [-- --steps 2000 --every 100 --optimizer adam|sgd|both --gc off|on|both]
import { Generator, type GpuMemoryStats, type Tensor, crossEntropy, randn, tensor, webgpuMemoryStats } from '@tensorgrad/core';
import { Adam, BatchNorm2d, Conv2d, Flatten, Linear, MaxPool2d, type Optimizer, ReLU, SGD, Sequential } from '@tensorgrad/nn';
import { describeAdapter, initNodeWebGPU } from '../src/train/webgpu.js';

interface Options {
  steps: number;
  every: number;
  optimizers: ('adam' | 'sgd')[];
  gcModes: boolean[];
}

function parseOptions(argv: readonly string[]): Options {
  const args = argv.filter((a) => a !== '--');
  const value = (name: string, fallback: string): string => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
  };
  const positive = (name: string, fallback: number): number => {
    const n = Number(value(name, String(fallback)));
    if (!Number.isInteger(n) || n < 1) throw new Error(`gpu-memory: --${name} must be a positive integer, got ${value(name, '')}`);
    return n;
  };
  const optimizer = value('optimizer', 'both');
  if (!['adam', 'sgd', 'both'].includes(optimizer)) throw new Error(`gpu-memory: --optimizer must be adam, sgd or both, got ${optimizer}`);
  const hasGc = typeof globalThis.gc === 'function';
  const gc = value('gc', hasGc ? 'both' : 'off');
  if (!['off', 'on', 'both'].includes(gc)) throw new Error(`gpu-memory: --gc must be off, on or both, got ${gc}`);
  if (gc !== 'off' && !hasGc) throw new Error('gpu-memory: --gc on/both needs node --expose-gc (tsx --expose-gc)');
  return {
    steps: positive('steps', 2000),
    every: positive('every', 100),
    optimizers: optimizer === 'both' ? ['adam', 'sgd'] : [optimizer as 'adam' | 'sgd'],
    gcModes: gc === 'both' ? [false, true] : [gc === 'on'],
  };
}

/** conv-BN-ReLU-pool ×2 and a linear classifier: 1×28×28 → 8×14×14 → 16×7×7 → 10. */
function smallCnn(generator: Generator): Sequential {
  return new Sequential(
    new Conv2d(1, 8, 3, { padding: 1, generator }), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2),
    new Conv2d(8, 16, 3, { padding: 1, generator }), new BatchNorm2d(16), new ReLU(), new MaxPool2d(2),
    new Flatten(), new Linear(16 * 7 * 7, 10, { generator }),
  );
}

interface Sample extends GpuMemoryStats {
  step: number;
  loss: number;
  msPerStep: number;
  /** The process's resident memory (Dawn's native objects and, on a software adapter, the GPU buffers themselves). */
  rssBytes: number;
}

interface RunSummary {
  optimizer: 'adam' | 'sgd';
  gc: boolean;
  steps: number;
  /** Max over samples of liveBytes + pooledBytes. */
  peakBytes: number;
  /** liveBytes + pooledBytes at the first sample at or after step 100 and at the last one. */
  bytesAtWarm: number;
  bytesAtEnd: number;
  /** createdBuffers at the first sample at or after step 100, at the end, and the difference. */
  createdAtWarm: number;
  createdAtEnd: number;
  createdGrowthAfterWarm: number;
  peakLiveArrays: number;
  /** Resident memory at the warm-up sample and at the end. */
  rssAtWarm: number;
  rssAtEnd: number;
  finalLoss: number;
  flat: boolean;
  samples: Sample[];
}

const WARM_STEP = 100;

async function train(kind: 'adam' | 'sgd', gc: boolean, options: Options): Promise<RunSummary> {
  const model = smallCnn(new Generator(0)).to('webgpu');
  const params = model.parameters();
  const opt: Optimizer<any> = kind === 'adam' ? new Adam(params, { lr: 1e-3 }) : new SGD(params, { lr: 0.01, momentum: 0.9 });
  printHeader(kind, gc);
  const data = new Generator(1);
  const batch = (): [Tensor, Tensor] => {
    const labels = Int32Array.from({ length: 16 }, () => data.nextUint32() % 10);
    return [randn([16, 1, 28, 28], { generator: data }).to('webgpu'), tensor(labels, { dtype: 'int32' }).to('webgpu')];
  };
  const samples: Sample[] = [];
  let t0 = performance.now();
  let loss = NaN;
  for (let step = 1; step <= options.steps; step++) {
    const [x, y] = batch();
    opt.zeroGrad();
    const l = crossEntropy(model.invoke(x), y);
    l.backward();
    opt.step();
    // A readback per step, as a training loop that logs its loss does: the GPU keeps up.
    loss = await l.itemAsync();
    if (step % options.every === 0 || step === options.steps) {
      if (gc) globalThis.gc!();
      // Finalizers run in a later task: let them before reading the counters.
      await new Promise((resolve) => setImmediate(resolve));
      const now = performance.now();
      const since = samples.length === 0 ? step : step - samples[samples.length - 1]!.step;
      samples.push({ step, loss, msPerStep: (now - t0) / since, rssBytes: process.memoryUsage().rss, ...webgpuMemoryStats() });
      printRow(samples[samples.length - 1]!);
      t0 = now;
    }
  }
  const bytes = (s: Sample): number => s.liveBytes + s.pooledBytes;
  const warm = samples.find((s) => s.step >= WARM_STEP) ?? samples[0]!;
  const end = samples[samples.length - 1]!;
  const peakBytes = Math.max(...samples.map(bytes));
  const afterWarm = samples.filter((s) => s.step >= warm.step);
  const summary = {
    optimizer: kind,
    gc,
    steps: options.steps,
    peakBytes,
    bytesAtWarm: bytes(warm),
    bytesAtEnd: bytes(end),
    createdAtWarm: warm.createdBuffers,
    createdAtEnd: end.createdBuffers,
    createdGrowthAfterWarm: end.createdBuffers - warm.createdBuffers,
    peakLiveArrays: Math.max(...samples.map((s) => s.liveArrays)),
    rssAtWarm: warm.rssBytes,
    rssAtEnd: end.rssBytes,
    finalLoss: loss,
    // Flat: no buffer created after warm-up, and no sample after it above the warm-up's peak.
    flat: end.createdBuffers === warm.createdBuffers && Math.max(...afterWarm.map(bytes)) <= Math.max(...samples.filter((s) => s.step <= warm.step).map(bytes)),
    samples,
  };
  // Everything this run made goes back before the next one is measured.
  opt.zeroGrad();
  return summary;
}

const kib = (bytes: number): string => (bytes / 1024).toFixed(0);

const HEADER = ['step', 'loss', 'ms/step', 'liveArrays', 'liveKiB', 'pooledBuffers', 'pooledKiB', 'live+pooled KiB', 'createdBuffers', 'reusedBuffers', 'rssMiB'];
const line = (cells: readonly (string | number)[]): string => cells.map((c, i) => String(c).padStart(HEADER[i]!.length)).join('  ');

/** The table's title and header; its rows are printed as they are sampled (a long run shows progress). */
function printHeader(kind: 'adam' | 'sgd', gc: boolean): void {
  console.log(`\n${kind === 'adam' ? 'Adam' : 'SGD momentum 0.9'}, ${gc ? 'global.gc() at every sample' : 'no forced GC'}:`);
  console.log(line(HEADER));
}

function printRow(s: Sample): void {
  console.log(line([s.step, s.loss.toFixed(4), s.msPerStep.toFixed(1), s.liveArrays, kib(s.liveBytes), s.pooledBuffers, kib(s.pooledBytes), kib(s.liveBytes + s.pooledBytes), s.createdBuffers, s.reusedBuffers, (s.rssBytes / 2 ** 20).toFixed(0)]));
}

const options = parseOptions(process.argv.slice(2));
const gpu = await initNodeWebGPU();
console.log(`WebGPU: ${describeAdapter(gpu)}; ${options.steps} steps per run, counters every ${options.every}`);
const runs: RunSummary[] = [];
for (const kind of options.optimizers) {
  for (const gc of options.gcModes) {
    runs.push(await train(kind, gc, options));
  }
}
const summary = runs.map(({ samples: _, ...rest }) => rest);
console.log(`\n${JSON.stringify({ adapter: describeAdapter(gpu), steps: options.steps, every: options.every, runs: summary }, null, 2)}`);
