import { ArgumentError, DTypeError, DeviceError, ShapeError, Tensor, checkOptions, noGrad, zerosLike } from '@tensorgrad/core';
import { show } from '../check.js';
import { StateDictError } from '../errors.js';
import { Module, parameterName } from '../module/module.js';

/** Hyperparameters of a parameter group (lr, momentum, betas...). */
export type Hyperparameters = Record<string, number | boolean | readonly number[]>;

/**
 * A parameter group: its parameters and the hyperparameters they are updated with (PyTorch's
 * param_groups entry).
 */
export type ParamGroup<H extends Hyperparameters> = H & {
  /** The group's parameters. */
  params: Tensor[];
};

/** Parameters, or groups of parameters each overriding some of the optimizer's defaults. */
export type ParamsInput<H extends Hyperparameters> =
  | Iterable<Tensor>
  | readonly (Partial<H> & {
      /** The group's parameters. */
      params: Iterable<Tensor>;
    })[];

/** Per-parameter state: tensors shaped like the parameter (momentum, moments) and scalars (step). */
export type ParamState = Record<string, Tensor | number>;

/**
 * An optimizer's state as plain data, parameters referred to by their index across all
 * groups (PyTorch's layout): what a checkpoint stores.
 */
export interface OptimizerStateDict {
  /** Per-parameter state, keyed by the parameter's index across all groups. */
  state: Map<number, ParamState>;
  /** Each group's hyperparameters and the indices of its parameters. */
  paramGroups: (Hyperparameters & {
    /** Indices of the group's parameters across all groups. */
    params: number[];
  })[];
}

/**
 * Base of the optimizers: holds parameter groups and per-parameter state, and applies
 * `update` to every parameter that has a gradient, in place and outside the tape.
 * Hyperparameters are checked at construction, in every group, and again at each step (a
 * scheduler or the user may have changed them); gradients are checked against their parameters'
 * shapes and dtypes before anything is updated.
 */
/**
 * An optimizer class's name as checkpoints record it and errors print it. The built-in classes
 * declare it (`static readonly typeName = 'Adam'`) because minifiers rename classes (a page's
 * bundle saved Adam's state as 'Ia'); a user's subclass without its own falls back to its class
 * name.
 */
export function typeNameOf(ctor: Function): string {
  return Object.hasOwn(ctor, 'typeName') ? String((ctor as { typeName?: unknown }).typeName) : ctor.name;
}

/**
 * The base class of the optimizers (PyTorch's torch.optim.Optimizer): parameter groups,
 * per-parameter state, `step()`, `zeroGrad()` and state dicts. A subclass implements `validate` and
 * `update`.
 */
export abstract class Optimizer<H extends Hyperparameters & { lr: number } = Hyperparameters & { lr: number }> {
  /**
   * The parameter groups with their hyperparameters (a scheduler changes `lr` here), as PyTorch's
   * param_groups.
   */
  readonly paramGroups: ParamGroup<H>[];
  /** Per-parameter state (momentum buffers, moments, step counts), keyed by the parameter. */
  readonly state = new Map<Tensor, ParamState>();
  // How errors name each parameter: its dotted name when it came from a Module, else its place.
  readonly #names = new Map<Tensor, string>();

  /** The optimizer's type, as checkpoints record it (see typeNameOf). */
  get typeName(): string {
    return typeNameOf(this.constructor);
  }

  constructor(params: ParamsInput<H>, defaults: H) {
    const name = typeNameOf(new.target);
    if (params instanceof Module) {
      throw new ArgumentError(`${name}: params must be the model's parameters, not the model itself: pass model.parameters()`);
    }
    if (params === null || typeof params !== 'object' || !(Symbol.iterator in params)) {
      throw new ArgumentError(`${name}: params must be an iterable of Tensors or an array of parameter groups, got ${show(params)}`);
    }
    const list = [...(params as Iterable<unknown>)];
    const grouped = list.length > 0 && !(list[0] instanceof Tensor);
    const groups = grouped ? list : [{ params: list }];
    const groupKeys = [...Object.keys(defaults), 'params'];
    const seen = new Set<Tensor>();
    this.paramGroups = groups.map((g, gi) => {
      const where = grouped ? `param group ${gi}` : 'params';
      checkOptions(name, g, groupKeys, where);
      const given = (g as { params?: unknown } | undefined)?.params;
      if (given === undefined || given === null || typeof given !== 'object' || !(Symbol.iterator in given)) {
        throw new ArgumentError(`${name}: ${where} must have 'params', an iterable of Tensors, got ${show(given)}`);
      }
      const ps = [...(given as Iterable<unknown>)];
      ps.forEach((p, i) => {
        const at = grouped ? `group ${gi} parameter ${i}` : `parameter ${i}`;
        if (!(p instanceof Tensor)) throw new ArgumentError(`${name}: ${at} must be a Tensor, got ${show(p)}`);
        if (!p.isLeaf || !p.requiresGrad) throw new ArgumentError(`${name}: ${at} must be a leaf tensor that requires grad (${p.toString()})`);
        if (seen.has(p)) throw new ArgumentError(`${name}: a parameter appears more than once (${at})`);
        seen.add(p);
        const dotted = parameterName(p);
        // How errors name p: "parameter '1.bias'", "parameter 0", "parameter group 1 parameter 0".
        this.#names.set(p, dotted !== undefined ? `parameter '${dotted}'` : grouped ? `parameter ${at}` : at);
      });
      const group = { ...defaults, ...(g as object), params: ps } as ParamGroup<H>;
      this.validate(group, grouped ? `${name} (param group ${gi})` : name);
      return group;
    });
    if (seen.size === 0) throw new ArgumentError(`${name}: got an empty parameter list`);
  }

  /**
   * Throws an ArgumentError for hyperparameters that are not finite or out of range; `fn` names
   * the optimizer and the group in the message ('SGD', 'Adam.step (param group 1)').
   */
  protected abstract validate(group: ParamGroup<H>, fn: string): void;

  /**
   * Updates p in place from its gradient g (the built-in optimizers call core's sgdUpdate_,
   * adamUpdate_ or rmspropUpdate_, which run on p's device); state persists across steps.
   */
  protected abstract update(p: Tensor, g: Tensor, group: ParamGroup<H>, state: ParamState): void;

  /**
   * One optimisation step over every parameter with a gradient. Every group's hyperparameters
   * and every gradient are checked first, so a bad one throws before any parameter changes.
   */
  step(): void {
    const name = `${this.typeName}.step`;
    this.paramGroups.forEach((group, gi) => {
      this.validate(group, `${name} (param group ${gi})`);
      for (const p of group.params) if (p.grad !== null) this.#checkGrad(name, p);
    });
    for (const [p, state] of this.state) this.#follow(name, p, state);
    noGrad(() => {
      for (const group of this.paramGroups) {
        for (const p of group.params) {
          if (p.grad === null) continue;
          let state = this.state.get(p);
          if (state === undefined) this.state.set(p, (state = {}));
          const version = p.version.value;
          this.update(p, p.grad, group, state);
          // Core's updates bump the version themselves; an update that wrote p otherwise gets it here.
          if (p.version.value === version) p.markModified();
        }
      }
    });
  }

  /**
   * State follows its parameter's device: after `model.to('webgpu')` (or loading a CPU
   * checkpoint into a GPU model) the CPU state tensors are uploaded here. State on a GPU whose
   * parameter went back to the CPU needs a readback: `await optimizer.moveStateAsync()`.
   */
  #follow(where: string, p: Tensor, state: ParamState): void {
    for (const [k, v] of Object.entries(state)) {
      if (!(v instanceof Tensor) || v.device === p.device) continue;
      if (v.device !== 'cpu') {
        throw new DeviceError(
          `${where}: the optimizer state '${k}' of ${this.#names.get(p)} is on '${v.device}' but the parameter is on '${p.device}'; ` +
            'reading it back is asynchronous: call `await optimizer.moveStateAsync()` first',
        );
      }
      state[k] = v.to(p.device);
    }
  }

  /** Moves every state tensor to its parameter's device, reading GPU state back where a parameter moved to the CPU. */
  async moveStateAsync(): Promise<void> {
    for (const [p, state] of this.state) {
      for (const [k, v] of Object.entries(state)) if (v instanceof Tensor && v.device !== p.device) state[k] = await v.toAsync(p.device);
    }
  }

  #checkGrad(where: string, p: Tensor): void {
    const g: unknown = p.grad;
    const param = this.#names.get(p)!;
    if (!(g instanceof Tensor)) throw new ArgumentError(`${where}: the gradient of ${param} must be a Tensor, got ${show(g)}; nothing was updated`);
    if (g.shape.length !== p.shape.length || g.shape.some((d, i) => d !== p.shape[i])) {
      throw new ShapeError(`${where}: the gradient of ${param} has shape [${g.shape.join(',')}] but the parameter has shape [${p.shape.join(',')}]; nothing was updated`);
    }
    if (g.dtype !== p.dtype) throw new DTypeError(`${where}: the gradient of ${param} has dtype ${g.dtype} but the parameter is ${p.dtype}; nothing was updated`);
    if (g.device !== p.device) throw new DeviceError(`${where}: the gradient of ${param} is on '${g.device}' but the parameter is on '${p.device}'; nothing was updated`);
  }

  /** Drops every parameter's gradient (set to null, like PyTorch's default). */
  zeroGrad(): void {
    for (const group of this.paramGroups) for (const p of group.params) p.grad = null;
  }

  /** A state tensor shaped like p, created at zero on p's device on first use. */
  protected buffer(state: ParamState, key: string, p: Tensor): Tensor {
    let t = state[key];
    if (!(t instanceof Tensor)) state[key] = t = zerosLike(p).to(p.device);
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
    const name = `${this.typeName}.loadStateDict`;
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
      for (const key of Object.keys(g)) if (!(key in own)) problems.push(`group ${gi} has unknown hyperparameter '${key}'`);
      try {
        this.validate({ ...own, ...g, params: own.params }, `${this.typeName}.loadStateDict (group ${gi})`);
      } catch (e) {
        problems.push((e as Error).message);
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

