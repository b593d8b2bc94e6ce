// Messages between the page (app.ts) and the training worker (worker.ts).
import type { Device } from '@tensorgrad/core';
import type { PageConfig } from './config.js';
import type { EvalRecord, Predictions, StepRecord } from './trainer.js';

export type ToWorker =
  /**
   * Read the settings from the page's query string, fetch the dataset from dataUrl and prepare a
   * fresh run (training waits for 'resume' unless ?autostart=1).
   */
  | { type: 'init'; query: string; dataUrl: string }
  | { type: 'resume' }
  | { type: 'pause' }
  | { type: 'threads'; threads: 1 | 2 }
  /** Move the run to this device (between steps: its checkpoint, loaded by a run on the device). */
  | { type: 'device'; device: Device }
  /** Send the run as safetensors bytes ('checkpoint' back). */
  | { type: 'checkpoint' }
  /** Continue from these checkpoint bytes (paused; 'loaded' back). */
  | { type: 'load'; bytes: Uint8Array };

export interface RunInfo {
  config: PageConfig;
  device: Device;
  step: number;
  totalSteps: number;
  stepsPerEpoch: number;
  trainImages: number;
  testImages: number;
  parameters: number;
  /** Class names by label. */
  classes: readonly string[];
  losses: number[];
  evals: EvalRecord[];
}

export type WebGPUAvailability = { available: true; adapter: string } | { available: false; reason: string };

/** A step with its wall time in the worker. */
export interface TimedStep extends StepRecord {
  ms: number;
}

export type FromWorker =
  | { type: 'status'; text: string }
  | { type: 'ready'; run: RunInfo; dataMs: number }
  /** A run continued from an uploaded checkpoint, or moved to another device. */
  | { type: 'loaded'; run: RunInfo; from: 'upload' | 'device' }
  /** Whether the worker can train on WebGPU: the adapter it got, or why not. */
  | { type: 'webgpu'; webgpu: WebGPUAvailability }
  | { type: 'steps'; steps: TimedStep[] }
  | { type: 'eval'; evaluation: EvalRecord }
  | { type: 'predictions'; predictions: Predictions }
  | { type: 'state'; running: boolean; done: boolean }
  /** The thread count in use (setNumThreads(2) resolves false without cross-origin isolation). */
  | { type: 'threads'; threads: number; isolated: boolean }
  | { type: 'checkpoint'; bytes: Uint8Array; step: number }
  /** The run cannot go on (no data, a bug). */
  | { type: 'error'; message: string }
  /** A request failed but the run is intact (e.g. an uploaded file that is not a page checkpoint). */
  | { type: 'warning'; message: string };
