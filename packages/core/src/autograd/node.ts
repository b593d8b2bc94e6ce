import type { GraphNode, Tensor } from '../tensor/tensor.js';
import type { OpDef } from './types.js';

let nextSeq = 0;

/**
 * Where an input's gradient goes: the node that produced it, or the leaf itself (a leaf that
 * required grad when the op ran). Edges outlive `release()`, like PyTorch's next_functions.
 */
export type Edge = Node | Tensor;

/**
 * One recorded op application. The output tensor holds its node and the node holds its
 * inputs, so the tape is just the graph reachable from live tensors. Sequence numbers
 * increase in execution order, so decreasing seq is a valid reverse topological order.
 *
 * What only the VJP needs (input and output values, what forward saved) is dropped by
 * `release()` after backward ran the VJP, so activations die with the user's references
 * instead of with the graph; the edges stay, so a second backward can say what happened.
 */
export class Node implements GraphNode {
  readonly seq = nextSeq++;
  /** Versions of the inputs and output when recorded, to detect later in-place writes. */
  readonly inputVersions: readonly number[];
  readonly outputVersion: number;
  /** The inputs, until release. */
  private readonly links: (Tensor | null)[];
  /**
   * Where each input's gradient goes, fixed when the op is recorded (as PyTorch's next_functions):
   * an in-place op later gives its input a new node (op-table.ts applyOpInPlace), and the ops
   * recorded before it must still send their gradients to the node that made the value they read.
   */
  private readonly edges: (Edge | null)[];
  private _released = false;
  private _saved: unknown;
  private _output: Tensor | null;

  constructor(
    readonly op: OpDef,
    /** Owned by the node from now on (release clears it). */
    inputs: (Tensor | null)[],
    readonly attrs: unknown,
    saved: unknown,
    output: Tensor,
    /** Where the forward op was called (anomaly detection only; undefined otherwise). */
    readonly forwardStack?: string,
    /** The inputs' versions when the op read them, when not their current ones (an in-place op: read, then written). */
    inputVersions?: readonly number[],
  ) {
    this.inputVersions = inputVersions ?? inputs.map((t) => (t === null ? 0 : t.version.value));
    this.outputVersion = output.version.value;
    this.links = inputs;
    this.edges = inputs.map((t) => (t !== null && t.requiresGrad ? nodeOf(t) ?? t : null));
    this._saved = saved;
    this._output = output;
  }

  /** True once backward ran this node's VJP without retainGraph. */
  get released(): boolean {
    return this._released;
  }

  /** Number of (flattened) inputs. */
  get arity(): number {
    return this.links.length;
  }

  /** Where the gradient of input i goes; null where none can flow (no grad needed, or a null input). */
  edge(i: number): Edge | null {
    return this.edges[i] ?? null;
  }

  /** The inputs as recorded (the VJP's view); null after release. */
  get inputs(): readonly (Tensor | null)[] | null {
    return this._released ? null : this.links;
  }

  get saved(): unknown {
    return this._saved;
  }

  get output(): Tensor | null {
    return this._output;
  }

  /** Drops every reference the VJP needed (backward without retainGraph); edges are kept. */
  release(): void {
    this.links.fill(null);
    this._released = true;
    this._saved = undefined;
    this._output = null;
  }
}

/**
 * The node that produced t (null for a leaf). Tensor declares `node` as the tensor room's
 * GraphNode (it cannot import autograd); only autograd's op application sets it, always to a Node.
 */
export function nodeOf(t: Tensor): Node | null {
  return t.node as Node | null;
}
