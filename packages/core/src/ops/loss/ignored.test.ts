// crossEntropy when every target equals ignoreIndex, against PyTorch 1.13
// (fixtures/make_ignored_fixtures.py): 'mean' is 0/0 = NaN, 'sum' and 'none' are 0, and the
// logits' gradient is 0 everywhere, also with label smoothing and class weights (it was NaN).
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { crossEntropy } from './classification.js';
import type { Reduction } from './reduction.js';

interface Stored { shape: number[]; data: (number | string)[] }
interface IgnoredCase {
  name: string;
  reduction: Reduction;
  labelSmoothing: number;
  ignoreIndex: number;
  input: Stored;
  target: Stored;
  weight: Stored | null;
  y: Stored;
  dy: Stored;
  dx: Stored;
}
const fixtures = JSON.parse(readFileSync(new URL('./fixtures/ignored.json', import.meta.url), 'utf8')) as { cases: IgnoredCase[] };

const decode = (v: number | string): number => (typeof v === 'number' ? v : v === 'nan' ? NaN : v === 'inf' ? Infinity : -Infinity);
const make = (s: Stored, dtype: 'float64' | 'int32' = 'float64'): Tensor => tensor(s.data.map(decode), { dtype, shape: s.shape });

describe('crossEntropy with every target ignored matches PyTorch 1.13', () => {
  for (const c of fixtures.cases) {
    const weighted = c.weight === null ? '' : ', class weights';
    it(`${c.name}, ${c.reduction}, labelSmoothing ${c.labelSmoothing}${weighted}`, () => {
      const x = make(c.input).requiresGrad_();
      const y = crossEntropy(x, make(c.target, 'int32'), {
        reduction: c.reduction, labelSmoothing: c.labelSmoothing, ignoreIndex: c.ignoreIndex, weight: c.weight === null ? null : make(c.weight),
      });
      expect(y.shape).to.deep.equal(c.y.shape);
      const want = c.y.data.map(decode);
      Array.from(y.data).forEach((v, i) => expect(Number.isNaN(v) ? 'NaN' : v, `y[${i}]`).to.equal(Number.isNaN(want[i]!) ? 'NaN' : want[i]));
      y.backward(make(c.dy));
      expect(x.grad!.shape).to.deep.equal(c.dx.shape);
      // v + 0 turns -0 into 0 (deep equality tells them apart; PyTorch's zeros are +0).
      expect(Array.from(x.grad!.data, (v) => v + 0)).to.deep.equal(c.dx.data.map(decode));
    });
  }
});
