import type { Arbitrary } from 'fast-check';
import { defineOp, type CaseTools } from '../../autograd/registry.js';
import { zeroFilled } from '../../tensor/creation.js';
import { promoteTypes } from '../../tensor/dtype.js';
import { broadcastShapes } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { mapWhere } from '../../backend/cpu/elementwise.js';
import { reduceGradTo } from '../reduce/sum-to.js';
import { scalarLike } from './binary.js';

// y = cond ? a : b (all three broadcast);  da = cond ? dy : 0, db = cond ? 0 : dy (summed to shape)
const whereOp = defineOp({
  name: 'where',
  inputs: ['cond', 'a', 'b'],
  nondifferentiable: ['cond'],
  forward: ({ cond, a, b }) => {
    const condA = broadcastShapes('where', cond.shape, a.shape, ['cond', 'a']);
    const shape = broadcastShapes('where', condA, b.shape, ['cond and a (broadcast)', 'b']);
    const out = zeroFilled(shape, promoteTypes(a.dtype, b.dtype));
    mapWhere(cond.data, cond.shape, a.data, a.shape, b.data, b.shape, out.data, out.shape);
    return out;
  },
  vjp: ({ dy, cond, a, b }) => ({
    a: () => reduceGradTo(where(cond, dy, scalarLike(dy, 0)), a),
    b: () => reduceGradTo(where(cond, scalarLike(dy, 0), dy), b),
  }),
  cases: whereCases,
});

/** A common shape, and for each of cond, a, b a variant of it that broadcasts to it. */
function whereCases({ fc, arb }: CaseTools): Arbitrary<{ inputs: { cond: Tensor; a: Tensor; b: Tensor }; attrs: Record<string, never> }> {
  const variant = (full: number[]): Arbitrary<number[]> =>
    fc
      .tuple(fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }), fc.integer({ min: 0, max: full.length }))
      .map(([ones, drop]) => full.map((d, i) => (ones[i] ? 1 : d)).slice(drop));
  return arb.shape({ rank: [0, 3] }).chain((full) =>
    fc.record({
      inputs: fc.record({
        cond: variant(full).chain((s) => arb.tensorOfShape(s, { dtype: 'int32', min: 0, max: 1 })),
        a: variant(full).chain((s) => arb.tensorOfShape(s)),
        b: variant(full).chain((s) => arb.tensorOfShape(s)),
      }),
      attrs: fc.constant({} as Record<string, never>),
    }),
  );
}

/** Elementwise select: a where cond is non-zero, else b (NumPy/PyTorch broadcasting over all three). */
export function where(cond: Tensor, a: Tensor, b: Tensor): Tensor {
  return whereOp({ cond, a, b }, {});
}
