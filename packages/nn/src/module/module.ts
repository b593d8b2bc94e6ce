import { ArgumentError, DTypeError, type Device, DeviceError, type FloatDType, Tensor, cast, checkOptions, noGrad, optionKeys, isWebGPUReady, shapesEqual } from '@tensorgrad/core';
import { show } from '../check.js';
import { StateDictError } from '../errors.js';
import { snakeCase } from './names.js';
import { summaryTable } from './summary.js';

/** Name → tensor, in PyTorch's order (a module's parameters, its buffers, then each child's). */
export type StateDict = Map<string, Tensor>;

/** Options of `Module.loadStateDict` (PyTorch's load_state_dict). */
export interface LoadStateDictOptions {
  /** Missing or unexpected keys are errors (default true). Shape and dtype mismatches always are. */
  strict?: boolean;
}

const LOAD_STATE_DICT_OPTIONS = optionKeys<LoadStateDictOptions>()(['strict']);

/** Where `Module.to` moves a module and what it converts it to. */
export interface ModuleToOptions {
  /** The device of every parameter and buffer ('cpu' or 'webgpu'). */
  device?: Device;
  /** The dtype of every floating-point parameter and buffer. */
  dtype?: FloatDType;
}

const MODULE_TO_OPTIONS = optionKeys<ModuleToOptions>()(['device', 'dtype']);
const DEVICES: readonly unknown[] = ['cpu', 'webgpu'];

function deviceReady(fn: string, device: Device): void {
  if (device === 'webgpu' && !isWebGPUReady()) throw new DeviceError(`${fn}: device 'webgpu' is not initialised: call \`await initWebGPU()\` first`);
}

/** A `to` target as { device?, dtype? }: a device name, a dtype name, or the options object. */
function moveTarget(fn: string, target: unknown): ModuleToOptions {
  if (DEVICES.includes(target)) return { device: target as Device };
  if (typeof target !== 'object' || target === null) {
    if (target !== 'float32' && target !== 'float64') throw new ArgumentError(`${fn}: dtype must be 'float32' or 'float64', got ${show(target)}`);
    return { dtype: target };
  }
  checkOptions(fn, target, MODULE_TO_OPTIONS);
  const { device, dtype } = target as ModuleToOptions;
  if (device !== undefined && !DEVICES.includes(device)) throw new ArgumentError(`${fn}: device must be 'cpu' or 'webgpu', got ${show(device)}`);
  if (dtype !== undefined && dtype !== 'float32' && dtype !== 'float64') throw new ArgumentError(`${fn}: dtype must be 'float32' or 'float64', got ${show(dtype)}`);
  return { ...(device === undefined ? {} : { device }), ...(dtype === undefined ? {} : { dtype }) };
}

/**
 * What `loadStateDict` reports (PyTorch's `_IncompatibleKeys`): keys that did not match (only
 * non-empty with strict: false).
 */
export interface LoadResult {
  /** The module's keys the state dict lacked (left unchanged). */
  missingKeys: string[];
  /** Keys of the state dict the module does not have (ignored). */
  unexpectedKeys: string[];
}

// Being a parameter or a buffer is a property of the tensor (like torch.nn.Parameter), so a
// parameter can be shared by two modules (weight tying) by plain assignment.
const parameterTensors = new WeakSet<Tensor>();
const bufferTensors = new WeakSet<Tensor>();
// Each parameter's dotted name in the module it was last listed from (namedParameters or
// parameters), so an optimizer built from model.parameters() names a bad gradient 'fc.weight'.
const parameterNames = new WeakMap<Tensor, string>();

/** The dotted name under which t was last listed by a module's parameters(), if any. */
export function parameterName(t: Tensor): string | undefined {
  return parameterNames.get(t);
}

/** Marks t as a trainable parameter (sets requiresGrad) and returns it; assign it to a Module property. */
export function parameter(t: Tensor): Tensor {
  if (!(t instanceof Tensor)) throw new ArgumentError(`parameter: t must be a Tensor, got ${show(t)}`);
  if (bufferTensors.has(t)) throw new ArgumentError('parameter: this tensor is already a buffer');
  t.requiresGrad = true;
  parameterTensors.add(t);
  return t;
}

/** Marks t as a buffer: state that is saved and loaded but not trained (running statistics). */
export function buffer(t: Tensor): Tensor {
  if (!(t instanceof Tensor)) throw new ArgumentError(`buffer: t must be a Tensor, got ${show(t)}`);
  if (parameterTensors.has(t)) throw new ArgumentError('buffer: this tensor is already a parameter');
  bufferTensors.add(t);
  return t;
}

/** What a module holds directly: found by walking its properties. */
interface Members {
  parameters: [string, Tensor][];
  buffers: [string, Tensor][];
  children: [string, Module<any, any>][];
}

/**
 * Base class of every layer and model. Parameters, buffers and submodules are ordinary
 * properties: a Module-valued property is a submodule; a Tensor-valued property must have been
 * created through `this.parameter(...)` or `this.buffer(...)` (or the free functions), otherwise every walk of the module
 * (parameters(), stateDict(), train()...) throws, so a forgotten registration cannot go unnoticed.
 * State-dict names are the property names in snake_case (`runningMean` → `running_mean`),
 * in declaration order, joined with dots (`layer1.0.conv1.weight`).
 */
export abstract class Module<In extends unknown[] = [Tensor], Out = Tensor> {
  /**
   * Training mode (true) or evaluation mode (false): Dropout and BatchNorm read it; set it for the
   * whole tree with `train()` / `eval()`.
   */
  training = true;

  /** The computation (PyTorch's forward); call the module through `call` rather than this directly. */
  abstract forward(...args: In): Out;

  /**
   * Runs forward: PyTorch's `module(x)`, typed as forward's arguments and result (the class's
   * `In` and `Out`). Call this rather than forward: a missing input (no arguments, or
   * undefined/null as the first) throws an ArgumentError naming the module instead of a TypeError
   * deep inside, and `summary` sees the call. nn's layers also check that their input is a Tensor.
   * Other arguments are passed as given (a module may take optional ones).
   */
  invoke(...args: In): Out {
    return this.#run('invoke', args);
  }

  /**
   * The same as {@link invoke}, under its former name.
   * @deprecated Use `invoke(x)`: `call` shadows Function.prototype.call's name, so a module reads
   * like a function being called with `this` = x. It keeps working.
   */
  call(...args: In): Out {
    return this.#run('call', args);
  }

  /**
   * next.invoke(this.invoke(...args)) as one fused op, where this module has one for `next`
   * (BatchNorm2d then MaxPool2d): the same values and gradients, bit for bit. Undefined where it
   * has none (the default): Sequential, which asks, then invokes the two in turn.
   */
  invokeWithNext(next: Module<any, any>, ...args: In): unknown {
    void next;
    void args;
    return undefined;
  }

  #run(method: 'invoke' | 'call', args: In): Out {
    const input: unknown = args[0];
    if (this.forward.length > 0 && (input === undefined || input === null)) {
      throw new ArgumentError(
        `${this.constructor.name}.${method}: input (argument 0) is ${args.length === 0 ? 'missing' : String(input)}; ` +
          `forward takes ${this.forward.length} argument(s), e.g. model.invoke(x) with x a Tensor`,
      );
    }
    return this.forward(...args);
  }

  /**
   * Moves every parameter and buffer to a device and/or converts the floating-point ones to a
   * dtype, in place (PyTorch's `module.to(...)`): `to('webgpu')`, `to('float64')`,
   * `to({ device: 'webgpu', dtype: 'float32' })`. The tensors stay the same objects, so tied
   * weights stay tied and an optimizer still holds the module's parameters; gradients move and
   * convert with them; int32 buffers (BatchNorm's numBatchesTracked) move but keep their dtype.
   * An optimizer's state follows its parameters' device at its next step (created there if new);
   * it is not converted to another dtype, as in PyTorch: create the optimizer after converting.
   * Moving from a GPU back to the CPU reads GPU memory: use `await module.toAsync('cpu')`.
   * WebGPU holds float32 (and int32) only. Everything is checked before anything moves.
   * A graph recorded before the call cannot be backpropagated any more (it saved the old values).
   */
  to(target: FloatDType | Device | ModuleToOptions): this {
    const fn = `${this.constructor.name}.to`;
    const { device, dtype } = moveTarget(fn, target);
    const tensors = this.#tensors();
    if (device !== undefined) {
      deviceReady(fn, device);
      for (const [name, t] of tensors) {
        if (t.device !== device && t.device !== 'cpu') {
          throw new DeviceError(`${fn}: '${name}' is on '${t.device}', and moving it to '${device}' reads GPU memory, which is asynchronous: use \`await model.toAsync('${device}')\``);
        }
      }
    }
    for (const [name, t] of tensors) {
      const to = device ?? t.device;
      const finalDtype = dtype !== undefined && t.dtype !== 'int32' ? dtype : t.dtype;
      if (to !== 'cpu' && finalDtype === 'float64') {
        throw new DTypeError(`${fn}: '${name}' is float64, which '${to}' cannot hold (float32 and int32 only): use model.to({ device: '${to}', dtype: 'float32' })`);
      }
    }
    noGrad(() => {
      for (const [, t] of tensors) {
        if (dtype !== undefined && t.dtype !== dtype && t.dtype !== 'int32') {
          t._replaceStorage(cast(t.detach(), dtype).storage);
          if (t.grad !== null) t.grad = cast(t.grad.detach(), dtype);
        }
        if (device !== undefined && t.device !== device) {
          t._replaceStorage(t.detach().to(device).storage);
          if (t.grad !== null) t.grad = t.grad.to(device);
        }
      }
    });
    return this;
  }

  /**
   * `to(...)` for any pair of devices: parameters, buffers and gradients on a GPU are read back
   * first when they go to the CPU (nothing changes until every readback has arrived).
   */
  async toAsync(target: FloatDType | Device | ModuleToOptions): Promise<this> {
    const fn = `${this.constructor.name}.toAsync`;
    const { device } = moveTarget(fn, target);
    if (device !== undefined) deviceReady(fn, device);
    const away = this.#tensors().filter(([, t]) => device !== undefined && t.device !== device && t.device !== 'cpu').map(([, t]) => t);
    const hosts = await Promise.all(away.map((t) => t.dataAsync()));
    const grads = await Promise.all(away.map((t) => (t.grad === null ? null : t.grad.toAsync('cpu'))));
    noGrad(() => {
      away.forEach((t, i) => {
        t._replaceStorage(hosts[i]!);
        if (grads[i] !== null) t.grad = grads[i]!;
      });
    });
    return this.to(target);
  }

  /** Every parameter and buffer once, by dotted name (a tied tensor under its first name). */
  #tensors(): [string, Tensor][] {
    const seen = new Set<Tensor>();
    return [...this.namedParameters(), ...this.namedBuffers()].filter(([, t]) => !seen.has(t) && seen.add(t));
  }

  /** `to('float64')` (PyTorch's module.double()). */
  double(): this {
    return this.to('float64');
  }

  /** `to('float32')` (PyTorch's module.float()). */
  float(): this {
    return this.to('float32');
  }

  /**
   * A table of the layers one forward pass runs through (dotted names, nested by call), their
   * output shapes and parameter counts, and the totals: trainable and non-trainable parameters
   * (as torchinfo's summary). `inputShape` includes the batch dim, e.g. [1, 1, 28, 28]; a module
   * whose forward takes several tensors gets one shape per argument ([[1, 8], [1, 4]]). The pass
   * runs on zeros in the module's dtype, in eval mode without a graph, and changes no state.
   */
  summary(inputShape: readonly number[] | readonly (readonly number[])[]): string {
    const where = `${this.constructor.name}.summary`;
    const isShape = (s: unknown): s is readonly number[] => Array.isArray(s) && s.every((d) => Number.isInteger(d) && d >= 0);
    if (!Array.isArray(inputShape) || inputShape.length === 0) {
      throw new ArgumentError(`${where}: inputShape must be a shape such as [1, 3, 32, 32] (or one shape per input), got ${show(inputShape)}`);
    }
    const shapes = inputShape.every(Array.isArray) ? (inputShape as readonly (readonly number[])[]) : [inputShape as readonly number[]];
    const bad = shapes.findIndex((s) => !isShape(s));
    if (bad >= 0) throw new ArgumentError(`${where}: inputShape must hold non-negative integers, got ${show(shapes[bad])}`);
    return summaryTable(this, shapes);
  }

  /** Marks t as a trainable parameter (see the free function `parameter`). */
  protected parameter(t: Tensor): Tensor {
    return parameter(t);
  }

  /** Marks t as a buffer (see the free function `buffer`). */
  protected buffer(t: Tensor): Tensor {
    return buffer(t);
  }

  /** [name, value] of each direct member; containers override this to supply their own names. */
  protected members(): Iterable<[string, unknown]> {
    return Object.entries(this).map(([k, v]): [string, unknown] => [snakeCase(k), v]);
  }

  #members(): Members {
    const out: Members = { parameters: [], buffers: [], children: [] };
    const seen = new Set<string>();
    const where = this.constructor.name;
    for (const [name, value] of this.members()) {
      if (value instanceof Module) {
        out.children.push([name, value]);
      } else if (value instanceof Tensor) {
        if (parameterTensors.has(value)) out.parameters.push([name, value]);
        else if (bufferTensors.has(value)) out.buffers.push([name, value]);
        else {
          throw new ArgumentError(
            `${where}: property '${name}' holds a Tensor ${value.toString()} that is neither a parameter nor a buffer; ` +
              `create it with this.parameter(...) or this.buffer(...), or keep it in a #private field`,
          );
        }
      } else if (holdsModulesOrTensors(value)) {
        throw new ArgumentError(
          `${where}: property '${name}' is a collection holding Modules or Tensors, which would not be registered; ` +
            `use ModuleList, ModuleDict or Sequential (or one property per tensor)`,
        );
      } else {
        continue;
      }
      if (seen.has(name)) throw new ArgumentError(`${where}: two members map to the state-dict name '${name}'`);
      seen.add(name);
    }
    return out;
  }

  /** Direct submodules with their names. */
  *namedChildren(): Generator<[string, Module<any, any>]> {
    yield* this.#members().children;
  }

  /** Direct submodules (PyTorch's children()). */
  *children(): Generator<Module<any, any>> {
    for (const [, m] of this.namedChildren()) yield m;
  }

  /** This module and every descendant, pre-order, each once, with dotted names ('' for this). */
  *namedModules(prefix = '', seen = new Set<Module<any, any>>()): Generator<[string, Module<any, any>]> {
    if (seen.has(this)) return;
    seen.add(this);
    yield [prefix, this];
    for (const [name, child] of this.namedChildren()) yield* child.namedModules(join(prefix, name), seen);
  }

  /** This module and every descendant, pre-order, each once (PyTorch's modules()). */
  *modules(): Generator<Module<any, any>> {
    for (const [, m] of this.namedModules()) yield m;
  }

  /** Every parameter once (shared ones under their first name), PyTorch's order. */
  *namedParameters(): Generator<[string, Tensor]> {
    for (const [name, t] of this.#namedTensors('parameters')) {
      parameterNames.set(t, name);
      yield [name, t];
    }
  }

  /** Every parameter once (shared ones once), in PyTorch's order: what an optimizer takes. */
  parameters(): Tensor[] {
    return [...this.namedParameters()].map(([, t]) => t);
  }

  /** Every buffer (running statistics...) with its dotted name, each once. */
  *namedBuffers(): Generator<[string, Tensor]> {
    yield* this.#namedTensors('buffers');
  }

  /** Every buffer, each once. */
  buffers(): Tensor[] {
    return [...this.namedBuffers()].map(([, t]) => t);
  }

  *#namedTensors(kind: 'parameters' | 'buffers'): Generator<[string, Tensor]> {
    const seen = new Set<Tensor>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, t] of m.#members()[kind]) {
        if (seen.has(t)) continue;
        seen.add(t);
        yield [join(prefix, name), t];
      }
    }
  }

  /** Number of trainable values (each shared parameter counted once). */
  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /** Sets training mode on this module and all descendants (Dropout, BatchNorm read it). */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new ArgumentError(`${this.constructor.name}.train: mode must be a boolean, got ${show(mode)}`);
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Sets evaluation mode on this module and all descendants: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** Drops every parameter's gradient (PyTorch's zero_grad(set_to_none=True)). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Calls fn on every descendant, children first, then on this (for custom initialisation). */
  apply(fn: (m: Module<any, any>) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Every parameter and buffer by dotted name. The tensors share data with the module
   * (detached, as PyTorch's state_dict): clone them to keep a snapshot.
   */
  stateDict(prefix = ''): StateDict {
    const out: StateDict = new Map();
    const visit = (m: Module<any, any>, p: string): void => {
      const { parameters, buffers, children } = m.#members();
      for (const [name, t] of [...parameters, ...buffers]) out.set(p + name, t.detach());
      for (const [name, child] of children) visit(child, `${p}${name}.`);
    };
    visit(this, prefix);
    return out;
  }

  /**
   * Copies a state dict's values into this module's parameters and buffers in place. Everything
   * is checked before anything is written, so a failed load leaves the module unchanged.
   */
  loadStateDict(sd: StateDict | Record<string, Tensor>, options: LoadStateDictOptions = {}): LoadResult {
    const plan = this.checkStateDict(sd, options);
    noGrad(() => {
      for (const [target, source] of plan.copies) target.copy_(source);
    });
    return { missingKeys: plan.missingKeys, unexpectedKeys: plan.unexpectedKeys };
  }

  /**
   * Checks sd against this module without changing anything: throws a StateDictError listing
   * every problem, or returns what loadStateDict would copy.
   */
  checkStateDict(sd: StateDict | Record<string, Tensor>, options: LoadStateDictOptions = {}): LoadResult & {
    /** [module tensor, state-dict tensor] pairs that loadStateDict would copy. */
    copies: [Tensor, Tensor][];
  } {
    const where = `${this.constructor.name}.loadStateDict`;
    checkOptions(where, options, LOAD_STATE_DICT_OPTIONS);
    const strict = options.strict ?? true;
    if (typeof strict !== 'boolean') throw new ArgumentError(`${where}: strict must be a boolean, got ${show(strict)}`);
    if (sd === null || typeof sd !== 'object') throw new ArgumentError(`${where}: sd must be a Map or an object of name → Tensor, got ${show(sd)}`);
    const entries = sd instanceof Map ? sd : new Map(Object.entries(sd));
    const own = this.stateDict();
    const problems: string[] = [];
    const copies: [Tensor, Tensor][] = [];
    const missingKeys = [...own.keys()].filter((k) => !entries.has(k));
    const unexpectedKeys = [...entries.keys()].filter((k) => !own.has(k));
    if (strict) {
      for (const k of missingKeys) problems.push(`missing key '${k}'`);
      for (const k of unexpectedKeys) problems.push(`unexpected key '${k}'`);
    }
    for (const [key, target] of own) {
      const source: unknown = entries.get(key);
      if (source === undefined) continue;
      if (!(source instanceof Tensor)) {
        problems.push(`'${key}' must be a Tensor, got ${show(source)}`);
      } else if (!shapesEqual(source.shape, target.shape)) {
        problems.push(`'${key}' has shape [${source.shape.join(',')}] but the module expects [${target.shape.join(',')}]`);
      } else if (source.dtype !== target.dtype) {
        problems.push(`'${key}' has dtype ${source.dtype} but the module expects ${target.dtype}`);
      } else {
        copies.push([target, source]);
      }
    }
    if (problems.length > 0) throw new StateDictError(where, problems);
    return { missingKeys, unexpectedKeys, copies };
  }
}

function join(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}.${name}`;
}

function holdsModulesOrTensors(value: unknown): boolean {
  const items = Array.isArray(value) ? value : value instanceof Map || value instanceof Set ? [...value.values()] : [];
  return items.some((v) => v instanceof Module || v instanceof Tensor);
}

