// Checkpoints: one safetensors file holding a model's state dict under its own names (so
// PyTorch's safetensors.torch.load_file + load_state_dict(strict=False) reads it), optimizer
// state tensors under OPTIMIZER_PREFIX, and everything else (optimizer hyperparameters and
// scalar state, scheduler state, user metadata such as the epoch or RNG state) as JSON strings
// in __metadata__.
import { readFileSync } from 'node:fs';
import { Tensor } from '@tensorgrad/core';
import { CheckpointError, StateDictError } from '../errors.js';
import type { Module } from '../module/module.js';
import type { LRScheduler, SchedulerState } from '../optim/lr-scheduler.js';
import type { Optimizer, OptimizerStateDict, ParamState } from '../optim/optimizer.js';
import { writeFileAtomic } from './atomic-write.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';

export const OPTIMIZER_PREFIX = '__optimizer__.';
const META_OPTIMIZER = 'tensorgrad.optimizer';
const META_SCHEDULER = 'tensorgrad.scheduler';
const META_USER = 'tensorgrad.metadata';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface CheckpointContents {
  model: Module<any, any>;
  optimizer?: Optimizer<any>;
  scheduler?: LRScheduler;
  /** Anything JSON-serialisable: epoch, best accuracy, RNG state... */
  metadata?: Json;
}

/** Saves tensors and metadata to a safetensors file, atomically. */
export function saveSafetensors(path: string, tensors: Map<string, Tensor> | Record<string, Tensor>, metadata: Record<string, string> = {}): void {
  writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

export function loadSafetensors(path: string): ReturnType<typeof decodeSafetensors> {
  return decodeSafetensors(readBytes(path), path);
}

/** Writes model (+ optimizer, scheduler, metadata) to path atomically. */
export function saveCheckpoint(path: string, { model, optimizer, scheduler, metadata }: CheckpointContents): void {
  const tensors = new Map(model.stateDict());
  for (const key of tensors.keys()) {
    if (key.startsWith(OPTIMIZER_PREFIX)) throw new CheckpointError(`saveCheckpoint: model key '${key}' collides with the optimizer prefix '${OPTIMIZER_PREFIX}'`);
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
    meta[META_OPTIMIZER] = JSON.stringify({ type: optimizer.constructor.name, paramGroups: sd.paramGroups, scalars, stateIds: [...sd.state.keys()] });
  }
  if (scheduler !== undefined) meta[META_SCHEDULER] = JSON.stringify(scheduler.stateDict());
  if (metadata !== undefined) meta[META_USER] = JSON.stringify(metadata);
  saveSafetensors(path, tensors, meta);
}

export interface LoadCheckpointOptions {
  model: Module<any, any>;
  optimizer?: Optimizer<any>;
  scheduler?: LRScheduler;
  /** Missing or unexpected model keys are errors (default true). */
  strict?: boolean;
}

/**
 * Loads a checkpoint into model (and optimizer, scheduler) and returns its user metadata.
 * The file is read and every part checked before anything is written: a truncated, corrupted
 * or mismatched file throws (CheckpointError or StateDictError) and changes nothing.
 */
export function loadCheckpoint(path: string, { model, optimizer, scheduler, strict = true }: LoadCheckpointOptions): Json | undefined {
  const { tensors, metadata } = loadSafetensors(path);
  const where = `loadCheckpoint(${path})`;
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
  const user = metadata[META_USER] === undefined ? undefined : (parseJson(where, metadata, META_USER) as Json);

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
  if (saved.type !== optimizer.constructor.name) {
    throw new CheckpointError(`${where}: the checkpoint holds ${saved.type} state but the optimizer is ${optimizer.constructor.name}`);
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

function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new CheckpointError(`loadSafetensors: cannot read ${path}: ${(e as Error).message}`);
  }
}
