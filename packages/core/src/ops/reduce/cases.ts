// Random cases of the reduce ops and broadcastTo for the registry-wide gradient test.
import type { Arbitrary } from 'fast-check';
import type { CaseTools } from '../../autograd/registry.js';
import type { Tensor } from '../../tensor/tensor.js';
import { broadcastShapes } from '../../tensor/shape.js';

/** A random tensor and a random subset of its dims, with or without keepdim. */
export function reduceCases({ fc, arb }: CaseTools): Arbitrary<{ inputs: { x: Tensor }; attrs: { dims: number[]; keepdim: boolean } }> {
  return arb.shape({ rank: [0, 4] }).chain((shape) =>
    fc.record({
      inputs: fc.record({ x: arb.tensorOfShape(shape) }),
      attrs: fc.record({ dims: fc.subarray(shape.map((_, i) => i)), keepdim: fc.boolean() }),
    }),
  );
}

/** A tensor and a shape it broadcasts to. */
export function broadcastToCases({ fc, arb }: CaseTools): Arbitrary<{ inputs: { x: Tensor }; attrs: { shape: number[] } }> {
  return arb.broadcastableShapes().chain(([a, b]) =>
    fc.record({ inputs: fc.record({ x: arb.tensorOfShape(a) }), attrs: fc.constant({ shape: broadcastShapes('case', a, b) }) }),
  );
}

/**
 * variance / std: reduceCases with correction 0, or 1 where each output reduces at least two
 * elements (with one, n − correction = 0: an infinite or NaN value, nothing to check).
 */
export function varianceCases(tools: CaseTools): Arbitrary<{ inputs: { x: Tensor }; attrs: { dims: number[]; keepdim: boolean; correction: number } }> {
  return reduceCases(tools).chain(({ inputs, attrs }) => {
    const n = attrs.dims.reduce((p, d) => p * inputs.x.shape[d]!, 1);
    return tools.fc.constantFrom(...(n >= 2 ? [0, 1] : [0])).map((correction) => ({ inputs, attrs: { ...attrs, correction } }));
  });
}
