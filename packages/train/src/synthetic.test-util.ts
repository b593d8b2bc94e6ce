// The trainer tests' problem: a tiny synthetic classification (the class is which of 3 features
// is largest), a small MLP with dropout, Adam and a cosine schedule, and a fingerprint of a run.
import { Generator, crossEntropy, randn } from '@tensorgrad/core';
import { DataLoader, TensorDataset } from '@tensorgrad/data';
import { Adam, CosineAnnealingLR, Dropout, Linear, ReLU, Sequential, accuracy } from '@tensorgrad/nn';
import type { FitResult } from './records.js';
import type { FitOptions } from './trainer.js';

export function dataset(n: number, seed: number): TensorDataset {
  const x = randn([n, 4], { generator: new Generator(seed) });
  const labels = Array.from({ length: n }, (_, i) => {
    const row = Array.from(x.data.subarray(4 * i, 4 * i + 3));
    return row.indexOf(Math.max(...row));
  });
  return new TensorDataset(x, labels);
}

/** A fresh model and options; `init` seeds the weights (a resume must overwrite them). */
export function setup(extra: Partial<FitOptions> = {}, { init = 1, lr = 0.03, batchSize = 16 } = {}) {
  const dropoutRng = new Generator(99);
  const model = new Sequential(new Linear(4, 16, { generator: new Generator(init) }), new ReLU(), new Dropout(0.2, { generator: dropoutRng }), new Linear(16, 3, { generator: new Generator(init + 1) }));
  const train = new DataLoader(dataset(96, 5), { batchSize, shuffle: true, seed: 3 });
  const optimizer = new Adam(model.parameters(), { lr });
  const options: FitOptions = {
    train, validation: new DataLoader(dataset(64, 6), { batchSize: 32 }), optimizer, epochs: 3, loss: (y, t) => crossEntropy(y, t),
    metrics: { accuracy }, generators: [dropoutRng],
    scheduler: { scheduler: new CosineAnnealingLR(optimizer, 3 * train.length), interval: 'step' }, ...extra,
  };
  return { model, options, dropoutRng };
}

/** Everything of a run that must repeat: weights, optimizer moments, generator, records without timings. */
export function fingerprint(model: Sequential, dropoutRng: Generator, result: FitResult): unknown {
  const untimed = result.history.map(({ seconds: _s, samplesPerSecond: _r, ...rest }) => rest);
  const tensors = [...model.stateDict()].map(([k, t]) => [k, Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('hex')]);
  return { tensors, rng: dropoutRng.getState(), untimed, validations: result.validations, steps: result.steps, stepsDone: result.stepsDone };
}
