// The op table: registerOp checks an op's spec and adds it; applying an op runs its forward and,
// when an input needs a gradient, records a Node on the tape. The public entry is defineOp
// (registry.ts), which also installs the engine; this file sits below the engine, so that an op
// the engine itself applies (accumulate.ts) can be registered here without a cycle.
import { ArgumentError, AutogradError, DeviceError, TensorError } from '../errors.js';
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
  const inPlace = spec.inPlace ?? null;
  if (inPlace !== null && !inputs.some((i) => i.name === inPlace && !i.variadic && !i.optional)) {
    throw new TensorError(`defineOp(${spec.name}): inPlace must name one of its required inputs, got '${String(inPlace)}'`);
  }
  const def: OpDef = {
    name: spec.name,
    inputs,
    forward: spec.forward as OpDef['forward'],
    vjp: spec.vjp as unknown as OpDef['vjp'],
    cases: spec.cases as unknown as OpDef['cases'],
    gradCheck: spec.gradCheck ?? {},
    inPlace,
    apply: (given, attrs) => applyOp(def, given, attrs),
  };
  table.set(spec.name, def);
  const op = ((given: OpInputs<N>, attrs: A) => applyOp(def, given as Record<string, Tensor | Tensor[] | null>, attrs)) as Op<N, A>;
  op.def = def;
  op.applyInPlace = (given, attrs) => applyOpInPlace(def, given as Record<string, Tensor | Tensor[] | null>, attrs);
  return op;
}

function applyOp(def: OpDef, given: Record<string, Tensor | Tensor[] | null>, attrs: unknown, into?: Tensor): Tensor {
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
  if (into !== undefined) checkInPlace(def, inputs, into);
  // The profiler: one null test when off.
  const profiler = activeOpProfiler();
  if (profiler !== null) return timeOp(profiler, 'op', def.name, () => checkedRecord(def, named, inputs, attrs, into));
  return checkedRecord(def, named, inputs, attrs, into);
}

/**
 * Applies an op whose spec names an `inPlace` input with its output written over that input, as
 * PyTorch's in-place ops (`relu_`): the input's version goes up (a VJP recorded earlier that reads
 * it then fails loudly), and when recording, the input gets the op's node, so ops applied to it
 * afterwards differentiate through this one, while ops recorded before keep sending their
 * gradients where they did (Node's edges are fixed when recorded). Returns that input.
 */
export function applyOpInPlace(def: OpDef, given: Record<string, Tensor | Tensor[] | null>, attrs: unknown): Tensor {
  if (def.inPlace === null) throw new TensorError(`${def.name}: this op cannot be applied in place (its spec names no inPlace input)`);
  const into = given[def.inPlace];
  if (!(into instanceof Tensor)) throw new ArgumentError(`${def.name}_: input '${def.inPlace}' must be a Tensor`);
  return outOfPlaceDepth > 0 ? applyOp(def, given, attrs) : applyOp(def, given, attrs, into);
}

let outOfPlaceDepth = 0;

/**
 * Runs fn with in-place ops (relu_, ReLU({ inplace: true })) computed out of place: the same
 * values, each in a tensor of its own. For what names values by tensor, such as a tracer turning
 * the tape into another graph (ONNX export), where an in-place op's input and output are one
 * tensor holding two values in turn (PyTorch's ONNX export likewise removes in-place ops first).
 */
export function inPlaceAsOutOfPlace<T>(fn: () => T): T {
  outOfPlaceDepth++;
  try {
    return fn();
  } finally {
    outOfPlaceDepth--;
  }
}

/** What in place cannot do while recording: overwrite a leaf that requires grad, or storage a view shares. */
function checkInPlace(def: OpDef, inputs: readonly (Tensor | null)[], into: Tensor): void {
  if (!isGradEnabled() || !inputs.some((t, i) => t?.requiresGrad === true && specOf(def, i).differentiable)) return;
  if (into.requiresGrad && into.node === null) {
    throw new AutogradError(
      `${def.name}_: '${def.inPlace}' is a leaf that requires grad, which backward differentiates with respect to: it cannot be overwritten in place. ` +
        `Apply ${def.name} out of place, or to a clone(), or inside noGrad().`,
    );
  }
  if (into.version.shared === true) {
    throw new AutogradError(
      `${def.name}_: '${def.inPlace}' shares its storage with another tensor (a reshape or detach of it, or the tensor it is one of): ` +
        `overwriting it in place would change that tensor's values without its gradient knowing. Apply ${def.name} out of place.`,
    );
  }
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

function checkedRecord(def: OpDef, named: Record<string, Tensor | Tensor[] | null>, inputs: (Tensor | null)[], attrs: unknown, into: Tensor | undefined): Tensor {
  // Anomaly detection: one boolean test when off.
  if (isAnomalyDetectionEnabled()) {
    const stack = callerStack();
    const y = pauseAnomalyDetection(() => record(def, named, inputs, attrs, stack, into));
    checkForward(def, inputs, y, stack);
    return y;
  }
  return record(def, named, inputs, attrs, undefined, into);
}

/** Runs the forward and, when some differentiable input needs a gradient, records its node (see applyOpInPlace for `into`). */
function record(
  def: OpDef, named: Record<string, Tensor | Tensor[] | null>, inputs: (Tensor | null)[], attrs: unknown, stack: string | undefined, into: Tensor | undefined,
): Tensor {
  let saved: unknown = undefined;
  const ctx: ForwardContext<unknown> = { save: (v) => { saved = v; } };
  // In place: the versions the forward read, before its write bumps the one of `into`.
  const versions = into === undefined ? undefined : inputs.map((t) => (t === null ? 0 : t.version.value));
  if (into !== undefined) ctx.into = into;
  // Forward computes values only; what it calls internally is not part of the tape.
  let y = withGradMode(false, () => def.forward(named, attrs, ctx));
  if (into !== undefined) {
    if (y !== into) throw new TensorError(`${def.name}: applied in place, its forward must return ctx.into`);
    into.version.value++;
  }
  const needsGrad = isGradEnabled() && inputs.some((t, i) => t?.requiresGrad === true && specOf(def, i).differentiable);
  if (!needsGrad) return y;
  // An op may return an input unchanged (e.g. a no-op reshape): give the output its own identity.
  if (into === undefined && inputs.includes(y)) y = y.detach();
  // In place, the node's edges come from the input's node before this one replaces it (Node).
  y.node = new Node(def, inputs, attrs, saved, y, stack, versions);
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
