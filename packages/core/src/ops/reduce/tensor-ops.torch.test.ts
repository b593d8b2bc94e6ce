// clamp with tensor bounds, logsumexp, variance / std, argmax / argmin, topk and oneHot against
// PyTorch 1.13 (fixtures/make_tensor_ops_fixtures.py): values, gradients of ⟨y, dy⟩ with respect to
// every differentiable input, and second order (d/dx ⟨dx, v⟩) where PyTorch's is finite.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import * as tg from '../../index.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { DType } from '../../tensor/dtype.js';

type Num = number | 'nan' | 'inf' | '-inf' | '-0';
interface Fixed {
  shape: number[];
  dtype: DType;
  data: Num[];
}
interface ClampCase { name: string; x: Fixed; min: Fixed | null; max: Fixed | null; y: Fixed; dy: Fixed; dx: Fixed; dmin: Fixed | null; dmax: Fixed | null }
interface SecondOrder { v?: Fixed; ddx?: Fixed }
interface LseCase extends SecondOrder { name: string; dim: number | number[]; keepdim: boolean; x: Fixed; y: Fixed; dy: Fixed; dx: Fixed }
interface VarCase extends SecondOrder {
  fn: 'var' | 'std'; name: string; dim: number | number[] | null;
  options: { correction?: number; unbiased?: boolean; keepdim?: boolean }; x: Fixed; y: Fixed; dy: Fixed; dx: Fixed;
}
interface ArgCase { fn: 'argmax' | 'argmin'; dim: number | null; keepdim: boolean; x: Fixed; y: Fixed }
interface TopkCase {
  name: string; k: number; options: { dim?: number; largest?: boolean; sorted?: boolean }; tied: boolean;
  x: Fixed; values: Fixed; indices: Fixed; dy?: Fixed; dx?: Fixed;
}
interface OneHotCase { indices: Fixed; numClasses: number; y: Fixed }

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/tensor_ops.json', import.meta.url), 'utf8')) as {
  clamp: ClampCase[]; logsumexp: LseCase[]; variance: VarCase[]; arg: ArgCase[]; topk: TopkCase[]; oneHot: OneHotCase[];
};

const decode = (v: Num): number => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === '-0' ? -0 : v);
const load = (f: Fixed, requiresGrad = false): Tensor => tg.tensor(f.data.map(decode), { shape: f.shape, dtype: f.dtype, requiresGrad });

/** Equal shape and dtype; values within rtol (1e-12 in float64, 1e-6 in float32), NaN and ±∞ exactly, and the sign of a zero. */
function expectClose(actual: Tensor | null, expected: Fixed, what: string): void {
  expect(actual, what).to.not.equal(null);
  expect(actual!.shape, `${what} shape`).to.deep.equal(expected.shape);
  expect(actual!.dtype, `${what} dtype`).to.equal(expected.dtype);
  const rtol = expected.dtype === 'float32' ? 1e-6 : 1e-12;
  actual!.data.forEach((v, i) => {
    const e = decode(expected.data[i]!);
    const ok = Number.isNaN(e) ? Number.isNaN(v) : !Number.isFinite(e) || e === 0 ? Object.is(v, e) || (e === 0 && v === 0 && expected.dtype !== 'float64') : Math.abs(v - e) <= rtol * (1 + Math.abs(e));
    if (!ok) expect.fail(`${what}, element ${i}: ${Object.is(v, -0) ? '-0' : v} vs PyTorch ${expected.data[i]}`);
  });
}

/** Gradients of ⟨f(x), dy⟩ with respect to `inputs` (null where an input has none). */
function gradsOf(f: () => Tensor, inputs: (Tensor | null)[], dy: Tensor): Tensor {
  const y = f();
  tg.sum(tg.mul(y, dy)).backward();
  for (const x of inputs) if (x !== null) expect(x.grad, 'gradient').to.not.equal(null);
  return y;
}

/** d/dx ⟨dL/dx, v⟩ for L = ⟨f(x), dy⟩ (grad nests: the inner gradient is itself differentiable). */
function secondOrder(f: (x: Tensor) => Tensor, x: Tensor, dy: Tensor, v: Tensor): Tensor {
  const dx = (z: Tensor): Tensor => tg.grad((w: Tensor) => tg.sum(tg.mul(f(w), dy)))(z);
  return tg.grad((z: Tensor) => tg.sum(tg.mul(dx(z), v)))(x);
}

function checkSecondOrder(c: SecondOrder & { x: Fixed; dy: Fixed }, f: (x: Tensor) => Tensor): void {
  if (c.v === undefined || c.ddx === undefined) return;
  expectClose(secondOrder(f, load(c.x), load(c.dy), load(c.v)), c.ddx, 'second order');
}

describe('tensor ops match PyTorch 1.13', () => {
  describe('clamp with tensor bounds', () => {
    for (const c of fixtures.clamp) {
      it(`${c.name}: values and gradients in x, min and max`, () => {
        const x = load(c.x, true);
        const lo = c.min === null ? null : load(c.min, true);
        const hi = c.max === null ? null : load(c.max, true);
        const y = gradsOf(() => tg.clamp(x, lo, hi), [x, lo, hi], load(c.dy));
        expectClose(y, c.y, 'y');
        expectClose(x.grad, c.dx, 'dx');
        if (lo !== null) expectClose(lo.grad, c.dmin!, 'dmin');
        if (hi !== null) expectClose(hi.grad, c.dmax!, 'dmax');
      });
    }
  });

  describe('logsumexp', () => {
    for (const c of fixtures.logsumexp) {
      it(`${c.name}: values, gradient${c.ddx ? ' and second order' : ''}`, () => {
        const f = (x: Tensor): Tensor => tg.logsumexp(x, c.dim, c.keepdim);
        const x = load(c.x, true);
        expectClose(gradsOf(() => f(x), [x], load(c.dy)), c.y, 'y');
        expectClose(x.grad, c.dx, 'dx');
        checkSecondOrder(c, f);
      });
    }
  });

  describe('variance and std', () => {
    for (const c of fixtures.variance) {
      it(`${c.fn} ${c.name}: values, gradient${c.ddx ? ' and second order' : ''}`, () => {
        const op = c.fn === 'var' ? tg.variance : tg.std;
        const f = (x: Tensor): Tensor => op(x, c.dim, c.options);
        const x = load(c.x, true);
        expectClose(gradsOf(() => f(x), [x], load(c.dy)), c.y, 'y');
        expectClose(x.grad, c.dx, 'dx');
        checkSecondOrder(c, f);
      });
    }
  });

  describe('argmax and argmin', () => {
    for (const c of fixtures.arg) {
      it(`${c.fn} dim ${c.dim} keepdim ${c.keepdim} of ${JSON.stringify(c.x.data)}`, () => {
        expectClose(tg[c.fn](load(c.x), c.dim, { keepdim: c.keepdim }), c.y, c.fn);
      });
    }
  });

  describe('topk', () => {
    for (const c of fixtures.topk) {
      it(`${c.name}: values, ${c.tied ? 'values at the indices (PyTorch orders ties its own way)' : 'indices'}${c.dy ? ' and the gradient' : ''}`, () => {
        const x = load(c.x, c.dy !== undefined);
        const { values, indices } = tg.topk(x, c.k, c.options);
        expectClose(values, c.values, 'values');
        if (c.tied) {
          expect(indices.shape).to.deep.equal(c.indices.shape);
          const picked = Array.from(indices.data, (i) => x.data[i]!);
          expectClose(tg.tensor(picked, { shape: c.values.shape, dtype: c.values.dtype }), c.values, 'x at the indices');
          if (c.dy) {
            // 1-D: each value's gradient lands at its own index (ours, not PyTorch's, among ties).
            tg.sum(tg.mul(values, load(c.dy))).backward();
            const expected = new Array<number>(x.size).fill(0);
            indices.data.forEach((i, r) => { expected[i] = decode(c.dy!.data[r]!); });
            expect(Array.from(x.grad!.data)).to.deep.equal(Array.from(tg.tensor(expected, { dtype: x.dtype }).data));
          }
        } else {
          expectClose(indices, c.indices, 'indices');
          if (c.dy) {
            tg.sum(tg.mul(values, load(c.dy))).backward();
            expectClose(x.grad, c.dx!, 'dx');
          }
        }
      });
    }
  });

  describe('oneHot', () => {
    for (const c of fixtures.oneHot) {
      it(`indices ${JSON.stringify(c.indices.data)} numClasses ${c.numClasses}`, () => {
        expectClose(tg.oneHot(load(c.indices), c.numClasses), c.y, 'oneHot');
      });
    }
  });
});
