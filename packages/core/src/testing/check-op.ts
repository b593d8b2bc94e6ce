import * as fc from 'fast-check';
import { applyOpInPlace } from '../autograd/op-table.js';
import type { OpDef } from '../autograd/registry.js';
import { noGrad } from '../autograd/mode.js';
import { addScalar } from '../ops/elementwise/arithmetic.js';
import { ArgumentError } from '../errors.js';
import { checkOptions, optionKeys } from '../options.js';
import { shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import * as arb from './arbitraries.js';
import { type GradCase, type GradPropertyOptions, type GradPropertyReport, assertGradCases } from './grad-property.js';

const CHECK_OP_OPTIONS = optionKeys<GradPropertyOptions>()(['numRuns', 'seed']);

/**
 * Property-tests one registered op: for random cases from its own `cases` arbitrary, checks
 * its VJP (and, unless the op opts out, its second-order VJP) against finite differences: every
 * case at first order, then every case at second order. A failure throws with the checkGrads
 * message (order, input, element, analytic vs numeric, input values) in front. An op that can be
 * applied in place (its spec names `inPlace`) is checked again that way, over a recorded copy of
 * that input (so the in-place write and the node it gets are part of what is differentiated).
 */
export function checkRegisteredOp(def: OpDef, options: GradPropertyOptions = {}): GradPropertyReport {
  checkOptions(`checkRegisteredOp(${def.name})`, options, CHECK_OP_OPTIONS);
  const settings = def.gradCheck;
  // In place, only the cases whose output has the overwritten input's shape and dtype (add_ cannot
  // broadcast a, nor write float64 over float32).
  const cases = (inPlace: boolean) => (inPlace ? def.cases({ fc, arb }).filter((c) => fitsInPlace(def, c)) : def.cases({ fc, arb }));
  const check = (what: string, inPlace: boolean): GradPropertyReport =>
    assertGradCases(what, cases(inPlace), (c) => gradCase(def, c, inPlace), settings.order ?? 2, {
      numRuns: options.numRuns ?? settings.numRuns ?? 12,
      ...(options.seed !== undefined && { seed: options.seed }),
    });
  const report = check(`checkRegisteredOp(${def.name})`, false);
  if (def.inPlace !== null) check(`checkRegisteredOp(${def.name}, in place over '${def.inPlace}')`, true);
  return report;
}

/** Whether the op's output on this case could be written over its inPlace input (same shape and dtype). */
export function fitsInPlace(def: OpDef, { inputs, attrs }: { inputs: unknown; attrs: unknown }): boolean {
  const given = inputs as Record<string, Tensor | null>;
  const target = given[def.inPlace!]!;
  const y = noGrad(() => def.apply(given, attrs));
  return y.dtype === target.dtype && shapesEqual(y.shape, target.shape);
}

/** The op applied to one case, as a function of its flattened tensor inputs. */
function gradCase(def: OpDef, { inputs, attrs }: { inputs: unknown; attrs: unknown }, inPlace: boolean): GradCase {
  const given = inputs as Record<string, Tensor | Tensor[] | null>;
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
  // Differentiate every float input the op declares differentiable (float32 ones are checked
  // on float64 copies). A case with none would compare nothing: that is an error, not a pass.
  const wrt = tensors.flatMap((t, i) => {
    const spec = def.inputs.find((s) => s.name === slots[i]!.name)!;
    return spec.differentiable && t.dtype !== 'int32' ? [i] : [];
  });
  if (wrt.length === 0) {
    const described = tensors.map((t, i) => `${slots[i]!.name} ${t.dtype}`).join(', ') || 'none';
    throw new ArgumentError(
      `checkRegisteredOp(${def.name}): a case has no differentiable float input (inputs: ${described}), so its gradient check would compare nothing`,
    );
  }
  const f = (...xs: Tensor[]): Tensor => {
    const named: Record<string, Tensor | Tensor[] | null> = { ...given };
    for (const spec of def.inputs) if (Array.isArray(given[spec.name])) named[spec.name] = [];
    xs.forEach((x, i) => {
      const slot = slots[i]!;
      if (slot.index === null) named[slot.name] = x;
      else (named[slot.name] as Tensor[])[slot.index] = x;
    });
    if (!inPlace) return def.apply(named as Record<string, Tensor | null>, attrs);
    // A recorded copy to write over (the inputs themselves are the leaves being differentiated).
    named[def.inPlace!] = addScalar(named[def.inPlace!] as Tensor, 0);
    return applyOpInPlace(def, named, attrs);
  };
  const { rtol, atol, eps } = def.gradCheck;
  return {
    f,
    inputs: tensors,
    options: {
      wrt,
      ...(rtol !== undefined && { rtol }),
      ...(atol !== undefined && { atol }),
      ...(eps !== undefined && { eps }),
    },
  };
}
