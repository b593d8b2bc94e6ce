// The training job: Fashion-MNIST, real-time augmentation, Adam or SGD with warm-up + cosine
// schedule, test accuracy and an atomic checkpoint after every epoch, exact resume, and a
// report (metrics JSON + SVG curves) at the end.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  ArgumentError, convChoices, convRuleChoice, convTuning, isAnomalyDetectionEnabled, restoreConvChoices, setConvTuning, setDetectAnomaly, setNumThreads,
} from '@tensorgrad/core';
import { loadCheckpoint, loadSafetensors, saveCheckpoint } from '@tensorgrad/nn';
import { readFashionMnist } from './data.js';
import type { TrainOptions } from './options.js';
import { Progress } from './progress.js';
import { type EpochRecord, type TrainReport, writeReport } from './report.js';
import { type Training, buildTraining, evaluate, trainStep } from './session.js';

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
  const training = buildTraining(options, readFashionMnist(options.data));
  const { loaders, model, optimizer, scheduler, dropoutRng, stepsPerEpoch } = training;

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
    const fit = await trainEpoch(training, epoch, progress, `epoch ${epoch + 1}/${options.epochs}`);
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

/** One epoch of training steps, batch i+1 prepared while batch i trains; mean loss, accuracy and the lr it started with. */
async function trainEpoch(training: Training, epoch: number, progress: Progress, label: string): Promise<{ loss: number; accuracy: number; lr: number }> {
  const { loaders, optimizer } = training;
  progress.start(label, loaders.train.length);
  let lossSum = 0;
  let correct = 0;
  let seen = 0;
  const lr = optimizer.paramGroups[0]!.lr;
  for await (const batch of loaders.train.prefetched(epoch)) {
    const step = trainStep(training, batch);
    const n = batch.labels.size;
    lossSum += step.loss * n;
    correct += step.correct;
    seen += n;
    batch.release();
    progress.tick(n, { loss: lossSum / seen, acc: correct / seen, lr: optimizer.paramGroups[0]!.lr });
  }
  return { loss: lossSum / seen, accuracy: correct / seen, lr };
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
