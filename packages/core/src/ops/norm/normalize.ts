// x̂ = (x − μ)/√(σ² + ε), with μ and the biased σ² taken per group over everything else.
// x is viewed as [outer, G, inner] with G = the product of dims [groupStart, groupEnd):
// batchNorm groups by channel (dims [1, 2)), layerNorm by the leading dims.
// VJP: dx = (1/√(σ² + ε))·(g − mean(g) − x̂·mean(g·x̂)), a registered op with a fast kernel;
// its own VJP differentiates the same formula written with differentiable ops.
import { vjp as pullbackOf } from '../../autograd/grad.js';
import { type CaseTools, defineOp } from '../../autograd/registry.js';
import { empty } from '../../tensor/creation.js';
import { assertFloat } from '../../tensor/dtype.js';
import type { TypedArray } from '../../tensor/dtype.js';
import { sizeOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { addScalar, mul, pow, scalarLike, sub } from '../elementwise/binary.js';
import { mean } from '../reduce/mean.js';
import { reshape } from '../shape/reshape.js';

export interface NormalizeAttrs {
  groupStart: number;
  groupEnd: number;
  eps: number;
}

export interface GroupStats {
  mean: Float64Array;
  /** Biased variance (divided by the count). */
  variance: Float64Array;
  /** Elements per group. */
  count: number;
}

function layout(x: Tensor, { groupStart, groupEnd }: NormalizeAttrs): [number, number, number] {
  return [sizeOf(x.shape.slice(0, groupStart)), sizeOf(x.shape.slice(groupStart, groupEnd)), sizeOf(x.shape.slice(groupEnd))];
}

/** Per-group mean and biased variance (two passes, in float64). */
export function groupStats(x: TypedArray, outer: number, groups: number, inner: number): GroupStats {
  const count = outer * inner;
  const m = new Float64Array(groups);
  const v = new Float64Array(groups);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < groups; c++) {
      const base = (o * groups + c) * inner;
      let s = 0;
      for (let i = 0; i < inner; i++) s += x[base + i]!;
      m[c]! += s;
    }
  }
  for (let c = 0; c < groups; c++) m[c]! /= count;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < groups; c++) {
      const base = (o * groups + c) * inner;
      const mu = m[c]!;
      let s = 0;
      for (let i = 0; i < inner; i++) {
        const d = x[base + i]! - mu;
        s += d * d;
      }
      v[c]! += s;
    }
  }
  for (let c = 0; c < groups; c++) v[c]! /= count;
  return { mean: m, variance: v, count };
}

/** The statistics behind every output of normalize (batchNorm's running averages read them). */
export const statsOf = new WeakMap<Tensor, GroupStats>();

const normalizeOp = defineOp({
  name: 'normalize',
  inputs: ['x'],
  forward: ({ x }, attrs: NormalizeAttrs) => {
    assertFloat('normalize', 'x', x.dtype);
    const [outer, groups, inner] = layout(x, attrs);
    const stats = groupStats(x.data, outer, groups, inner);
    const y = empty(x.shape, x.dtype);
    for (let o = 0; o < outer; o++) {
      for (let c = 0; c < groups; c++) {
        const base = (o * groups + c) * inner;
        const mu = stats.mean[c]!;
        const invstd = 1 / Math.sqrt(stats.variance[c]! + attrs.eps);
        for (let i = 0; i < inner; i++) y.data[base + i] = (x.data[base + i]! - mu) * invstd;
      }
    }
    statsOf.set(y, stats);
    return y;
  },
  vjp: ({ dy, x }, attrs) => ({ x: () => normalizeBackward(dy, x, attrs) }),
  cases: (tools) => normalizeCases(tools).map(({ x, attrs }) => ({ inputs: { x }, attrs })),
});

// dx = invstd·(g − mean(g) − x̂·mean(g·x̂));  its VJP is the pullback of normalizeGradFormula
const normalizeBackwardOp = defineOp({
  name: 'normalizeBackward',
  inputs: ['g', 'x'],
  forward: ({ g, x }, attrs: NormalizeAttrs) => {
    const [outer, groups, inner] = layout(x, attrs);
    const { mean: mu, variance, count } = groupStats(x.data, outer, groups, inner);
    const gMean = new Float64Array(groups);
    const gxMean = new Float64Array(groups);
    const invstd = Float64Array.from(variance, (v) => 1 / Math.sqrt(v + attrs.eps));
    for (let o = 0; o < outer; o++) {
      for (let c = 0; c < groups; c++) {
        const base = (o * groups + c) * inner;
        let sg = 0;
        let sgx = 0;
        for (let i = 0; i < inner; i++) {
          const gv = g.data[base + i]!;
          sg += gv;
          sgx += gv * (x.data[base + i]! - mu[c]!);
        }
        gMean[c]! += sg;
        gxMean[c]! += sgx * invstd[c]!;
      }
    }
    const dx = empty(x.shape, x.dtype);
    for (let o = 0; o < outer; o++) {
      for (let c = 0; c < groups; c++) {
        const base = (o * groups + c) * inner;
        const s = invstd[c]!;
        const gm = gMean[c]! / count;
        const gxm = gxMean[c]! / count;
        for (let i = 0; i < inner; i++) {
          const xhat = (x.data[base + i]! - mu[c]!) * s;
          dx.data[base + i] = s * (g.data[base + i]! - gm - xhat * gxm);
        }
      }
    }
    return dx;
  },
  vjp: ({ dy, g, x }, attrs) => {
    let grads: Tensor[] | null = null;
    const pulled = (): Tensor[] => (grads ??= pullbackOf((g2, x2) => normalizeGradFormula(g2, x2, attrs), g, x)[1](dy));
    return { g: () => pulled()[0]!, x: () => pulled()[1]! };
  },
  cases: (tools) =>
    normalizeCases(tools).chain(({ x, attrs }) => tools.arb.tensorOfShape(x.shape).map((g) => ({ inputs: { g, x }, attrs }))),
});

/** normalizeBackward written with differentiable ops (for its own derivatives). */
function normalizeGradFormula(g: Tensor, x: Tensor, attrs: NormalizeAttrs): Tensor {
  const view = layout(x, attrs);
  const g3 = reshape(g, view);
  const x3 = reshape(x, view);
  const d = sub(x3, mean(x3, [0, 2], true));
  const invstd = pow(addScalar(mean(mul(d, d), [0, 2], true), attrs.eps), scalarLike(x, -0.5));
  const xhat = mul(d, invstd);
  const centred = sub(sub(g3, mean(g3, [0, 2], true)), mul(xhat, mean(mul(g3, xhat), [0, 2], true)));
  return reshape(mul(invstd, centred), x.shape);
}

export function normalize(x: Tensor, attrs: NormalizeAttrs): Tensor {
  return normalizeOp({ x }, attrs);
}

function normalizeBackward(g: Tensor, x: Tensor, attrs: NormalizeAttrs): Tensor {
  return normalizeBackwardOp({ g, x }, attrs);
}

function normalizeCases({ fc, arb }: CaseTools) {
  return arb
    .shape({ rank: [2, 4], maxDim: 3 })
    .chain((shape) =>
      fc.record({
        shape: fc.constant(shape),
        bounds: fc.tuple(fc.integer({ min: 0, max: shape.length }), fc.integer({ min: 0, max: shape.length })),
        eps: fc.double({ min: 1e-5, max: 0.1, noNaN: true }),
      }),
    )
    .map(({ shape, bounds: [a, b], eps }) => ({ shape, attrs: { groupStart: Math.min(a, b), groupEnd: Math.max(a, b), eps } }))
    // At least two values per group, else x̂ ≡ 0.
    .filter(({ shape, attrs }) => sizeOf(shape) / sizeOf(shape.slice(attrs.groupStart, attrs.groupEnd)) >= 2)
    .chain(({ shape, attrs }) => arb.tensorOfShape(shape).map((x) => ({ x, attrs })));
}
