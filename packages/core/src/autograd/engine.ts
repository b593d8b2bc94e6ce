import { AutogradError, ShapeError, formatShape } from '../errors.js';
import { shapesEqual } from '../tensor/shape.js';
import { allocate } from '../tensor/dtype.js';
import { isPoolable, recordAllocations, recycle } from '../tensor/pool.js';
import { Tensor } from '../tensor/tensor.js';
import { withGradMode } from './mode.js';
import type { Node } from './node.js';
import { getOp, specOf } from './registry.js';

export interface BackwardRun {
  /** Sum gradients into `.grad` of leaves that require grad (Tensor.backward). */
  accumulate: boolean;
  /** Record the VJPs on the tape so the gradients are themselves differentiable. */
  createGraph: boolean;
  /** Tensors whose gradients are wanted; the walk stops at them (functional grad). */
  targets?: readonly Tensor[];
}

/**
 * Reverse mode: walks the nodes reachable from `roots` in decreasing sequence number, runs
 * each VJP once with the summed gradient of its output, and returns the gradients of the
 * leaves (or targets) it reached.
 */
export function backward(roots: readonly Tensor[], seeds: readonly (Tensor | null)[], run: BackwardRun): Map<Tensor, Tensor> {
  const targets = new Set(run.targets ?? []);
  const nodes = reachableNodes(roots, targets);
  const nodeGrads = new Map<Node, Tensor>();
  const leafGrads = new Map<Tensor, Tensor>();
  const add = getOp('add');
  // With createGraph the gradients are part of a graph the caller may keep: nothing is reused.
  const recycler = run.createGraph ? null : new GradientRecycler();
  const accumulate = (t: Tensor, g: Tensor): void => {
    const isEnd = t.node === null || targets.has(t);
    const map = (isEnd ? leafGrads : nodeGrads) as Map<Tensor | Node, Tensor>;
    const key = isEnd ? t : t.node!;
    const prev = map.get(key);
    const sum = prev === undefined ? g : add.apply({ a: prev, b: g }, {});
    map.set(key, sum);
    recycler?.hold(sum);
    if (prev !== undefined) recycler?.unhold(prev);
    if (sum !== g) recycler?.consider(g);
  };

  const outerRecording = recycler ? recordAllocations(recycler.allocated) : null;
  try {
    withGradMode(run.createGraph, () => {
      roots.forEach((root, i) => accumulate(root, checkedSeed(root, seeds[i] ?? null)));
      for (const node of nodes) {
        const dy = nodeGrads.get(node);
        if (dy === undefined) continue;
        nodeGrads.delete(node);
        const thunks = node.op.vjp(vjpArgs(node, dy), node.attrs);
        const results = new Map<string, Tensor | Tensor[]>();
        node.inputs.forEach((input, i) => {
          const spec = specOf(node.op, i);
          if (!spec.differentiable || input === null || !input.requiresGrad) return;
          let result = results.get(spec.name);
          if (result === undefined) {
            const thunk = thunks[spec.name];
            if (thunk === undefined) {
              throw new AutogradError(`backward: op '${node.op.name}' returned no gradient for input '${spec.name}'`);
            }
            result = thunk();
            results.set(spec.name, result);
          }
          const g = spec.variadic ? (result as Tensor[])[i] : (result as Tensor);
          if (g === undefined) throw new AutogradError(`backward: op '${node.op.name}' returned no gradient for item ${i} of '${spec.name}'`);
          accumulate(input, checkedGrad(node, spec.variadic ? `${spec.name}[${i}]` : spec.name, input, g));
        });
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

  if (run.accumulate) {
    for (const [leaf, g] of leafGrads) {
      if (!leaf.requiresGrad || leaf.node !== null) continue;
      const grad = run.createGraph ? g : g.detach();
      leaf.grad = leaf.grad === null ? grad : withGradMode(run.createGraph, () => add.apply({ a: leaf.grad, b: grad }, {}));
    }
  }
  return leafGrads;
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

function reachableNodes(roots: readonly Tensor[], targets: ReadonlySet<Tensor>): Node[] {
  const seen = new Set<Node>();
  const stack: Tensor[] = [...roots];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (t.node === null || targets.has(t) || seen.has(t.node)) continue;
    seen.add(t.node);
    for (const input of t.node.inputs) if (input !== null && input.requiresGrad) stack.push(input);
  }
  return [...seen].sort((a, b) => b.seq - a.seq);
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
function vjpArgs(node: Node, dy: Tensor): Record<string, unknown> {
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
    const t = node.inputs[i] ?? null;
    return t === null ? null : check(t, node.inputVersions[i]!, `input ${i} ('${specOf(node.op, i).name}')`);
  };
  node.op.inputs.forEach((spec, i) => {
    Object.defineProperty(args, spec.name, {
      enumerable: true,
      get: () => (spec.variadic ? node.inputs.map((_, j) => checkedInput(j)) : checkedInput(i)),
    });
  });
  Object.defineProperty(args, 'y', { enumerable: true, get: () => check(node.output, node.outputVersion, 'the output') });
  return args;
}

function checkedGrad(node: Node, name: string, input: Tensor, g: Tensor): Tensor {
  if (!shapesEqual(g.shape, input.shape) || g.dtype !== input.dtype) {
    throw new AutogradError(
      `backward: VJP of op '${node.op.name}' returned a gradient for '${name}' of shape ${formatShape(g.shape)} ${g.dtype}, ` +
        `but the input is ${formatShape(input.shape)} ${input.dtype}`,
    );
  }
  return g;
}
