// The PyTorch 1.13 fixtures of l1Loss, smoothL1Loss, huberLoss, binaryCrossEntropy and klDiv
// (fixtures/pointwise.json) and the op call each case replays: shared by pointwise.test.ts (CPU)
// and the WebGPU fixture replay.
import fixtureJson from './fixtures/pointwise.json' with { type: 'json' };
import { tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { binaryCrossEntropy } from './binary-cross-entropy.js';
import { type KlDivReduction, klDiv } from './kl-div.js';
import { huberLoss, l1Loss, smoothL1Loss } from './robust.js';
import type { Reduction } from './reduction.js';

export interface Fixed {
  shape: number[];
  data: number[];
}
export interface PointwiseFixture {
  loss: 'l1Loss' | 'smoothL1Loss' | 'huberLoss' | 'binaryCrossEntropy' | 'klDiv';
  name: string;
  dtype: 'float32' | 'float64';
  options: { reduction: Reduction | 'batchmean'; beta?: number; delta?: number; logTarget?: boolean };
  input: Fixed;
  target: Fixed;
  weight: Fixed | null;
  y: Fixed;
  dy: Fixed;
  dx: Fixed;
  /** target's gradient, or null where PyTorch's is not finite (checked by hand in pointwise.test.ts). */
  dt: Fixed | null;
}

// A JSON import, not a file read: bundled for the browser checks, no Node built-in in core's sources.
export const pointwiseFixtures = fixtureJson as unknown as { cases: PointwiseFixture[] };

/** The case's loss of input x and target t; `load` makes the weight tensor (the case's dtype on the CPU by default). */
export function runPointwise(c: PointwiseFixture, x: Tensor, t: Tensor, load = (f: Fixed): Tensor => tensor(f.data, { shape: f.shape, dtype: c.dtype })): Tensor {
  const { reduction, beta, delta, logTarget } = c.options;
  switch (c.loss) {
    case 'l1Loss':
      return l1Loss(x, t, { reduction: reduction as Reduction });
    case 'smoothL1Loss':
      return smoothL1Loss(x, t, { reduction: reduction as Reduction, beta: beta! });
    case 'huberLoss':
      return huberLoss(x, t, { reduction: reduction as Reduction, delta: delta! });
    case 'binaryCrossEntropy': {
      const weight = c.weight ? load(c.weight) : null;
      return binaryCrossEntropy(x, t, { reduction: reduction as Reduction, weight });
    }
    case 'klDiv':
      return klDiv(x, t, { reduction: reduction as KlDivReduction, logTarget: logTarget! });
  }
}
