// From a decoded ModelProto to a Program: checks the opset and every live node (all problems
// reported in one error), sorts the nodes, turns float initializers into parameters (read by a
// node at a trainable position: weights, biases, scales) or buffers (running statistics and other
// constants), and folds the nodes whose inputs are all known constants.
import { Tensor, tensor } from '@tensorgrad/core';
import { DataType, type GraphProto, type ModelProto, type NodeProto, type TensorProto } from '../proto.js';
import { Attributes } from './attributes.js';
import { OnnxImportError } from './errors.js';
import { OPERATORS } from './ops/registry.js';
import type { NodeContext } from './ops/types.js';
import { type GraphInput, Program, type Step, runStep } from './program.js';
import { HostValue, type Value, floatArrayOf, hostFromProto, kindOfDataType } from './values.js';

/** The opsets importOnnx reads (their operator forms are implemented and tested). */
export const MIN_OPSET = 7;
/** The newest opset importOnnx reads. */
export const MAX_OPSET = 21;

/** A weight of the imported model: a graph initializer that became a parameter or a buffer. */
export interface Weight {
  name: string;
  tensor: Tensor;
  kind: 'parameter' | 'buffer';
}

/** What importOnnx builds a module from. */
export interface Prepared {
  program: Program;
  weights: Weight[];
  opset: number;
}

const WHERE = 'importOnnx';

function describe(node: NodeProto, index: number): string {
  const name = node.name !== undefined && node.name !== '' ? node.name : `#${index}`;
  return `node '${name}' (${node.opType ?? '?'})`;
}

function defaultOpset(model: ModelProto): number {
  const entry = (model.opsetImport ?? []).find((o) => o.domain === undefined || o.domain === '' || o.domain === 'ai.onnx');
  if (entry?.version === undefined) throw new OnnxImportError(`${WHERE}: the model imports no version of the default ONNX operator set`);
  if (entry.version < MIN_OPSET || entry.version > MAX_OPSET) {
    throw new OnnxImportError(`${WHERE}: the model uses opset ${entry.version}; importOnnx reads opsets ${MIN_OPSET} to ${MAX_OPSET}`);
  }
  return entry.version;
}

/** Nodes in a topological order (the given one when it already is, as the spec requires). */
function sortNodes(graph: GraphProto, available: Set<string>): NodeProto[] {
  const nodes = graph.node ?? [];
  const ready = new Set(available);
  const pending = [...nodes];
  const sorted: NodeProto[] = [];
  while (pending.length > 0) {
    const k = pending.findIndex((n) => (n.input ?? []).every((i) => i === '' || ready.has(i)));
    if (k < 0) {
      const stuck = pending[0]!;
      const missing = (stuck.input ?? []).filter((i) => i !== '' && !ready.has(i));
      throw new OnnxImportError(`${WHERE}: ${describe(stuck, nodes.indexOf(stuck))} reads ${missing.map((m) => `'${m}'`).join(', ')}, which no node, input or initializer provides (or the graph has a cycle)`);
    }
    const [node] = pending.splice(k, 1);
    sorted.push(node!);
    for (const o of node!.output ?? []) if (o !== '') ready.add(o);
  }
  return sorted;
}

/** The nodes the graph's outputs depend on. */
function liveNodes(nodes: NodeProto[], outputs: string[]): NodeProto[] {
  const needed = new Set(outputs);
  const live: NodeProto[] = [];
  for (let k = nodes.length - 1; k >= 0; k--) {
    const node = nodes[k]!;
    if ((node.output ?? []).some((o) => needed.has(o))) {
      live.push(node);
      for (const i of node.input ?? []) if (i !== '') needed.add(i);
    }
  }
  return live.reverse();
}

/** Float initializers that some node trains (directly, or through Identity nodes). */
function trainedInitializers(nodes: NodeProto[], initializers: Map<string, TensorProto>): Set<string> {
  const source = new Map<string, string>([...initializers.keys()].map((n) => [n, n]));
  const trained = new Set<string>();
  for (const node of nodes) {
    const inputs = node.input ?? [];
    if (node.opType === 'Identity') {
      const from = source.get(inputs[0] ?? '');
      if (from !== undefined && node.output?.[0] !== undefined) source.set(node.output[0], from);
      continue;
    }
    const trainable = OPERATORS.get(node.opType ?? '')?.trainable;
    inputs.forEach((name, position) => {
      const from = source.get(name);
      if (from !== undefined && (trainable === 'all' || (trainable?.includes(position) ?? false))) trained.add(from);
    });
  }
  return trained;
}

function graphInputs(graph: GraphProto, initializers: Map<string, TensorProto>): GraphInput[] {
  return (graph.input ?? [])
    .filter((i) => !initializers.has(i.name ?? ''))
    .map((i) => {
      const dim = i.type?.tensorType?.shape?.dim;
      return { name: i.name ?? '', dims: dim?.map((d) => (d.dimValue !== undefined && d.dimParam === undefined ? d.dimValue : undefined)) };
    });
}

/** Checks and prepares a model (see the file comment). */
export function prepare(model: ModelProto): Prepared {
  const opset = defaultOpset(model);
  const graph = model.graph;
  if (graph === undefined) throw new OnnxImportError(`${WHERE}: the model has no graph`);
  if (((graph as { sparseInitializer?: unknown[] }).sparseInitializer ?? []).length > 0) {
    throw new OnnxImportError(`${WHERE}: sparse initializers are not supported`);
  }
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const inputs = graphInputs(graph, initializers);
  const outputs = (graph.output ?? []).map((o) => o.name ?? '');
  const nodes = liveNodes(sortNodes(graph, new Set([...initializers.keys(), ...inputs.map((i) => i.name)])), outputs);
  for (const o of outputs) {
    if (!initializers.has(o) && !inputs.some((i) => i.name === o) && !nodes.some((n) => n.output?.includes(o))) {
      throw new OnnxImportError(`${WHERE}: graph output '${o}' is computed by no node`);
    }
  }

  // Every problem at once: unsupported operators, domains and attribute forms.
  const used = new Set([...outputs, ...nodes.flatMap((n) => n.input ?? [])]);
  const problems: string[] = [];
  const steps: Step[] = [];
  nodes.forEach((node, index) => {
    const where = describe(node, index);
    const domain = node.domain ?? '';
    const handler = domain === '' || domain === 'ai.onnx' ? OPERATORS.get(node.opType ?? '') : undefined;
    if (handler === undefined) {
      problems.push(`${where}: ${domain === '' || domain === 'ai.onnx' ? 'operator not supported' : `operator of domain '${domain}' not supported`}`);
      return;
    }
    const ctx: NodeContext = { node, where, attrs: new Attributes(node, where), opset, used: (node.output ?? []).map((o) => o !== '' && used.has(o)) };
    const problem = handler.check?.(ctx);
    if (problem !== undefined) problems.push(`${where}: ${problem}`);
    steps.push({ handler, ctx, inputs: node.input ?? [], outputs: node.output ?? [], release: [] });
  });
  if (problems.length > 0) {
    throw new OnnxImportError(`${WHERE}: the model has ${problems.length} unsupported node(s) (opset ${opset}):\n  ${problems.join('\n  ')}`, problems);
  }

  const trained = trainedInitializers(nodes, initializers);
  const known = new Map<string, Value>();
  const weights: Weight[] = [];
  for (const [name, t] of initializers) {
    if (!used.has(name)) continue;
    const what = `initializer '${name}'`;
    const dataType = t.dataType ?? 0;
    if (dataType === DataType.FLOAT || dataType === DataType.DOUBLE || dataType === DataType.FLOAT16) {
      const data = floatArrayOf(t, what);
      const weight = tensor(data, { shape: t.dims ?? [], dtype: data instanceof Float64Array ? 'float64' : 'float32' });
      weights.push({ name, tensor: weight, kind: trained.has(name) ? 'parameter' : 'buffer' });
      known.set(name, weight);
    } else if (kindOfDataType(dataType) !== undefined) {
      known.set(name, hostFromProto(t, what));
    } else {
      throw new OnnxImportError(`${WHERE}: ${what} has element type ${dataType}, which importOnnx does not read`);
    }
  }
  return { program: new Program(inputs, outputs, fold(steps, known, outputs), known), weights, opset };
}

/** Runs the steps whose inputs are all host constants now, keeping their results as known values. */
function fold(steps: Step[], known: Map<string, Value>, outputs: readonly string[]): Step[] {
  const remaining: Step[] = [];
  for (const step of steps) {
    const args = step.inputs.map((n) => (n === '' ? undefined : known.get(n)));
    const constant = args.every((v, i) => (v === undefined ? step.inputs[i] === '' : v instanceof HostValue));
    if (constant) {
      const results = runStep(step, args, false);
      if (results.every((v, k) => v instanceof HostValue || step.outputs[k] === '' || v === undefined)) {
        step.outputs.forEach((name, k) => {
          const v = results[k];
          if (name !== '' && v !== undefined) known.set(name, v);
        });
        continue;
      }
    }
    remaining.push(step);
  }
  // Each value is dropped after its last reader (graph outputs are kept).
  const lastReader = new Map<string, number>();
  remaining.forEach((s, k) => s.inputs.forEach((n) => n !== '' && !known.has(n) && !outputs.includes(n) && lastReader.set(n, k)));
  return remaining.map((s, k) => ({ ...s, release: s.inputs.filter((n, j) => lastReader.get(n) === k && s.inputs.indexOf(n) === j) }));
}
