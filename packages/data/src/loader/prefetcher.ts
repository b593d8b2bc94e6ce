// The loader's side of prefetching: keeps the next `depth` batches in flight in worker threads
// (requested round-robin), hands them out in order, and owns the buffers' round trips.
//
// Ownership of a batch's inputs buffer is explicit and moves with the transfers: the worker fills
// a buffer from its own pool and transfers it here (its copy is detached); the consumer holds it
// until Batch.release(), which transfers it back to the worker that made it, and only then may
// that worker's pool hand it out again. After release the consumer's views are detached (empty),
// so a stale read finds no pixels rather than another batch's. A result nobody asked for any more
// (the consumer jumped elsewhere) goes straight back.
import { ArgumentError, Tensor } from '@tensorgrad/core';
import type { Batch } from './batch.js';
import { type FromWorker, type InitMessage, type ToWorker, errorFrom } from './prefetch-protocol.js';
import { MAX_KEY } from './seed.js';

/**
 * The main thread's end of one data worker. `fromWebWorker` makes one from a Web Worker; the node
 * entry's default (worker_threads) adds the optional synchronous methods.
 */
export interface PrefetchWorker {
  /** Posts a message to the worker, transferring the buffers in `transfer`. */
  postMessage(message: ToWorker, transfer: ArrayBuffer[]): void;
  /** Calls `listener` with each message of the worker, in order, when the event loop delivers it. */
  onMessage(listener: (message: FromWorker) => void): void;
  /** Calls `listener` if the worker fails outside a batch (cannot start, crashes, exits). */
  onError(listener: (error: Error) => void): void;
  /** Stops the worker; resolves once it has stopped. */
  terminate(): Promise<void> | void;
  /**
   * Optional: the next message not yet delivered to the listener, waiting up to `timeoutMs`
   * (blocking the thread) for one; undefined when none came or the worker has exited (it may
   * throw, saying why, when the worker cannot be waited for). With it, the
   * synchronous `loader.batch()` waits for the worker; without it (browsers), a batch that has
   * not arrived yet is built on the calling thread instead (the same bits).
   */
  takeSync?(timeoutMs: number): TakenMessage | undefined;
  /** Optional: whether the worker keeps the process alive (on only while awaiting it). */
  keepAlive?(on: boolean): void;
}

/** A message taken synchronously (PrefetchWorker.takeSync), as Node's receiveMessageOnPort returns it. */
export interface TakenMessage {
  /** The worker's message. */
  message: FromWorker;
}

/** Starts one data worker (see PrefetchWorker). */
export type PrefetchWorkerFactory = () => PrefetchWorker;

let defaultFactory: PrefetchWorkerFactory | undefined;

/** The factory `prefetch` uses when given none; the node entry sets Node's. */
export function setDefaultPrefetchWorker(factory: PrefetchWorkerFactory): void {
  defaultFactory = factory;
}

export function defaultPrefetchWorker(): PrefetchWorkerFactory | undefined {
  return defaultFactory;
}

interface Request {
  readonly epoch: number;
  readonly index: number;
  readonly worker: Worker;
  /** Nobody will take it any more: its result goes straight back. */
  stale: boolean;
}

interface Worker {
  readonly port: PrefetchWorker;
  /** Requests posted to it whose results have not been processed, oldest first (it answers in order). */
  readonly sent: Request[];
  /** Results the event loop delivered, not yet processed. */
  readonly inbox: FromWorker[];
  failure: Error | undefined;
  /** Set while the consumer awaits this worker. */
  wake: (() => void) | undefined;
  closed: boolean;
}

export class Prefetcher {
  private workers: Worker[] = [];
  /** Requests the consumer will take next, in its order. */
  private queue: Request[] = [];
  private turn = 0;
  /** Resolves when the workers stopped so far have stopped. */
  private stopping: Promise<void> = Promise.resolve();

  constructor(
    private readonly description: InitMessage,
    /** Batches per epoch. */
    private readonly length: number,
    readonly workerCount: number,
    readonly depth: number,
    private readonly factory: PrefetchWorkerFactory,
  ) {}

  /** Workers running now. */
  get running(): number {
    return this.workers.length;
  }

  /**
   * Batch (epoch, index) from the workers, waiting for it where the platform can block; undefined
   * where it cannot and the batch has not arrived (the caller builds it).
   */
  takeSync(epoch: number, index: number): Batch | undefined {
    const request = this.claim(epoch, index);
    const worker = request.worker;
    for (;;) {
      const canWait = worker.port.takeSync !== undefined;
      let message: FromWorker | undefined;
      try {
        message = worker.inbox.shift() ?? worker.port.takeSync?.(Infinity)?.message;
      } catch (error) {
        throw this.fail(error as Error);
      }
      if (message === undefined) {
        if (canWait) throw this.fail(worker.failure ?? new Error('DataLoader prefetch: a worker exited'));
        request.stale = true;
        return undefined;
      }
      const batch = this.process(worker, message);
      if (batch !== null) return batch;
    }
  }

  /** Batch (epoch, index) from the workers, awaiting it. */
  async take(epoch: number, index: number): Promise<Batch> {
    const request = this.claim(epoch, index);
    const worker = request.worker;
    for (;;) {
      const message = worker.inbox.shift() ?? worker.port.takeSync?.(0)?.message ?? (await this.arrival(worker));
      const batch = this.process(worker, message);
      if (batch !== null) return batch;
    }
  }

  /**
   * Stops the workers (a later request starts new ones); resolves once every worker stopped so
   * far, here or after an error, has stopped.
   */
  close(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    this.queue = [];
    for (const w of workers) {
      w.closed = true;
      w.failure ??= new Error('DataLoader prefetch: the workers were closed');
      w.wake?.();
    }
    this.stopping = Promise.all([this.stopping, ...workers.map((w) => w.port.terminate())]).then(() => {});
    return this.stopping;
  }

  /** The request for (epoch, index): the next one in flight, or a new one (the rest go stale); then the queue is topped up. */
  private claim(epoch: number, index: number): Request {
    let request: Request;
    const head = this.queue[0];
    if (head !== undefined && head.epoch === epoch && head.index === index) {
      request = this.queue.shift()!;
    } else {
      for (const r of this.queue) r.stale = true;
      this.queue = [];
      request = this.request(epoch, index);
    }
    let last: readonly [number, number] = [epoch, index];
    if (this.queue.length > 0) last = [this.queue.at(-1)!.epoch, this.queue.at(-1)!.index];
    while (this.queue.length < this.depth) {
      last = last[1] + 1 < this.length ? [last[0], last[1] + 1] : [last[0] + 1, 0];
      if (last[0] > MAX_KEY) break;
      this.queue.push(this.request(last[0], last[1]));
    }
    return request;
  }

  private request(epoch: number, index: number): Request {
    if (this.workers.length === 0) this.workers = Array.from({ length: this.workerCount }, () => this.start());
    const worker = this.workers[this.turn++ % this.workers.length]!;
    const request: Request = { epoch, index, worker, stale: false };
    worker.sent.push(request);
    worker.port.postMessage({ type: 'build', epoch, index }, []);
    return request;
  }

  private start(): Worker {
    const port = this.factory();
    const worker: Worker = { port, sent: [], inbox: [], failure: undefined, wake: undefined, closed: false };
    port.onMessage((message) => {
      worker.inbox.push(message);
      worker.wake?.();
    });
    port.onError((error) => {
      worker.failure ??= error;
      worker.wake?.();
    });
    port.postMessage(this.description, []);
    return worker;
  }

  /** The next delivered message of `worker` (the process is kept alive meanwhile). */
  private arrival(worker: Worker): Promise<FromWorker> {
    return new Promise((resolve, reject) => {
      worker.port.keepAlive?.(true);
      worker.wake = () => {
        const message = worker.inbox.shift();
        if (message === undefined && worker.failure === undefined) return;
        worker.wake = undefined;
        worker.port.keepAlive?.(false);
        if (message !== undefined) resolve(message);
        else reject(this.fail(worker.failure!));
      };
    });
  }

  /**
   * A result of `worker`: the batch if someone still wants it, else null (a stale result's buffer
   * goes back). A worker's error for a wanted batch, or its failure to start, ends the prefetching
   * and is thrown here.
   */
  private process(worker: Worker, message: FromWorker): Batch | null {
    if (message.type === 'error' && message.epoch === -1) throw this.fail(errorFrom(message));
    const request = worker.sent.shift();
    if (request === undefined || request.epoch !== message.epoch || request.index !== message.index) {
      throw this.fail(new ArgumentError(`DataLoader prefetch: a worker answered batch ${message.index} of epoch ${message.epoch} out of turn`));
    }
    if (request.stale) {
      if (message.type === 'batch') this.giveBack(worker, message.inputs);
      return null;
    }
    if (message.type === 'error') throw this.fail(errorFrom(message));
    const { inputs, shape, labels, indices, epoch, index } = message;
    let released = false;
    return {
      inputs: new Tensor(inputs, shape as number[]),
      labels: new Tensor(labels, [labels.length]),
      indices,
      epoch,
      index,
      release: () => {
        if (!released) this.giveBack(worker, inputs);
        released = true;
      },
    };
  }

  /** Transfers a batch's buffer back to the worker that made it (dropped if that worker is gone). */
  private giveBack(worker: Worker, inputs: Float32Array): void {
    if (worker.closed || inputs.buffer.byteLength === 0) return;
    worker.port.postMessage({ type: 'buffer', buffer: inputs.buffer as ArrayBuffer }, [inputs.buffer as ArrayBuffer]);
  }

  /** Closes the workers (not awaited) and returns the error to throw. */
  private fail(error: Error): Error {
    this.close().catch(() => {});
    return error;
  }
}
