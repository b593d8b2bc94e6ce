// Checkpoints and safetensors as files (Node only: the node entry exports these). The bytes are
// made and read by checkpoint.ts and safetensors.ts, which also run in browsers; this file adds
// reading paths and writing them atomically.
import { readFileSync } from 'node:fs';
import { ArgumentError, type Tensor } from '@tensorgrad/core';
import { show } from '../check.js';
import { CheckpointError } from '../errors.js';
import { writeAtomically } from './atomic-write.js';
import { type CheckpointContents, type Json, type LoadCheckpointOptions, applyCheckpoint, checkLoadOptions, encodeCheckpoint } from './checkpoint.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';

/** Saves tensors and metadata to a safetensors file, atomically. */
export function saveSafetensors(path: string, tensors: Map<string, Tensor> | Record<string, Tensor>, metadata: Record<string, string> = {}): void {
  writeAtomically('saveSafetensors', path, encodeSafetensors(tensors, metadata));
}

/**
 * Reads a safetensors file (any writer's, PyTorch's included): its tensors by name and its string
 * metadata; fully validated.
 */
export function loadSafetensors(path: string): ReturnType<typeof decodeSafetensors> {
  return decodeSafetensors(readBytes(path), path);
}

/** Writes model (+ optimizer, scheduler, metadata) to path atomically: checkpointToBytes' bytes. */
export function saveCheckpoint(path: string, contents: CheckpointContents): void {
  const fn = 'saveCheckpoint';
  writeAtomically(fn, path, encodeCheckpoint(fn, contents));
}

/**
 * Loads a checkpoint file into model (and optimizer, scheduler) and returns its user metadata.
 * The file is read and every part checked before anything is written: a truncated, corrupted
 * or mismatched file throws (CheckpointError or StateDictError) and changes nothing.
 */
export function loadCheckpoint(path: string, options: LoadCheckpointOptions): Json | undefined {
  checkLoadOptions('loadCheckpoint', options);
  return applyCheckpoint(`loadCheckpoint(${path})`, loadSafetensors(path), options);
}

function readBytes(path: string): Uint8Array {
  if (typeof path !== 'string' || path === '') throw new ArgumentError(`loadSafetensors: path must be a non-empty string, got ${show(path)}`);
  try {
    return readFileSync(path);
  } catch (e) {
    throw new CheckpointError(`loadSafetensors: cannot read ${path}: ${(e as Error).message}`);
  }
}
