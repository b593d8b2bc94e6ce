import type { Tensor } from '../tensor/tensor.js';
import type { OpDef } from './registry.js';

let nextSeq = 0;

/**
 * One recorded op application. The output tensor holds its node and the node holds its
 * inputs, so the tape is just the graph reachable from live tensors. Sequence numbers
 * increase in execution order, so decreasing seq is a valid reverse topological order.
 */
export class Node {
  readonly seq = nextSeq++;
  /** Versions of the inputs and output when recorded, to detect later in-place writes. */
  readonly inputVersions: readonly number[];
  readonly outputVersion: number;

  constructor(
    readonly op: OpDef,
    readonly inputs: readonly (Tensor | null)[],
    readonly attrs: unknown,
    readonly saved: unknown,
    readonly output: Tensor,
  ) {
    this.inputVersions = inputs.map((t) => (t === null ? 0 : t.version.value));
    this.outputVersion = output.version.value;
  }
}
