// The PyTorch 1.13 activation fixtures (fixtures/activation.json) and the op call each one
// replays: shared by activation.test.ts (CPU, float64) and the WebGPU fixture replay.
import fixtureJson from './fixtures/activation.json' with { type: 'json' };
import type { Tensor } from '../../tensor/tensor.js';
import { gelu } from './gelu.js';
import { elu, leakyRelu, relu6 } from './piecewise.js';
import { logSigmoid, sigmoid, silu, softplus, tanh } from './smooth.js';

export interface ActivationFixture {
  x: number[];
  fns: Record<string, { y: number[]; dx: number[] }>;
  softmax: { x: number[][]; softmax: number[][]; logSoftmax: number[][]; softmax0: number[][] };
}
// A JSON import, not a file read: bundled for the browser checks, no Node built-in in core's sources.
export const activationFixture = fixtureJson as unknown as ActivationFixture;

/** The call behind each entry of `fixture.fns` (the fixture script's arguments). */
export const activationFns: Record<string, (x: Tensor) => Tensor> = {
  relu6,
  leakyRelu: (x) => leakyRelu(x, 0.2),
  elu: (x) => elu(x, 1.5),
  gelu,
  silu,
  sigmoid,
  logSigmoid,
  tanh,
  softplus: (x) => softplus(x),
  softplusBeta: (x) => softplus(x, 2, 10),
};
