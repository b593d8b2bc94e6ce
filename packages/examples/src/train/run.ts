// The training job: Fashion-MNIST, real-time augmentation, Adam or SGD with warm-up + cosine
// schedule, test accuracy and an atomic checkpoint after every epoch, exact resume, and a
// report (metrics JSON + SVG curves) at the end.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  ArgumentError, Generator, type Tensor, convChoices, convRuleChoice, convTuning, crossEntropy, isAnomalyDetectionEnabled, noGrad, restoreConvChoices, setConvTuning,
  setDetectAnomaly, setNumThreads,
} from '@tensorgrad/core';
import type { Batch, DataLoader, RawImage } from '@tensorgrad/data';
import {
  Adam, CosineAnnealingLR, LinearLR, type LRScheduler, type Module, type Optimizer, SGD, SequentialLR, loadCheckpoint, loadSafetensors, saveCheckpoint,
} from '@tensorgrad/nn';
import { fashionMnistLoaders } from './data.js';
import { buildModel } from './models.js';
import type { TrainOptions } from './options.js';
import { Progress } from './progress.js';
import { type EpochRecord, type TrainReport, writeReport } from './report.js';

/** Options that change the computation: a resumed run must use the checkpoint's (convTuning: the rounding). */
const RUN_DEFINING = ['model', 'epochs', 'batchSize', 'lr', 'optimizer', 'weightDecay', 'seed', 'limitTrain', 'limitTest', 'convTuning'] as const;

interface ResumeState {
  epochsDone: number;
  history: EpochRecord[];
  dropoutRng: number[];
  elapsedSeconds: number;
  /** The conv algorithm of each layer shape (by the rule or measured): a resume runs the same ones (same rounding). */
  convChoices: Record<string, string>;
}

export async function train(requested: TrainOptions, progress = new Progress()): Promise<TrainReport> {
  mkdirSync(requested.out, { recursive: true });
  const checkpointPath = join(requested.out, 'checkpoint.safetensors');
  if (requested.resume && !existsSync(checkpointPath)) {
    throw new ArgumentError(`--resume: no checkpoint at ${checkpointPath}; run without --resume first`);
  }
  await setNumThreads(requested.threads ? 2 : 1);
  const [tuning, anomaly] = [convTuning(), isAnomalyDetectionEnabled()];
  setDetectAnomaly(requested.detectAnomaly);
  try {
    return await run(requested, checkpointPath, progress);
  } finally {
    setConvTuning(tuning);
    setDetectAnomaly(anomaly);
    await setNumThreads(1);
  }
}

async function run(requested: TrainOptions, checkpointPath: string, progress: Progress): Promise<TrainReport> {
  // Model, optimizer and schedule are built from the options; a resume then overwrites their state.
  const options = requested.resume ? { ...requested, ...savedRunOptions(checkpointPath) } : requested;
  setConvTuning(options.convTuning);
  const loaders = fashionMnistLoaders({ root: options.data, batchSize: options.batchSize, seed: options.seed, limitTrain: options.limitTrain, limitTest: options.limitTest });
  const dropoutRng = new Generator(options.seed + 1);
  const model = buildModel(options.model, new Generator(options.seed), dropoutRng);
  const optimizer = makeOptimizer(options, model);
  const stepsPerEpoch = loaders.train.length;
  const scheduler = makeScheduler(optimizer, stepsPerEpoch, options.epochs);

  let state: ResumeState = { epochsDone: 0, history: [], dropoutRng: dropoutRng.getState(), elapsedSeconds: 0, convChoices: {} };
  if (options.resume) {
    state = loadCheckpoint(checkpointPath, { model, optimizer, scheduler }) as unknown as ResumeState & { options: unknown };
    dropoutRng.setState(state.dropoutRng);
    restoreSavedConvChoices(options.convTuning, state.convChoices ?? {}, progress);
    progress.log(`resumed from ${checkpointPath} after epoch ${state.epochsDone}/${options.epochs}`);
  }
  const parameterCount = model.parameters().reduce((n, p) => n + p.size, 0);
  progress.log(
    `training ${options.model} (${parameterCount.toLocaleString('en-US')} parameters) on ${loaders.train.dataset.length} Fashion-MNIST images, ` +
      `testing on ${loaders.test.dataset.length}; ${options.epochs} epochs of ${stepsPerEpoch} batches of ${options.batchSize}, ${options.optimizer} lr ${options.lr}`,
  );

  const started = performance.now();
  const lastEpoch = Math.min(options.epochs, state.epochsDone + (requested.stopAfter ?? Infinity));
  for (let epoch = state.epochsDone; epoch < lastEpoch; epoch++) {
    const t0 = performance.now();
    const fit = await trainEpoch(model, optimizer, scheduler, loaders.train, epoch, progress, `epoch ${epoch + 1}/${options.epochs}`);
    const seconds = (performance.now() - t0) / 1000;
    const test = evaluate(model, loaders.test);
    const record: EpochRecord = {
      epoch: epoch + 1, trainLoss: fit.loss, trainAccuracy: fit.accuracy, testLoss: test.loss, testAccuracy: test.accuracy,
      lr: fit.lr, seconds, imagesPerSecond: loaders.train.dataset.length / seconds,
    };
    state = {
      epochsDone: epoch + 1,
      history: [...state.history, record],
      dropoutRng: dropoutRng.getState(),
      elapsedSeconds: state.elapsedSeconds + (performance.now() - t0) / 1000,
      convChoices: convChoices(),
    };
    saveCheckpoint(checkpointPath, { model, optimizer, scheduler, metadata: { ...state, options: pick(options) } as never });
    progress.log(
      `epoch ${epoch + 1}/${options.epochs}: train loss ${fit.loss.toFixed(4)} acc ${pct(fit.accuracy)} | ` +
        `test loss ${test.loss.toFixed(4)} acc ${pct(test.accuracy)} | ${seconds.toFixed(1)} s, ${record.imagesPerSecond.toFixed(0)} img/s | checkpoint saved`,
    );
  }
  const wallSeconds = (performance.now() - started) / 1000;
  return writeReport(options.out, {
    options: pick(options), parameterCount, history: state.history, complete: state.epochsDone >= options.epochs,
    trainingSeconds: state.elapsedSeconds, wallSecondsThisRun: wallSeconds, checkpoint: checkpointPath,
  });
}

async function trainEpoch(
  model: Module<[Tensor], Tensor>, optimizer: Optimizer<any>, scheduler: LRScheduler, loader: DataLoader<RawImage>, epoch: number, progress: Progress, label: string,
): Promise<{ loss: number; accuracy: number; lr: number }> {
  model.train();
  progress.start(label, loader.length);
  let lossSum = 0;
  let correct = 0;
  let seen = 0;
  const lr = optimizer.paramGroups[0]!.lr;
  for await (const batch of loader.prefetched(epoch)) {
    optimizer.zeroGrad();
    const logits = model.call(batch.inputs);
    const loss = crossEntropy(logits, batch.labels);
    loss.backward();
    optimizer.step();
    scheduler.step();
    const n = batch.labels.size;
    lossSum += loss.item() * n;
    correct += countCorrect(logits, batch);
    seen += n;
    batch.release();
    progress.tick(n, { loss: lossSum / seen, acc: correct / seen, lr: optimizer.paramGroups[0]!.lr });
  }
  return { loss: lossSum / seen, accuracy: correct / seen, lr };
}

/** Mean loss and accuracy on a loader, in eval mode without recording. */
export function evaluate(model: Module<[Tensor], Tensor>, loader: DataLoader<RawImage>): { loss: number; accuracy: number } {
  model.eval();
  let lossSum = 0;
  let correct = 0;
  let seen = 0;
  noGrad(() => {
    for (const batch of loader.batches(0)) {
      const logits = model.call(batch.inputs);
      lossSum += crossEntropy(logits, batch.labels, { reduction: 'sum' }).item();
      correct += countCorrect(logits, batch);
      seen += batch.labels.size;
      batch.release();
    }
  });
  return { loss: lossSum / seen, accuracy: correct / seen };
}

function countCorrect(logits: Tensor, batch: Batch): number {
  const [n, k] = logits.shape as [number, number];
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (logits.data[i * k + j]! > logits.data[i * k + best]!) best = j;
    if (best === batch.labels.data[i]) correct++;
  }
  return correct;
}

function makeOptimizer(o: TrainOptions, model: Module<[Tensor], Tensor>): Optimizer<any> {
  return o.optimizer === 'adam'
    ? new Adam(model.parameters(), { lr: o.lr, weightDecay: o.weightDecay })
    : new SGD(model.parameters(), { lr: o.lr, momentum: 0.9, nesterov: true, weightDecay: o.weightDecay });
}

/** Linear warm-up from lr/10 over the first 3% of steps, then cosine annealing to zero; stepped per batch. */
function makeScheduler(optimizer: Optimizer<any>, stepsPerEpoch: number, epochs: number): LRScheduler {
  const total = stepsPerEpoch * epochs;
  const warm = Math.max(1, Math.round(total * 0.03));
  return new SequentialLR(optimizer, [new LinearLR(optimizer, 0.1, 1, warm), new CosineAnnealingLR(optimizer, Math.max(1, total - warm))], [warm]);
}

/**
 * Makes the resumed run use the checkpoint's conv algorithms, so it continues with the same
 * rounding: measured ones (benchmark) would differ in a new process, and rule ones differ only
 * if this version's table does (a table measured again since), which is worth a note.
 */
function restoreSavedConvChoices(mode: TrainOptions['convTuning'], saved: Record<string, string>, progress: Progress): void {
  restoreConvChoices(saved);
  const changed = mode === 'rule' ? Object.entries(saved).filter(([key, choice]) => convRuleChoice(key) !== choice).length : 0;
  if (changed > 0) progress.log(`note: this version's conv rule differs from the checkpoint's for ${changed} layer shape(s); continuing with the checkpoint's algorithms`);
}

function pick(o: TrainOptions): Partial<TrainOptions> {
  return Object.fromEntries(RUN_DEFINING.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}

/** The run-defining options recorded in a checkpoint of this job. */
function savedRunOptions(path: string): Partial<TrainOptions> {
  const user = loadSafetensors(path).metadata['tensorgrad.metadata'];
  if (user === undefined) throw new ArgumentError(`--resume: ${path} is not a checkpoint of this training job (it has no metadata)`);
  return (JSON.parse(user) as { options: Partial<TrainOptions> }).options;
}

const pct = (v: number): string => `${(100 * v).toFixed(2)}%`;
