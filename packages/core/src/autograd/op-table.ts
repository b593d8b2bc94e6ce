// The op table: registerOp checks an op's spec and adds it; applying an op runs its forward and,
// when an input needs a gradient, records a Node on the tape. The public entry is defineOp
// (registry.ts), which also installs the engine; this file sits below the engine, so that an op
// the engine itself applies (accumulate.ts) can be registered here without a cycle.
import { ArgumentError, DeviceError, TensorError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { callerStack, checkForward, isAnomalyDetectionEnabled, pauseAnomalyDetection } from './anomaly.js';
import { isGradEnabled, withGradMode } from './mode.js';
import { Node } from './node.js';
import { activeOpProfiler, timeOp } from './profiler.js';
import { type ForwardContext, type InputSpec, type Op, type OpDef, type OpInputs, type OpSpec, specOf } from './types.js';

const table = new Map<string, OpDef>();

/** Adds an op and its VJP to the table and returns the function that applies it. */
export function registerOp<const N extends readonly string[], A = Record<string, never>, S = undefined>(
  spec: OpSpec<N, A, S>,
): Op<N, A> {
  if (table.has(spec.name)) throw new TensorError(`defineOp: an op named '${spec.name}' is already registered`);
  const nondiff = new Set<string>(spec.nondifferentiable ?? []);
  const inputs: InputSpec[] = spec.inputs.map((raw) => {
    const variadic = raw.startsWith('...');
    const optional = raw.endsWith('?');
    const name = raw.slice(variadic ? 3 : 0, optional ? -1 : undefined);
    return { name, optional, variadic, differentiable: !nondiff.has(name) };
  });
  for (const reserved of ['dy', 'y', 'saved']) {
    if (inputs.some((i) => i.name === reserved)) {
      throw new TensorError(`defineOp(${spec.name}): an input may not be named '${reserved}' (the VJP receives its own '${reserved}')`);
    }
  }
  if (inputs.some((i) => i.variadic) && inputs.length !== 1) {
    throw new TensorError(`defineOp(${spec.name}): a list input ('...name') must be the op's only input`);
  }
  for (const n of nondiff) {
    if (!inputs.some((i) => i.name === n)) throw new TensorError(`defineOp(${spec.name}): nondifferentiable names unknown input '${n}'`);
  }
  const def: OpDef = {
    name: spec.name,
    inputs,
    forward: spec.forward as OpDef['forward'],
    vjp: spec.vjp as unknown as OpDef['vjp'],
    cases: spec.cases as unknown as OpDef['cases'],
    gradCheck: spec.gradCheck ?? {},
    apply: (given, attrs) => applyOp(def, given, attrs),
  };
  table.set(spec.name, def);
  const op = ((given: OpInputs<N>, attrs: A) => applyOp(def, given as Record<string, Tensor | Tensor[] | null>, attrs)) as Op<N, A>;
  op.def = def;
  return op;
}

function applyOp(def: OpDef, given: Record<string, Tensor | Tensor[] | null>, attrs: unknown): Tensor {
  const named: Record<string, Tensor | Tensor[] | null> = {};
  const inputs: (Tensor | null)[] = [];
  for (const spec of def.inputs) {
    const value = given[spec.name] ?? null;
    if (spec.variadic) {
      if (!Array.isArray(value) || value.some((t) => !(t instanceof Tensor))) {
        throw new ArgumentError(`${def.name}: input '${spec.name}' must be an array of Tensors`);
      }
      inputs.push(...value);
    } else {
      if (value === null && !spec.optional) throw new ArgumentError(`${def.name}: missing required input '${spec.name}'`);
      if (value !== null && !(value instanceof Tensor)) throw new ArgumentError(`${def.name}: input '${spec.name}' must be a Tensor`);
      inputs.push(value as Tensor | null);
    }
    named[spec.name] = value;
  }
  checkOneDevice(def, inputs);
  // The profiler: one null test when off.
  const profiler = activeOpProfiler();
  if (profiler !== null) return timeOp(profiler, 'op', def.name, () => checkedRecord(def, named, inputs, attrs));
  return checkedRecord(def, named, inputs, attrs);
}

/** Kernels run on one device: tensors of different devices in one op are refused by name. */
function checkOneDevice(def: OpDef, inputs: readonly (Tensor | null)[]): void {
  let first: Tensor | null = null;
  let firstIndex = -1;
  for (let i = 0; i < inputs.length; i++) {
    const t = inputs[i];
    if (t === null || t === undefined) continue;
    if (first === null) {
      first = t;
      firstIndex = i;
    } else if (t.device !== first.device) {
      // Inputs are flattened: a list input is the op's only input.
      const name = (k: number): string => (def.inputs[0]!.variadic ? `${def.inputs[0]!.name}[${k}]` : def.inputs[k]!.name);
      throw new DeviceError(
        `${def.name}: all tensors must be on one device, but '${name(firstIndex)}' is on '${first.device}' and '${name(i)}' is on '${t.device}'; ` +
          "move one with .to(device) (or await .toAsync('cpu'))",
      );
    }
  }
}

function checkedRecord(def: OpDef, named: Record<string, Tensor | Tensor[] | null>, inputs: (Tensor | null)[], attrs: unknown): Tensor {
  // Anomaly detection: one boolean test when off.
  if (isAnomalyDetectionEnabled()) {
    const stack = callerStack();
    const y = pauseAnomalyDetection(() => record(def, named, inputs, attrs, stack));
    checkForward(def, inputs, y, stack);
    return y;
  }
  return record(def, named, inputs, attrs, undefined);
}

/** Runs the forward and, when some differentiable input needs a gradient, records its node. */
function record(
  def: OpDef, named: Record<string, Tensor | Tensor[] | null>, inputs: (Tensor | null)[], attrs: unknown, stack: string | undefined,
): Tensor {
  let saved: unknown = undefined;
  const ctx: ForwardContext<unknown> = { save: (v) => { saved = v; } };
  // Forward computes values only; what it calls internally is not part of the tape.
  let y = withGradMode(false, () => def.forward(named, attrs, ctx));
  const needsGrad = isGradEnabled() && inputs.some((t, i) => t?.requiresGrad === true && specOf(def, i).differentiable);
  if (!needsGrad) return y;
  // An op may return an input unchanged (e.g. a no-op reshape): give the output its own identity.
  if (inputs.includes(y)) y = y.detach();
  y.node = new Node(def, inputs, attrs, saved, y, stack);
  y.requiresGrad = true;
  return y;
}

/** Every registered op, in registration order. */
export function listOps(): OpDef[] {
  return [...table.values()];
}

/** The registered op of this name (as `defineOp` named it); throws a TensorError if there is none. */
export function getOp(name: string): OpDef {
  const def = table.get(name);
  if (def === undefined) throw new TensorError(`no op named '${name}' is registered`);
  return def;
}
