// The messages between a DataLoader and its prefetch workers, and the worker's end of the
// connection (how a platform delivers them).
import { ArgumentError, DTypeError, ShapeError, TensorError } from '@tensorgrad/core';
import { DataError } from '../errors.js';
import type { PortableDataset, PortableTransform } from './portable.js';

/** The loader's description, sent first: the worker builds its own DataLoader from it. */
export interface InitMessage {
  /** 'init'. */
  type: 'init';
  /** The dataset's arrays (portable.ts). */
  dataset: PortableDataset;
  /** The transform's factories and arguments (portable.ts), if the loader has one. */
  transform: PortableTransform | undefined;
  /** The loader's batchSize. */
  batchSize: number;
  /** The loader's shuffle. */
  shuffle: boolean;
  /** The loader's seed. */
  seed: number;
  /** The loader's dropLast. */
  dropLast: boolean;
}

/** Asks the worker for batch `index` of `epoch`; it answers requests in the order they came. */
export interface BuildMessage {
  /** 'build'. */
  type: 'build';
  /** The batch's epoch. */
  epoch: number;
  /** The batch's position in its epoch. */
  index: number;
}

/** A batch's inputs buffer, released by the consumer and transferred back for the worker's next batches. */
export interface BufferMessage {
  /** 'buffer'. */
  type: 'buffer';
  /** The buffer (transferred). */
  buffer: ArrayBuffer;
}

/** What a DataLoader posts to its prefetch workers. */
export type ToWorker = InitMessage | BuildMessage | BufferMessage;

/** A batch the worker built; its three arrays' buffers are transferred with it. */
export interface BatchMessage {
  /** 'batch'. */
  type: 'batch';
  /** The batch's epoch. */
  epoch: number;
  /** The batch's position in its epoch. */
  index: number;
  /** The collated inputs (a whole buffer from the worker's pool). */
  inputs: Float32Array;
  /** The inputs' shape [N, ...sample shape]. */
  shape: readonly number[];
  /** The N labels. */
  labels: Int32Array;
  /** The N dataset indices. */
  indices: Int32Array;
}

/** An error, as the worker threw it; epoch -1: the worker could not start or failed outside a batch. */
export interface ErrorMessage {
  /** 'error'. */
  type: 'error';
  /** The epoch of the batch that failed (-1: none, the worker failed). */
  epoch: number;
  /** The batch that failed (-1: none). */
  index: number;
  /** The error's name (its class: 'ArgumentError', 'TypeError'...). */
  name: string;
  /** The error's message. */
  message: string;
  /** The error's stack in the worker. */
  stack: string | undefined;
}

/** What a prefetch worker posts back. */
export type FromWorker = BatchMessage | ErrorMessage;

/**
 * The worker's end of its connection: `post` sends a message (transferring `transfer`), `listen`
 * receives the loader's messages in order. Web Workers: `self` (the default of serveDataWorker);
 * Node: the port the node entry's worker factory sets up.
 */
export interface DataWorkerEndpoint {
  /** Sends a message to the loader, transferring the buffers in `transfer`. */
  post(message: FromWorker, transfer: ArrayBuffer[]): void;
  /** Calls `receive` with each message of the loader, in order. */
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
