// What an op is, as defineOp's callers, the op table, the tape (Node) and the engine see it.
// Types only, plus specOf: every autograd module may import this file, and it imports none of them.
import type { Tensor } from '../tensor/tensor.js';

/** 'x' is a required input, 'b?' an optional one (may be null), '...xs' a list (sole input). */
export type InputName<S extends string> = S extends `...${infer B}` ? B : S extends `${infer B}?` ? B : S;
type InputValue<S extends string> = S extends `...${string}` ? Tensor[] : S extends `${string}?` ? Tensor | null : Tensor;

export type OpInputs<N extends readonly string[]> = {
  [K in N[number] as InputName<K>]: InputValue<K>;
};

/** What an op's forward receives besides its inputs and attributes. */
export interface ForwardContext<S> {
  /**
   * Keeps values for the VJP (e.g. argmax indices). Inputs and output are kept anyway; all of
   * it is released once backward ran the VJP (unless retainGraph).
   */
  save(value: S): void;
  /**
   * Set when the op is applied in place (an op whose spec names `inPlace`, applied by
   * applyOpInPlace): that input, whose storage the forward writes its result into and returns.
   */
  into?: Tensor;
}

/** What an op's VJP receives: its inputs by name, plus `dy`, `y` and what forward saved. */
export type VjpArgs<N extends readonly string[], S> = OpInputs<N> & {
  /** Gradient of the loss with respect to the output (same shape and dtype as y). */
  dy: Tensor;
  /** The op's output. */
  y: Tensor;
  /** What forward passed to `ctx.save` (undefined if nothing). */
  saved: S;
};

/**
 * What an op's VJP returns: per differentiable input, a thunk computing its gradient (run only if that
 * input needs one), written with ops so that it is itself differentiable.
 */
export type VjpResult<N extends readonly string[]> = {
  [K in N[number] as InputName<K>]?: K extends `...${string}` ? () => Tensor[] : () => Tensor;
};

/** One random, valid application of an op for the generic gradient test (float64 inputs). */
export interface OpCase<N extends readonly string[], A> {
  /** The op's inputs by name. */
  inputs: OpInputs<N>;
  /** The op's attributes (non-tensor arguments). */
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

/** Per-op settings of the registry-wide gradient test (`checkRegisteredOp`). */
export interface GradCheckSettings {
  /** Highest derivative order checked by the generic test (default 2). */
  order?: 1 | 2;
  /** Relative tolerance of the finite-difference comparison (checkGrads' default 1e-4). */
  rtol?: number;
  /** Absolute tolerance of the finite-difference comparison (checkGrads' default 1e-5). */
  atol?: number;
  /** Finite-difference step (checkGrads' default 1e-6). */
  eps?: number;
  /** Number of random cases drawn from the op's `cases` (default 12). */
  numRuns?: number;
}

/** What `defineOp` takes: an op's name, inputs, forward, VJP and random test cases. */
export interface OpSpec<N extends readonly string[], A, S> {
  /** Unique name in the op registry (e.g. 'my.softsign'). */
  name: string;
  /** Input names in order; a trailing '?' marks an optional input. */
  inputs: N;
  /** Inputs with no derivative (labels, indices): declared, never silently skipped. */
  nondifferentiable?: readonly InputName<N[number]>[];
  /**
   * Computes the output (no recording: the op records itself); may save values for the VJP with
   * `ctx.save`.
   */
  forward(inputs: OpInputs<N>, attrs: A, ctx: ForwardContext<S>): Tensor;
  /** Returns a thunk per differentiable input; only the thunks of inputs needing grad run. */
  vjp(args: VjpArgs<N, S>, attrs: A): VjpResult<N>;
  /** Random valid inputs and attributes for the registry-wide gradient test. */
  cases(tools: CaseTools): CaseArbitrary<OpCase<N, A>>;
  /** Tolerances and number of cases for the registry-wide gradient test. */
  gradCheck?: GradCheckSettings;
  /**
   * The input the op may write its output over (same shape and dtype), as PyTorch's `relu_`: its
   * forward then writes into `ctx.into` and returns it, and its VJP must not read that input (its
   * value is gone), only `y` and what forward saved.
   */
  inPlace?: InputName<N[number]>;
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
  /** The registered name. */
  name: string;
  /** The inputs' names and kinds (optional, differentiable, variadic), in order. */
  inputs: readonly InputSpec[];
  /** The spec's forward. */
  forward(inputs: Record<string, Tensor | Tensor[] | null>, attrs: unknown, ctx: ForwardContext<unknown>): Tensor;
  /** The spec's VJP. */
  vjp(args: Record<string, unknown>, attrs: unknown): Record<string, (() => Tensor | Tensor[]) | undefined>;
  /** The spec's random test cases. */
  cases(tools: CaseTools): CaseArbitrary<OpCase<readonly string[], unknown>>;
  /** The spec's gradient-test settings ({} when none). */
  gradCheck: GradCheckSettings;
  /** The input the op may write its output over (applyOpInPlace), or null. */
  inPlace: string | null;
  /** Applies the op to inputs given by name. */
  apply(inputs: Record<string, Tensor | Tensor[] | null>, attrs: unknown): Tensor;
}

/**
 * The function `defineOp` returns: applies the op to inputs by name and attributes (recorded for
 * backward), with its definition as `def`.
 */
export type Op<N extends readonly string[], A> = ((inputs: OpInputs<N>, attrs: A) => Tensor) & {
  /** The op as the registry sees it (for `checkRegisteredOp`, `getOp`). */
  def: OpDef;
  /**
   * Applies the op with its output written over the spec's `inPlace` input, and returns that input
   * (recorded for backward as PyTorch's in-place ops are); throws for an op whose spec names none.
   */
  applyInPlace(inputs: OpInputs<N>, attrs: A): Tensor;
};


/** The spec of the i-th recorded (flattened) input. */
export function specOf(def: OpDef, i: number): InputSpec {
  return def.inputs[def.inputs[0]?.variadic ? 0 : i]!;
}
