// DataLoader prefetch workers in Node (worker_threads); the node entry makes this the default.
// Each worker gets a MessageChannel port for its batches and a small shared counter it bumps after
// every message, so the main thread can block in Atomics.wait until a batch is posted and read it
// with receiveMessageOnPort: `loader.batch()` stays synchronous, as the Trainer calls it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { FromWorker } from './prefetch-protocol.js';
import type { PrefetchWorker, PrefetchWorkerFactory } from './prefetcher.js';

// The worker's script, valid whether the eval is a script or a module (flags such as
// --input-type=module are inherited): it marks `signal` [posts, state: 0 starting, 1 running,
// 2 exited], bumps the post count after every message, loads the package entry and serves. A
// failure to load, or an error outside a batch, is posted as a fatal error (epoch -1) before the
// worker exits.
const BOOTSTRAP = `
import('node:worker_threads').then(async ({ workerData }) => {
  const { entry, port, signal, tsx } = workerData;
  const bump = () => { Atomics.add(signal, 0, 1); Atomics.notify(signal, 0); };
  const post = (message, transfer) => { port.postMessage(message, transfer); bump(); };
  const fatal = (error) => {
    post({ type: 'error', epoch: -1, index: -1, name: (error && error.name) || 'Error', message: 'DataLoader prefetch worker failed: ' + ((error && error.message) || String(error)), stack: error && error.stack }, []);
    process.exit(1);
  };
  process.on('exit', () => { Atomics.store(signal, 1, 2); bump(); });
  process.on('uncaughtException', fatal);
  Atomics.store(signal, 1, 1);
  try {
    if (tsx) (await import(tsx)).register();
    const { serveDataWorker } = await import(entry);
    serveDataWorker({ post, listen: (receive) => port.on('message', receive) });
  } catch (error) {
    fatal(error);
  }
});
`;

/** A worker that has not run its first line after this long is reported instead of awaited forever. */
const START_LIMIT_MS = 60_000;

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
    const tsx = entry.endsWith('.ts') ? tsxApi(entry) : undefined;
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { entry, port: port2, signal, tsx }, transferList: [port2] });
    const started = performance.now();
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
          const state = Atomics.load(signal, 1);
          if (state === 2) return undefined;
          if (state === 0 && performance.now() - started > START_LIMIT_MS) {
            throw new Error(`DataLoader prefetch worker did not start in ${START_LIMIT_MS / 1000} s`);
          }
          const left = Math.min(deadline - performance.now(), state === 0 ? 1000 : Infinity);
          if (left <= 0) return undefined;
          Atomics.wait(signal, 0, seen, left === Infinity ? undefined : left);
        }
      },
      keepAlive,
    };
  };
}

/** The URL of tsx's ESM API module (its exports map's import entry), as resolved from `entry`. */
function tsxApi(entry: string): string {
  const manifest = createRequire(entry).resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return new URL(exports['./esm/api']!.import.default, pathToFileURL(manifest)).href;
}
