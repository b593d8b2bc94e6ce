// y = x̂·w + b with x̂ = (x − μ)/√(σ² + ε), μ and the biased σ² taken per group over everything
// else; w and b (optional) hold one value per group (batchNorm's per-channel affine, fused so a
// layer is one pass forward).
// x is viewed as [outer, G, inner] with G = the product of dims [groupStart, groupEnd):
// batchNorm groups by channel (dims [1, 2)), layerNorm by the leading dims.
// VJP, with per-group sums S₀ = Σg and S₁ = Σg·x̂ (one pass over g and x, normalizeSums):
//   dx = w/√(σ² + ε) · (g − S₀/n − x̂·S₁/n)  (normalizeBackward, a second pass),  dw = S₁,  db = S₀.
// Both are registered ops with fast kernels; their own VJPs differentiate the same formulas
// written with differentiable ops, so 2nd order works.
import { vjp as pullbackOf } from '../../autograd/grad.js';
import { runMomentsOf } from '../conv/output-moments.js';
import { defineOp } from '../../autograd/registry.js';
import { outputOver, reusesGradientStorage } from '../../autograd/gradient-reuse.js';
import { zeroFilled, uninitialized } from '../../tensor/creation.js';
import { backendOf } from '../../backend/index.js';
import { accumulatorDtype, type KernelArray } from '../../tensor/device.js';
import { assertFloat } from '../../tensor/dtype.js';
import { sizeOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { addScalar, mul, mulScalar, pow, scalarLike, sub } from '../elementwise/arithmetic.js';
import { mean } from '../reduce/mean.js';
import { sum } from '../reduce/sum.js';
import { concat } from '../shape/concat.js';
import { reshape } from '../shape/reshape.js';
import { sliceBox } from '../shape/slice.js';
import { normalizeCases } from './cases.js';

export interface NormalizeAttrs {
  groupStart: number;
  groupEnd: number;
  eps: number;
}

export interface GroupStats {
  /** On x's device, in its accumulator dtype (float64 on the CPU). */
  mean: KernelArray;
  /** Biased variance (divided by the count). */
  variance: KernelArray;
  /** Elements per group. */
  count: number;
}

export function layout(x: Tensor, { groupStart, groupEnd }: NormalizeAttrs): [number, number, number] {
  return [sizeOf(x.shape.slice(0, groupStart)), sizeOf(x.shape.slice(groupStart, groupEnd)), sizeOf(x.shape.slice(groupEnd))];
}

/** The statistics behind every output of normalize (batchNorm's running averages read them). */
export const statsOf = new WeakMap<Tensor, GroupStats>();

/** Statistics of each normalized input, reused by its backward while x is unmodified. */
const inputStats = new WeakMap<Tensor, { stats: GroupStats; version: number; groupStart: number; groupEnd: number }>();

function statsFor(x: Tensor, attrs: NormalizeAttrs): GroupStats {
  const hit = inputStats.get(x);
  if (hit && hit.version === x.version.value && hit.groupStart === attrs.groupStart && hit.groupEnd === attrs.groupEnd) return hit.stats;
  const [outer, groups, inner] = layout(x, attrs);
  const stats = emptyStats(x, groups, outer * inner);
  backendOf(x).norm.groupStats(x.storage, outer, groups, inner, stats.mean, stats.variance);
  return stats;
}

/** Records the statistics a forward took of x for y (statsOf) and for the backward's kernels (statsFor). */
export function rememberStats(x: Tensor, y: Tensor, stats: GroupStats, attrs: NormalizeAttrs): void {
  inputStats.set(x, { stats, version: x.version.value, groupStart: attrs.groupStart, groupEnd: attrs.groupEnd });
  statsOf.set(y, stats);
}

/** Mean and variance arrays for `groups` groups on x's device (written by a kernel). */
export function emptyStats(x: Tensor, groups: number, count: number): GroupStats {
  const storage = backendOf(x).storage;
  const dtype = accumulatorDtype(x.device);
  return { mean: storage.allocate(dtype, groups, true), variance: storage.allocate(dtype, groups, true), count };
}

const normalizeOp = defineOp({
  name: 'normalize',
  inputs: ['x', 'weight?', 'bias?'],
  forward: ({ x, weight, bias }, attrs: NormalizeAttrs) => {
    assertFloat('normalize', 'x', x.dtype);
    const [outer, groups, inner] = layout(x, attrs);
    const y = uninitialized(x.shape, x.dtype, x.device);
    const stats = emptyStats(x, groups, outer * inner);
    backendOf(x).norm.normalize(
      x.storage, outer, groups, inner, weight?.storage ?? null, bias?.storage ?? null, attrs.eps, y.storage, stats.mean, stats.variance, runMomentsOf(x, outer * groups),
    );
    rememberStats(x, y, stats, attrs);
    return y;
  },
  vjp: ({ dy, x, weight }, attrs) => {
    let sums: Tensor | null = null;
    const S = (): Tensor => (sums ??= normalizeSums(dy, x, attrs));
    const row = (r: number): Tensor => {
      const groups = S().shape[1]!;
      return reshape(sliceBox(S(), [r, 0], [1, groups]), [groups]);
    };
    return { x: () => normalizeBackward(dy, x, S(), weight, attrs), weight: () => row(1), bias: () => row(0) };
  },
  cases: (tools) =>
    normalizeCases(tools).chain(({ x, attrs }) => {
      const g = [sizeOf(x.shape.slice(attrs.groupStart, attrs.groupEnd))];
      const affine = tools.fc.option(tools.arb.tensorOfShape(g), { nil: null });
      return tools.fc.record({ inputs: tools.fc.record({ x: tools.fc.constant(x), weight: affine, bias: affine }), attrs: tools.fc.constant(attrs) });
    }),
});

// normalize's VJP reads dy for the last time in normalizeBackward: its sums S come first (an
// argument of that call), and the weight and bias gradients are rows of the same S.
reusesGradientStorage(normalizeOp);

// [S₀; S₁] per group: S₀ = Σg, S₁ = Σg·x̂ (a [2, G] tensor);  its VJP is the pullback of sumsFormula
const normalizeSumsOp = defineOp({
  name: 'normalizeSums',
  inputs: ['g', 'x'],
  forward: ({ g, x }, attrs: NormalizeAttrs) => {
    const [outer, groups, inner] = layout(x, attrs);
    const stats = statsFor(x, attrs);
    const out = zeroFilled([2, groups], x.dtype, x.device);
    backendOf(x).norm.normalizeSums(g.storage, x.storage, outer, groups, inner, stats.mean, stats.variance, attrs.eps, out.storage);
    return out;
  },
  vjp: ({ dy, g, x }, attrs) => {
    let grads: Tensor[] | null = null;
    const pulled = (): Tensor[] => (grads ??= pullbackOf((g2, x2) => sumsFormula(g2, x2, attrs), g, x)[1](dy));
    return { g: () => pulled()[0]!, x: () => pulled()[1]! };
  },
  cases: (tools) =>
    normalizeCases(tools).chain(({ x, attrs }) => tools.arb.tensorOfShape(x.shape).map((g) => ({ inputs: { g, x }, attrs }))),
});

// dx = w·invstd·(g − S₀/n − x̂·S₁/n);  its VJP is the pullback of backwardFormula
const normalizeBackwardOp = defineOp({
  name: 'normalizeBackward',
  inputs: ['g', 'x', 'sums', 'weight?'],
  forward: ({ g, x, sums, weight }, attrs: NormalizeAttrs) => {
    const [outer, groups, inner] = layout(x, attrs);
    const stats = statsFor(x, attrs);
    // Over g itself when normalize's backward offers it (gradient-reuse.ts): the kernels read each element before writing it.
    const dx = outputOver(g, x.shape, x.dtype);
    backendOf(x).norm.normalizeBackward(
      g.storage, x.storage, outer, groups, inner, stats.mean, stats.variance, attrs.eps, stats.count, sums.storage, weight?.storage ?? null, dx.storage,
    );
    return dx;
  },
  vjp: ({ dy, g, x, sums, weight }, attrs) => {
    let grads: Tensor[] | null = null;
    const pulled = (): Tensor[] =>
      (grads ??= weight
        ? pullbackOf((g2, x2, s2, w2) => backwardFormula(g2, x2, s2, w2, attrs), g, x, sums, weight)[1](dy)
        : pullbackOf((g2, x2, s2) => backwardFormula(g2, x2, s2, null, attrs), g, x, sums)[1](dy));
    return { g: () => pulled()[0]!, x: () => pulled()[1]!, sums: () => pulled()[2]!, weight: () => pulled()[3]! };
  },
  cases: (tools) =>
    normalizeCases(tools).chain(({ x, attrs }) => {
      const groups = sizeOf(x.shape.slice(attrs.groupStart, attrs.groupEnd));
      return tools.fc.record({
        inputs: tools.fc.record({
          g: tools.arb.tensorOfShape(x.shape),
          x: tools.fc.constant(x),
          sums: tools.arb.tensorOfShape([2, groups]),
          weight: tools.fc.option(tools.arb.tensorOfShape([groups]), { nil: null }),
        }),
        attrs: tools.fc.constant(attrs),
      });
    }),
});

/** x̂ and 1/√(σ² + ε) of x viewed as [outer, G, inner], with differentiable ops. */
function xhatFormula(x3: Tensor, eps: number): { xhat: Tensor; invstd: Tensor } {
  const d = sub(x3, mean(x3, [0, 2], true));
  const invstd = pow(addScalar(mean(mul(d, d), [0, 2], true), eps), scalarLike(x3, -0.5));
  return { xhat: mul(d, invstd), invstd };
}

/** Row r of a [2, G] sums tensor, shaped [1, G, 1] to broadcast against [outer, G, inner]. */
const sumsRow = (sums: Tensor, r: number): Tensor => reshape(sliceBox(sums, [r, 0], [1, sums.shape[1]!]), [1, sums.shape[1]!, 1]);

/** normalizeSums written with differentiable ops. */
function sumsFormula(g: Tensor, x: Tensor, attrs: NormalizeAttrs): Tensor {
  const view = layout(x, attrs);
  const g3 = reshape(g, view);
  const { xhat } = xhatFormula(reshape(x, view), attrs.eps);
  return concat([reshape(sum(g3, [0, 2]), [1, view[1]]), reshape(sum(mul(g3, xhat), [0, 2]), [1, view[1]])], 0);
}

/** normalizeBackward written with differentiable ops. */
function backwardFormula(g: Tensor, x: Tensor, sums: Tensor, weight: Tensor | null, attrs: NormalizeAttrs): Tensor {
  const view = layout(x, attrs);
  const n = view[0] * view[2];
  const { xhat, invstd } = xhatFormula(reshape(x, view), attrs.eps);
  const centred = sub(sub(reshape(g, view), mulScalar(sumsRow(sums, 0), 1 / n)), mul(xhat, mulScalar(sumsRow(sums, 1), 1 / n)));
  const scale = weight ? mul(invstd, reshape(weight, [1, view[1], 1])) : invstd;
  return reshape(mul(scale, centred), x.shape);
}

/** (x − μ)/√(σ² + ε) per group, times weight and plus bias (one per group) when given. */
export function normalize(x: Tensor, attrs: NormalizeAttrs, weight: Tensor | null = null, bias: Tensor | null = null): Tensor {
  return normalizeOp({ x, weight, bias }, attrs);
}

/** [S₀; S₁] per group of g against x̂ (a [2, G] tensor, as normalize's VJP uses it). */
export function normalizeSums(g: Tensor, x: Tensor, attrs: NormalizeAttrs): Tensor {
  return normalizeSumsOp({ g, x }, attrs);
}

/** normalize's input gradient for output gradient g, given sums = normalizeSums(g, x, attrs). */
export function normalizeBackward(g: Tensor, x: Tensor, sums: Tensor, weight: Tensor | null, attrs: NormalizeAttrs): Tensor {
  return normalizeBackwardOp({ g, x, sums, weight }, attrs);
}
