// Helpers shared by the operator implementations: reading inputs, axes and integer lists.
import type { Tensor } from '@tensorgrad/core';
import { OnnxImportError } from '../errors.js';
import { type Value, asTensor, floatDtypeOf, numbersOf } from '../values.js';
import type { NodeContext } from './types.js';

/** Input i, which the operator requires. */
export function input(inputs: readonly (Value | undefined)[], i: number, ctx: NodeContext): Value {
  const v = inputs[i];
  if (v === undefined) throw new OnnxImportError(`${ctx.where}: input ${i} is required but missing`);
  return v;
}

/** Input i as a tensor (a float host value takes the dtype of the node's tensor inputs). */
export function tensorInput(inputs: readonly (Value | undefined)[], i: number, ctx: NodeContext): Tensor {
  const v = input(inputs, i, ctx);
  return asTensor(v, floatDtypeOf(inputs));
}

/** The integers of input i (shapes, axes, pads), or undefined when the input is omitted. */
export function intsInput(inputs: readonly (Value | undefined)[], i: number): number[] | undefined {
  const v = inputs[i];
  return v === undefined ? undefined : numbersOf(v).map((n) => Math.trunc(n));
}

/** The single number of input i (a scalar or one-element tensor), or undefined when omitted. */
export function scalarInput(inputs: readonly (Value | undefined)[], i: number, ctx: NodeContext, name: string): number | undefined {
  const v = inputs[i];
  if (v === undefined) return undefined;
  const values = numbersOf(v);
  if (values.length !== 1) throw new OnnxImportError(`${ctx.where}: ${name} must hold one value, got shape [${v.shape.join(',')}]`);
  return values[0];
}

/** A possibly negative axis of a rank-`rank` value, checked and made non-negative. */
export function axis(a: number, rank: number, ctx: NodeContext, name = 'axis'): number {
  const r = a < 0 ? a + rank : a;
  if (!Number.isInteger(r) || r < 0 || r >= rank) throw new OnnxImportError(`${ctx.where}: ${name} ${a} is out of range for rank ${rank}`);
  return r;
}

/** Product of dims. */
export function product(dims: readonly number[]): number {
  return dims.reduce((n, d) => n * d, 1);
}
