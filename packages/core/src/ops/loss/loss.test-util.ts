// The PyTorch 1.13 fixtures of crossEntropy, nllLoss, mseLoss and binaryCrossEntropyWithLogits
// (fixtures/loss.json) and the op call each case replays: shared by loss.test.ts (CPU, float64)
// and the WebGPU fixture replay.
import fixtureJson from './fixtures/loss.json' with { type: 'json' };
import { tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { crossEntropy, nllLoss } from './classification.js';
import { binaryCrossEntropyWithLogits, mseLoss } from './regression.js';
import type { Reduction } from './reduction.js';

export interface Fixed {
  shape: number[];
  data: number[];
}
export interface LossFixture {
  loss: 'crossEntropy' | 'nllLoss' | 'mseLoss' | 'binaryCrossEntropyWithLogits';
  name: string;
  reduction: Reduction;
  labelSmoothing?: number;
  input: Fixed;
  target: Fixed;
  targetIsInt: boolean;
  weight?: Fixed | null;
  posWeight?: Fixed | null;
  y: Fixed;
  dy: Fixed;
  dx: Fixed;
}

// A JSON import, not a file read: bundled for the browser checks, no Node built-in in core's sources.
export const lossFixtures = fixtureJson as unknown as { cases: LossFixture[] };

/** Makes a fixture tensor: float64 (or int32 class indices) on the CPU by default. */
export type LossLoader = (f: Fixed, dtype: 'float' | 'int32') => Tensor;
const cpuLoad: LossLoader = (f, dtype) => tensor(f.data, { shape: f.shape, dtype: dtype === 'int32' ? 'int32' : 'float64' });

/** The case's loss of input x; target, weight and posWeight made by `load`. */
export function runLoss(c: LossFixture, x: Tensor, load: LossLoader = cpuLoad): Tensor {
  const target = load(c.target, c.targetIsInt ? 'int32' : 'float');
  const loadOpt = (f: Fixed | null | undefined): Tensor | null => (f ? load(f, 'float') : null);
  const weight = loadOpt(c.weight);
  switch (c.loss) {
    case 'crossEntropy':
      return crossEntropy(x, target, { reduction: c.reduction, labelSmoothing: c.labelSmoothing!, weight });
    case 'nllLoss':
      return nllLoss(x, target, { reduction: c.reduction, weight });
    case 'mseLoss':
      return mseLoss(x, target, { reduction: c.reduction });
    case 'binaryCrossEntropyWithLogits':
      return binaryCrossEntropyWithLogits(x, target, { reduction: c.reduction, posWeight: loadOpt(c.posWeight) });
  }
}
