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

/**
 * takeAlongDim / putAddAlongDim: any dim of a small tensor (a scalar too), an index per position
 * of the gathered shape, with repeats (the scatter accumulates) and gaps (a zero).
 */
export function takeAlongCases<K extends 'x' | 'g'>(input: K) {
  return ({ fc, arb }: CaseTools) =>
    arb.shape({ rank: [0, 3], maxDim: 3 }).chain((shape) =>
      fc.record({ dim: fc.integer({ min: 0, max: Math.max(shape.length - 1, 0) }), m: fc.integer({ min: 1, max: 4 }) }).chain(({ dim, m: picks }) => {
        const size = shape.length === 0 ? 1 : shape[dim]!;
        const m = shape.length === 0 ? 1 : picks;
        const gathered = shape.map((d, i) => (i === dim ? m : d));
        const count = gathered.reduce((a, b) => a * b, 1);
        return fc.array(fc.integer({ min: 0, max: size - 1 }), { minLength: count, maxLength: count }).chain((idx) => {
          const attrs = { dim, index: Int32Array.from(idx), size, picks: m };
          return arb.tensorOfShape(input === 'x' ? shape : gathered).map((t) => ({ inputs: { [input]: t } as Record<K, Tensor>, attrs }));
        });
      }),
    );
}
