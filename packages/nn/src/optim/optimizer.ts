import { ArgumentError, Tensor, noGrad, zerosLike } from '@tensorgrad/core';
import { StateDictError } from '../errors.js';

/** Hyperparameters of a parameter group (lr, momentum, betas...). */
export type Hyperparameters = Record<string, number | boolean | readonly number[]>;

export type ParamGroup<H extends Hyperparameters> = H & { params: Tensor[] };

/** Parameters, or groups of parameters each overriding some of the optimizer's defaults. */
export type ParamsInput<H extends Hyperparameters> = Iterable<Tensor> | readonly (Partial<H> & { params: Iterable<Tensor> })[];

/** Per-parameter state: tensors shaped like the parameter (momentum, moments) and scalars (step). */
export type ParamState = Record<string, Tensor | number>;

/**
 * An optimizer's state as plain data, parameters referred to by their index across all
 * groups (PyTorch's layout): what a checkpoint stores.
 */
export interface OptimizerStateDict {
  state: Map<number, ParamState>;
  paramGroups: (Hyperparameters & { params: number[] })[];
}

/**
 * Base of the optimizers: holds parameter groups and per-parameter state, and applies
 * `update` to every parameter that has a gradient, in place and outside the tape.
 */
export abstract class Optimizer<H extends Hyperparameters & { lr: number } = Hyperparameters & { lr: number }> {
  readonly paramGroups: ParamGroup<H>[];
  readonly state = new Map<Tensor, ParamState>();

  constructor(params: ParamsInput<H>, defaults: H) {
    const name = new.target.name;
    const list = [...(params as Iterable<unknown>)];
    const groups = list.length > 0 && !(list[0] instanceof Tensor)
      ? (list as (Partial<H> & { params: Iterable<Tensor> })[])
      : [{ params: list as Tensor[] } as unknown as Partial<H> & { params: Iterable<Tensor> }];
    const seen = new Set<Tensor>();
    this.paramGroups = groups.map((g, gi) => {
      const ps = [...g.params];
      ps.forEach((p, i) => {
        if (!(p instanceof Tensor)) throw new ArgumentError(`${name}: group ${gi} parameter ${i} must be a Tensor`);
        if (!p.isLeaf || !p.requiresGrad) throw new ArgumentError(`${name}: group ${gi} parameter ${i} must be a leaf tensor that requires grad (${p.toString()})`);
        if (seen.has(p)) throw new ArgumentError(`${name}: a parameter appears more than once (group ${gi}, index ${i})`);
        seen.add(p);
      });
      const group = { ...defaults, ...g, params: ps } as ParamGroup<H>;
      this.validate(group);
      return group;
    });
    if (seen.size === 0) throw new ArgumentError(`${name}: got an empty parameter list`);
  }

  /** Throws an ArgumentError naming the optimizer for out-of-range hyperparameters. */
  protected abstract validate(group: ParamGroup<H>): void;

  /** Updates p.data in place from its gradient g (both as typed arrays); state persists across steps. */
  protected abstract update(p: Tensor, g: Tensor, group: ParamGroup<H>, state: ParamState): void;

  /** One optimisation step over every parameter with a gradient. */
  step(): void {
    noGrad(() => {
      for (const group of this.paramGroups) {
        for (const p of group.params) {
          if (p.grad === null) continue;
          let state = this.state.get(p);
          if (state === undefined) this.state.set(p, (state = {}));
          this.update(p, p.grad, group, state);
          p.markModified();
        }
      }
    });
  }

  /** Drops every parameter's gradient (set to null, like PyTorch's default). */
  zeroGrad(): void {
    for (const group of this.paramGroups) for (const p of group.params) p.grad = null;
  }

  /** A state tensor shaped like p, created at zero on first use. */
  protected buffer(state: ParamState, key: string, p: Tensor): Tensor {
    let t = state[key];
    if (!(t instanceof Tensor)) state[key] = t = zerosLike(p);
    return t;
  }

  /** Hyperparameters and per-parameter state, with copies of the state tensors. */
  stateDict(): OptimizerStateDict {
    const state = new Map<number, ParamState>();
    const paramGroups: OptimizerStateDict['paramGroups'] = [];
    let index = 0;
    for (const { params, ...hyper } of this.paramGroups) {
      const ids: number[] = [];
      for (const p of params) {
        const s = this.state.get(p);
        if (s !== undefined) state.set(index, Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v instanceof Tensor ? v.clone() : v])));
        ids.push(index++);
      }
      paramGroups.push({ ...(hyper as Hyperparameters), params: ids });
    }
    return { state, paramGroups };
  }

  /**
   * Restores hyperparameters and state saved by stateDict() of an optimizer over parameters of
   * the same shapes in the same order. Checks everything first; a failed load changes nothing.
   */
  loadStateDict(sd: OptimizerStateDict): void {
    const name = `${this.constructor.name}.loadStateDict`;
    const problems = this.checkStateDict(sd);
    if (problems.length > 0) throw new StateDictError(name, problems);
    const params = this.paramGroups.flatMap((g) => g.params);
    sd.paramGroups.forEach(({ params: _, ...hyper }, gi) => Object.assign(this.paramGroups[gi]!, hyper));
    this.state.clear();
    for (const [i, s] of sd.state) {
      this.state.set(params[i]!, Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v instanceof Tensor ? v.clone() : v])));
    }
  }

  /** Every way sd does not fit this optimizer (empty when it fits). */
  checkStateDict(sd: OptimizerStateDict): string[] {
    const problems: string[] = [];
    if (sd.paramGroups.length !== this.paramGroups.length) {
      return [`has ${sd.paramGroups.length} parameter group(s) but the optimizer has ${this.paramGroups.length}`];
    }
    const params = this.paramGroups.flatMap((g) => g.params);
    sd.paramGroups.forEach((g, gi) => {
      const own = this.paramGroups[gi]!;
      if (g.params.length !== own.params.length) problems.push(`group ${gi} has ${g.params.length} parameter(s) but the optimizer's has ${own.params.length}`);
      for (const key of Object.keys(own)) {
        if (key !== 'params' && !(key in g)) problems.push(`group ${gi} lacks hyperparameter '${key}'`);
      }
    });
    for (const [i, s] of sd.state) {
      const p = params[i];
      if (p === undefined) {
        problems.push(`state for parameter ${i} but there are ${params.length} parameters`);
        continue;
      }
      for (const [k, v] of Object.entries(s)) {
        if (typeof v === 'number') continue;
        if (!(v instanceof Tensor)) problems.push(`state ${i}.${k} must be a Tensor or a number`);
        else if (v.shape.length !== p.shape.length || v.shape.some((d, j) => d !== p.shape[j])) {
          problems.push(`state ${i}.${k} has shape [${v.shape.join(',')}] but parameter ${i} has [${p.shape.join(',')}]`);
        } else if (v.dtype !== p.dtype) problems.push(`state ${i}.${k} has dtype ${v.dtype} but parameter ${i} is ${p.dtype}`);
      }
    }
    return problems;
  }
}

export function checkRange(where: string, name: string, value: unknown, min: number, max = Infinity, maxInclusive = true): void {
  const ok = typeof value === 'number' && value >= min && (maxInclusive ? value <= max : value < max);
  if (!ok) throw new ArgumentError(`${where}: ${name} must be in [${min}, ${max}${maxInclusive ? ']' : ')'}, got ${String(value)}`);
}
