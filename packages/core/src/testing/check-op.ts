import * as fc from 'fast-check';
import type { OpDef } from '../autograd/registry.js';
import { Tensor } from '../tensor/tensor.js';
import * as arb from './arbitraries.js';
import { checkGrads } from './check-grads.js';

/**
 * Property-tests one registered op: for random cases from its own `cases` arbitrary, checks
 * its VJP (and, unless the op opts out, its second-order VJP) against finite differences.
 */
export function checkRegisteredOp(def: OpDef, options: { numRuns?: number; seed?: number } = {}): void {
  const settings = def.gradCheck;
  fc.assert(
    fc.property(def.cases({ fc, arb }), ({ inputs, attrs }) => {
      const given = inputs as Record<string, Tensor | Tensor[] | null>;
      // Differentiate every float input that the op declares differentiable.
      const slots: { name: string; index: number | null }[] = [];
      const tensors: Tensor[] = [];
      for (const spec of def.inputs) {
        const value = given[spec.name];
        if (value === null || value === undefined) continue;
        const list = Array.isArray(value) ? value : [value];
        list.forEach((t, index) => {
          slots.push({ name: spec.name, index: Array.isArray(value) ? index : null });
          tensors.push(t);
        });
      }
      const wrt = tensors.flatMap((t, i) => {
        const spec = def.inputs.find((s) => s.name === slots[i]!.name)!;
        return spec.differentiable && t.dtype === 'float64' ? [i] : [];
      });
      const f = (...xs: Tensor[]): Tensor => {
        const named: Record<string, Tensor | Tensor[] | null> = { ...given };
        for (const spec of def.inputs) if (Array.isArray(given[spec.name])) named[spec.name] = [];
        xs.forEach((x, i) => {
          const slot = slots[i]!;
          if (slot.index === null) named[slot.name] = x;
          else (named[slot.name] as Tensor[])[slot.index] = x;
        });
        return def.apply(named as Record<string, Tensor | null>, attrs);
      };
      checkGrads(f, tensors, {
        wrt,
        order: settings.order ?? 2,
        ...(settings.rtol !== undefined && { rtol: settings.rtol }),
        ...(settings.atol !== undefined && { atol: settings.atol }),
        ...(settings.eps !== undefined && { eps: settings.eps }),
      });
    }),
    { numRuns: options.numRuns ?? settings.numRuns ?? 12, ...(options.seed !== undefined && { seed: options.seed }) },
  );
}
