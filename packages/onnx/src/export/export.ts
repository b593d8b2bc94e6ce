// exportOnnx: the tape of one eval-mode forward as an ONNX model. The walk starts at the output
// and emits each value's producer after its inputs (so nodes come out in topological order):
// the example input becomes the graph input, parameters and buffers become initializers under
// their state-dict names (PyTorch's), other leaf tensors become constants with generated names,
// each recorded op goes through its emitter (ops.ts), and fused layers (trace.ts) become one
// operator each.
import { ArgumentError, Tensor, checkOptions, optionKeys } from '@tensorgrad/core';
import type { Module } from '@tensorgrad/nn';
import { type ModelProto, type ValueInfoProto, encodeModel } from '../proto.js';
import { GraphBuilder, elemTypeOf } from './builder.js';
import { EMITTERS, type EmitContext, type RecordedOp } from './ops.js';
import { type FusedLayer, traceForward } from './trace.js';

/** Options of {@link exportOnnx}. */
export interface ExportOnnxOptions {
  /** ONNX operator set version to write, 13 to 21 (default 17). */
  opset?: number;
  /** Name of the graph input (one name; default `['input']`). */
  inputNames?: string[];
  /** Name of the graph output (one name; default `['output']`). */
  outputNames?: string[];
  /**
   * Make dim 0 (the batch) of the input and output symbolic (`batch`), so the model runs on any
   * batch size (default false: the example input's shape is fixed).
   */
  dynamicBatch?: boolean;
}
const EXPORT_ONNX_OPTIONS = optionKeys<ExportOnnxOptions>()(['opset', 'inputNames', 'outputNames', 'dynamicBatch']);

/** Thrown by {@link exportOnnx} for a model it cannot express in ONNX; the message names the op and the module that applied it. */
export class OnnxExportError extends Error {
  /** The tensorgrad op (or layer) that could not be exported. */
  readonly op: string;
  /** Dotted path of the module that applied it (`''` when unknown). */
  readonly modulePath: string;

  constructor(op: string, modulePath: string, reason: string) {
    super(`exportOnnx: cannot export op '${op}'${modulePath ? ` (applied by module '${modulePath}')` : ''}: ${reason}`);
    this.name = 'OnnxExportError';
    this.op = op;
    this.modulePath = modulePath;
  }
}

const irVersionOf = (opset: number): number => (opset <= 14 ? 7 : opset <= 18 ? 8 : opset <= 20 ? 9 : 10);

function valueInfo(name: string, t: Tensor, batch: boolean): ValueInfoProto {
  const dim = t.shape.map((d, i) => (batch && i === 0 ? { dimParam: 'batch' } : { dimValue: d }));
  return { name, type: { tensorType: { elemType: elemTypeOf(t.dtype), shape: { dim } } } };
}

function checkNames(what: string, names: unknown): string {
  if (!Array.isArray(names) || names.length !== 1 || typeof names[0] !== 'string' || names[0] === '') {
    throw new ArgumentError(`exportOnnx: ${what} must be an array of one non-empty name (the model has one ${what === 'inputNames' ? 'input' : 'output'}), got ${JSON.stringify(names)}`);
  }
  return names[0];
}

/**
 * Exports `model` as ONNX bytes (a `.onnx` file's content) by running it once in eval mode on
 * `exampleInput` and translating the recorded ops: convolutions (groups, dilation, asymmetric
 * 'same' pads; non-zero padding modes as Gather), linear layers (Gemm) and matmul, max/average
 * pooling (ceil mode, count_include_pad, divisor override, adaptive and global), eval BatchNorm
 * (BatchNormalization), LocalResponseNorm (LRN), activations, softmax/logSoftmax, elementwise
 * arithmetic, concat, reshape/flatten, permute, slice and pad. Dropout is the identity in eval
 * mode and leaves no node. Parameters and buffers become initializers under their state-dict
 * names (PyTorch's); other constants get generated names. The model's training flags are restored.
 *
 * Throws an {@link OnnxExportError} naming the op and the module that applied it when an op has no
 * ONNX equivalent here; an ArgumentError for bad options.
 *
 * @example
 * const bytes = exportOnnx(model, randn([1, 3, 32, 32]), { opset: 17, dynamicBatch: true });
 */
export function exportOnnx(model: Module<[Tensor], Tensor>, exampleInput: Tensor, options: ExportOnnxOptions = {}): Uint8Array {
  checkOptions('exportOnnx', options, EXPORT_ONNX_OPTIONS);
  const { opset = 17, dynamicBatch = false } = options;
  if (!Number.isInteger(opset) || opset < 13 || opset > 21) throw new ArgumentError(`exportOnnx: opset must be an integer from 13 to 21, got ${opset}`);
  if (typeof dynamicBatch !== 'boolean') throw new ArgumentError(`exportOnnx: dynamicBatch must be a boolean, got ${typeof dynamicBatch}`);
  const inputName = checkNames('inputNames', options.inputNames ?? ['input']);
  const outputName = checkNames('outputNames', options.outputNames ?? ['output']);
  if (!(exampleInput instanceof Tensor)) throw new ArgumentError(`exportOnnx: exampleInput must be a Tensor, got ${typeof exampleInput}`);
  if (inputName === outputName) throw new ArgumentError(`exportOnnx: the input and output names are both '${inputName}'`);

  const trace = traceForward(model as unknown as Module, exampleInput);
  if (!(trace.output instanceof Tensor)) throw new ArgumentError('exportOnnx: the model must return one Tensor');
  const output = trace.output;
  const b = new GraphBuilder();
  const ctx: EmitContext = { b, opset, dynamicBatch };
  const names = new Map<Tensor, string>([[trace.input, b.reserve(inputName)]]);
  b.reserve(outputName);

  // Parameters and buffers by tensor, and by storage for views of them the forward made (a reshape of a weight).
  const stateNames = new Map<Tensor, string>();
  const storageNames = new Map<unknown, { name: string; tensor: Tensor }>();
  for (const [name, t] of (model as unknown as Module).stateDict()) {
    if (!stateNames.has(t)) stateNames.set(t, name);
    if (!storageNames.has(t.data)) storageNames.set(t.data, { name, tensor: t });
  }
  const emittedState = new Set<string>();

  const leaf = (t: Tensor): string => {
    let name = stateNames.get(t);
    if (name === undefined) {
      const view = storageNames.get(t.data);
      if (view !== undefined && view.tensor.dtype === t.dtype && view.tensor.shape.join() === t.shape.join()) name = view.name;
    }
    if (name !== undefined && !emittedState.has(name)) {
      emittedState.add(name);
      return b.initializerFromTensor(b.reserve(name), t);
    }
    if (name !== undefined) return name;
    return b.initializerFromTensor(b.fresh('const'), t);
  };

  const fusedNode = (f: FusedLayer): string => {
    const x = value(f.input);
    if (f.kind === 'lrn') {
      const m = f.module;
      return b.node('LRN', [x], { size: m.size, alpha: { float: m.alpha }, beta: { float: m.beta }, bias: { float: m.k } });
    }
    const m = f.module;
    const c = m.numFeatures;
    const dtype = f.input.dtype;
    const scale = m.weight === null ? b.floatConstant(`${f.path}.scale`, new Array(c).fill(1), [c], dtype) : value(m.weight);
    const shift = m.bias === null ? b.floatConstant(`${f.path}.shift`, new Array(c).fill(0), [c], dtype) : value(m.bias);
    return b.node('BatchNormalization', [x, scale, shift, value(m.runningMean!), value(m.runningVar!)], { epsilon: { float: m.eps } });
  };

  /** linear's add(matmul(x, wᵀ), b) as one Gemm. */
  const gemmWithBias = (t: Tensor): string | null => {
    const node = t.node;
    if (node === null || node.op.name !== 'add' || node.inputs === null) return null;
    const [mm, bias] = node.inputs;
    const inner = mm?.node;
    if (!mm || !bias || inner === null || inner === undefined || inner.op.name !== 'matmul' || inner.inputs === null) return null;
    const [a, w] = inner.inputs;
    const attrs = inner.attrs as { transA: boolean; transB: boolean };
    if (!a || !w || a.ndim !== 2 || w.ndim !== 2 || bias.ndim !== 1 || attrs.transA || names.has(mm)) return null;
    return b.node('Gemm', [value(a), value(w), value(bias)], { transB: attrs.transB ? 1 : undefined });
  };

  function value(t: Tensor): string {
    const known = names.get(t);
    if (known !== undefined) return known;
    let name: string;
    const fused = trace.fused.get(t);
    const node = t.node;
    if (fused !== undefined) name = fusedNode(fused);
    else if (node === null) name = leaf(t);
    else {
      const path = trace.modulePath.get(t) ?? '';
      const emit = EMITTERS[node.op.name];
      if (emit === undefined) throw new OnnxExportError(node.op.name, path, 'the op has no ONNX equivalent in this exporter');
      name = gemmWithBias(t) ?? '';
      if (name === '') {
        const inputs = (node.inputs ?? []).map((i) => (i === null ? '' : value(i)));
        const op: RecordedOp = { name: node.op.name, attrs: node.attrs, inputs: node.inputs ?? [], output: t };
        try {
          name = emit(op, inputs, ctx);
        } catch (e) {
          if (e instanceof OnnxExportError) throw e;
          throw new OnnxExportError(node.op.name, path, (e as Error).message.replace(/^exportOnnx: /, ''));
        }
      }
    }
    names.set(t, name);
    return name;
  }

  const result = value(output);
  if (result === inputName || b.initializers.some((i) => i.name === result)) b.node('Identity', [result], {}, outputName);
  else for (const n of b.nodes) n.output = n.output!.map((o) => (o === result ? outputName : o)), n.input = n.input!.map((i) => (i === result ? outputName : i));

  const batch = dynamicBatch && exampleInput.ndim > 0;
  const model_: ModelProto = {
    irVersion: irVersionOf(opset),
    opsetImport: [{ domain: '', version: opset }],
    producerName: 'tensorgrad',
    producerVersion: '0.1.0',
    graph: {
      name: (model as object).constructor.name,
      node: b.nodes,
      initializer: b.initializers,
      input: [valueInfo(inputName, exampleInput, batch)],
      output: [valueInfo(outputName, output, batch && output.ndim > 0 && output.shape[0] === exampleInput.shape[0])],
    },
  };
  return encodeModel(model_);
}
