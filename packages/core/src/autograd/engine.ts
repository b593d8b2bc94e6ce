import { AutogradError, ShapeError, formatShape } from '../errors.js';
import { shapesEqual } from '../tensor/shape.js';
import { allocate, isPoolable, recordAllocations, recycle } from '../tensor/storage.js';
import { Tensor } from '../tensor/tensor.js';
import { withGradMode } from './mode.js';
import { type Edge, Node } from './node.js';
import { checkGradient, isAnomalyDetectionEnabled, pauseAnomalyDetection } from './anomaly.js';
import { getOp, specOf } from './registry.js';

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
  const add = getOp('add');
  // With createGraph the gradients are part of a graph the caller may keep: nothing is reused.
  const recycler = run.createGraph ? null : new GradientRecycler();
  const accumulate = (edge: Edge, g: Tensor): void => {
    const isEnd = !(edge instanceof Node) || targets.has(edge);
    const map = (isEnd ? endGrads : nodeGrads) as Map<Edge, Tensor>;
    const prev = map.get(edge);
    const sum = prev === undefined ? g : add.apply({ a: prev, b: g }, {});
    map.set(edge, sum);
    recycler?.hold(sum);
    if (prev !== undefined) recycler?.unhold(prev);
    if (sum !== g) recycler?.consider(g);
  };

  const outerRecording = recycler ? recordAllocations(recycler.allocated) : null;
  try {
    withGradMode(run.createGraph, () => {
      roots.forEach((root, i) => accumulate(edgeOf(root), checkedSeed(root, seeds[i] ?? null)));
      for (const node of nodes) {
        const dy = nodeGrads.get(node);
        if (dy === undefined) continue;
        nodeGrads.delete(node);
        const inputs = node.inputs;
        if (inputs === null) throw releasedError(node);
        const thunks = node.op.vjp(vjpArgs(node, inputs, dy), node.attrs);
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
            result = thunk();
            results.set(spec.name, result);
          }
          const name = spec.variadic ? `${spec.name}[${i}]` : spec.name;
          const g = spec.variadic ? (result as Tensor[])[i] : (result as Tensor);
          if (g === undefined) throw new AutogradError(`backward: op '${node.op.name}' returned no gradient for item ${i} of '${spec.name}'`);
          checkedGrad(node, name, inputs[i]!, g);
          if (detect) checkGradient(node, name, g, dy);
          accumulate(edge, g);
        }
        if (!run.retainGraph) node.release();
        if (recycler) {
          // Only now, with every thunk of this node run: they may share intermediates.
          recycler.unhold(dy);
          for (const result of results.values()) for (const g of Array.isArray(result) ? result : [result]) recycler.consider(g);
          recycler.flush();
        }
      }
    });
  } finally {
    if (recycler) recordAllocations(outerRecording);
  }

  const grads = new Map<Tensor, Tensor>();
  for (const [edge, g] of endGrads) grads.set(targets.get(edge) ?? (edge as Tensor), g);
  if (run.accumulate) {
    for (const [leaf, g] of grads) {
      if (!leaf.requiresGrad || leaf.node !== null) continue;
      const grad = run.createGraph ? g : g.detach();
      leaf.grad = leaf.grad === null ? grad : withGradMode(run.createGraph, () => add.apply({ a: leaf.grad, b: grad }, {}));
    }
  }
  return grads;
}

/** Where a tensor's gradient goes: the node that produced it, or the tensor itself for a leaf. */
const edgeOf = (t: Tensor): Edge => t.node ?? t;

function releasedError(node: Node): AutogradError {
  return new AutogradError(
    `backward: trying to backward through the graph a second time: op '${node.op.name}' already ran its VJP in an earlier backward, ` +
      'which released the values it saved (as PyTorch does). Pass { retainGraph: true } to the first backward ' +
      '(t.backward(seed, { retainGraph: true }), pullback(dy, { retainGraph: true }), grad(f, { retainGraph: true })) ' +
      'to walk the same graph again, or recompute the forward.',
  );
}

/**
 * Gives the storage of consumed gradients back to the pool. A buffer is reused only if this
 * walk allocated it (so no user tensor and no forward value can share it) and no gradient slot
 * still holds it; gradients are counted per buffer because VJPs may return the same tensor for
 * several inputs (add) or views of dy (reshape). The tensor objects that carried it are
 * released, so a VJP that kept one it returned fails loudly instead of reading reused memory.
 */
class GradientRecycler {
  readonly allocated = new Set<ArrayBufferLike>();
  private readonly held = new Map<ArrayBufferLike, number>();
  /** Every gradient tensor seen on each buffer this walk allocated. */
  private readonly carriers = new Map<ArrayBufferLike, Tensor[]>();
  private readonly pending = new Set<ArrayBufferLike>();

  hold(t: Tensor): void {
    const buffer = this.track(t);
    this.held.set(buffer, (this.held.get(buffer) ?? 0) + 1);
  }

  unhold(t: Tensor): void {
    const buffer = this.track(t);
    const n = this.held.get(buffer)! - 1;
    if (n > 0) this.held.set(buffer, n);
    else this.held.delete(buffer);
    this.pending.add(buffer);
  }

  /** Marks a gradient as possibly dead: flush reuses it unless a slot holds its buffer. */
  consider(t: Tensor): void {
    this.pending.add(this.track(t));
  }

  flush(): void {
    for (const buffer of this.pending) {
      const tensors = this.carriers.get(buffer);
      if (tensors === undefined || this.held.has(buffer)) continue;
      const owner = tensors.find((t) => isPoolable(t.data));
      if (owner === undefined) continue;
      recycle(owner.data, owner.dtype);
      for (const t of tensors) t._releaseStorage();
      this.allocated.delete(buffer);
      this.carriers.delete(buffer);
    }
    this.pending.clear();
  }

  private track(t: Tensor): ArrayBufferLike {
    const buffer = t.data.buffer;
    if (this.allocated.has(buffer)) {
      const tensors = this.carriers.get(buffer);
      if (tensors === undefined) this.carriers.set(buffer, [t]);
      else if (!tensors.includes(t)) tensors.push(t);
    }
    return buffer;
  }
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
    return new Tensor(allocate(root.dtype, root.size).fill(1), root.shape);
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

function checkedGrad(node: Node, name: string, input: Tensor, g: Tensor): void {
  if (!shapesEqual(g.shape, input.shape) || g.dtype !== input.dtype) {
    throw new AutogradError(
      `backward: VJP of op '${node.op.name}' returned a gradient for '${name}' of shape ${formatShape(g.shape)} ${g.dtype}, ` +
        `but the input is ${formatShape(input.shape)} ${input.dtype}`,
    );
  }
}
