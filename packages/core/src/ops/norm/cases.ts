// Random valid normalisation problems for the generic gradient test. groupNorm's: x [N, C, *] with
// C = G·(C/G), at least two values per group (else x̂ ≡ 0), optional per-channel weight and bias.
// normalize's (normalizeCases): x of rank 2-4 grouped over any run of its dims, at least two values
// per group. Kept out of the ops' own files, whose declarations ship with the main entry (which
// must type-check without fast-check).
import type { Arbitrary } from 'fast-check';
import type { CaseTools } from '../../autograd/registry.js';
import { sizeOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

interface GroupNormCase {
  inputs: { x: Tensor; weight: Tensor | null; bias: Tensor | null };
  attrs: { groups: number; eps: number };
}

export function groupNormCases({ fc, arb }: CaseTools): Arbitrary<GroupNormCase> {
  return fc
    .record({
      n: fc.integer({ min: 1, max: 2 }),
      groups: fc.integer({ min: 1, max: 3 }),
      perGroup: fc.integer({ min: 1, max: 2 }),
      spatial: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 2 }),
      eps: fc.double({ min: 1e-5, max: 0.1, noNaN: true }),
    })
    .filter(({ perGroup, spatial }) => spatial.reduce((p, d) => p * d, perGroup) >= 2)
    .chain(({ n, groups, perGroup, spatial, eps }) => {
      const c = groups * perGroup;
      const perChannel = fc.option(arb.tensorOfShape([c]), { nil: null });
      return fc.record({
        inputs: fc.record({ x: arb.tensorOfShape([n, c, ...spatial]), weight: perChannel, bias: perChannel }),
        attrs: fc.constant({ groups, eps }),
      });
    });
}

/** x with normalize's attributes: groups over dims [groupStart, groupEnd), eps. */
export function normalizeCases({ fc, arb }: CaseTools): Arbitrary<{ x: Tensor; attrs: { groupStart: number; groupEnd: number; eps: number } }> {
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
