// The training loop: epochs of steps over a DataLoader (batch i of epoch e is the loader's
// batch(e, i): a function of its seed, e and i, so any step can be the first of a process),
// optimizer and scheduler stepping, running means of the loss and metrics, validation, early
// stopping, checkpoints with the whole state, and callbacks. fit() runs to the end; step()
// lets a driver (a Web Worker that pauses, saves on request...) go one step at a time.
// On a GPU (options.device) the batches are moved there and every value the loop needs (loss,
// metrics) is read back asynchronously: one readback per step, one per validation batch.
import {
  ArgumentError, DeviceError, Tensor, cast, convChoices, convRuleChoice, convTuning, noGrad, reshape, restoreConvChoices, stack,
} from '@tensorgrad/core';
import { type CheckpointContents, type Json, type Module, checkpointToBytes, checkpointToBytesAsync, loadCheckpointFromBytes } from '@tensorgrad/nn';
import { type TrainingRun, emit } from './callbacks.js';
import { monitoredValue } from './early-stopping.js';
import { Means } from './means.js';
import { type Config, type Metric, type TrainerOptions, readOptions } from './options.js';
import type { EpochRecord, FitResult, StepCurves, StepRecord, ValidationRecord, Values } from './records.js';
import { type CheckpointMetadata, TRAINER_FORMAT, type TrainerState, checkTrainerMetadata, metadataOf } from './state.js';

const now = (): number => performance.now() / 1000;

/** The epoch in progress: running means, the lr its first step used, its time in this process. */
interface EpochInProgress {
  means: Means;
  lrAtStart: number;
  seconds: number;
}

/**
 * A training run of `model` with TrainerOptions: fit() trains to the end; step() goes one
 * optimizer step at a time (a driver that pauses, saves on request...); checkpoint() and load()
 * save and continue the run bit for bit.
 */
export class Trainer implements TrainingRun {
  /** Epochs requested (options.epochs). */
  readonly epochs: number;
  /** Batches per epoch: the train loader's length. */
  readonly stepsPerEpoch: number;
  /** Optimizer steps done so far in the whole run (load() sets the checkpoint's). */
  stepsDone = 0;
  /** Epochs whose end (validation, scheduler, early stopping, checkpoint) has run. */
  epochsDone = 0;
  /** Early stopping ended the run. */
  stoppedEarly = false;
  /** Training and validation time over all invocations. */
  trainingSeconds = 0;
  /** One record per finished epoch, in order. */
  history: EpochRecord[] = [];
  /** One record per validation, in order (a later validation at the same step replaces the earlier). */
  validations: ValidationRecord[] = [];
  /** The loss and learning rate of every step so far. */
  steps: StepCurves = { loss: [], lr: [] };
  readonly #c: Config;
  #epoch: EpochInProgress | null = null;
  /** The epoch whose onEpochStart this process has sent. */
  #announced = -1;
  #order: { epoch: number; indices: Int32Array } | null = null;
  #validationOrder: Int32Array | null = null;
  #lastCheckpointStep = -1;
  #stopRequested = false;
  #busy = false;

  constructor(
    /** The model trained: called through Module.invoke on each batch's inputs. */
    readonly model: Module<[Tensor], Tensor>,
    options: TrainerOptions,
  ) {
    this.#c = readOptions('Trainer', model, options);
    this.epochs = this.#c.epochs;
    this.stepsPerEpoch = this.#c.train.length;
  }

  get totalSteps(): number {
    return Math.min(this.#c.maxSteps ?? Infinity, this.epochs * this.stepsPerEpoch);
  }

  /** Every step is done, or early stopping ended the run. */
  get done(): boolean {
    return this.stoppedEarly || this.stepsDone >= this.totalSteps;
  }

  /** The learning rate of the optimizer's first parameter group now. */
  get lr(): number {
    return this.#c.optimizer.paramGroups[0]!.lr;
  }

  stop(): void {
    this.#stopRequested = true;
  }

  log(message: string): void {
    this.#c.progress?.log(message);
  }

  /** Trains until done (or stop()); resolves with the run's records. */
  async fit(): Promise<FitResult> {
    this.#idle('fit');
    this.#stopRequested = false;
    await emit(this.#listeners(), 'onTrainStart', { run: this });
    while (!this.done && !this.#stopRequested) await this.step();
    const result = this.result();
    await emit(this.#listeners(), 'onTrainEnd', { run: this, result });
    return result;
  }

  /**
   * One optimizer step on the next batch, then what falls due after it: a validation, the
   * epoch's end (validation, scheduler, early stopping, checkpoint) and, when the run is done,
   * a last validation and checkpoint if none was made at this step.
   */
  async step(): Promise<StepRecord> {
    this.#idle('step');
    if (this.done) {
      throw new ArgumentError(`Trainer.step: the run is done (${this.stepsDone} of ${this.totalSteps} steps${this.stoppedEarly ? ', stopped early' : ''})`);
    }
    this.#busy = true;
    try {
      return await this.#step();
    } finally {
      this.#busy = false;
    }
  }

  async #step(): Promise<StepRecord> {
    const { train, optimizer, scheduler, interval, model, device } = this.#c;
    const epoch = Math.floor(this.stepsDone / this.stepsPerEpoch);
    const index = this.stepsDone % this.stepsPerEpoch;
    this.#epoch ??= { means: new Means(), lrAtStart: this.lr, seconds: 0 };
    if (this.#announced !== epoch) {
      this.#announced = epoch;
      await emit(this.#listeners(), 'onEpochStart', { run: this, epoch: epoch + 1, batches: this.stepsPerEpoch - index });
    }
    const t0 = now();
    if (this.#order?.epoch !== epoch) this.#order = { epoch, indices: train.order(epoch) };
    const batch = train.batch(epoch, index, this.#order.indices);
    const lr = this.lr;
    model.train();
    optimizer.zeroGrad();
    const labels = batch.labels.to(device);
    const output = model.invoke(batch.inputs.to(device));
    const loss = this.#lossOf(output, labels);
    loss.backward();
    optimizer.step();
    if (scheduler !== undefined && interval === 'step') scheduler.step();
    const samples = batch.indices.length;
    // The GPU copies were made (uploads copy at once): the host buffers can go back to the loader.
    batch.release();
    const values = await this.#valuesOf(loss, output, labels);
    this.stepsDone++;
    this.#epoch.means.add(values, samples);
    this.steps.loss.push(values.loss);
    this.steps.lr.push(lr);
    this.#addTime(t0);
    const record: StepRecord = { step: this.stepsDone, epoch: epoch + 1, batch: index, samples, lr, values };
    await emit(this.#listeners(), 'onStepEnd', { run: this, record });
    const { validateEvery, validation, checkpoint } = this.#c;
    if (validateEvery !== undefined && this.stepsDone % validateEvery === 0) await this.#validate();
    if (index === this.stepsPerEpoch - 1) await this.#endEpoch(epoch);
    if (this.done) {
      if (validation !== undefined && this.validations.at(-1)?.step !== this.stepsDone) await this.#validate();
      if (checkpoint !== undefined && this.#lastCheckpointStep !== this.stepsDone) await this.#save();
    }
    return record;
  }

  /** Validation, scheduler, early stopping, record, checkpoint, onEpochEnd. */
  async #endEpoch(epoch: number): Promise<void> {
    const { validation, validateEvery, scheduler, interval, schedulerMonitor, earlyStopping, checkpoint } = this.#c;
    const validated = validation !== undefined && validateEvery === undefined ? (await this.#validate()).values : undefined;
    const current = this.#epoch!;
    const samples = current.means.samples;
    const record: EpochRecord = {
      epoch: epoch + 1, steps: this.stepsPerEpoch, samples, train: current.means.values(),
      ...(validated === undefined ? {} : { validation: validated }),
      lrAtEpochStart: current.lrAtStart, lrAtEpochEnd: NaN, seconds: current.seconds, samplesPerSecond: samples / current.seconds,
    };
    if (scheduler !== undefined && interval === 'epoch') {
      if (schedulerMonitor === undefined) scheduler.step();
      else scheduler.step(monitoredValue(record, schedulerMonitor));
    }
    record.lrAtEpochEnd = this.lr;
    this.history.push(record);
    this.epochsDone = epoch + 1;
    this.#epoch = null;
    if (earlyStopping?.update(record)) {
      this.stoppedEarly = true;
      this.log(`early stopping: ${earlyStopping.monitor} has not improved for ${earlyStopping.state.wait} epoch(s); best ${earlyStopping.state.best} at epoch ${earlyStopping.state.bestEpoch}`);
    }
    if (checkpoint !== undefined) await this.#save();
    await emit(this.#listeners(), 'onEpochEnd', { run: this, record, checkpointSaved: checkpoint !== undefined });
  }

  /** The loss and metrics on the validation loader now (eval mode, nothing recorded). */
  async validate(): Promise<ValidationRecord> {
    this.#idle('validate');
    if (this.#c.validation === undefined) throw new ArgumentError('Trainer.validate: the trainer has no validation loader');
    this.#busy = true;
    try {
      return await this.#validate();
    } finally {
      this.#busy = false;
    }
  }

  async #validate(): Promise<ValidationRecord> {
    const { model, validation } = this.#c;
    const loader = validation!;
    const t0 = now();
    this.#validationOrder ??= loader.order(0);
    const means = new Means();
    model.eval();
    for (let b = 0; b < loader.length; b++) {
      const batch = loader.batch(0, b, this.#validationOrder!);
      const [output, labels] = noGrad(() => [model.invoke(batch.inputs.to(this.#c.device)), batch.labels.to(this.#c.device)]);
      const loss = noGrad(() => this.#lossOf(output, labels));
      const samples = batch.indices.length;
      batch.release();
      means.add(await this.#valuesOf(loss, output, labels), samples);
    }
    const record: ValidationRecord = { step: this.stepsDone, epoch: Math.max(1, Math.ceil(this.stepsDone / this.stepsPerEpoch)), values: means.values() };
    if (this.validations.at(-1)?.step === record.step) this.validations[this.validations.length - 1] = record;
    else this.validations.push(record);
    this.#addTime(t0);
    await emit(this.#listeners(), 'onValidationEnd', { run: this, record });
    return record;
  }

  #lossOf(output: Tensor, target: Tensor): Tensor {
    const loss = this.#c.loss(output, target);
    if (loss === null || typeof loss !== 'object' || loss.size !== 1) {
      throw new ArgumentError(`Trainer: loss must return a scalar Tensor (the batch mean), got ${loss?.shape === undefined ? String(loss) : `a tensor of shape [${loss.shape.join(', ')}]`}`);
    }
    return loss;
  }

  /**
   * The loss and metrics of a batch as numbers. Tensor values on a GPU are stacked there and read
   * back together (one readback); CPU tensors are read directly.
   */
  async #valuesOf(loss: Tensor, output: Tensor, target: Tensor): Promise<Values> {
    const { metrics, device } = this.#c;
    const computed = noGrad(() => metrics.map(([name, metric]): [string, number | Tensor] => [name, this.#metricValue(name, metric, output, target)]));
    const entries: [string, number | Tensor][] = [['loss', loss], ...computed];
    const onDevice = entries.filter((e): e is [string, Tensor] => e[1] instanceof Tensor && e[1].device !== 'cpu');
    const values: Record<string, number> = {};
    if (onDevice.length > 0) {
      const stacked = noGrad(() => stack(onDevice.map(([, t]) => reshape(t.dtype === 'float32' ? t : cast(t, 'float32'), [1])), 0));
      const read = await stacked.dataAsync();
      onDevice.forEach(([name], i) => (values[name] = read[i]!));
    }
    for (const [name, v] of entries) {
      if (typeof v === 'number') values[name] = v;
      else if (v.device === 'cpu') values[name] = (await v.dataAsync())[0]!;
    }
    // In the order the loss and metrics were given, whatever the devices.
    return Object.fromEntries(entries.map(([name]) => [name, values[name]!])) as Values;
  }

  /** One metric's value: a number, or a one-element tensor; a synchronous read of a GPU tensor is explained. */
  #metricValue(name: string, metric: Metric, output: Tensor, target: Tensor): number | Tensor {
    let value: number | Tensor;
    try {
      value = metric(output, target);
    } catch (e) {
      if (!(e instanceof DeviceError) || this.#c.device === 'cpu') throw e;
      throw new ArgumentError(
        `Trainer: metric '${name}' reads values synchronously, which '${this.#c.device}' tensors cannot give (${e.message}); ` +
          'compute it with tensor ops and return a one-element Tensor: the trainer reads it back with the loss',
      );
    }
    if (typeof value === 'number' || (value instanceof Tensor && value.size === 1)) return value;
    throw new ArgumentError(`Trainer: metric '${name}' must return a number or a one-element Tensor (the batch mean), got ${value instanceof Tensor ? `a tensor of shape [${value.shape.join(', ')}]` : typeof value}`);
  }

  #addTime(t0: number): void {
    const dt = now() - t0;
    this.trainingSeconds += dt;
    if (this.#epoch !== null) this.#epoch.seconds += dt;
  }

  async #save(): Promise<void> {
    this.#lastCheckpointStep = this.stepsDone;
    await this.#c.checkpoint!(await checkpointToBytesAsync(this.#contents()), { epoch: this.epochsDone, step: this.stepsDone });
  }

  /** The run so far. */
  result(): FitResult {
    return {
      history: [...this.history], validations: [...this.validations], steps: { loss: [...this.steps.loss], lr: [...this.steps.lr] },
      stepsPerEpoch: this.stepsPerEpoch, stepsDone: this.stepsDone, epochsDone: this.epochsDone, complete: this.done, stoppedEarly: this.stoppedEarly,
      trainingSeconds: this.trainingSeconds,
    };
  }

  /**
   * The whole run as checkpoint bytes (nn's format: model, optimizer and scheduler state, plus
   * the trainer's in the metadata): load() continues it with the same bits. Between steps only.
   * On a GPU, use checkpointAsync() (the values are read back asynchronously).
   */
  checkpoint(): Uint8Array {
    this.#idle('checkpoint');
    if (this.#c.device !== 'cpu') {
      throw new DeviceError(`Trainer.checkpoint: the model is on '${this.#c.device}', whose values are read back asynchronously: use \`await trainer.checkpointAsync()\``);
    }
    return checkpointToBytes(this.#contents());
  }

  /** checkpoint() on any device: the model stays where it is, its values are read back. Between steps only. */
  async checkpointAsync(): Promise<Uint8Array> {
    this.#idle('checkpointAsync');
    this.#busy = true;
    try {
      return await checkpointToBytesAsync(this.#contents());
    } finally {
      this.#busy = false;
    }
  }

  /** What a checkpoint of the run now holds. */
  #contents(): CheckpointContents {
    const { model, optimizer, scheduler, metadata } = this.#c;
    const state: TrainerState = {
      format: TRAINER_FORMAT, stepsPerEpoch: this.stepsPerEpoch, stepsDone: this.stepsDone, epochsDone: this.epochsDone, stoppedEarly: this.stoppedEarly,
      trainingSeconds: this.trainingSeconds, history: this.history, validations: this.validations, steps: this.steps,
      epoch: this.#epoch === null ? null : { means: this.#epoch.means.state(), lrAtStart: this.#epoch.lrAtStart, seconds: this.#epoch.seconds },
      earlyStopping: this.#c.earlyStopping?.state ?? null,
      generators: this.#c.generators.map((g) => g.getState()),
      convChoices: convChoices(),
    };
    const meta: CheckpointMetadata = metadata === undefined ? { trainer: state } : { trainer: state, user: metadata };
    return { model, optimizer, ...(scheduler === undefined ? {} : { scheduler }), metadata: meta as unknown as Json };
  }

  /**
   * Continues the run a checkpoint of this trainer's setup holds (same model, optimizer,
   * scheduler and batches per epoch; epochs and maxSteps may differ): loads model, optimizer
   * and scheduler state, the history and position, generators and conv algorithms. Returns the
   * checkpoint's user metadata. Between steps only; a checkpoint that does not fit changes nothing.
   */
  load(bytes: Uint8Array | ArrayBuffer): Json | undefined {
    const fn = 'Trainer.load';
    this.#idle('load');
    const { model, optimizer, scheduler, generators, earlyStopping } = this.#c;
    // Checked in full before loadCheckpointFromBytes writes anything.
    const peek = metadataOf(fn, bytes);
    const saved = peek.trainer;
    if (saved.stepsPerEpoch !== this.stepsPerEpoch) {
      throw new ArgumentError(`${fn}: the checkpoint's run has ${saved.stepsPerEpoch} batches per epoch but this trainer's train loader has ${this.stepsPerEpoch} (another dataset size or batch size)`);
    }
    if (saved.generators.length !== generators.length) {
      throw new ArgumentError(`${fn}: the checkpoint holds ${saved.generators.length} generator state(s) but the trainer has ${generators.length} generator(s)`);
    }
    if ((saved.earlyStopping === null) !== (earlyStopping === undefined)) {
      throw new ArgumentError(`${fn}: the checkpoint's run ${saved.earlyStopping === null ? 'had no' : 'had'} early stopping but this trainer ${earlyStopping === undefined ? 'has none' : 'has it'}`);
    }
    const loaded = loadCheckpointFromBytes(bytes, { model, optimizer, ...(scheduler === undefined ? {} : { scheduler }) });
    checkTrainerMetadata(fn, loaded);
    const s = loaded.trainer;
    this.stepsDone = s.stepsDone;
    this.epochsDone = s.epochsDone;
    this.stoppedEarly = s.stoppedEarly;
    this.trainingSeconds = s.trainingSeconds;
    this.history = s.history;
    this.validations = s.validations;
    this.steps = s.steps;
    this.#epoch = s.epoch === null ? null : { means: Means.from(s.epoch.means), lrAtStart: s.epoch.lrAtStart, seconds: s.epoch.seconds };
    if (earlyStopping !== undefined) earlyStopping.state = s.earlyStopping!;
    generators.forEach((g, i) => g.setState(s.generators[i]!));
    this.#restoreConvChoices(s.convChoices);
    this.#announced = -1;
    this.#lastCheckpointStep = this.stepsDone;
    return loaded.user;
  }

  /**
   * Continues with the checkpoint's conv algorithms, so the run rounds as before: measured ones
   * (benchmark tuning) would differ in a new process, and rule ones differ only if this
   * version's table does, which is worth a note.
   */
  #restoreConvChoices(saved: Record<string, string>): void {
    restoreConvChoices(saved);
    const changed = convTuning() === 'rule' ? Object.entries(saved).filter(([key, choice]) => convRuleChoice(key) !== choice).length : 0;
    if (changed > 0) this.log(`note: this version's conv rule differs from the checkpoint's for ${changed} layer shape(s); continuing with the checkpoint's algorithms`);
  }

  #listeners() {
    const { progress, callbacks } = this.#c;
    return progress === undefined ? callbacks : [progress, ...callbacks];
  }

  #idle(what: string): void {
    if (this.#busy) {
      throw new ArgumentError(`Trainer.${what}: a step or validation is in progress (callbacks run inside it); call it between steps, e.g. after await trainer.step()`);
    }
  }
}

/** fit()'s options: a Trainer's, and a checkpoint to resume from. */
export interface FitOptions extends TrainerOptions {
  /** Checkpoint bytes to continue from (what the checkpoint sink received, or Trainer.checkpoint()). */
  resume?: Uint8Array | ArrayBuffer;
}

/** Trains `model` (see TrainerOptions); with `resume`, continues the run those checkpoint bytes hold. */
export async function fit(model: Module<[Tensor], Tensor>, options: FitOptions): Promise<FitResult> {
  const { resume, ...rest } = options ?? ({} as FitOptions);
  const trainer = new Trainer(model, rest);
  if (resume !== undefined) trainer.load(resume);
  return trainer.fit();
}
