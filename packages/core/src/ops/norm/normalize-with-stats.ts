// y = (x − μ)·w/√(σ² + ε) + b per group with GIVEN statistics μ and σ² (one per group): batchNorm
// in eval mode, with the running statistics. One pass, the same kernel and formula as normalize's
// forward (which takes μ and σ² from x itself); as four broadcast ops (subtract, two multiplies,
// add) it took ~65% of the main job's evaluation.
// VJP, with invstd = 1/√(σ² + ε), s = w·invstd and Σ over each group's elements:
//   dx = s·dy (this op again, with μ = 0 and no bias),  dw = invstd·Σ dy·(x − μ),  db = Σ dy,
//   dμ = −s·Σ dy,  dσ² = −½·w·invstd³·Σ dy·(x − μ).
// All but dx are small per-group tensors from differentiable ops, so 2nd order works.
import { type CaseTools, defineOp } from '../../autograd/registry.js';
import { backendOf } from '../../backend/index.js';
import { DTypeError, ShapeError, formatShape } from '../../errors.js';
import { uninitialized, zeroFilled } from '../../tensor/creation.js';
import { assertFloat } from '../../tensor/dtype.js';
import { sizeOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { normalizedWithGivenStats } from '../conv/output-moments.js';
import { addScalar, mul, mulScalar, neg, pow, scalarLike, sub } from '../elementwise/arithmetic.js';
import { sum } from '../reduce/sum.js';
import { reshape } from '../shape/reshape.js';
import { normalizeCases } from './cases.js';
import { type NormalizeAttrs, layout } from './normalize.js';

const OP = 'normalizeWithStats';

const normalizeWithStatsOp = defineOp({
  name: OP,
  inputs: ['x', 'mean', 'variance', 'weight?', 'bias?'],
  forward: ({ x, mean, variance, weight, bias }, attrs: NormalizeAttrs) => {
    assertFloat(OP, 'x', x.dtype);
    const [outer, groups, inner] = layout(x, attrs);
    for (const [name, t] of [['mean', mean], ['variance', variance], ['weight', weight], ['bias', bias]] as const) {
      if (t === null) continue;
      if (t.dtype !== x.dtype) throw new DTypeError(`${OP}: ${name} must have x's dtype ${x.dtype}, got ${t.dtype}`);
      if (t.ndim !== 1 || t.size !== groups) throw new ShapeError(`${OP}: ${name} must have shape [${groups}] (one per group of x ${formatShape(x.shape)}), got ${formatShape(t.shape)}`);
    }
    const y = uninitialized(x.shape, x.dtype, x.device);
    normalizedWithGivenStats(x);
    backendOf(x).norm.normalizeWithStats(
      x.storage, outer, groups, inner, mean.storage, variance.storage, weight?.storage ?? null, bias?.storage ?? null, attrs.eps, y.storage,
    );
    return y;
  },
  vjp: ({ dy, x, mean, variance, weight }, attrs) => {
    const view = layout(x, attrs);
    const dy3 = reshape(dy, view);
    let invstd: Tensor | null = null;
    let sumDy: Tensor | null = null;
    let sumDyCentred: Tensor | null = null;
    const inv = (): Tensor => (invstd ??= pow(addScalar(variance, attrs.eps), scalarLike(variance, -0.5)));
    const s = (): Tensor => (weight ? mul(weight, inv()) : inv());
    const dyTotal = (): Tensor => (sumDy ??= sum(dy3, [0, 2]));
    const dyCentred = (): Tensor => (sumDyCentred ??= sum(mul(dy3, sub(reshape(x, view), reshape(mean, [1, view[1], 1]))), [0, 2]));
    return {
      x: () => normalizeWithStats(dy, zeroFilled(mean.shape, mean.dtype, mean.device), variance, weight, null, attrs),
      mean: () => neg(mul(s(), dyTotal())),
      variance: () => mulScalar(mul(mul(s(), mul(inv(), inv())), dyCentred()), -0.5),
      weight: () => mul(inv(), dyCentred()),
      bias: () => dyTotal(),
    };
  },
  cases: (tools: CaseTools) =>
    normalizeCases(tools).chain(({ x, attrs }) => {
      const g = [sizeOf(x.shape.slice(attrs.groupStart, attrs.groupEnd))];
      const affine = tools.fc.option(tools.arb.tensorOfShape(g), { nil: null });
      return tools.fc.record({
        inputs: tools.fc.record({
          x: tools.fc.constant(x),
          mean: tools.arb.tensorOfShape(g),
          // A variance, so positive: σ² + ε far from 0 keeps the finite differences of invstd accurate.
          variance: tools.arb.tensorOfShape(g, { min: 0.2, max: 2 }),
          weight: affine,
          bias: affine,
        }),
        attrs: tools.fc.constant(attrs),
      });
    }),
});

/**
 * (x − mean)/√(variance + ε) per group, times weight and plus bias (one per group) when given:
 * normalize with given statistics (all of x's dtype, one value per group).
 */
export function normalizeWithStats(x: Tensor, mean: Tensor, variance: Tensor, weight: Tensor | null, bias: Tensor | null, attrs: NormalizeAttrs): Tensor {
  return normalizeWithStatsOp({ x, mean, variance, weight, bias }, attrs);
}
