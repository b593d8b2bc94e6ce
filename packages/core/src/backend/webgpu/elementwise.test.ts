// The WebGPU elementwise kernels on Dawn (llvmpipe) against the CPU kernels on the same inputs:
// every unary code (edge values: ±0, ±1, large, ±∞, NaN), every binary code over an outer product
// of edge values (a broadcast), broadcasting shapes up to rank 8 and empty, int32 and mixed
// dtypes, where, relu and reluGrad. Smooth functions within GPU_TOLERANCE; masks, comparisons,
// selections, int32 results and the sign of every zero exactly.
import { expect } from 'chai';
import { DeviceError, ShapeError } from '../../errors.js';
import type { TypedArray } from '../../tensor/dtype.js';
import { cpuElementwise } from '../cpu/elementwise.js';
import { Binary, type BinaryCode, Unary, type UnaryCode } from '../elementwise.js';
import { expectNoGpuErrors, initDawnWebGPU } from './dawn.test-util.js';
import { webgpuElementwise } from './elementwise.js';
import type { GpuArray } from './gpu-array.js';
import type { WebGPURuntime } from './runtime.js';
import { GPU_TOLERANCE, describeMismatch } from './tolerance.js';

type Host = Float32Array | Int32Array;
const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Edge values and a spread of ordinary ones (float32-exact). */
const EDGES = [0, -0, 1, -1, 0.5, -0.5, 2, -2, 3, -3, 6, -6, 1e-3, -1e-3, 1e-6, -1e-6, 10, -10, 20, -20, 50, -50,
  88, -88, 89, -89, 100, -100, 1e4, -1e4, 3e38, -3e38, Infinity, -Infinity, NaN, Math.fround(0.3), 0.1, -2.5, 2.5, 1.5, -1.5, 9.5];
const SPREAD = Array.from({ length: 161 }, (_, i) => -8 + i * 0.1);
const UNARY_INPUT = Float32Array.from([...EDGES, ...SPREAD]);

/** The unary codes whose results are compared exactly (masks, selections, sign). */
const EXACT_UNARY = new Set<UnaryCode>([Unary.neg, Unary.abs, Unary.sign, Unary.softplusLinear, Unary.softplusCurved, Unary.relu6,
  Unary.relu6Pass, Unary.leakyReluSlope, Unary.positive, Unary.notPositive, Unary.clamp, Unary.clampPass, Unary.hardtanh, Unary.hardtanhPass]);

/** Parameter sets per code (codes not listed run once with a = b = 0). */
const UNARY_PARAMS: Partial<Record<UnaryCode, [number, number][]>> = {
  [Unary.softplus]: [[1, 20], [2, 10], [0.5, 3]],
  [Unary.softplusLinear]: [[1, 20], [2, 10]],
  [Unary.softplusCurved]: [[1, 20], [2, 10]],
  [Unary.leakyRelu]: [[0.01, 0], [0.2, 0]],
  [Unary.leakyReluSlope]: [[0.01, 0]],
  [Unary.elu]: [[1, 0], [0.5, 0]],
  [Unary.celu]: [[1, 0], [0.5, 0]],
  // 0.3 is not a float32: fround(0.3) (an input) lies above it, so it passes the lower bound.
  [Unary.clamp]: [[-1, 1], [-Infinity, 0.5], [0.3, Infinity], [0, 6], [2, 1], [-0, 0]],
  [Unary.clampPass]: [[-1, 1], [0.3, 2.5], [-Infinity, 0]],
  [Unary.hardtanh]: [[-1, 1], [0.1, 0.3], [2, 1]],
  [Unary.hardtanhPass]: [[-3, 3], [0.3, 1]],
};

/** Same values, and ±0 with the same sign; NaN matches NaN. */
function exactMismatch(got: ArrayLike<number>, want: ArrayLike<number>): string | null {
  if (got.length !== want.length) return `length ${got.length}, expected ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) return `element ${i} of ${want.length}: got ${got[i]}, expected ${want[i]}`;
  }
  return null;
}

/** Within tolerance, and a zero where the CPU gives a zero has its sign. */
function closeMismatch(got: ArrayLike<number>, want: ArrayLike<number>): string | null {
  const m = describeMismatch(got, want, GPU_TOLERANCE);
  if (m !== null) return m;
  for (let i = 0; i < want.length; i++) {
    if (want[i] === 0 && got[i] === 0 && !Object.is(got[i], want[i])) return `element ${i}: got ${got[i]}, expected ${want[i]}`;
  }
  return null;
}

describe('webgpu elementwise kernels (Dawn)', () => {
  let rt: WebGPURuntime;
  before(async () => {
    rt = await initDawnWebGPU();
  });

  const up = (a: Host): GpuArray => rt.upload(a);
  const outOf = (dtype: 'float32' | 'int32', n: number): [GpuArray, Host] =>
    [rt.allocate(dtype, n, false), dtype === 'float32' ? new Float32Array(n) : new Int32Array(n)];

  /** Runs `gpu` and `cpu` (same kernel, GPU and host arrays) and returns both outputs. */
  async function both(dtype: 'float32' | 'int32', n: number, gpu: (out: GpuArray) => void, cpu: (out: TypedArray) => void): Promise<[Host, Host]> {
    const [g, c] = outOf(dtype, n);
    await expectNoGpuErrors(rt, () => gpu(g));
    cpu(c);
    return [await rt.readAsync(g), c];
  }

  function context(input: ArrayLike<number>, got: ArrayLike<number>, want: ArrayLike<number>, m: string): string {
    const i = Number(/element (\d+)/.exec(m)?.[1] ?? -1);
    return i >= 0 ? `${m} (input ${input[i]}; got ${got[i]}, want ${want[i]})` : m;
  }

  it('unary: every code on float32 edge values and a spread, as the CPU kernel', async () => {
    const x = up(UNARY_INPUT);
    const failures: string[] = [];
    for (const [name, code] of Object.entries(Unary)) {
      for (const [a, b] of UNARY_PARAMS[code] ?? [[0, 0]]) {
        const [got, want] = await both('float32', UNARY_INPUT.length,
          (out) => webgpuElementwise.unary(code, x, out, a, b), (out) => cpuElementwise.unary(code, UNARY_INPUT, out, a, b));
        const m = EXACT_UNARY.has(code) ? exactMismatch(got, want) : closeMismatch(got, want);
        if (m !== null) failures.push(`${name}(${a}, ${b}): ${context(UNARY_INPUT, got, want, m)}`);
      }
    }
    expect(failures).to.deep.equal([]);
  });

  it('unary: the smooth functions stay within a few float32 ulp of float64 on [-10, 10]', async () => {
    // A finer check than GPU_TOLERANCE where the result is not tiny: relative error against the
    // CPU in float64 (the CPU float32 kernel rounds that once), at most 2^-18 (~32 ulp: the float32
    // rounding of an inner argument is amplified by the function's condition number, ~40 for
    // geluTanh's e^{2u} at x = -5). Results below 1e-8 are left out: there the CPU's own
    // 1 + tanh(u) (geluTanh) cancels in float64.
    const input = Float32Array.from({ length: 2001 }, (_, i) => -10 + i * 0.01);
    const x = up(input);
    const x64 = Float64Array.from(input);
    const worst: string[] = [];
    for (const code of [Unary.exp, Unary.log, Unary.sqrt, Unary.sigmoid, Unary.tanh, Unary.silu, Unary.logSigmoid, Unary.softplus, Unary.elu,
      Unary.erf, Unary.gelu, Unary.selu, Unary.celu, Unary.mish, Unary.softsign, Unary.geluTanh, Unary.hardsigmoid, Unary.hardswish]) {
      const [got, want] = await both('float32', input.length, (out) => webgpuElementwise.unary(code, x, out, 1, 20), () => undefined);
      const w64 = new Float64Array(input.length);
      cpuElementwise.unary(code, x64, w64, 1, 20);
      void want;
      let max = 0;
      let at = 0;
      for (let i = 0; i < input.length; i++) {
        const w = w64[i]!;
        if (!Number.isFinite(w) || Math.abs(w) < 1e-8) continue;
        const e = Math.abs(got[i]! - w) / Math.abs(w);
        if (e > max) [max, at] = [e, i];
      }
      if (max > 2 ** -18) worst.push(`${code}: max relative error ${max.toExponential(2)} at ${input[at]} (got ${got[at]}, want ${w64[at]})`);
    }
    expect(worst).to.deep.equal([]);
  });

  it('unary on int32: neg, abs, sign and clamp in int32 (wrapping as ToInt32), the masks through float32', async () => {
    const input = Int32Array.of(0, 1, -1, 5, -5, 7, 100, -100, 2147483647, -2147483648, 16777217, -16777217);
    const x = up(input);
    const failures: string[] = [];
    const cases: [UnaryCode, number, number][] = [[Unary.neg, 0, 0], [Unary.abs, 0, 0], [Unary.sign, 0, 0], [Unary.clamp, -Infinity, 5.5],
      [Unary.clamp, -3.5, 2e10], [Unary.clamp, 3e9, 4e9], [Unary.clamp, -Infinity, -3e9], [Unary.clamp, 10, 2], [Unary.clamp, NaN, 1],
      [Unary.positive, 0, 0], [Unary.notPositive, 0, 0], [Unary.clampPass, -5, 100], [Unary.relu6, 0, 0]];
    for (const [code, a, b] of cases) {
      const [got, want] = await both('int32', input.length, (out) => webgpuElementwise.unary(code, x, out, a, b), (out) => cpuElementwise.unary(code, input, out, a, b));
      const m = exactMismatch(got, want);
      if (m !== null) failures.push(`${code}(${a}, ${b}): ${context(input, got, want, m)}`);
    }
    expect(failures).to.deep.equal([]);
  });

  const BINARY_VALUES = [0, -0, 1, -1, 2, -2, 3, -3, 0.5, -0.5, 2.5, 1e-3, 7, 40, -40, 1e30, -1e30, 3e38, Infinity, -Infinity, NaN];

  it('binary: every code over the outer product of edge values ([n, 1] against [1, n])', async () => {
    const n = BINARY_VALUES.length;
    const av = Float32Array.from(BINARY_VALUES);
    const a = up(av);
    const failures: string[] = [];
    for (const [name, code] of Object.entries(Binary)) {
      const [got, want] = await both('float32', n * n,
        (out) => webgpuElementwise.binary(code, a, [n, 1], a, [1, n], out, [n, n]),
        (out) => cpuElementwise.binary(code, av, [n, 1], av, [1, n], out, [n, n]));
      const exact = code >= Binary.maximum;
      const m = exact ? exactMismatch(got, want) : closeMismatch(got, want);
      if (m !== null) {
        const i = Number(/element (\d+)/.exec(m)?.[1] ?? 0);
        failures.push(`${name}: ${m} (a ${av[Math.floor(i / n)]}, b ${av[i % n]})`);
      }
    }
    expect(failures).to.deep.equal([]);
  });

  it('binary: broadcasting scalars, rows, columns, rank 4 with 1s, rank 8 and empty tensors', async () => {
    const cases: [number[], number[]][] = [
      [[], [2, 3]], [[2, 3], []], [[3], [2, 3]], [[2, 1], [2, 3]], [[2, 1, 3, 1], [1, 4, 1, 5]], [[1, 3, 1, 1], [2, 3, 4, 5]],
      [[2, 1, 2, 1, 2, 1, 2, 1], [1, 2, 1, 2, 1, 2, 1, 2]], [[1, 1, 1], [1]], [[0, 3], [3]], [[2, 0], [1, 1]], [[4, 5], [4, 5]],
    ];
    const failures: string[] = [];
    for (const [aShape, bShape] of cases) {
      const rank = Math.max(aShape.length, bShape.length);
      const pad = (s: number[]): number[] => [...new Array<number>(rank - s.length).fill(1), ...s];
      const outShape = pad(aShape).map((d, i) => (d === 1 ? pad(bShape)[i]! : d));
      const av = Float32Array.from({ length: sizeOf(aShape) }, (_, i) => i * 0.5 - 3);
      const bv = Float32Array.from({ length: sizeOf(bShape) }, (_, i) => 10 - i * 0.25);
      for (const code of [Binary.sub, Binary.less] as BinaryCode[]) {
        const [got, want] = await both('float32', sizeOf(outShape),
          (out) => webgpuElementwise.binary(code, up(av), aShape, up(bv), bShape, out, outShape),
          (out) => cpuElementwise.binary(code, av, aShape, bv, bShape, out, outShape));
        const m = exactMismatch(got, want);
        if (m !== null) failures.push(`${code} [${aShape.join(',')}] ⊕ [${bShape.join(',')}]: ${m}`);
      }
    }
    expect(failures).to.deep.equal([]);
  });

  it('binary on int32: wrapping add/sub/mul, truncating div, pow by squaring, comparisons, as the CPU', async () => {
    const values = [0, 1, -1, 2, -2, 3, -3, 7, -7, 31, 33, 46341, -46341, 65536, 2147483647, -2147483648];
    const n = values.length;
    const av = Int32Array.from(values);
    const a = up(av);
    const failures: string[] = [];
    for (const [name, code] of Object.entries(Binary)) {
      if (code === Binary.pow) continue;
      const [got, want] = await both('int32', n * n,
        (out) => webgpuElementwise.binary(code, a, [n, 1], a, [1, n], out, [n, n]),
        (out) => cpuElementwise.binary(code, av, [n, 1], av, [1, n], out, [n, n]));
      const m = exactMismatch(got, want);
      // mul: products above 2^53 are rounded in float64 by the CPU before ToInt32 (documented).
      const tooBig = (i: number): boolean => code === Binary.mul && Math.abs(av[Math.floor(i / n)]! * av[i % n]!) > 2 ** 53;
      const i = Number(/element (\d+)/.exec(m ?? '')?.[1] ?? -1);
      if (m !== null && !tooBig(i)) failures.push(`${name}: ${m} (a ${av[Math.floor(i / n)]}, b ${av[i % n]})`);
    }
    // pow: bases -3..3 and 65536, exponents -3..33 (results below 2^53 before wrapping: exact on the CPU).
    const base = Int32Array.of(-3, -2, -1, 0, 1, 2, 3, 65536);
    const exps = Int32Array.from({ length: 37 }, (_, i) => i - 3);
    const [got, want] = await both('int32', base.length * exps.length,
      (out) => webgpuElementwise.binary(Binary.pow, up(base), [base.length, 1], up(exps), [exps.length], out, [base.length, exps.length]),
      (out) => cpuElementwise.binary(Binary.pow, base, [base.length, 1], exps, [exps.length], out, [base.length, exps.length]));
    for (let i = 0; i < got.length; i++) {
      const b = base[Math.floor(i / exps.length)]!;
      const e = exps[i % exps.length]!;
      if (Math.abs(b) ** e > 2 ** 53) continue;
      if (got[i] !== want[i]) failures.push(`pow(${b}, ${e}): got ${got[i]}, want ${want[i]}`);
    }
    expect(failures).to.deep.equal([]);
  });

  it('binary on mixed int32 and float32: exact comparisons and max/min, arithmetic in float32, results as the CPU', async () => {
    const iv = Int32Array.of(0, 1, -1, 3, 16777217, -16777217, 2147483647, -2147483648);
    const fv = Float32Array.of(0, -0, 1, -1, 2.5, 16777216, -16777216, 2147483648, -2147483648, Infinity, -Infinity, NaN, 3);
    const failures: string[] = [];
    for (const [name, code] of Object.entries(Binary)) {
      for (const [av, bv] of [[iv, fv], [fv, iv]] as [Host, Host][]) {
        const [got, want] = await both('float32', av.length * bv.length,
          (out) => webgpuElementwise.binary(code, up(av), [av.length, 1], up(bv), [bv.length], out, [av.length, bv.length]),
          (out) => cpuElementwise.binary(code, av, [av.length, 1], bv, [bv.length], out, [av.length, bv.length]));
        const m = code >= Binary.maximum ? exactMismatch(got, want) : closeMismatch(got, want);
        if (m !== null) failures.push(`${name} ${av.constructor.name} ⊕ ${bv.constructor.name}: ${m}`);
      }
    }
    // Float results stored into int32 (ToInt32: NaN, ±∞ -> 0, truncation, modulo 2^32).
    const floats = Float32Array.of(1.5, -1.5, 0.99, -0.99, 3e9, -3e9, 2 ** 40 + 2 ** 20, -(2 ** 33) - 2 ** 10, Infinity, -Infinity, NaN, 2147483648, -2147483648);
    const zero = Float32Array.of(0);
    const [got, want] = await both('int32', floats.length,
      (out) => webgpuElementwise.binary(Binary.add, up(floats), [floats.length], up(zero), [], out, [floats.length]),
      (out) => cpuElementwise.binary(Binary.add, floats, [floats.length], zero, [], out, [floats.length]));
    const m = exactMismatch(got, want);
    if (m !== null) failures.push(`add float32 -> int32: ${m}`);
    expect(failures).to.deep.equal([]);
  });

  it('where: float32 and int32 conditions (0, -0 and NaN select b), broadcasting all three, mixed dtypes', async () => {
    const condF = Float32Array.of(0, -0, NaN, 1, -2, Infinity);
    const condI = Int32Array.of(0, 1, -1, 0, 5, 0);
    const av = Float32Array.of(10, 20, 30);
    const bi = Int32Array.of(-7);
    const bf = Float32Array.of(-0.5, 0.25);
    const failures: string[] = [];
    const cases: [Host, number[], Host, number[], Host, number[], number[]][] = [
      [condF, [6, 1], av, [1, 3], bf, [2, 1, 1], [2, 6, 3]],
      [condI, [6, 1, 1], av, [3], bi, [], [6, 1, 3]],
      [condF, [6], bi, [1], av, [1], [6]],
      [condI, [2, 3], condF, [2, 3], bf, [2, 1], [2, 3]],
      [condF, [0, 6], av, [1], bf, [1], [0, 6]],
    ];
    for (const [c, cs, a, as, b, bs, os] of cases) {
      for (const dtype of ['float32', 'int32'] as const) {
        if (dtype === 'int32' && (a instanceof Float32Array || b instanceof Float32Array)) continue;
        const [got, want] = await both(dtype, sizeOf(os),
          (out) => webgpuElementwise.where(up(c), cs, up(a), as, up(b), bs, out, os),
          (out) => cpuElementwise.where(c, cs, a, as, b, bs, out, os));
        const m = exactMismatch(got, want);
        if (m !== null) failures.push(`where [${cs.join(',')}] [${as.join(',')}] [${bs.join(',')}] -> ${dtype}: ${m}`);
      }
    }
    expect(failures).to.deep.equal([]);
  });

  it('relu and reluGrad: -0 -> 0, NaN kept, -∞ -> 0; g for x > 0, g·0 (signed) or 0 for infinite g', async () => {
    const xv = Float32Array.of(1, -1, 0, -0, 2.5, -3, Infinity, -Infinity, NaN, 1e-30, -1e-30, 5, -5, 7, -7);
    const gv = Float32Array.of(2, -2, 3, -3, Infinity, -Infinity, NaN, 1, -1, NaN, Infinity, -Infinity, -0, 0.5, -0.5);
    const x = up(xv);
    const [r, rw] = await both('float32', xv.length, (out) => webgpuElementwise.relu(x, out), (out) => cpuElementwise.relu(xv, out));
    expect(exactMismatch(r, rw)).to.equal(null);
    const [g, gw] = await both('float32', xv.length, (out) => webgpuElementwise.reluGrad(up(gv), x, out), (out) => cpuElementwise.reluGrad(gv, xv, out));
    expect(exactMismatch(g, gw)).to.equal(null);
    const xi = Int32Array.of(3, -3, 0, 2147483647, -2147483648);
    const [ri, riw] = await both('int32', xi.length, (out) => webgpuElementwise.relu(up(xi), out), (out) => cpuElementwise.relu(xi, out));
    expect(exactMismatch(ri, riw)).to.equal(null);
  });

  it('refuses a broadcast of rank 9 after merging dims (ShapeError) and CPU arrays (DeviceError)', () => {
    const a = up(new Float32Array(16));
    const out = rt.allocate('float32', 512, false);
    const aShape = [2, 1, 2, 1, 2, 1, 2, 1, 2];
    const bShape = [1, 2, 1, 2, 1, 2, 1, 2, 1];
    expect(() => webgpuElementwise.binary(Binary.add, a, aShape, a, bShape, out, new Array<number>(9).fill(2)))
      .to.throw(ShapeError, /up to rank 8 after merging dims, got shape \[2,2,2,2,2,2,2,2,2\]/);
    expect(() => webgpuElementwise.unary(Unary.exp, new Float32Array(4), out)).to.throw(DeviceError, /^elementwise\.unary: .*CPU Float32Array as x/);
  });

  it('writes nothing and dispatches nothing for empty arrays', async () => {
    const empty = rt.allocate('float32', 0, false);
    await expectNoGpuErrors(rt, () => {
      webgpuElementwise.unary(Unary.exp, empty, empty);
      webgpuElementwise.relu(empty, empty);
      webgpuElementwise.reluGrad(empty, empty, empty);
    });
    expect(await rt.readAsync(empty)).to.deep.equal(new Float32Array(0));
  });
});
