// Random cases of the elementwise ops for the registry-wide gradient test.
import type { Arbitrary } from 'fast-check';
import type { CaseTools } from '../../autograd/registry.js';
import { tensor } from '../../tensor/creation.js';
import { broadcastShapes, broadcastStrides, sizeOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

/** How values are drawn (the options of the testing arbitraries' tensorOfShape). */
type ValueOptions = NonNullable<Parameters<CaseTools['arb']['tensorOfShape']>[1]>;

/**
 * a and b of broadcastable shapes. `apart` > 0: every pair of values that meet under broadcasting
 * differs by at least that much (maximum and minimum: finite differences across a tie, where the
 * derivative jumps, do not match the VJP; a pair 8e-7 apart once failed the registry test).
 */
export function binaryCases(aValues: ValueOptions = {}, bValues: ValueOptions = {}, apart = 0) {
  return ({ fc, arb }: CaseTools): Arbitrary<{ inputs: { a: Tensor; b: Tensor }; attrs: Record<string, never> }> =>
    arb
      .broadcastableShapes()
      .chain(([sa, sb]) =>
        fc.record({
          inputs: fc.record({ a: arb.tensorOfShape(sa, aValues), b: arb.tensorOfShape(sb, bValues) }),
          attrs: fc.constant({} as Record<string, never>),
        }),
      )
      .filter(({ inputs: { a, b } }) => apart === 0 || smallestGap(a, b) >= apart);
}

/** The smallest |a − b| over the pairs of elements that broadcasting puts together. */
function smallestGap(a: Tensor, b: Tensor): number {
  const shape = broadcastShapes('binaryCases', a.shape, b.shape, ['a', 'b']);
  const [as, bs] = [broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape)];
  let gap = Infinity;
  for (let i = 0, n = sizeOf(shape); i < n; i++) {
    let [ia, ib, rest] = [0, 0, i];
    for (let d = shape.length - 1; d >= 0; d--) {
      const c = rest % shape[d]!;
      rest = Math.floor(rest / shape[d]!);
      ia += c * as[d]!;
      ib += c * bs[d]!;
    }
    gap = Math.min(gap, Math.abs(a.data[ia]! - b.data[ib]!));
  }
  return gap;
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

/**
 * clampTensor: x, min and max broadcasting together (either bound may be absent). The bounds take
 * values on the grid ±0.5, ±1.5 and x stays 0.1 away from it, so no element sits on a kink; min
 * and max never meet (the crossed case, min > max, is drawn too: min on the upper half of the grid).
 */
export function clampTensorCases({ fc, arb }: CaseTools): Arbitrary<{ inputs: { x: Tensor; min: Tensor | null; max: Tensor | null }; attrs: Record<string, never> }> {
  const variant = (full: number[]): Arbitrary<number[]> =>
    fc
      .tuple(fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }), fc.integer({ min: 0, max: full.length }))
      .map(([ones, drop]) => full.map((d, i) => (ones[i] ? 1 : d)).slice(drop));
  /** A tensor of `shape` whose values are drawn from two grid points. */
  const onGrid = (shape: number[], values: readonly [number, number]): Arbitrary<Tensor> =>
    arb.tensorOfShape(shape, { dtype: 'int32', min: 0, max: 1 }).map((t) => tensor(Array.from(t.data, (k) => values[k]!), { shape, dtype: 'float64' }));
  return fc.record({ full: arb.shape({ rank: [0, 3] }), crossed: fc.boolean(), which: fc.constantFrom('both', 'min', 'max') }).chain(({ full, crossed, which }) => {
    const low: [number, number] = crossed ? [0.5, 1.5] : [-1.5, -0.5];
    const high: [number, number] = crossed ? [-1.5, -0.5] : [0.5, 1.5];
    const bound = (use: boolean, values: [number, number]) => (use ? variant(full).chain((s) => onGrid(s, values)) : fc.constant(null));
    return fc.record({
      inputs: fc.record({
        x: variant(full).chain((s) => arb.tensorOfShape(s, { awayFrom: [-1.5, -0.5, 0.5, 1.5], margin: 0.1 })),
        min: bound(which !== 'max', low),
        max: bound(which !== 'min', high),
      }),
      attrs: fc.constant({} as Record<string, never>),
    });
  });
}
