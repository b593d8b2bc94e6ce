import type { Arbitrary } from 'fast-check';
import type { CaseTools } from '../../autograd/registry.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { ReduceAttrs } from './sum.js';

/** A random tensor and a random subset of its dims, with or without keepdim. */
export function reduceCases({ fc, arb }: CaseTools): Arbitrary<{ inputs: { x: Tensor }; attrs: ReduceAttrs }> {
  return arb.shape({ rank: [0, 4] }).chain((shape) =>
    fc.record({
      inputs: fc.record({ x: arb.tensorOfShape(shape) }),
      attrs: fc.record({ dims: fc.subarray(shape.map((_, i) => i)), keepdim: fc.boolean() }),
    }),
  );
}
