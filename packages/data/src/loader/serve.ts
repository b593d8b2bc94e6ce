// The worker's side of prefetching: rebuilds the loader from its description (portable.ts) and
// answers each build request, in order, with the batch (its buffers transferred) or the error.
import { DataLoader, recycleBatchBuffer } from './data-loader.js';
import { rebuildDataset, rebuildTransform } from './portable.js';
import { type DataWorkerEndpoint, type ToWorker, errorMessage } from './prefetch-protocol.js';

/**
 * Serves a DataLoader's prefetch requests in this worker. A browser worker script is
 * `import { serveDataWorker } from '@tensorgrad/data'; serveDataWorker();` (it talks through
 * `self`); in Node the node entry's worker factory calls it.
 */
export function serveDataWorker(endpoint: DataWorkerEndpoint = webWorkerScope()): void {
  let loader: DataLoader<unknown> | undefined;
  let failure: unknown;
  let order: { epoch: number; indices: Int32Array } | undefined;
  endpoint.listen((message: ToWorker) => {
    if (message.type === 'init') {
      try {
        const { dataset, transform, batchSize, shuffle, seed, dropLast } = message;
        loader = new DataLoader(rebuildDataset(dataset) as never, { batchSize, shuffle, seed, dropLast, ...(transform === undefined ? {} : { transform: rebuildTransform(transform) }) });
      } catch (error) {
        failure = error; // reported with each batch asked for
      }
    } else if (message.type === 'buffer') {
      if (loader !== undefined) recycleBatchBuffer(loader, new Float32Array(message.buffer));
    } else {
      const { epoch, index } = message;
      try {
        if (loader === undefined) throw failure;
        if (order?.epoch !== epoch) order = { epoch, indices: loader.order(epoch) };
        const batch = loader.batch(epoch, index, order.indices);
        const inputs = batch.inputs.data as Float32Array;
        const labels = batch.labels.data as Int32Array;
        const { indices } = batch;
        endpoint.post({ type: 'batch', epoch, index, inputs, shape: batch.inputs.shape, labels, indices }, [inputs.buffer, labels.buffer, indices.buffer] as ArrayBuffer[]);
      } catch (error) {
        endpoint.post(errorMessage(epoch, index, error), []);
      }
    }
  });
}

/** A Web Worker's global scope as an endpoint. */
function webWorkerScope(): DataWorkerEndpoint {
  const scope = globalThis as unknown as {
    postMessage(message: unknown, transfer: Transferable[]): void;
    addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  };
  return {
    post: (message, transfer) => scope.postMessage(message, transfer),
    listen: (receive) => scope.addEventListener('message', (event) => receive(event.data as ToWorker)),
  };
}
