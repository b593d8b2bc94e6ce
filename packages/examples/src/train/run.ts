// The training job: Fashion-MNIST, real-time augmentation, Adam or SGD with warm-up + cosine
// schedule, run by @tensorgrad/train's Trainer: test accuracy and an atomic checkpoint after
// every epoch, exact resume, and a report (metrics JSON + SVG curves) at the end.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError, TensorError, isAnomalyDetectionEnabled, convTuning, setConvTuning, setDetectAnomaly, setNumThreads } from '@tensorgrad/core';
import { type ProgressDisplay, Trainer, checkpointFile, readCheckpointMetadata } from '@tensorgrad/train';
import { readFashionMnist } from './data.js';
import type { TrainOptions } from './options.js';
import { type TrainReport, writeReport } from './report.js';
import { buildTraining, trainerOptions } from './session.js';
import { describeAdapter, initNodeWebGPU } from './webgpu.js';

/**
 * Options that change the computation: a resumed run must use the checkpoint's (convTuning: the
 * rounding). The device is not one of them: a run may continue on another device (in float32
 * rounding of its own).
 */
const RUN_DEFINING = ['model', 'epochs', 'batchSize', 'lr', 'optimizer', 'weightDecay', 'seed', 'limitTrain', 'limitTest', 'convTuning'] as const;

export async function train(requested: TrainOptions, progress: ProgressDisplay): Promise<TrainReport> {
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

async function run(requested: TrainOptions, checkpointPath: string, progress: ProgressDisplay): Promise<TrainReport> {
  // Model, optimizer and schedule are built from the options (the checkpoint's when resuming);
  // the trainer then loads their state, its history and position.
  const saved = requested.resume ? readFileSync(checkpointPath) : undefined;
  const options = saved === undefined ? requested : { ...requested, ...savedRunOptions(saved, checkpointPath) };
  setConvTuning(options.convTuning);
  if (options.device === 'webgpu') progress.log(`WebGPU: ${describeAdapter(await initNodeWebGPU())}`);
  const training = buildTraining(options, readFashionMnist(options.data), options.device);
  // Augmentation in a worker thread (the same batches, bit for bit), off the training thread.
  training.loaders.train.prefetch({ workers: 1, depth: 2 });
  const { loaders, model } = training;
  let epochsLeft = requested.stopAfter ?? Infinity;
  const trainer = new Trainer(model, {
    ...trainerOptions(training, options.epochs),
    progress,
    checkpoint: checkpointFile(checkpointPath),
    metadata: { options: pick(options) },
    // --stop-after N: an interruption after N epochs of this invocation (then --resume continues).
    callbacks: [{ onEpochEnd: ({ run }) => void (--epochsLeft <= 0 && run.stop()) }],
  });
  if (saved !== undefined) {
    trainer.load(saved);
    progress.log(`resumed from ${checkpointPath} after epoch ${trainer.epochsDone}/${options.epochs}`);
  }
  const parameterCount = model.numParameters();
  progress.log(
    `training ${options.model} (${parameterCount.toLocaleString('en-US')} parameters) on ${loaders.train.dataset.length} Fashion-MNIST images, ` +
      `testing on ${loaders.test.dataset.length}; ${options.epochs} epochs of ${trainer.stepsPerEpoch} batches of ${options.batchSize}, ${options.optimizer} lr ${options.lr}, on ${options.device}`,
  );
  const started = performance.now();
  const result = await trainer.fit();
  return writeReport(options.out, {
    options: pick(options), parameterCount, result, wallSecondsThisRun: (performance.now() - started) / 1000, checkpoint: checkpointPath,
  });
}

function pick(o: TrainOptions): Partial<TrainOptions> {
  return Object.fromEntries(RUN_DEFINING.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}

/** The run-defining options recorded in a checkpoint of this job. */
function savedRunOptions(bytes: Uint8Array, path: string): Partial<TrainOptions> {
  let user: unknown;
  try {
    user = readCheckpointMetadata(bytes).user;
  } catch (e) {
    if (e instanceof TensorError) throw new ArgumentError(`--resume: ${path} is not a checkpoint of this training job (${e.message})`);
    throw e;
  }
  const options = (user as { options?: Partial<TrainOptions> } | undefined)?.options;
  if (options === undefined) throw new ArgumentError(`--resume: ${path} is not a checkpoint of this training job (its metadata has no options)`);
  return options;
}
