// The contract between the graph interpreter and the operator implementations.
import type { NodeProto } from '../../proto.js';
import type { Attributes } from '../attributes.js';
import type { Value } from '../values.js';

/** What an operator implementation knows about the node it runs. */
export interface NodeContext {
  /** The node. */
  node: NodeProto;
  /** The node as messages name it: `'/layer1/Conv' (Conv)`. */
  where: string;
  /** Its attributes. */
  attrs: Attributes;
  /** The model's default-domain opset version (attribute vs input forms depend on it). */
  opset: number;
  /** For each output, whether a node or the graph's outputs read it. */
  used: readonly boolean[];
}

/** What a node's run sees besides its context. */
export interface RunContext extends NodeContext {
  /** The module's training flag (Dropout, BatchNormalization). */
  training: boolean;
}

/** One ONNX operator. */
export interface OpHandler {
  /**
   * Input positions at which a float initializer is trained (becomes a parameter), or 'all';
   * float initializers read nowhere else trainable become buffers.
   */
  trainable?: readonly number[] | 'all';
  /** Why this node cannot be run (an attribute or form not supported), found at import; undefined if it can. */
  check?(ctx: NodeContext): string | undefined;
  /** The node's outputs from its inputs (undefined for an omitted optional input or an unused output). */
  run(inputs: readonly (Value | undefined)[], ctx: RunContext): (Value | undefined)[];
}
