// The CPU conv problem and the shape of a conv algorithm (a strategy), shared by the strategies,
// the rule and the chooser (chooser.ts), which picks one strategy per problem.
import type { TypedArray } from '../../../tensor/dtype.js';
import type { ConvProblem, ConvProduct } from '../../conv.js';
import { type ConvPattern, convPattern } from './pattern.js';

export type { ConvProblem, ConvProduct } from '../../conv.js';
export type FloatType = 'float32' | 'float64';

/** A conv problem with what every CPU algorithm derives from it: the plane size and the pattern S of its window. */
export interface ConvShape extends ConvProblem {
  /** inH·inW. */
  plane: number;
  S: ConvPattern;
}

export function convShape(p: ConvProblem): ConvShape {
  return { n: p.n, cin: p.cin, cout: p.cout, groups: p.groups, window: p.window, plane: p.window.inH * p.window.inW, S: convPattern(p.window) };
}

/** The dtype of a float operand. */
export const floatTypeOf = (a: TypedArray): FloatType => (a instanceof Float64Array ? 'float64' : 'float32');

/** Operands of each product: forward (x, w, b), inputGrad (dy, w), filterGrad (x, dy). */
export interface ConvOperands {
  forward: [x: TypedArray, w: TypedArray, b: TypedArray | null];
  inputGrad: [dy: TypedArray, w: TypedArray];
  filterGrad: [x: TypedArray, dy: TypedArray];
}

/** An algorithm that computes a product itself. */
export interface ConvKernelStrategy<P extends ConvProduct> {
  name: string;
  /** Whether this algorithm is correct (and available) for the shape and dtype. */
  applies(s: ConvShape, dtype: FloatType): boolean;
  /** Writes every element of `out` (shaped by convOutputShape; its prior contents are arbitrary). */
  run(s: ConvShape, out: TypedArray, ...operands: ConvOperands[P]): void;
}

/** A forward conv without bias: its shape and operands. */
export interface ForwardConv {
  s: ConvShape;
  x: TypedArray;
  /** Taken from tensor/storage for this conv: whoever runs it recycles it. */
  w: TypedArray;
}

/** An algorithm that turns a product into a forward conv, which the chooser then runs (with its own choice). */
export interface ConvRewriteStrategy<P extends ConvProduct> {
  name: string;
  applies(s: ConvShape, dtype: FloatType): boolean;
  asForward(s: ConvShape, ...operands: ConvOperands[P]): ForwardConv;
}

export type ConvStrategy<P extends ConvProduct> = ConvKernelStrategy<P> | ConvRewriteStrategy<P>;

/**
 * A measured grid point of the rule (rule.ts, rule-table.ts): images, input and output channels
 * per group, output positions, taps, then times in percent: in a 1-thread row, of each applicable algorithm after the default
 * relative to the default (in ruleSignature order); in a 2-thread row, of the algorithm on the
 * calling thread alone relative to it on all threads.
 */
export type RuleRow = number[];
/** Rows by thread count (1, or 2 for every count above 1), product and ruleSignature. */
export type RuleTable = Record<1 | 2, Record<ConvProduct, Record<string, RuleRow[]>>>;
