// F.pad in every mode and strided slices against PyTorch 1.13 (fixtures/make_pad_slice_fixtures.py):
// values and the gradient of ⟨y, dy⟩ with respect to x.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { type PadMode, mul, pad, slice, sum, tensor } from '../../index.js';
import type { Tensor } from '../../tensor/tensor.js';

interface Fixed {
  shape: number[];
  data: number[];
}
interface Case {
  x: Fixed;
  y: Fixed;
  dy: Fixed;
  dx: Fixed;
}
interface PadCase extends Case {
  mode: PadMode;
  pads: number[];
}
interface SliceCase extends Case {
  dim: number;
  start: number | null;
  end: number | null;
  step: number;
}

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/pad_slice.json', import.meta.url), 'utf8')) as { pads: PadCase[]; slices: SliceCase[] };
const load = (f: Fixed, requiresGrad = false): Tensor => tensor(f.data, { shape: f.shape, dtype: 'float64', requiresGrad });

function expectClose(actual: Tensor, expected: Fixed): void {
  expect(actual.shape).to.deep.equal(expected.shape);
  actual.data.forEach((v, i) => {
    if (!(Math.abs(v - expected.data[i]!) <= 1e-12 * (1 + Math.abs(expected.data[i]!)))) expect.fail(`element ${i}: ${v} vs PyTorch ${expected.data[i]}`);
  });
}

function check(c: Case, f: (x: Tensor) => Tensor): void {
  const x = load(c.x, true);
  const y = f(x);
  expectClose(y, c.y);
  sum(mul(y, load(c.dy))).backward();
  expectClose(x.grad!, c.dx);
}

describe('pad and strided slice match PyTorch 1.13', () => {
  for (const c of fixtures.pads) {
    it(`pad ${c.mode} [${c.pads.join(',')}] on ${JSON.stringify(c.x.shape)}: values and input gradient`, () => check(c, (x) => pad(x, c.pads, c.mode)));
  }
  for (const c of fixtures.slices) {
    it(`x[${c.start ?? ''}:${c.end ?? ''}:${c.step}] along dim ${c.dim} of ${JSON.stringify(c.x.shape)}: values and input gradient`, () =>
      check(c, (x) => slice(x, c.dim, c.start ?? undefined, c.end ?? undefined, c.step)));
  }
});
