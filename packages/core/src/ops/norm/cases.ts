// Random valid groupNorm problems for the generic gradient test: x [N, C, *] with C = G·(C/G),
// at least two values per group (else x̂ ≡ 0), optional per-channel weight and bias.
import type { Arbitrary } from 'fast-check';
import type { CaseTools } from '../../autograd/registry.js';
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
