// The buffers' ownership, checked on one thread: serveDataWorker and the Prefetcher connected by a
// fake worker that records every message and transfer list (no structured clone, so identities show).
import { expect } from 'chai';
import { Generator, Tensor } from '@tensorgrad/core';
import { TensorDataset } from '../dataset.js';
import { randomHorizontalFlip } from '../transforms/flip.js';
import { DataLoader } from './data-loader.js';
import type { FromWorker, ToWorker } from './prefetch-protocol.js';
import type { PrefetchWorker } from './prefetcher.js';
import { serveDataWorker } from './serve.js';

interface Posted<M> {
  message: M;
  transfer: ArrayBuffer[];
}

/** A worker on this thread: what it posts waits in `out` until takeSync; `in` records what it was sent. */
function sameThreadWorker(): { factory: () => PrefetchWorker; sent: Posted<ToWorker>[]; posted: Posted<FromWorker>[] } {
  const sent: Posted<ToWorker>[] = [];
  const posted: Posted<FromWorker>[] = [];
  const out: FromWorker[] = [];
  let receive: ((m: ToWorker) => void) | undefined;
  serveDataWorker({
    post: (message, transfer) => {
      posted.push({ message, transfer });
      out.push(message);
    },
    listen: (r) => (receive = r),
  });
  const factory = (): PrefetchWorker => ({
    postMessage: (message, transfer) => {
      sent.push({ message, transfer });
      receive!(message);
    },
    onMessage: () => {},
    onError: () => {},
    terminate: () => {},
    takeSync: () => {
      const message = out.shift();
      return message === undefined ? undefined : { message };
    },
  });
  return { factory, sent, posted };
}

describe('prefetch buffer ownership', () => {
  const g = new Generator(3);
  const dataset = new TensorDataset(new Tensor(Float32Array.from({ length: 40 * 12 }, () => g.random()), [40, 3, 2, 2]), new Int32Array(40));
  const options = { batchSize: 8, shuffle: true, seed: 5, transform: randomHorizontalFlip() };

  it('the worker transfers each batch\'s arrays and reuses an inputs buffer only after the consumer released it', () => {
    const { factory, sent, posted } = sameThreadWorker();
    const loader = new DataLoader(dataset, options).prefetch({ depth: 2, worker: factory });
    const reference = new DataLoader(dataset, options);
    const kept = loader.batch(0, 0);
    const second = loader.batch(0, 1);
    for (const { message, transfer } of posted) {
      if (message.type !== 'batch') throw new Error(message.message);
      expect(transfer).to.have.members([message.inputs.buffer, message.labels.buffer, message.indices.buffer]);
    }
    second.release();
    second.release(); // a second release hands nothing back again
    const returned = sent.filter((s) => s.message.type === 'buffer');
    expect(returned).to.have.length(1);
    expect(returned[0]!.transfer).to.deep.equal([second.inputs.data.buffer]);
    // Batches 2 and 3 were built before the release; batch 4, the next one built, reuses that buffer; none reuses the kept one.
    const later = [2, 3, 4].map((i) => loader.batch(0, i));
    expect(later.map((b) => b.inputs.data.buffer === second.inputs.data.buffer)).to.deep.equal([false, false, true]);
    expect(later.some((b) => b.inputs.data.buffer === kept.inputs.data.buffer)).to.equal(false);
    expect(Array.from(kept.inputs.data)).to.deep.equal(Array.from(reference.batch(0, 0).inputs.data));
  });

  it('hands a result nobody wants any more straight back', () => {
    const { factory, sent } = sameThreadWorker();
    const loader = new DataLoader(dataset, options).prefetch({ depth: 2, worker: factory });
    loader.batch(0, 0); // batches 1 and 2 are requested too
    const jumped = loader.batch(1, 3); // the results of 1 and 2 go back as they are read
    loader.batch(1, 4);
    expect(sent.filter((s) => s.message.type === 'buffer')).to.have.length(2);
    expect(Array.from(jumped.inputs.data)).to.deep.equal(Array.from(new DataLoader(dataset, options).batch(1, 3).inputs.data));
  });
});
