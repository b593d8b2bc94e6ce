// What an op is, as defineOp's callers, the op table, the tape (Node) and the engine see it.
// Types only, plus specOf: every autograd module may import this file, and it imports none of them.
import type { Tensor } from '../tensor/tensor.js';

/** 'x' is a required input, 'b?' an optional one (may be null), '...xs' a list (sole input). */
export type InputName<S extends string> = S extends `...${infer B}` ? B : S extends `${infer B}?` ? B : S;
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


/** The spec of the i-th recorded (flattened) input. */
export function specOf(def: OpDef, i: number): InputSpec {
  return def.inputs[def.inputs[0]?.variadic ? 0 : i]!;
}
