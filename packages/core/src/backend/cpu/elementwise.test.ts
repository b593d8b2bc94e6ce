import { expect } from 'chai';
import fc from 'fast-check';
import { Generator } from '../../tensor/random.js';
import { Binary, Unary } from '../elementwise.js';
import { type BinaryFn, type BinaryOp, collapseDims, mapBinary, mapUnary } from './elementwise.js';
import { sumInto } from './reduce.js';

const binaryFns: [BinaryOp, BinaryFn][] = [
  [Binary.add, (p, q) => p + q],
  [Binary.sub, (p, q) => p - q],
  [Binary.mul, (p, q) => p * q],
  [Binary.div, (p, q) => p / q],
  [Binary.pow, Math.pow],
  [Binary.maximum, (p, q) => (p >= q || Number.isNaN(p) ? p : q)],
  [Binary.minimum, (p, q) => (p <= q || Number.isNaN(p) ? p : q)],
];

function filled(n: number, f32: boolean, rng: Generator): Float32Array | Float64Array {
  const data = f32 ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = rng.uniform(0.5, 2);
  return data;
}

const size = (s: readonly number[]): number => s.reduce((p, d) => p * d, 1);

/** out = f(a, b) by unravelling every output index (the definition of broadcasting). */
function referenceBinary(a: ArrayLike<number>, aShape: number[], b: ArrayLike<number>, bShape: number[], outShape: number[], f: BinaryFn): number[] {
  const at = (data: ArrayLike<number>, shape: number[], index: number[]): number => {
    let flat = 0;
    for (let d = 0; d < shape.length; d++) flat = flat * shape[d]! + (shape[d] === 1 ? 0 : index[outShape.length - shape.length + d]!);
    return data[flat]!;
  };
  const out: number[] = [];
  for (let i = 0; i < size(outShape); i++) {
    const index: number[] = [];
    for (let d = outShape.length - 1, r = i; d >= 0; d--) {
      index[d] = r % outShape[d]!;
      r = Math.floor(r / outShape[d]!);
    }
    out.push(f(at(a, aShape, index), at(b, bShape, index)));
  }
  return out;
}

function checkBinary(aShape: number[], bShape: number[], outShape: number[], f32: boolean, seed: number): void {
  const rng = new Generator(seed);
  const a = filled(size(aShape), f32, rng);
  const b = filled(size(bShape), f32, rng);
  for (const [op, f] of binaryFns) {
    const out = f32 ? new Float32Array(size(outShape)) : new Float64Array(size(outShape));
    mapBinary(a, aShape, b, bShape, out, outShape, op);
    const expected = Float64Array.from(referenceBinary(a, aShape, b, bShape, outShape, f));
    const rounded = f32 ? Float32Array.from(expected) : expected;
    expect(Array.from(out), `op ${op} a ${aShape} b ${bShape}`).to.deep.equal(Array.from(rounded));
  }
}

describe('elementwise kernels', () => {
  const patterns: [string, number[], number[], number[]][] = [
    ['same shape', [2, 3, 4, 5], [2, 3, 4, 5], [2, 3, 4, 5]],
    ['scalar right', [2, 3, 4], [], [2, 3, 4]],
    ['scalar left', [], [2, 3, 4], [2, 3, 4]],
    ['per-channel [1,C,1,1]', [3, 4, 5, 6], [1, 4, 1, 1], [3, 4, 5, 6]],
    ['per-channel [C,1,1]', [3, 4, 5, 6], [4, 1, 1], [3, 4, 5, 6]],
    ['per-channel on the left', [1, 4, 1, 1], [3, 4, 5, 6], [3, 4, 5, 6]],
    ['bias row [C] against [N,C]', [7, 5], [5], [7, 5]],
    ['column [N,1] against [N,C]', [7, 5], [7, 1], [7, 5]],
    ['outer product [N,1] and [1,C]', [7, 1], [1, 5], [7, 5]],
    ['both broadcast, rank 4', [3, 1, 5, 1], [1, 4, 1, 6], [3, 4, 5, 6]],
    ['size-1 dims kept', [1, 4, 1], [4, 1], [1, 4, 1]],
    ['rank 0', [], [], []],
  ];
  for (const f32 of [false, true]) {
    for (const [name, aShape, bShape, outShape] of patterns) {
      it(`mapBinary ${name} (${f32 ? 'float32' : 'float64'}) equals the definition for every op code`, () => {
        checkBinary(aShape, bShape, outShape, f32, 7);
      });
    }
  }

  it('mapBinary equals the definition on random broadcast shapes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 2 })), { maxLength: 5 }),
        fc.boolean(),
        fc.integer(),
        (dims, f32, seed) => {
          const outShape = dims.map(([d]) => d);
          const aShape = dims.map(([d, k]) => (k === 1 ? 1 : d));
          const bShape = dims.map(([d, k]) => (k === 2 ? 1 : d)).slice(dims.length > 0 && seed % 2 === 0 ? 1 : 0);
          checkBinary(aShape, bShape, outShape, f32, seed);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('mapBinary keeps NaN in maximum/minimum and takes a callback for other functions', () => {
    const a = new Float64Array([NaN, 1, 3]);
    const b = new Float64Array([2, NaN, 1]);
    const out = new Float64Array(3);
    mapBinary(a, [3], b, [3], out, [3], Binary.maximum);
    expect(Array.from(out)).to.deep.equal([NaN, NaN, 3]);
    mapBinary(a, [3], b, [3], out, [3], (p, q) => (p > q ? 1 : 0));
    expect(Array.from(out)).to.deep.equal([0, 0, 1]);
  });

  it('mapUnary op codes equal their functions', () => {
    const fns: [number, (v: number) => number][] = [[Unary.neg, (v) => -v], [Unary.exp, Math.exp], [Unary.log, Math.log], [Unary.sqrt, Math.sqrt], [Unary.abs, Math.abs]];
    for (const f32 of [false, true]) {
      const x = filled(17, f32, new Generator(3));
      for (const [op, f] of fns) {
        const out = f32 ? new Float32Array(17) : new Float64Array(17);
        mapUnary(x, out, op as 0);
        const expected = Array.from(x, f);
        expect(Array.from(out)).to.deep.equal(Array.from(f32 ? Float32Array.from(expected) : expected));
      }
    }
  });

  it('mapUnary: each activation and mask code equals the scalar expression it names, bit for bit (NaN, ±∞, -0 included)', () => {
    const edges = [NaN, Infinity, -Infinity, -0, 0, 6, -6, 1e-40, 100, -100, 20, -20, 3, 1.5, 0.5, -0.5, 1, -1, 7, 2.5, 40, -40, 710, -710, -3, -1e-20, 2.9, -2.9];
    const sig = (v: number): number => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
    const sp = (v: number): number => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
    const stdMax = (p: number, q: number): number => (p < q ? q : p);
    const stdMin = (p: number, q: number): number => (q < p ? q : p);
    const [beta, threshold, slope, alpha, lo, hi] = [2, 3, -0.3, 1.7, -1, 0.5];
    const cases: [number, (v: number) => number, number?, number?][] = [
      [Unary.sigmoid, sig], [Unary.tanh, Math.tanh], [Unary.silu, (v) => v * sig(v)], [Unary.logSigmoid, (v) => -sp(-v)],
      [Unary.softplus, (v) => (v * beta > threshold ? v : sp(v * beta) / beta), beta, threshold],
      [Unary.softplusLinear, (v) => (v * beta > threshold ? 1 : 0), beta, threshold],
      [Unary.softplusCurved, (v) => (v * beta > threshold ? 0 : 1), beta, threshold],
      [Unary.relu6, (v) => (v > 6 ? 6 : v >= 0 || v !== v ? v : 0)], [Unary.relu6Pass, (v) => (v > 0 && v < 6 ? 1 : 0)],
      [Unary.leakyRelu, (v) => (v > 0 ? v : slope * v), slope], [Unary.leakyReluSlope, (v) => (v > 0 ? 1 : slope), slope],
      [Unary.elu, (v) => (v > 0 ? v : alpha * Math.expm1(v)), alpha],
      [Unary.positive, (v) => (v > 0 ? 1 : 0)], [Unary.notPositive, (v) => (v > 0 ? 0 : 1)],
      [Unary.clamp, (v) => Math.min(Math.max(v, lo), hi), lo, hi], [Unary.clampPass, (v) => (v >= lo && v <= hi ? 1 : 0), lo, hi],
      // PyTorch 1.13's CPU expressions (std::max(p, q) is p < q ? q : p, std::min(p, q) is q < p ? q : p).
      [Unary.hardtanh, (v) => stdMin(stdMax(v, lo), hi), lo, hi], [Unary.hardtanh, (v) => stdMin(stdMax(v, 0), 6), 0, 6],
      [Unary.hardtanhPass, (v) => (v > lo && v < hi ? 1 : 0), lo, hi],
      [Unary.hardsigmoid, (v) => stdMin(stdMax(v + 3, 0), 6) / 6], [Unary.hardswish, (v) => (v * stdMin(stdMax(v + 3, 0), 6)) / 6],
      [Unary.selu, (v) => (v <= 0 ? (Math.exp(v * 1) - 1) * (1.6732632423543772848170429916717 * 1.0507009873554804934193349852946) : v * 1.0507009873554804934193349852946)],
      [Unary.celu, (v) => (v <= 0 ? (Math.exp(v * (1 / alpha)) - 1) * alpha : v * 1), alpha],
      [Unary.mish, (v) => v * Math.tanh(Math.log1p(Math.exp(v)))], [Unary.softsign, (v) => v / (Math.abs(v) + 1)],
      [Unary.geluTanh, (v) => 0.5 * v * (1 + Math.tanh(Math.SQRT2 * 1.12837916709551257390 * 0.5 * (v + 0.044715 * (v * v * v))))],
    ];
    for (const f32 of [false, true]) {
      const x = f32 ? Float32Array.from(edges) : Float64Array.from(edges);
      for (const [op, f, a, b] of cases) {
        const out = f32 ? new Float32Array(x.length) : new Float64Array(x.length);
        mapUnary(x, out, op as 0, a, b);
        const expected = Array.from(x, f);
        expect(Array.from(out), `code ${op}`).to.deep.equal(Array.from(f32 ? Float32Array.from(expected) : expected));
        out.forEach((v, i) => expect(Object.is(v, f32 ? Math.fround(expected[i]!) : expected[i]), `code ${op} at ${x[i]}`).to.equal(true));
      }
    }
    expect(() => mapUnary(new Float64Array(1), new Float64Array(1), 99 as 0)).to.throw(/elementwise.unary: unknown operation code 99/);
  });

  it('collapseDims merges runs that every operand walks contiguously', () => {
    // [N, C, H, W] against a per-channel operand: N·C rows... as [N, C, H·W].
    expect(collapseDims([2, 3, 4, 5], [[60, 20, 5, 1], [0, 1, 0, 0]])).to.deep.equal({ shape: [2, 3, 20], strides: [[60, 20, 1], [0, 1, 0]] });
    expect(collapseDims([2, 3, 4], [[12, 4, 1], [12, 4, 1]])).to.deep.equal({ shape: [24], strides: [[1], [1]] });
    expect(collapseDims([1, 1], [[0, 0]])).to.deep.equal({ shape: [1], strides: [[0]] });
  });

  it('sumInto equals a per-element sum over every set of dims', () => {
    const shape = [2, 3, 4, 5];
    const x = filled(size(shape), false, new Generator(5));
    for (let mask = 0; mask < 16; mask++) {
      const dims = [0, 1, 2, 3].filter((d) => (mask >> d) & 1);
      const kept = shape.map((d, i) => (dims.includes(i) ? 1 : d));
      const out = new Float64Array(size(kept));
      sumInto(x, shape, dims, out);
      const expected = new Float64Array(size(kept));
      for (let i = 0; i < x.length; i++) {
        let o = 0;
        for (let d = 0, r = i, block = size(shape); d < 4; d++) {
          block /= shape[d]!;
          const idx = Math.floor(r / block);
          r -= idx * block;
          o = o * kept[d]! + (dims.includes(d) ? 0 : idx);
        }
        expected[o]! += x[i]!;
      }
      for (let i = 0; i < out.length; i++) expect(out[i]).to.be.closeTo(expected[i]!, 1e-12, `dims ${dims}`);
    }
  });
});
