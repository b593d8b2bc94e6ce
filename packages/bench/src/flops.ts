// FLOPs of one training step: the conv and linear layers' multiply-adds, counted as direct
// convolution (2 FLOPs per multiply-add, as the conv cases count them) for the forward, the weight
// gradient and the input gradient (none for the first layer: the input needs no gradient).
// Batch norm, pooling, activations, the loss and the optimizer are not counted: they are the
// step's non-GEMM work, which the "fraction of the GEMM rate" measure charges to the step.
import type { ModelCase, ModelName } from './cases.js';

/** A layer by its multiply-adds per image. */
interface Layer { name: string; macs: number }

const conv = (name: string, cin: number, cout: number, k: number, ho: number, wo: number): Layer => ({ name, macs: cout * ho * wo * cin * k * k });
const linear = (name: string, fin: number, fout: number): Layer => ({ name, macs: fin * fout });

function resnet20Layers(): Layer[] {
  const layers = [conv('conv', 3, 16, 3, 32, 32)];
  let cin = 16, size = 32;
  for (const [cout, stride] of [[16, 1], [32, 2], [64, 2]] as const) {
    for (let b = 0; b < 3; b++) {
      if (b === 0) size /= stride;
      layers.push(conv(`block${cout}.${b}.c1`, cin, cout, 3, size, size), conv(`block${cout}.${b}.c2`, cout, cout, 3, size, size));
      cin = cout;
    }
  }
  return [...layers, linear('fc', 64, 10)];
}

/** Layers in forward order (the first one gets no input gradient). */
const LAYERS: Record<ModelName, () => Layer[]> = {
  'fmnist-cnn': () => [conv('conv1', 1, 32, 3, 28, 28), conv('conv2', 32, 64, 3, 14, 14), conv('conv3', 64, 128, 3, 7, 7), linear('fc', 128 * 9, 10)],
  'lenet5': () => [conv('conv1', 1, 6, 5, 28, 28), conv('conv2', 6, 16, 5, 10, 10), linear('fc1', 400, 120), linear('fc2', 120, 84), linear('fc3', 84, 10)],
  'resnet20': resnet20Layers,
};

export interface StepFlops {
  forward: number;
  backward: number;
  total: number;
}

export function stepFlops(m: ModelCase): StepFlops {
  const layers = LAYERS[m.name]();
  const fwd = layers.reduce((s, l) => s + 2 * m.batch * l.macs, 0);
  const dx = fwd - 2 * m.batch * layers[0]!.macs;
  return { forward: fwd, backward: fwd + dx, total: 2 * fwd + dx };
}
