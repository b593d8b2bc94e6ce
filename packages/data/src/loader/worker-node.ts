// DataLoader prefetch workers in Node (worker_threads); the node entry makes this the default.
// Each worker gets a MessageChannel port for its batches and a small shared counter it bumps after
// every message, so the main thread can block in Atomics.wait until a batch is posted and read it
// with receiveMessageOnPort: `loader.batch()` stays synchronous, as the Trainer calls it.
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { FromWorker } from './prefetch-protocol.js';
import type { PrefetchWorker, PrefetchWorkerFactory } from './prefetcher.js';

// A CommonJS script (eval workers are scripts): counts posts and the worker's exit in `signal`
// ([posts, exited]), loads the package entry and serves; a failure to load, or an error outside
// a batch, is posted as a fatal error (epoch -1) before the worker exits.
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const { entry, port, signal, tsx } = workerData;
const bump = () => { Atomics.add(signal, 0, 1); Atomics.notify(signal, 0); };
const post = (message, transfer) => { port.postMessage(message, transfer); bump(); };
const fatal = (error) => {
  post({ type: 'error', epoch: -1, index: -1, name: (error && error.name) || 'Error', message: 'DataLoader prefetch worker failed: ' + ((error && error.message) || String(error)), stack: error && error.stack }, []);
  process.exit(1);
};
process.on('exit', () => { Atomics.store(signal, 1, 1); bump(); });
process.on('uncaughtException', fatal);
(async () => {
  if (tsx) (await import(tsx)).register();
  const { serveDataWorker } = await import(entry);
  serveDataWorker({ post, listen: (receive) => port.on('message', receive) });
})().catch(fatal);
`;

/**
 * A factory of Node prefetch workers that load `entry` (the URL of the package's node entry) and
 * serve from it. When that entry is TypeScript source (this repository's '@tensorgrad/source'
 * condition, run under tsx), the worker registers tsx first: Node 20 does not carry the parent's
 * loader hooks into workers.
 */
export function nodePrefetchWorkers(entry: string): PrefetchWorkerFactory {
  return () => {
    const signal = new Int32Array(new SharedArrayBuffer(8));
    const { port1, port2 } = new MessageChannel();
    const tsx = entry.endsWith('.ts') ? import.meta.resolve('tsx/esm/api') : undefined;
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { entry, port: port2, signal, tsx }, transferList: [port2] });
    let stopping = false;
    // Parked, neither keeps the process alive: a loader nobody closes cannot hang it.
    const keepAlive = (on: boolean): void => {
      if (on) {
        worker.ref();
        port1.ref();
      } else {
        worker.unref();
        port1.unref();
      }
    };
    return {
      postMessage: (message, transfer) => port1.postMessage(message, transfer),
      onMessage: (listener) => {
        port1.on('message', (message: FromWorker) => listener(message));
        keepAlive(false);
      },
      onError: (listener) => {
        worker.on('error', listener);
        worker.on('exit', (code) => {
          if (!stopping) listener(new Error(`DataLoader prefetch worker exited (code ${code})`));
        });
        keepAlive(false);
      },
      terminate: async () => {
        stopping = true;
        port1.close();
        await worker.terminate();
      },
      takeSync: (timeoutMs) => {
        const deadline = performance.now() + timeoutMs;
        for (;;) {
          const seen = Atomics.load(signal, 0);
          const received = receiveMessageOnPort(port1) as { message: FromWorker } | undefined;
          if (received !== undefined) return received;
          if (Atomics.load(signal, 1) !== 0) return undefined;
          const left = deadline - performance.now();
          if (left <= 0) return undefined;
          Atomics.wait(signal, 0, seen, left === Infinity ? undefined : left);
        }
      },
      keepAlive,
    };
  };
}
