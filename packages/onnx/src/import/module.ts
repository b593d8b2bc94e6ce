// The imported model as an nn Module. Its weights are registered under their graph names split at
// the dots ('layer1.0.conv1.weight' is parameter 'weight' of child 'layer1' > '0' > 'conv1'), so
// namedParameters(), stateDict() and checkpoints use PyTorch's names when the exporter kept them.
import type { Tensor } from '@tensorgrad/core';
import { Module, buffer, parameter } from '@tensorgrad/nn';
import { OnnxImportError } from './errors.js';
import type { Weight } from './prepare.js';
import type { Program } from './program.js';

/** Tensors and sub-groups under the segments of dotted names. */
type Members = Map<string, Tensor | WeightGroup>;

/** A submodule that only holds weights (one segment of their dotted names). */
class WeightGroup extends Module<never[], never> {
  /** Its members, by segment. */
  readonly slots: Members = new Map();

  protected override members(): Iterable<[string, unknown]> {
    return this.slots.entries();
  }

  forward(): never {
    throw new OnnxImportError('OnnxModule: a weight group has no forward; run the OnnxModule');
  }
}

/** Places each weight under its dotted name (its whole name, dots as '_', where the path would clash). */
function placeWeights(root: Members, weights: readonly Weight[]): void {
  for (const w of weights) {
    const t = w.kind === 'parameter' ? parameter(w.tensor) : buffer(w.tensor);
    const parts = w.name.split('.');
    let slots: Members | undefined = parts.includes('') ? undefined : root;
    for (const part of parts.slice(0, -1)) {
      if (slots === undefined) break;
      let next = slots.get(part);
      if (next === undefined) {
        next = new WeightGroup();
        slots.set(part, next);
      }
      slots = next instanceof WeightGroup ? next.slots : undefined;
    }
    const leaf = parts.at(-1)!;
    if (slots !== undefined && !slots.has(leaf)) {
      slots.set(leaf, t);
      continue;
    }
    let flat = w.name.replaceAll('.', '_');
    while (root.has(flat)) flat += '_';
    root.set(flat, t);
  }
}

/**
 * An ONNX graph imported as a Module (see `importOnnx`): `invoke(x)` runs the graph with core
 * ops, so `loss.backward()` reaches its parameters and any optimizer trains them. Float
 * initializers that a node trains (Conv/ConvTranspose/Gemm/MatMul/BatchNormalization weights and
 * biases, Add/Sub/Mul/Div/Concat operands) are parameters; the other float initializers (running
 * statistics...) are buffers; integer initializers are graph constants, in neither.
 */
export class OnnxModule extends Module<Tensor[], Tensor> {
  readonly #program: Program;
  readonly #slots: Members = new Map();
  /** The graph's input names, in the order forward takes them. */
  readonly inputNames: readonly string[];
  /** The graph's output names, in the order forwardAll returns them. */
  readonly outputNames: readonly string[];
  /** The model's default-domain opset version. */
  readonly opset: number;

  /** @internal Built by importOnnx. */
  constructor(program: Program, weights: readonly Weight[], opset: number) {
    super();
    this.#program = program;
    placeWeights(this.#slots, weights);
    this.inputNames = program.inputs.map((i) => i.name);
    this.outputNames = [...program.outputs];
    this.opset = opset;
  }

  protected override members(): Iterable<[string, unknown]> {
    return this.#slots.entries();
  }

  /**
   * Runs the graph on its inputs (one tensor per graph input, in `inputNames` order) and returns
   * its output; a graph with several outputs throws here: use {@link forwardAll}.
   */
  forward(...inputs: Tensor[]): Tensor {
    if (this.outputNames.length !== 1) {
      throw new OnnxImportError(`OnnxModule.forward: the graph has ${this.outputNames.length} outputs (${this.outputNames.join(', ')}); use forwardAll`);
    }
    return this.forwardAll(...inputs)[0]!;
  }

  /** Runs the graph and returns every output, in `outputNames` order. */
  forwardAll(...inputs: Tensor[]): Tensor[] {
    return this.#program.run(inputs, this.training, 'OnnxModule');
  }
}
