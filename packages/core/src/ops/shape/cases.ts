// Random valid problems for the generic gradient test of the shape ops defined with host-computed
// indices (dim-index.ts): any dim of a small tensor, indices with repeats and gaps (a repeat makes
// the scatter accumulate; a gap leaves a zero).
import type { CaseTools } from '../../autograd/registry.js';
import type { Tensor } from '../../tensor/tensor.js';

export function dimIndexCases<K extends 'x' | 'g'>(input: K) {
  return ({ fc, arb }: CaseTools) =>
    arb.shape({ rank: [1, 3], maxDim: 3 }).chain((shape) =>
      fc.integer({ min: 0, max: shape.length - 1 }).chain((dim) => {
        const size = shape[dim]!;
        return fc.array(fc.integer({ min: 0, max: size - 1 }), { minLength: 1, maxLength: 4 }).chain((picks) => {
          const attrs = { dim, index: Int32Array.from(picks), size };
          const shapeOf = input === 'x' ? shape : shape.map((d, i) => (i === dim ? picks.length : d));
          return arb.tensorOfShape(shapeOf).map((t) => ({ inputs: { [input]: t } as Record<K, Tensor>, attrs }));
        });
      }),
    );
}
