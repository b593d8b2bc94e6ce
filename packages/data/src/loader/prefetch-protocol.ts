// The messages between a DataLoader and its prefetch workers, and the worker's end of the
// connection (how a platform delivers them).
import { ArgumentError, DTypeError, ShapeError, TensorError } from '@tensorgrad/core';
import { DataError } from '../errors.js';
import type { PortableDataset, PortableTransform } from './portable.js';

/** The loader's description: the worker builds its own DataLoader from it. */
export interface InitMessage {
  type: 'init';
  dataset: PortableDataset;
  transform: PortableTransform | undefined;
  batchSize: number;
  shuffle: boolean;
  seed: number;
  dropLast: boolean;
}

export type ToWorker =
  | InitMessage
  /** Build batch `index` of `epoch` and post it. */
  | { type: 'build'; epoch: number; index: number }
  /** A batch's inputs buffer, handed back (transferred) for the worker's next batches. */
  | { type: 'buffer'; buffer: ArrayBuffer };

/** An error, as the worker threw it. epoch -1: the worker could not start (fatal). */
export interface ErrorMessage {
  type: 'error';
  epoch: number;
  index: number;
  name: string;
  message: string;
  stack: string | undefined;
}

export type FromWorker =
  | { type: 'batch'; epoch: number; index: number; inputs: Float32Array; shape: readonly number[]; labels: Int32Array; indices: Int32Array }
  | ErrorMessage;

/**
 * The worker's end of its connection: `post` sends a message (transferring `transfer`), `listen`
 * receives the loader's messages in order. Web Workers: `self` (the default of serveDataWorker);
 * Node: the port the node entry's worker factory sets up.
 */
export interface DataWorkerEndpoint {
  post(message: FromWorker, transfer: ArrayBuffer[]): void;
  listen(receive: (message: ToWorker) => void): void;
}

export function errorMessage(epoch: number, index: number, error: unknown): ErrorMessage {
  const e = error instanceof Error ? error : new Error(String(error));
  return { type: 'error', epoch, index, name: e.name, message: e.message, stack: e.stack };
}

const ERROR_CLASSES: Record<string, new (message: string) => Error> = {
  ArgumentError, ShapeError, DTypeError, TensorError, DataError, TypeError, RangeError, Error,
};

/**
 * The worker's error on this thread: the same message and, for this library's and JavaScript's
 * standard classes, the same class; the stack says it came from a worker and keeps its frames.
 */
export function errorFrom(m: ErrorMessage): Error {
  const error = new (ERROR_CLASSES[m.name] ?? Error)(m.message);
  if (error.name !== m.name) error.name = m.name;
  const frames = (m.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
  error.stack = [`${m.name}: ${m.message}`, '    (thrown in a DataLoader prefetch worker)', ...frames].join('\n');
  return error;
}
