import { ArgumentError, TensorError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { callerStack, checkForward, isAnomalyDetectionEnabled, pauseAnomalyDetection } from './anomaly.js';
import { isGradEnabled, withGradMode } from './mode.js';
import { Node } from './node.js';

/** 'x' is a required input, 'b?' an optional one (may be null), '...xs' a list (sole input). */
type InputName<S extends string> = S extends `...${infer B}` ? B : S extends `${infer B}?` ? B : S;
type InputValue<S extends string> = S extends `...${string}` ? Tensor[] : S extends `${string}?` ? Tensor | null : Tensor;

export type OpInputs<N extends readonly string[]> = {
  [K in N[number] as InputName<K>]: InputValue<K>;
};

export interface ForwardContext<S> {
  /**
   * Keeps values for the VJP (e.g. argmax indices). Inputs and output are kept anyway; all of
   * it is released once backward ran the VJP (unless retainGraph).
   */
  save(value: S): void;
}

export type VjpArgs<N extends readonly string[], S> = OpInputs<N> & {
  /** Gradient of the loss with respect to the output (same shape and dtype as y). */
  dy: Tensor;
  /** The op's output. */
  y: Tensor;
  saved: S;
};

export type VjpResult<N extends readonly string[]> = {
  [K in N[number] as InputName<K>]?: K extends `...${string}` ? () => Tensor[] : () => Tensor;
};

/** One random, valid application of an op for the generic gradient test (float64 inputs). */
export interface OpCase<N extends readonly string[], A> {
  inputs: OpInputs<N>;
  attrs: A;
}

/**
 * What an op's `cases` receives: fast-check as `fc` and tensorgrad's arbitraries as `arb`.
 * Declared empty here so that the main entry's type declarations never need fast-check (an
 * optional peer dependency); '@tensorgrad/core/testing' adds the members (see
 * testing/index.ts). A file that writes `cases` imports that entry (a type-only import
 * is enough) to have them typed.
 */
export interface CaseTools {}

/** What an op's `cases` returns: a fast-check Arbitrary of T once '@tensorgrad/core/testing' is imported. */
export interface CaseArbitrary<T> {}

export interface GradCheckSettings {
  /** Highest derivative order checked by the generic test (default 2). */
  order?: 1 | 2;
  rtol?: number;
  atol?: number;
  eps?: number;
  numRuns?: number;
}

export interface OpSpec<N extends readonly string[], A, S> {
  name: string;
  /** Input names in order; a trailing '?' marks an optional input. */
  inputs: N;
  /** Inputs with no derivative (labels, indices): declared, never silently skipped. */
  nondifferentiable?: readonly InputName<N[number]>[];
  forward(inputs: OpInputs<N>, attrs: A, ctx: ForwardContext<S>): Tensor;
  /** Returns a thunk per differentiable input; only the thunks of inputs needing grad run. */
  vjp(args: VjpArgs<N, S>, attrs: A): VjpResult<N>;
  /** Random valid inputs and attributes for the registry-wide gradient test. */
  cases(tools: CaseTools): CaseArbitrary<OpCase<N, A>>;
  gradCheck?: GradCheckSettings;
}

export interface InputSpec {
  name: string;
  optional: boolean;
  differentiable: boolean;
  /** A list input ('...xs'): the op's only input; its VJP thunk returns one gradient per item. */
  variadic: boolean;
}

/** An op as the registry and the engine see it (types erased). */
export interface OpDef {
  name: string;
  inputs: readonly InputSpec[];
  forward(inputs: Record<string, Tensor | Tensor[] | null>, attrs: unknown, ctx: ForwardContext<unknown>): Tensor;
  vjp(args: Record<string, unknown>, attrs: unknown): Record<string, (() => Tensor | Tensor[]) | undefined>;
  cases(tools: CaseTools): CaseArbitrary<OpCase<readonly string[], unknown>>;
  gradCheck: GradCheckSettings;
  /** Applies the op to inputs given by name. */
  apply(inputs: Record<string, Tensor | Tensor[] | null>, attrs: unknown): Tensor;
}

export type Op<N extends readonly string[], A> = ((inputs: OpInputs<N>, attrs: A) => Tensor) & { def: OpDef };

const registry = new Map<string, OpDef>();

/** Adds an op and its VJP to the registry and returns the function that applies it. */
export function defineOp<const N extends readonly string[], A = Record<string, never>, S = undefined>(
  spec: OpSpec<N, A, S>,
): Op<N, A> {
  if (registry.has(spec.name)) throw new TensorError(`defineOp: an op named '${spec.name}' is already registered`);
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
  registry.set(spec.name, def);
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

/** The spec of the i-th recorded (flattened) input. */
export function specOf(def: OpDef, i: number): InputSpec {
  return def.inputs[def.inputs[0]?.variadic ? 0 : i]!;
}

/** Every registered op, in registration order. */
export function listOps(): OpDef[] {
  return [...registry.values()];
}

export function getOp(name: string): OpDef {
  const def = registry.get(name);
  if (def === undefined) throw new TensorError(`no op named '${name}' is registered`);
  return def;
}
