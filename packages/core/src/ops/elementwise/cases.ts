// Random cases of the elementwise ops for the registry-wide gradient test.
import type { Arbitrary } from 'fast-check';
import type { CaseTools } from '../../autograd/registry.js';
import type { Tensor } from '../../tensor/tensor.js';

/** How values are drawn (the options of the testing arbitraries' tensorOfShape). */
type ValueOptions = NonNullable<Parameters<CaseTools['arb']['tensorOfShape']>[1]>;

export function binaryCases(aValues: ValueOptions = {}, bValues: ValueOptions = {}) {
  return ({ fc, arb }: CaseTools): Arbitrary<{ inputs: { a: Tensor; b: Tensor }; attrs: Record<string, never> }> =>
    arb.broadcastableShapes().chain(([sa, sb]) =>
      fc.record({
        inputs: fc.record({ a: arb.tensorOfShape(sa, aValues), b: arb.tensorOfShape(sb, bValues) }),
        attrs: fc.constant({} as Record<string, never>),
      }),
    );
}

export function unaryCases(values: ValueOptions = {}) {
  return ({ arb }: CaseTools) => arb.tensorCase({ names: ['x'], ...values });
}

/** A common shape, and for each of cond, a, b a variant of it that broadcasts to it. */
export function whereCases({ fc, arb }: CaseTools): Arbitrary<{ inputs: { cond: Tensor; a: Tensor; b: Tensor }; attrs: Record<string, never> }> {
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
