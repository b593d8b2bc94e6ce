// Random valid inputs of the activations with attributes or a second input, for the generic
// gradient test; values are kept off the kinks, where a finite difference straddles two slopes.
import type { Arbitrary } from 'fast-check';
import type { CaseTools } from '../../autograd/registry.js';
import type { Tensor } from '../../tensor/tensor.js';

/** Bounds minVal < maxVal, x drawn around them and kept 0.05 away from both. */
export function hardtanhCases({ fc, arb }: CaseTools): Arbitrary<{ inputs: { x: Tensor }; attrs: { minVal: number; maxVal: number } }> {
  return fc
    .record({ minVal: fc.double({ min: -2, max: 0.5, noNaN: true }), width: fc.double({ min: 0.2, max: 2, noNaN: true }) })
    .chain(({ minVal, width }) => {
      const maxVal = minVal + width;
      return fc.record({
        inputs: fc.record({ x: arb.tensor({ rank: [0, 3], min: minVal - 1, max: maxVal + 1, awayFrom: [minVal, maxVal] }) }),
        attrs: fc.constant({ minVal, maxVal }),
      });
    });
}

/** α away from 0, either sign (celu divides by it). */
export function celuCases({ fc, arb }: CaseTools): Arbitrary<{ inputs: { x: Tensor }; attrs: { alpha: number } }> {
  return fc
    .record({ magnitude: fc.double({ min: 0.3, max: 2, noNaN: true }), negative: fc.boolean() })
    .chain(({ magnitude, negative }) =>
      fc.record({
        inputs: fc.record({ x: arb.tensor({ rank: [0, 3], awayFrom: [0] }) }),
        attrs: fc.constant({ alpha: negative ? -magnitude : magnitude }),
      }),
    );
}

/**
 * prelu's op inputs: x with one shared weight (0-d, any x), or x [N, C, *] with the per-channel
 * weight laid out as the public prelu passes it, [C, 1, …] (rank of x minus one).
 */
export function preluCases({ fc, arb }: CaseTools): Arbitrary<{ inputs: { x: Tensor; weight: Tensor }; attrs: Record<string, never> }> {
  const attrs = fc.constant({} as Record<string, never>);
  const shared = arb.shape({ rank: [0, 3] }).chain((shape) =>
    fc.record({ inputs: fc.record({ x: arb.tensorOfShape(shape, { awayFrom: [0] }), weight: arb.tensorOfShape([]) }), attrs }),
  );
  const perChannel = fc
    .record({ n: fc.integer({ min: 1, max: 2 }), c: fc.integer({ min: 1, max: 3 }), spatial: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }) })
    .chain(({ n, c, spatial }) =>
      fc.record({
        inputs: fc.record({
          x: arb.tensorOfShape([n, c, ...spatial], { awayFrom: [0] }),
          weight: arb.tensorOfShape([c, ...spatial.map(() => 1)]),
        }),
        attrs,
      }),
    );
  return fc.oneof(shared, perChannel);
}
