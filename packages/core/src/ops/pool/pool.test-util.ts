// The PyTorch 1.13 pooling fixtures (fixtures/pool.json) and the op call each case replays: shared
// by pool.test.ts (CPU, float64) and the WebGPU fixture replay.
import fixtureJson from './fixtures/pool.json' with { type: 'json' };
import type { Tensor } from '../../tensor/tensor.js';
import { type AvgPool2dOptions, adaptiveAvgPool2d, avgPool2d } from './avg-pool.js';
import { type MaxPool2dOptions, adaptiveMaxPool2d, maxPool2d } from './max-pool.js';

export interface Fixed {
  shape: number[];
  data: number[];
}
export interface PoolFixture {
  name: 'maxPool2d' | 'avgPool2d' | 'adaptiveAvgPool2d' | 'adaptiveMaxPool2d';
  args: Record<string, unknown>;
  x: Fixed;
  y: Fixed;
  dy: Fixed;
  dx: Fixed;
  indices?: Fixed;
}

// A JSON import, not a file read: bundled for the browser checks, no Node built-in in core's sources.
export const poolFixtures = fixtureJson as unknown as { cases: PoolFixture[] };

/** The case's pool of x, and its indices for the max pools (null for the average pools). */
export function runPool(c: PoolFixture, x: Tensor): [Tensor, Tensor | null] {
  const a = c.args as unknown as MaxPool2dOptions & AvgPool2dOptions & { outputSize: number | [number, number] };
  switch (c.name) {
    case 'maxPool2d':
      return maxPool2d(x, { ...a, returnIndices: true });
    case 'adaptiveMaxPool2d':
      return adaptiveMaxPool2d(x, a.outputSize, { returnIndices: true });
    case 'avgPool2d':
      return [avgPool2d(x, a), null];
    case 'adaptiveAvgPool2d':
      return [adaptiveAvgPool2d(x, a.outputSize), null];
  }
}
