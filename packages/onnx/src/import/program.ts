// The graph as importOnnx runs it: the live nodes in topological order, each bound to its
// operator, with the values known at import (constants folded) and the weights. run() interprets
// the nodes one by one with core ops, so the tape records the whole forward pass.
import { Tensor } from '@tensorgrad/core';
import { OnnxImportError } from './errors.js';
import type { NodeContext, OpHandler } from './ops/types.js';
import { HostValue, type Value, asTensor } from './values.js';

/** One node to run. */
export interface Step {
  handler: OpHandler;
  ctx: NodeContext;
  inputs: readonly string[];
  outputs: readonly string[];
  /** Values this step reads for the last time (dropped after it, so memory is freed early). */
  release: readonly string[];
}

/** A graph input: its name, and the sizes of its dims (undefined where symbolic or unknown). */
export interface GraphInput {
  name: string;
  dims: readonly (number | undefined)[] | undefined;
}

/** Runs one node, naming it in any error that escapes. */
export function runStep(step: Step, inputs: (Value | undefined)[], training: boolean): (Value | undefined)[] {
  try {
    return step.handler.run(inputs, { ...step.ctx, training });
  } catch (e) {
    if (e instanceof OnnxImportError || !(e instanceof Error)) throw e;
    e.message = `${step.ctx.where}: ${e.message}`;
    throw e;
  }
}

/** The executable graph. */
export class Program {
  constructor(
    readonly inputs: readonly GraphInput[],
    readonly outputs: readonly string[],
    readonly steps: readonly Step[],
    /** Values known before any input: weights (tensors) and folded constants (host values). */
    readonly known: ReadonlyMap<string, Value>,
  ) {}

  /** The graph's outputs for these inputs (in graph-input order), recorded on the tape. */
  run(xs: readonly Tensor[], training: boolean, where: string): Tensor[] {
    if (xs.length !== this.inputs.length) {
      throw new OnnxImportError(`${where}: the graph takes ${this.inputs.length} input(s) (${this.inputs.map((i) => i.name).join(', ')}), got ${xs.length}`);
    }
    const values = new Map<string, Value>(this.known);
    this.inputs.forEach((spec, i) => {
      const x = xs[i];
      if (!(x instanceof Tensor)) throw new OnnxImportError(`${where}: input '${spec.name}' must be a Tensor, got ${x === null ? 'null' : typeof x}`);
      checkInput(spec, x, where);
      values.set(spec.name, x);
    });
    for (const step of this.steps) {
      const args = step.inputs.map((name) => (name === '' ? undefined : values.get(name)));
      const results = runStep(step, args, training);
      step.outputs.forEach((name, k) => {
        const v = results[k];
        if (name !== '' && v !== undefined) values.set(name, v);
      });
      for (const name of step.release) values.delete(name);
    }
    return this.outputs.map((name) => {
      const v = values.get(name);
      if (v === undefined) throw new OnnxImportError(`${where}: output '${name}' was not computed`);
      return v instanceof HostValue ? asTensor(v) : v;
    });
  }
}

/**
 * Fixed sizes must match the graph's declared input shape, except the first (the batch), which
 * may differ: exporters often fix it at the example's size although the graph works for any.
 */
function checkInput(spec: GraphInput, x: Tensor, where: string): void {
  const dims = spec.dims;
  if (dims === undefined) return;
  const bad = dims.length !== x.ndim || dims.some((d, i) => i > 0 && d !== undefined && d !== x.shape[i]);
  if (bad) {
    const shown = dims.map((d, i) => (i === 0 ? 'batch' : (d ?? '?'))).join(',');
    throw new OnnxImportError(`${where}: input '${spec.name}' must have shape [${shown}], got [${x.shape.join(',')}]`);
  }
}
