// Random cases of the loss ops for the registry-wide gradient test: differences kept away from
// the kinks |d| = β (smoothL1) and |d| = δ (huber), probabilities inside (0, 1), positive b for xlogy(a, b).
import type { Arbitrary } from 'fast-check';
import type { CaseTools } from '../../autograd/registry.js';
import type { Tensor } from '../../tensor/tensor.js';

/** d with |d| at least 0.05 away from the threshold, and the threshold attribute. */
function thresholdCases<K extends string>({ fc, arb }: CaseTools, key: K, thresholds: number[]) {
  return fc.constantFrom(...thresholds).chain((t) =>
    arb.tensor({ rank: [0, 3], min: -3, max: 3, awayFrom: [-t, t] }).map((d) => ({ inputs: { d }, attrs: { [key]: t } as Record<K, number> })),
  );
}

export const smoothL1Cases = (tools: CaseTools): Arbitrary<{ inputs: { d: Tensor }; attrs: { beta: number } }> =>
  thresholdCases(tools, 'beta', [0.5, 1, 1.7]);

export const huberCases = (tools: CaseTools): Arbitrary<{ inputs: { d: Tensor }; attrs: { delta: number } }> =>
  thresholdCases(tools, 'delta', [0.4, 1, 1.5]);

export function binaryCrossEntropyCases({ fc, arb }: CaseTools): Arbitrary<{ inputs: { x: Tensor; target: Tensor }; attrs: Record<string, never> }> {
  return arb.shape({ rank: [0, 3] }).chain((shape) =>
    fc.record({
      inputs: fc.record({ x: arb.tensorOfShape(shape, { min: 0.05, max: 0.95 }), target: arb.tensorOfShape(shape, { min: 0, max: 1 }) }),
      attrs: fc.constant({} as Record<string, never>),
    }),
  );
}

export function xlogyCases({ fc, arb }: CaseTools): Arbitrary<{ inputs: { a: Tensor; b: Tensor }; attrs: Record<string, never> }> {
  return arb.shape({ rank: [0, 3] }).chain((shape) =>
    fc.record({
      inputs: fc.record({ a: arb.tensorOfShape(shape, { awayFrom: [0] }), b: arb.tensorOfShape(shape, { min: 0.2, max: 3 }) }),
      attrs: fc.constant({} as Record<string, never>),
    }),
  );
}
