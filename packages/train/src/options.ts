// The options of fit() and Trainer, checked once when the trainer is made: unknown keys (core's
// checkOptions), wrong types, ranges, and combinations that cannot work (early stopping on a
// validation value without validation at epoch ends) are refused with an ArgumentError naming
// the option.
import { ArgumentError, type Device, Generator, type Tensor, checkNumber, checkOptions, optionKeys } from '@tensorgrad/core';
import { DataLoader } from '@tensorgrad/data';
import { type Json, LRScheduler, Module, OneCycleLR, Optimizer } from '@tensorgrad/nn';
import { CALLBACK_NAMES, type Callbacks, type ProgressDisplay } from './callbacks.js';
import { EarlyStopping, type EarlyStoppingOptions, defaultMode, splitMonitor } from './early-stopping.js';

/**
 * A batch mean computed from the model's output and the batch's targets, both on the training
 * device: a number (nn's accuracy, which reads values synchronously: CPU only), or a one-element
 * Tensor computed with tensor ops (any device: read back with the loss, in one readback per step).
 */
export type Metric = (output: Tensor, target: Tensor) => number | Tensor;

/** The loss minimised: a scalar tensor, the batch mean (e.g. core's crossEntropy). */
export type LossFunction = (output: Tensor, target: Tensor) => Tensor;

/** Receives each checkpoint's bytes (nn's checkpoint format); the node entry's checkpointFile(path) writes them atomically. */
export type CheckpointSink = (bytes: Uint8Array, info: { epoch: number; step: number }) => void | Promise<void>;

/** A scheduler with when it steps and, for one that steps on a metric (ReduceLROnPlateau), the value it gets. */
export interface SchedulerOptions {
  /** The scheduler (nn's LRScheduler); it must drive TrainerOptions.optimizer. */
  scheduler: LRScheduler;
  /**
   * When scheduler.step() runs: after every optimizer step, or at every epoch's end. Default: as
   * the kind requires ('step' for OneCycleLR, whose cycle is counted in batches; 'epoch' for
   * ReduceLROnPlateau, which must be 'epoch'), else 'epoch', PyTorch's convention.
   */
  interval?: 'step' | 'epoch';
  /** The value a scheduler that steps on a metric (ReduceLROnPlateau) gets: as earlyStopping's monitor (default 'validation.loss', or 'train.loss' without validation). */
  monitor?: string;
}

/** The options of a Trainer (and of fit(), see FitOptions), checked when the trainer is made. */
export interface TrainerOptions {
  /** The training batches: epoch e is train.batch(e, 0..length-1), a function of the loader's seed and e. */
  train: DataLoader<any>;
  /** Validated in eval mode without recording, at every epoch's end (or every validateEvery steps) and when training ends. */
  validation?: DataLoader<any>;
  /** The optimizer of the model's parameters: zeroGrad(), the loss's backward() and step() run once per batch. Its first parameter group's lr is the one recorded. */
  optimizer: Optimizer<any>;
  /** A scheduler, stepped as its kind requires (see SchedulerOptions), or { scheduler, interval, monitor }. */
  scheduler?: LRScheduler | SchedulerOptions;
  /** Epochs to train (an integer ≥ 1), each one pass over `train`'s batches; maxSteps may end the run sooner. */
  epochs: number;
  /** The loss minimised, of the model's output and the batch's labels: in training mode at every step, in eval mode without recording for validation. */
  loss: LossFunction;
  /** Named metrics, e.g. { accuracy } (nn's). 'loss' is the loss's name. */
  metrics?: Record<string, Metric>;
  /** Called at the run's events (see Callbacks), in array order after `progress`; each is awaited. */
  callbacks?: readonly Callbacks[];
  /** A display (TextProgress; the node entry's terminalProgress()) or any callbacks with log(). */
  progress?: ProgressDisplay;
  /** Ends the run once a monitored value has not improved for `patience` epochs, checked at every epoch's end (see EarlyStoppingOptions). Default: none. */
  earlyStopping?: EarlyStoppingOptions;
  /** Receives a checkpoint at every epoch's end, and when training ends between epochs (maxSteps). */
  checkpoint?: CheckpointSink;
  /** Validate every this many steps instead of at epoch ends (also when training ends). */
  validateEvery?: number;
  /** Stop after this many steps in all (default: every step of every epoch). */
  maxSteps?: number;
  /** Generators the model draws from while training (dropout): their states go into checkpoints. */
  generators?: readonly Generator[];
  /** JSON stored with every checkpoint (a run's options...): readCheckpointMetadata and load() return it. */
  metadata?: Json;
  /**
   * Where training runs (default 'cpu'): each batch's inputs and labels are moved there; the loss
   * and metrics are read back asynchronously. The model must already be there, as in PyTorch:
   * `model.to('webgpu')` (after `await initWebGPU()`) before making the trainer.
   */
  device?: Device;
}

export const TRAINER_OPTIONS = optionKeys<TrainerOptions>()([
  'train', 'validation', 'optimizer', 'scheduler', 'epochs', 'loss', 'metrics', 'callbacks', 'progress', 'earlyStopping', 'checkpoint',
  'validateEvery', 'maxSteps', 'generators', 'metadata', 'device',
]);
const SCHEDULER_OPTIONS = optionKeys<SchedulerOptions>()(['scheduler', 'interval', 'monitor']);
const EARLY_STOPPING_OPTIONS = optionKeys<EarlyStoppingOptions>()(['monitor', 'mode', 'patience', 'minDelta']);

/** The options checked and with their defaults. */
export interface Config {
  model: Module<[Tensor], Tensor>;
  train: DataLoader<any>;
  validation: DataLoader<any> | undefined;
  optimizer: Optimizer<any>;
  scheduler: LRScheduler | undefined;
  interval: 'step' | 'epoch';
  /** What a scheduler that steps on a metric gets. */
  schedulerMonitor: string | undefined;
  epochs: number;
  loss: LossFunction;
  metrics: [string, Metric][];
  callbacks: Callbacks[];
  progress: ProgressDisplay | undefined;
  earlyStopping: EarlyStopping | undefined;
  checkpoint: CheckpointSink | undefined;
  validateEvery: number | undefined;
  maxSteps: number | undefined;
  generators: Generator[];
  metadata: Json | undefined;
  device: Device;
}

const DEVICES: readonly Device[] = ['cpu', 'webgpu'];

const show = (v: unknown): string =>
  v === null ? 'null' : typeof v === 'object' ? (Array.isArray(v) ? `an array of length ${v.length}` : (v as object).constructor?.name ?? 'object') : `${typeof v} ${String(v)}`;

function checkFunction(fn: string, name: string, v: unknown): void {
  if (typeof v !== 'function') throw new ArgumentError(`${fn}: ${name} must be a function, got ${show(v)}`);
}

export function readOptions(fn: string, model: Module<[Tensor], Tensor>, options: TrainerOptions): Config {
  if (!(model instanceof Module)) throw new ArgumentError(`${fn}: model must be a Module, got ${show(model)}`);
  if (options === undefined || options === null) throw new ArgumentError(`${fn}: options { train, optimizer, epochs, loss, ... } are required`);
  checkOptions(fn, options, TRAINER_OPTIONS);
  const o = options;
  if (!(o.train instanceof DataLoader)) throw new ArgumentError(`${fn}: train must be a DataLoader, got ${show(o.train)}`);
  if (o.train.length === 0) throw new ArgumentError(`${fn}: train has no batches (an empty dataset, or dropLast with fewer samples than batchSize)`);
  if (o.validation !== undefined && !(o.validation instanceof DataLoader)) throw new ArgumentError(`${fn}: validation must be a DataLoader, got ${show(o.validation)}`);
  if (o.validation !== undefined && o.validation.length === 0) throw new ArgumentError(`${fn}: validation has no batches`);
  if (!(o.optimizer instanceof Optimizer)) throw new ArgumentError(`${fn}: optimizer must be an Optimizer (SGD, Adam...), got ${show(o.optimizer)}`);
  checkNumber(fn, 'epochs', o.epochs, { min: 1, integer: true });
  checkFunction(fn, 'loss', o.loss);

  const metrics = Object.entries(o.metrics ?? {});
  let scheduler: LRScheduler | undefined;
  let config: Partial<SchedulerOptions> = {};
  if (o.scheduler instanceof LRScheduler) {
    scheduler = o.scheduler;
  } else if (o.scheduler !== undefined) {
    checkOptions(fn, o.scheduler, SCHEDULER_OPTIONS, 'scheduler');
    if (!(o.scheduler.scheduler instanceof LRScheduler)) throw new ArgumentError(`${fn}: scheduler must be an LRScheduler or { scheduler, interval, monitor }, got ${show(o.scheduler.scheduler)}`);
    scheduler = o.scheduler.scheduler;
    config = o.scheduler;
  }
  let interval: 'step' | 'epoch' = 'epoch';
  let schedulerMonitor: string | undefined;
  if (scheduler !== undefined) {
    if (scheduler.optimizer !== o.optimizer) throw new ArgumentError(`${fn}: the scheduler drives another optimizer than options.optimizer`);
    const name = scheduler.constructor.name;
    interval = config.interval ?? (scheduler instanceof OneCycleLR ? 'step' : 'epoch');
    if (interval !== 'step' && interval !== 'epoch') throw new ArgumentError(`${fn}: scheduler.interval must be 'step' or 'epoch', got ${show(interval)}`);
    if (scheduler.stepsOnMetric) {
      if (interval !== 'epoch') throw new ArgumentError(`${fn}: a ${name} steps on a metric once per epoch; scheduler.interval must be 'epoch', got '${interval}'`);
      schedulerMonitor = readMonitor(fn, 'scheduler.monitor', config.monitor, o, metrics);
    } else if (config.monitor !== undefined) {
      throw new ArgumentError(`${fn}: scheduler.monitor is for a scheduler that steps on a metric (ReduceLROnPlateau); a ${name} steps without one`);
    }
    const steps = Math.min(o.maxSteps ?? Infinity, o.epochs * o.train.length) / (interval === 'step' ? 1 : o.train.length);
    if (scheduler instanceof OneCycleLR && scheduler.totalSteps < Math.ceil(steps)) {
      throw new ArgumentError(`${fn}: the OneCycleLR's cycle has ${scheduler.totalSteps} steps but the run steps it ${Math.ceil(steps)} times (interval '${interval}')`);
    }
  }

  if (o.metrics !== undefined && (typeof o.metrics !== 'object' || o.metrics === null)) throw new ArgumentError(`${fn}: metrics must be an object of named functions, got ${show(o.metrics)}`);
  for (const [name, metric] of metrics) {
    if (name === 'loss') throw new ArgumentError(`${fn}: metrics must not be named 'loss' (the loss's own name)`);
    checkFunction(fn, `metrics.${name}`, metric);
  }
  if (o.callbacks !== undefined && !Array.isArray(o.callbacks)) throw new ArgumentError(`${fn}: callbacks must be an array of callback objects, got ${show(o.callbacks)}`);
  const callbacks = [...(o.callbacks ?? [])];
  callbacks.forEach((c, i) => checkCallbacks(fn, `callbacks[${i}]`, c));
  if (o.progress !== undefined) {
    checkCallbacks(fn, 'progress', o.progress, ['log']);
    checkFunction(fn, 'progress.log', o.progress.log);
  }
  if (o.checkpoint !== undefined) checkFunction(fn, 'checkpoint', o.checkpoint);
  if (o.validateEvery !== undefined) {
    checkNumber(fn, 'validateEvery', o.validateEvery, { min: 1, integer: true });
    if (o.validation === undefined) throw new ArgumentError(`${fn}: validateEvery needs a validation loader`);
  }
  if (o.maxSteps !== undefined) checkNumber(fn, 'maxSteps', o.maxSteps, { min: 1, integer: true });
  if (o.generators !== undefined && (!Array.isArray(o.generators) || !o.generators.every((g) => g instanceof Generator))) {
    throw new ArgumentError(`${fn}: generators must be an array of core Generators, got ${show(o.generators)}`);
  }

  let earlyStopping: EarlyStopping | undefined;
  if (o.earlyStopping !== undefined) {
    const e = o.earlyStopping;
    checkOptions(fn, e, EARLY_STOPPING_OPTIONS, 'earlyStopping');
    const monitor = readMonitor(fn, 'earlyStopping.monitor', e.monitor, o, metrics);
    const mode = e.mode ?? defaultMode(monitor);
    if (mode !== 'min' && mode !== 'max') throw new ArgumentError(`${fn}: earlyStopping.mode must be 'min' or 'max', got ${show(mode)}`);
    checkNumber(fn, 'earlyStopping.patience', e.patience, { min: 0, integer: true });
    const minDelta = e.minDelta ?? 0;
    checkNumber(fn, 'earlyStopping.minDelta', minDelta, { min: 0 });
    earlyStopping = new EarlyStopping(monitor, mode, e.patience, minDelta);
  }

  const device = readDevice(fn, model, o.device);

  return {
    model, train: o.train, validation: o.validation, optimizer: o.optimizer, scheduler, interval, schedulerMonitor, epochs: o.epochs, loss: o.loss, metrics, callbacks,
    progress: o.progress, earlyStopping, checkpoint: o.checkpoint, validateEvery: o.validateEvery, maxSteps: o.maxSteps,
    generators: [...(o.generators ?? [])], metadata: o.metadata, device,
  };
}

/**
 * options.device, where every parameter and buffer of the model must already be: the trainer moves
 * batches, never the model (a moved model would leave the caller's optimizer and references behind
 * on another device without a word).
 */
function readDevice(fn: string, model: Module<[Tensor], Tensor>, value: Device | undefined): Device {
  const device = value ?? 'cpu';
  if (!DEVICES.includes(device)) throw new ArgumentError(`${fn}: device must be one of ${DEVICES.map((d) => `'${d}'`).join(', ')}, got ${show(device)}`);
  for (const [kind, named] of [['parameter', model.namedParameters()], ['buffer', model.namedBuffers()]] as const) {
    for (const [name, t] of named) {
      if (t.device !== device) {
        // Reading a GPU back is asynchronous (toAsync); moving onto one is not (to).
        const move = t.device === 'cpu' ? `model.to('${device}') (after await initWebGPU())` : `await model.toAsync('${device}')`;
        throw new ArgumentError(`${fn}: the model's ${kind} '${name}' is on '${t.device}' but options.device is '${device}': move the model first with ${move}, then create the trainer`);
      }
    }
  }
  return device;
}

/**
 * A monitored value's name ('validation.loss' by default, 'train.loss' without validation), which
 * must name the loss or a metric, and a validation value only where epochs end with one.
 */
function readMonitor(fn: string, option: string, monitor: string | undefined, o: TrainerOptions, metrics: [string, Metric][]): string {
  const value = monitor ?? (o.validation === undefined ? 'train.loss' : 'validation.loss');
  const [part, name] = splitMonitor(value, fn);
  if (name !== 'loss' && !metrics.some(([m]) => m === name)) {
    throw new ArgumentError(`${fn}: ${option} '${value}' names no metric; known: loss${metrics.map(([m]) => `, ${m}`).join('')}`);
  }
  if (part === 'validation' && (o.validation === undefined || o.validateEvery !== undefined)) {
    throw new ArgumentError(`${fn}: ${option} '${value}' needs validation at every epoch's end (a validation loader, and no validateEvery)`);
  }
  return value;
}

/**
 * An object whose callbacks, where present, are functions. A plain object may hold nothing else
 * (besides `extra`), so a misspelt name (onEpochEnds) is refused instead of never being called.
 */
function checkCallbacks(fn: string, name: string, c: unknown, extra: readonly string[] = []): void {
  if (typeof c !== 'object' || c === null) throw new ArgumentError(`${fn}: ${name} must be an object of callbacks (${CALLBACK_NAMES.join(', ')}), got ${show(c)}`);
  if (Object.getPrototypeOf(c) === Object.prototype) checkOptions(fn, c, [...CALLBACK_NAMES, ...extra], name);
  for (const key of CALLBACK_NAMES) {
    const f = (c as Record<string, unknown>)[key];
    if (f !== undefined) checkFunction(fn, `${name}.${key}`, f);
  }
}
