import { expect } from 'chai';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { ArgumentError } from '../errors.js';
import { mul } from '../ops/elementwise/arithmetic.js';
import { arange, tensor } from './creation.js';
import { formatExponential, formatFixed } from './decimal.js';
import type { DType, TypedArray } from './dtype.js';
import { type PrintOptions, formatTensorExact, getPrintOptions, setPrintOptions } from './format.js';
import { Tensor } from './tensor.js';

interface ReprCase {
  name: string;
  shape: number[];
  dtype: DType;
  requiresGrad: boolean;
  options: PrintOptions;
  torch: string;
  expected: string;
  values?: (number | 'nan' | 'inf' | '-inf')[];
  formula?: [number, number, number, number, number];
}

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/repr.json', import.meta.url), 'utf8')) as {
  numbers: [number, string, string, string, string, string][];
  cases: ReprCase[];
};

const ARRAYS: Record<DType, new (n: number) => TypedArray> = { float32: Float32Array, float64: Float64Array, int32: Int32Array };

function build(c: ReprCase): Tensor {
  const n = c.shape.reduce((a, b) => a * b, 1);
  const data = new ARRAYS[c.dtype](n);
  for (let i = 0; i < n; i++) {
    if (c.formula !== undefined) {
      const [m, mod, sub, div, scale] = c.formula;
      data[i] = ((((i * m) % mod) - sub) / div) * scale; // the script's formula, same double operations
    } else {
      const v = c.values![i]!;
      data[i] = v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v;
    }
  }
  const t = new Tensor(data, c.shape);
  return c.requiresGrad ? t.requiresGrad_() : t;
}

describe('Tensor.toString: PyTorch 1.13 repr', () => {
  afterEach(() => setPrintOptions({ profile: 'default', sciMode: null }));

  for (const c of fixtures.cases) {
    it(`${c.name}`, () => {
      const t = build(c);
      expect(t.toString(c.options), 'per-call options').to.equal(c.expected);
      setPrintOptions(c.options);
      expect(String(t), 'setPrintOptions').to.equal(c.expected);
    });
  }

  it("Python's float formatting, ties to even on the exact value", () => {
    for (const [v, fixed4, exp4, fixed0, exp0, exp2] of fixtures.numbers) {
      expect([formatFixed(v, 4), formatExponential(v, 4), formatFixed(v, 0), formatExponential(v, 0), formatExponential(v, 2)], String(v)).to.deep.equal([
        fixed4, exp4, fixed0, exp0, exp2,
      ]);
    }
  });

  it('differs from PyTorch only in the documented suffixes', () => {
    const differing = fixtures.cases.filter((c) => c.torch !== c.expected).map((c) => c.expected.replace(/\s+/g, ' '));
    for (const s of differing) expect(s).to.match(/(shape=\[[\d, ]*\]|dtype=(float64|int32)|requiresGrad=true)\)$/);
    expect(fixtures.cases.filter((c) => c.torch === c.expected).length).to.be.greaterThan(10);
  });

  it('names the op that produced a non-leaf (PyTorch: grad_fn=<MulBackward0>)', () => {
    expect(String(mul(tensor([1, 2], { requiresGrad: true }), tensor(2)))).to.equal('tensor([2., 4.], gradFn=<mul>)');
  });

  it("prints through Node's util.inspect and console.log, also nested in objects", () => {
    const t = tensor([[1, 2.5], [3, 4]], { dtype: 'float64' });
    expect(inspect(t)).to.equal(String(t));
    expect(inspect({ weight: tensor([1, 2, 3], { dtype: 'int32' }) })).to.equal('{ weight: tensor([1, 2, 3], dtype=int32) }');
  });

  it('summarises a million values (PyTorch: the same values, dtype=torch.float64 and no shape)', () => {
    expect(String(arange(0, 1e6, 1, { dtype: 'float64' }))).to.equal(
      'tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.0000e+06, 1.0000e+06,\n        1.0000e+06], shape=[1000000], dtype=float64)',
    );
  });

  it('does not throw for a tensor whose storage was released', () => {
    const t = tensor([1, 2]);
    t._releaseStorage();
    expect(String(t)).to.equal('tensor(<storage released>, shape=[2])');
  });

  it('setPrintOptions changes only the keys given; profile resets the others; getPrintOptions reads them', () => {
    setPrintOptions({ precision: 2 });
    setPrintOptions({ linewidth: 100 });
    expect(getPrintOptions()).to.deep.equal({ precision: 2, threshold: 1000, edgeitems: 3, linewidth: 100, sciMode: null });
    setPrintOptions({ profile: 'full', sciMode: true });
    expect(getPrintOptions()).to.deep.equal({ precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80, sciMode: true });
  });

  it('rejects bad print options by name', () => {
    expect(() => setPrintOptions({ sci_mode: true } as PrintOptions)).to.throw(ArgumentError, /setPrintOptions: unknown option 'sci_mode'.*did you mean 'sciMode'/);
    expect(() => setPrintOptions({ precision: -1 })).to.throw(ArgumentError, /setPrintOptions: precision must be an integer ≥ 0, got -1/);
    expect(() => setPrintOptions({ edgeitems: 1.5 })).to.throw(ArgumentError, /edgeitems must be an integer ≥ 1, got 1.5/);
    expect(() => setPrintOptions({ threshold: NaN })).to.throw(ArgumentError, /threshold must be an integer ≥ 0 or Infinity, got NaN/);
    expect(() => setPrintOptions({ profile: 'long' as 'full' })).to.throw(ArgumentError, /profile must be 'default', 'short' or 'full', got "long"/);
    expect(() => tensor([1]).toString({ sciMode: 1 as unknown as boolean })).to.throw(ArgumentError, /toString: sciMode must be true, false or null, got 1/);
    expect(getPrintOptions().precision).to.equal(4); // a rejected call changes nothing
  });
});

describe('exact tensor format (checkGrads messages, fast-check counterexamples)', () => {
  const exact = (t: Tensor): string => formatTensorExact(t.shape, t.dtype, t.data, t.requiresGrad);

  it('prints every value of a small tensor, nested, exactly enough to rebuild it', () => {
    expect(exact(tensor([[1, -2.5], [0.1, 3]], { dtype: 'float64' }))).to.equal('Tensor(shape=[2,2], dtype=float64, [[1, -2.5], [0.1, 3]])');
    expect(exact(tensor(0.1 + 0.2, { dtype: 'float64' }))).to.equal('Tensor(shape=[], dtype=float64, 0.30000000000000004)');
    // float32: the shortest decimal that reads back as the same float32, not its float64 expansion.
    expect(exact(tensor([0.3, -0, NaN, -Infinity]))).to.equal('Tensor(shape=[4], dtype=float32, [0.3, -0, NaN, -Infinity])');
    expect(exact(tensor([16777217, 1e-7]))).to.equal('Tensor(shape=[2], dtype=float32, [16777216, 1e-7])');
    expect(exact(tensor([7, -1], { dtype: 'int32' }))).to.equal('Tensor(shape=[2], dtype=int32, [7, -1])');
    expect(exact(tensor([[], []], { dtype: 'float64' }))).to.equal('Tensor(shape=[2,0], dtype=float64, [[], []])');
    expect(exact(tensor([1], { requiresGrad: true }))).to.equal('Tensor(shape=[1], dtype=float32, requiresGrad, [1])');
  });

  it('prints a large tensor by its first and last values', () => {
    const t = new Tensor(Float64Array.from({ length: 100 }, (_, i) => i / 2), [10, 10]);
    expect(exact(t)).to.equal('Tensor(shape=[10,10], dtype=float64, [0, 0.5, 1, ..., 48.5, 49, 49.5] (100 values, row-major))');
    expect(exact(arange(0, 64, 1, { dtype: 'int32' }))).to.match(/^Tensor\(shape=\[64\], dtype=int32, \[0, 1, .*, 62, 63\]\)$/);
  });

  it('is what fast-check prints for a tensor in a counterexample', () => {
    expect(fc.stringify(tensor([0.1, 2], { dtype: 'float64' }))).to.equal('Tensor(shape=[2], dtype=float64, [0.1, 2])');
  });
});
