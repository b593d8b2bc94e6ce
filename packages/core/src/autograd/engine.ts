// Reverse mode: the chain rule walk over the tape. Storage reuse during the walk is the
// recycler's (recycler.ts); the sum of gradients that meet is an op (accumulate.ts).
import { AutogradError, ShapeError, formatShape } from '../errors.js';
import { shapesEqual } from '../tensor/shape.js';
import { filledOn } from '../tensor/creation.js';
import { type BackwardEngine, Tensor } from '../tensor/tensor.js';
import { accumulateGrad } from './accumulate.js';
import { checkGradient, isAnomalyDetectionEnabled, pauseAnomalyDetection } from './anomaly.js';
import { withGradMode } from './mode.js';
import { type Edge, Node, nodeOf } from './node.js';
import { activeOpProfiler, timeOp } from './profiler.js';
import { GradientRecycler } from './recycler.js';
import { mayReuseGradient, offeringGradient } from './gradient-reuse.js';
import { specOf } from './types.js';

export interface BackwardRun {
  /** Sum gradients into `.grad` of leaves that require grad (Tensor.backward). */
  accumulate: boolean;
  /** Record the VJPs on the tape so the gradients are themselves differentiable. */
  createGraph: boolean;
  /** Keep what each node saved for its VJP, so the graph can be walked again (else released). */
  retainGraph: boolean;
  /** Tensors whose gradients are wanted; the walk stops at them (functional grad). */
  targets?: readonly Tensor[];
}

/**
 * Reverse mode: walks the nodes reachable from `roots` (with targets: only those on a path to
 * a target) in decreasing sequence number, runs each VJP once with the summed gradient of its
 * output, releases what the node saved unless retainGraph, and returns the gradients of the
 * leaves (or targets) it reached.
 */
export function backward(roots: readonly Tensor[], seeds: readonly (Tensor | null)[], run: BackwardRun): Map<Tensor, Tensor> {
  const detect = isAnomalyDetectionEnabled();
  // Forward ops inside VJPs may produce and then mask NaN (pow's where): only VJP results are checked.
  return detect ? pauseAnomalyDetection(() => walk(roots, seeds, run, true)) : walk(roots, seeds, run, false);
}

function walk(roots: readonly Tensor[], seeds: readonly (Tensor | null)[], run: BackwardRun, detect: boolean): Map<Tensor, Tensor> {
  // A target is reached through its edge: the target itself if a leaf, else the node that made it.
  const targets = new Map<Edge, Tensor>((run.targets ?? []).map((t) => [edgeOf(t), t]));
  const nodes = reachableNodes(roots.map(edgeOf), targets);
  const nodeGrads = new Map<Node, Tensor>();
  const endGrads = new Map<Edge, Tensor>();
  // With createGraph the gradients are part of a graph the caller may keep: nothing is reused.
  const recycler = run.createGraph ? null : new GradientRecycler();
  const accumulate = (edge: Edge, g: Tensor): void => {
    const isEnd = !(edge instanceof Node) || targets.has(edge);
    const map = (isEnd ? endGrads : nodeGrads) as Map<Edge, Tensor>;
    const prev = map.get(edge);
    const sum = prev === undefined ? g : accumulateGrad(prev, g);
    map.set(edge, sum);
    recycler?.hold(sum);
    if (prev !== undefined) recycler?.unhold(prev);
    if (sum !== g) recycler?.consider(g);
  };

  /** Runs node's VJP with its summed output gradient dy and adds each input's gradient to its slot. */
  const runVjp = (node: Node, inputs: readonly (Tensor | null)[], dy: Tensor): Map<string, Tensor | Tensor[]> => {
    // The profiler (one null test when off) times the VJP and its thunks, not the sums between them.
    const profiler = activeOpProfiler();
    const thunks = profiler === null
      ? node.op.vjp(vjpArgs(node, inputs, dy), node.attrs)
      : timeOp(profiler, 'vjp', node.op.name, () => node.op.vjp(vjpArgs(node, inputs, dy), node.attrs));
    const results = new Map<string, Tensor | Tensor[]>();
    for (let i = 0; i < node.arity; i++) {
      const edge = node.edge(i);
      const spec = specOf(node.op, i);
      if (!spec.differentiable || edge === null || (!(edge instanceof Node) && !edge.requiresGrad)) continue;
      let result = results.get(spec.name);
      if (result === undefined) {
        const thunk = thunks[spec.name];
        if (thunk === undefined) {
          throw new AutogradError(`backward: op '${node.op.name}' returned no gradient for input '${spec.name}'`);
        }
        result = profiler === null ? thunk() : timeOp(profiler, 'vjp', node.op.name, thunk, false);
        results.set(spec.name, result);
      }
      const name = spec.variadic ? `${spec.name}[${i}]` : spec.name;
      const g = spec.variadic ? (result as Tensor[])[i] : (result as Tensor);
      if (g === undefined) throw new AutogradError(`backward: op '${node.op.name}' returned no gradient for item ${i} of '${spec.name}'`);
      checkedGrad(node, name, inputs[i]!, g);
      if (detect) checkGradient(node, name, g, dy);
      accumulate(edge, g);
    }
    return results;
  };

  const runNodes = (): void => {
    roots.forEach((root, i) => accumulate(edgeOf(root), checkedSeed(root, seeds[i] ?? null)));
    for (const node of nodes) {
      const dy = nodeGrads.get(node);
      if (dy === undefined) continue;
      nodeGrads.delete(node);
      const inputs = node.inputs;
      if (inputs === null) throw releasedError(node);
      // dy's storage may take the VJP's result where nothing else can read dy (gradient-reuse.ts).
      const reuse = recycler !== null && !detect && mayReuseGradient(node.op);
      const results = offeringGradient(reuse && recycler.isExclusive(dy) ? dy : null, () => runVjp(node, inputs, dy), reuse);
      if (!run.retainGraph) node.release();
      if (recycler) {
        // Only now, with every thunk of this node run: they may share intermediates.
        recycler.unhold(dy);
        for (const result of results.values()) for (const g of Array.isArray(result) ? result : [result]) recycler.consider(g);
        recycler.flush();
      }
    }
  };
  withGradMode(run.createGraph, () => (recycler ? recycler.recording(runNodes) : runNodes()));

  const grads = new Map<Tensor, Tensor>();
  for (const [edge, g] of endGrads) grads.set(targets.get(edge) ?? (edge as Tensor), g);
  if (run.accumulate) {
    for (const [leaf, g] of grads) {
      if (!leaf.requiresGrad || leaf.node !== null) continue;
      const grad = run.createGraph ? g : g.detach();
      leaf.grad = leaf.grad === null ? grad : withGradMode(run.createGraph, () => accumulateGrad(checkedLeafGrad(leaf), grad));
    }
  }
  return grads;
}

/** Tensor.backward's entry (installed into the tensor room by defineOp, see registry.ts). */
export const backwardFromTensor: BackwardEngine = (root, seed, { createGraph, retainGraph }) => {
  backward([root], [seed], { accumulate: true, createGraph, retainGraph });
};

/** Where a tensor's gradient goes: the node that produced it, or the tensor itself for a leaf. */
const edgeOf = (t: Tensor): Edge => nodeOf(t) ?? t;

function releasedError(node: Node): AutogradError {
  return new AutogradError(
    `backward: trying to backward through the graph a second time: op '${node.op.name}' already ran its VJP in an earlier backward, ` +
      'which released the values it saved (as PyTorch does). Pass { retainGraph: true } to the first backward ' +
      '(t.backward(seed, { retainGraph: true }), pullback(dy, { retainGraph: true }), grad(f, { retainGraph: true })) ' +
      'to walk the same graph again, or recompute the forward.',
  );
}

/**
 * The nodes to run, in decreasing sequence number (a reverse topological order). With targets,
 * only nodes with a path to a target: a closure's unrelated graph is neither walked nor released.
 */
function reachableNodes(roots: readonly Edge[], targets: ReadonlyMap<Edge, Tensor>): Node[] {
  const seen = new Set<Node>();
  const stack: Edge[] = [...roots];
  while (stack.length > 0) {
    const edge = stack.pop()!;
    if (!(edge instanceof Node) || targets.has(edge) || seen.has(edge)) continue;
    seen.add(edge);
    for (let i = 0; i < edge.arity; i++) {
      const e = edge.edge(i);
      if (e !== null && specOf(edge.op, i).differentiable) stack.push(e);
    }
  }
  const nodes = [...seen].sort((a, b) => b.seq - a.seq);
  if (targets.size === 0) return nodes;
  // Increasing seq visits a node's inputs first.
  const leadsToTarget = new Set<Node>();
  for (let k = nodes.length - 1; k >= 0; k--) {
    const node = nodes[k]!;
    for (let i = 0; i < node.arity; i++) {
      const e = node.edge(i);
      if (e !== null && specOf(node.op, i).differentiable && (targets.has(e) || (e instanceof Node && leadsToTarget.has(e)))) {
        leadsToTarget.add(node);
        break;
      }
    }
  }
  return nodes.filter((n) => leadsToTarget.has(n));
}

function checkedSeed(root: Tensor, seed: Tensor | null): Tensor {
  if (seed === null) {
    return filledOn(root.shape, root.dtype, 1, root.device);
  }
  if (!shapesEqual(seed.shape, root.shape)) {
    throw new ShapeError(`backward: seed shape ${formatShape(seed.shape)} does not match output shape ${formatShape(root.shape)}`);
  }
  if (seed.dtype !== root.dtype) {
    throw new ShapeError(`backward: seed dtype ${seed.dtype} does not match output dtype ${root.dtype}`);
  }
  return seed;
}

/** The VJP's view of a node: inputs and output are checked for in-place modification on access. */
function vjpArgs(node: Node, inputs: readonly (Tensor | null)[], dy: Tensor): Record<string, unknown> {
  const args: Record<string, unknown> = { dy, saved: node.saved };
  const check = (t: Tensor, recorded: number, what: string): Tensor => {
    if (t.version.value !== recorded) {
      throw new AutogradError(
        `backward: ${what} of op '${node.op.name}' was modified in place after it was used (version ${recorded}, now ${t.version.value}); ` +
          'its saved value is gone, so the gradient would be wrong. Clone it before modifying it, or modify it after backward.',
      );
    }
    return t;
  };
  const checkedInput = (i: number): Tensor | null => {
    const t = inputs[i] ?? null;
    return t === null ? null : check(t, node.inputVersions[i]!, `input ${i} ('${specOf(node.op, i).name}')`);
  };
  const output = node.output!;
  node.op.inputs.forEach((spec, i) => {
    Object.defineProperty(args, spec.name, {
      enumerable: true,
      get: () => (spec.variadic ? inputs.map((_, j) => checkedInput(j)) : checkedInput(i)),
    });
  });
  Object.defineProperty(args, 'y', { enumerable: true, get: () => check(output, node.outputVersion, 'the output') });
  return args;
}

/** A leaf's .grad, which the user may have set: the sum needs the leaf's shape and dtype. */
function checkedLeafGrad(leaf: Tensor): Tensor {
  const g = leaf.grad!;
  if (!shapesEqual(g.shape, leaf.shape) || g.dtype !== leaf.dtype) {
    throw new AutogradError(
      `backward: cannot add the gradient to .grad of a leaf ${formatShape(leaf.shape)} ${leaf.dtype}: .grad is ${formatShape(g.shape)} ${g.dtype}. ` +
        'A gradient has its tensor\'s shape and dtype; set .grad to null (or zero it with that shape) before backward.',
    );
  }
  return g;
}

function checkedGrad(node: Node, name: string, input: Tensor, g: Tensor): void {
  if (!shapesEqual(g.shape, input.shape) || g.dtype !== input.dtype) {
    throw new AutogradError(
      `backward: VJP of op '${node.op.name}' returned a gradient for '${name}' of shape ${formatShape(g.shape)} ${g.dtype}, ` +
        `but the input is ${formatShape(input.shape)} ${input.dtype}`,
    );
  }
}
