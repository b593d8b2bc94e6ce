// The PyTorch 1.13 fixtures of hardtanh, hardsigmoid, hardswish, selu, celu, mish, softsign, gelu
// and prelu (fixtures/extra-activations.json) and the op call each unary entry replays: shared by
// extra-activations.test.ts (CPU) and the WebGPU fixture replay.
import fixtureJson from './fixtures/extra-activations.json' with { type: 'json' };
import { celu, gelu, hardsigmoid, hardswish, hardtanh, mish, selu, softsign } from '../../dispatch/activation.js';
import type { FloatDType } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';

/** A number, or 'nan' / 'inf' / '-inf' (JSON has no non-finite numbers). */
export type Stored = (number | string)[];
export interface Values { y: Stored; dx: Stored }
export interface PreluCase {
  name: string;
  dtype: FloatDType;
  shape: number[];
  weightShape: number[];
  x: Stored;
  weight: Stored;
  dy: Stored;
  y: Stored;
  dx: Stored;
  dweight: Stored;
}
export interface ExtraActivationFixture {
  x: Stored;
  dy: number[];
  x2: number[];
  dy2: number[];
  unary: Record<string, { float64: Values; float32: Values; second: Stored }>;
  prelu: PreluCase[];
}
// A JSON import, not a file read: bundled for the browser checks, no Node built-in in core's sources.
export const extraActivationFixture = fixtureJson as unknown as ExtraActivationFixture;

export const decode = (v: number | string): number => (typeof v === 'number' ? v : v === 'nan' ? NaN : v === 'inf' ? Infinity : -Infinity);

/** The call behind each entry of `fixture.unary` (the fixture script's arguments). */
export const extraActivationFns: Record<string, (x: Tensor) => Tensor> = {
  hardtanh: (x) => hardtanh(x),
  hardtanhBounds: (x) => hardtanh(x, -0.5, 2),
  hardtanhMinAboveMax: (x) => hardtanh(x, 2, -1),
  hardtanh06: (x) => hardtanh(x, 0, 6),
  hardsigmoid,
  hardswish,
  selu,
  celu: (x) => celu(x),
  'celu1.5': (x) => celu(x, 1.5),
  celuNegative: (x) => celu(x, -0.5),
  'celu0.7': (x) => celu(x, 0.7),
  mish,
  softsign,
  geluTanh: (x) => gelu(x, { approximate: 'tanh' }),
  geluNone: (x) => gelu(x, { approximate: 'none' }),
};
