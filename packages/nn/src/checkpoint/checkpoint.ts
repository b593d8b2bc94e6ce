// Checkpoints: one safetensors file holding a model's state dict under its own names (so
// PyTorch's safetensors.torch.load_file + load_state_dict(strict=False) reads it), optimizer
// state tensors under OPTIMIZER_PREFIX, and everything else (optimizer hyperparameters and
// scalar state, scheduler state, user metadata such as the epoch or RNG state) as JSON strings
// in __metadata__.
// This file works on bytes only, so it runs in browsers; files.ts (the node entry) adds paths.
import { ArgumentError, DeviceError, Tensor, checkOptions, optionKeys } from '@tensorgrad/core';
import { checkBool, show } from '../check.js';
import { CheckpointError, StateDictError } from '../errors.js';
import { Module } from '../module/module.js';
import { LRScheduler, type SchedulerState } from '../optim/lr-scheduler.js';
import { Optimizer, type OptimizerStateDict, type ParamState } from '../optim/optimizer.js';
import { type Safetensors, decodeSafetensors, encodeSafetensors } from './safetensors.js';

/**
 * Prefix of the optimizer state tensors' names in a checkpoint (`__optimizer__.state.3.expAvg`),
 * apart from the model's keys.
 */
export const OPTIMIZER_PREFIX = '__optimizer__.';
const META_OPTIMIZER = 'tensorgrad.optimizer';
const META_SCHEDULER = 'tensorgrad.scheduler';
const META_USER = 'tensorgrad.metadata';
// JSON writes NaN and ±Infinity as null and -0 as 0: such numbers of the user's metadata are
// listed here as [path, String(value)] and put back on load, so metadata round-trips exactly
// while tensorgrad.metadata stays plain JSON for other readers.
const META_USER_NUMBERS = 'tensorgrad.metadata.numbers';

/** A JSON value: what checkpoint metadata may hold. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * What `saveCheckpoint` / `checkpointToBytes` store: a model's state dict, and optionally an
 * optimizer's and a scheduler's state and user metadata.
 */
export interface CheckpointContents {
  /** The model whose parameters and buffers are saved (under their state-dict names, readable by PyTorch). */
  model: Module<any, any>;
  /** An optimizer whose state (moments, step counts, hyperparameters) is saved too. */
  optimizer?: Optimizer<any>;
  /** A learning-rate scheduler whose state is saved too. */
  scheduler?: LRScheduler;
  /** Anything JSON-serialisable: epoch, best accuracy, RNG state... */
  metadata?: Json;
}

const CHECKPOINT_CONTENTS = optionKeys<CheckpointContents>()(['model', 'optimizer', 'scheduler', 'metadata']);

/**
 * Serialises model (+ optimizer, scheduler, metadata) to safetensors bytes: the very bytes
 * saveCheckpoint writes to a file for the same state, so a checkpoint made in a page loads in
 * Node and the other way round.
 */
export function checkpointToBytes(contents: CheckpointContents): Uint8Array<ArrayBuffer> {
  return encodeCheckpoint('checkpointToBytes', contents);
}

/** checkpointToBytes, with errors naming `fn` (the public function the user called). */
export function encodeCheckpoint(fn: string, contents: CheckpointContents): Uint8Array<ArrayBuffer> {
  const { tensors, meta } = checkpointParts(fn, contents);
  // The synchronous path reads values synchronously: GPU tensors need checkpointToBytesAsync.
  for (const [key, t] of tensors) {
    if (t.device !== 'cpu') {
      const whose = key.startsWith(OPTIMIZER_PREFIX) ? `the optimizer state '${key.slice(OPTIMIZER_PREFIX.length)}'` : `'${key}'`;
      throw new DeviceError(
        `${fn}: ${whose} is on '${t.device}', whose memory is read asynchronously: use \`await checkpointToBytesAsync(...)\` (the model stays on its device), ` +
          "or call `await model.toAsync('cpu')` (and `await optimizer.moveStateAsync()`) first, and model.to('webgpu') after",
      );
    }
  }
  return encodeSafetensors(tensors, meta);
}

/**
 * checkpointToBytes for a model and optimizer on any device: tensors on a GPU are read back
 * asynchronously (the model stays where it is). The state saved is the state at the call: every
 * readback is queued before the call returns its promise, so GPU work submitted afterwards does
 * not reach the checkpoint.
 */
export async function checkpointToBytesAsync(contents: CheckpointContents): Promise<Uint8Array<ArrayBuffer>> {
  const { tensors, meta } = checkpointParts('checkpointToBytesAsync', contents);
  const host = await Promise.all([...tensors].map(async ([key, t]) => [key, await t.toAsync('cpu')] as const));
  return encodeSafetensors(new Map(host), meta);
}

/** The tensors (model state dict, optimizer state under OPTIMIZER_PREFIX) and __metadata__ of a checkpoint. */
function checkpointParts(fn: string, contents: CheckpointContents): { tensors: Map<string, Tensor>; meta: Record<string, string> } {
  if (contents === undefined) throw new ArgumentError(`${fn}: contents must be an object { model, optimizer?, scheduler?, metadata? }, got undefined`);
  checkOptions(fn, contents, CHECKPOINT_CONTENTS, 'contents');
  const { model, optimizer, scheduler, metadata } = contents;
  checkParts(fn, model, optimizer, scheduler);
  const numbers: [(string | number)[], string][] = [];
  if (metadata !== undefined) checkJson(fn, metadata, [], numbers);
  const tensors = new Map(model.stateDict());
  for (const key of tensors.keys()) {
    if (key.startsWith(OPTIMIZER_PREFIX)) throw new CheckpointError(`${fn}: model key '${key}' collides with the optimizer prefix '${OPTIMIZER_PREFIX}'`);
  }
  const meta: Record<string, string> = { format: 'pt' };
  if (optimizer !== undefined) {
    const sd = optimizer.stateDict();
    const scalars: Record<string, Record<string, number>> = {};
    for (const [i, state] of sd.state) {
      for (const [k, v] of Object.entries(state)) {
        if (v instanceof Tensor) tensors.set(`${OPTIMIZER_PREFIX}state.${i}.${k}`, v);
        else (scalars[i] ??= {})[k] = v;
      }
    }
    meta[META_OPTIMIZER] = JSON.stringify({ type: optimizer.typeName, paramGroups: sd.paramGroups, scalars, stateIds: [...sd.state.keys()] });
  }
  if (scheduler !== undefined) meta[META_SCHEDULER] = JSON.stringify(scheduler.stateDict());
  if (metadata !== undefined) meta[META_USER] = JSON.stringify(metadata);
  if (numbers.length > 0) meta[META_USER_NUMBERS] = JSON.stringify(numbers);
  return { tensors, meta };
}

/** The model, optimizer and scheduler given to save/loadCheckpoint are what they claim to be. */
function checkParts(fn: string, model: unknown, optimizer: unknown, scheduler: unknown): void {
  if (!(model instanceof Module)) throw new ArgumentError(`${fn}: model must be a Module, got ${show(model)}`);
  if (optimizer !== undefined && !(optimizer instanceof Optimizer)) throw new ArgumentError(`${fn}: optimizer must be an Optimizer, got ${show(optimizer)}`);
  if (scheduler !== undefined && !(scheduler instanceof LRScheduler)) throw new ArgumentError(`${fn}: scheduler must be an LRScheduler, got ${show(scheduler)}`);
}

/**
 * Throws unless value can be stored as JSON: numbers, strings, booleans, null, arrays and plain
 * objects of them (not undefined, functions, Maps, Dates or other class instances, which would
 * come back changed). Numbers JSON cannot write (NaN, ±Infinity, -0) are collected in `numbers`.
 */
function checkJson(fn: string, value: unknown, path: (string | number)[], numbers: [(string | number)[], string][]): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || Object.is(value, -0)) numbers.push([path, Object.is(value, -0) ? '-0' : String(value)]);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkJson(fn, v, [...path, i], numbers));
    return;
  }
  if (typeof value === 'object' && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    for (const [k, v] of Object.entries(value)) checkJson(fn, v, [...path, k], numbers);
    return;
  }
  const what = typeof value === 'object' ? `a ${(value as object).constructor?.name ?? 'object'}` : value === undefined ? 'undefined' : `a ${typeof value}`;
  const at = path.reduce<string>((a, k) => (typeof k === 'number' ? `${a}[${k}]` : `${a}.${k}`), 'metadata');
  throw new ArgumentError(`${fn}: ${at} is ${what}, which a checkpoint's JSON metadata cannot store (convert it to a string, number, array or plain object)`);
}

/** The user metadata with the numbers JSON could not write put back (see META_USER_NUMBERS). */
function readUserMetadata(where: string, metadata: Record<string, string>): Json | undefined {
  if (metadata[META_USER] === undefined) return undefined;
  let user = parseJson(where, metadata, META_USER) as Json;
  if (metadata[META_USER_NUMBERS] === undefined) return user;
  const numbers = parseJson(where, metadata, META_USER_NUMBERS) as [(string | number)[], string][];
  for (const entry of Array.isArray(numbers) ? numbers : [null]) {
    const [path, text] = Array.isArray(entry) ? entry : [];
    const value = Number(text);
    if (!Array.isArray(path) || typeof text !== 'string' || (Number.isFinite(value) && text !== '-0')) {
      throw new CheckpointError(`${where}: __metadata__ '${META_USER_NUMBERS}' holds an invalid entry ${JSON.stringify(entry)}`);
    }
    if (path.length === 0) {
      user = value;
      continue;
    }
    let parent: any = user;
    for (const key of path.slice(0, -1)) parent = parent?.[key];
    const last = path[path.length - 1]!;
    // JSON.stringify wrote null for NaN and ±Infinity, 0 for -0.
    if (parent === null || typeof parent !== 'object' || parent[last] !== (text === '-0' ? 0 : null)) {
      throw new CheckpointError(`${where}: __metadata__ '${META_USER_NUMBERS}' names ${JSON.stringify(path)}, which does not hold what JSON wrote for ${text}`);
    }
    parent[last] = value;
  }
  return user;
}

/**
 * What `loadCheckpoint` / `loadCheckpointFromBytes` restore into: all of it is checked before
 * anything is written.
 */
export interface LoadCheckpointOptions {
  /** The model to load the state dict into. */
  model: Module<any, any>;
  /** An optimizer to restore (the checkpoint must hold one of the same type). */
  optimizer?: Optimizer<any>;
  /** A scheduler to restore (the checkpoint must hold one). */
  scheduler?: LRScheduler;
  /** Missing or unexpected model keys are errors (default true). */
  strict?: boolean;
}

const LOAD_CHECKPOINT_OPTIONS = optionKeys<LoadCheckpointOptions>()(['model', 'optimizer', 'scheduler', 'strict']);

/**
 * Loads checkpoint bytes (what checkpointToBytes or saveCheckpoint made; a Uint8Array or an
 * ArrayBuffer such as `await response.arrayBuffer()`) into model (and optimizer, scheduler) and
 * returns the user metadata. Every part is checked before anything is written: truncated,
 * corrupted or mismatched bytes throw (CheckpointError or StateDictError) and change nothing.
 */
export function loadCheckpointFromBytes(bytes: Uint8Array | ArrayBuffer, options: LoadCheckpointOptions): Json | undefined {
  const fn = 'loadCheckpointFromBytes';
  checkLoadOptions(fn, options);
  if (!(bytes instanceof Uint8Array) && !(bytes instanceof ArrayBuffer)) {
    throw new ArgumentError(`${fn}: bytes must be a Uint8Array or an ArrayBuffer of a safetensors checkpoint, got ${show(bytes)}`);
  }
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return applyCheckpoint(fn, decodeSafetensors(data, 'checkpoint bytes'), options);
}

/** Checks load(Checkpoint|CheckpointFromBytes)'s options, before any bytes are read. */
export function checkLoadOptions(fn: string, options: LoadCheckpointOptions): void {
  if (options === undefined) throw new ArgumentError(`${fn}: options must be an object { model, optimizer?, scheduler?, strict? }, got undefined`);
  checkOptions(fn, options, LOAD_CHECKPOINT_OPTIONS);
  const { model, optimizer, scheduler, strict = true } = options;
  checkParts(fn, model, optimizer, scheduler);
  checkBool(fn, 'strict', strict);
}

/**
 * Checks every part of a decoded checkpoint against model, optimizer and scheduler, then loads
 * them all (or throws having changed nothing); returns the user metadata. `where` names the
 * checkpoint in error messages.
 */
export function applyCheckpoint(where: string, { tensors, metadata }: Safetensors, options: LoadCheckpointOptions): Json | undefined {
  const { model, optimizer, scheduler, strict = true } = options;
  const modelSd = new Map([...tensors].filter(([k]) => !k.startsWith(OPTIMIZER_PREFIX)));
  model.checkStateDict(modelSd, { strict });

  let optimizerSd: OptimizerStateDict | undefined;
  if (optimizer !== undefined) {
    optimizerSd = readOptimizerState(where, metadata, tensors, optimizer);
    const problems = optimizer.checkStateDict(optimizerSd);
    if (problems.length > 0) throw new StateDictError(`${where}: optimizer`, problems);
  }
  let schedulerState: SchedulerState | undefined;
  if (scheduler !== undefined) {
    schedulerState = parseJson(where, metadata, META_SCHEDULER) as SchedulerState;
    const problems = scheduler.checkStateDict(schedulerState);
    if (problems.length > 0) throw new StateDictError(`${where}: scheduler`, problems);
  }
  const user = readUserMetadata(where, metadata);

  model.loadStateDict(modelSd, { strict });
  if (optimizer !== undefined) optimizer.loadStateDict(optimizerSd!);
  if (scheduler !== undefined) scheduler.loadStateDict(schedulerState!);
  return user;
}

function readOptimizerState(where: string, metadata: Record<string, string>, tensors: Map<string, Tensor>, optimizer: Optimizer<any>): OptimizerStateDict {
  const saved = parseJson(where, metadata, META_OPTIMIZER) as {
    type: string;
    paramGroups: OptimizerStateDict['paramGroups'];
    scalars: Record<string, Record<string, number>>;
    stateIds: number[];
  };
  if (saved.type !== optimizer.typeName) {
    throw new CheckpointError(`${where}: the checkpoint holds ${saved.type} state but the optimizer is ${optimizer.typeName}`);
  }
  const state = new Map<number, ParamState>(saved.stateIds.map((i) => [i, { ...(saved.scalars[i] ?? {}) }]));
  for (const [key, t] of tensors) {
    if (!key.startsWith(OPTIMIZER_PREFIX)) continue;
    const match = /^state\.(\d+)\.(\w+)$/.exec(key.slice(OPTIMIZER_PREFIX.length));
    const s = match === null ? undefined : state.get(Number(match[1]));
    if (match === null || s === undefined) throw new CheckpointError(`${where}: unexpected optimizer tensor '${key}'`);
    s[match[2]!] = t;
  }
  return { state, paramGroups: saved.paramGroups };
}

function parseJson(where: string, metadata: Record<string, string>, key: string): unknown {
  const text = metadata[key];
  if (text === undefined) throw new CheckpointError(`${where}: the checkpoint has no '${key}' entry in __metadata__`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CheckpointError(`${where}: __metadata__ '${key}' is not valid JSON (${(e as Error).message})`);
  }
}
