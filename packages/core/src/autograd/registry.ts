// defineOp: the only way an op enters the system, and the module every op file imports. That is
// why it installs the engine into Tensor.backward (the tensor room cannot import autograd): a
// bundle that can build a graph has applied an op, and every op was made by defineOp, so the
// engine is there. It is installed by the call, not by a module side effect, which a tree-shaking
// bundler (core has "sideEffects": false) could drop.
import { installBackwardEngine } from '../tensor/tensor.js';
import { backwardFromTensor } from './engine.js';
import { registerOp } from './op-table.js';
import type { Op, OpSpec } from './types.js';

export { listOps, getOp, inPlaceAsOutOfPlace } from './op-table.js';
export type {
  CaseArbitrary, CaseTools, ForwardContext, GradCheckSettings, InputSpec, Op, OpCase, OpDef, OpInputs, OpSpec, VjpArgs, VjpResult,
} from './types.js';

/** Adds an op and its VJP to the registry and returns the function that applies it. */
export function defineOp<const N extends readonly string[], A = Record<string, never>, S = undefined>(
  spec: OpSpec<N, A, S>,
): Op<N, A> {
  installBackwardEngine(backwardFromTensor);
  return registerOp(spec);
}
