import { AutogradError, ShapeError, formatShape } from '../errors.js';
import { shapesEqual } from '../tensor/shape.js';
import { allocate } from '../tensor/dtype.js';
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
  const accumulate = (t: Tensor, g: Tensor): void => {
    const isEnd = t.node === null || targets.has(t);
    const map = (isEnd ? leafGrads : nodeGrads) as Map<Tensor | Node, Tensor>;
    const key = isEnd ? t : t.node!;
    const prev = map.get(key);
    map.set(key, prev === undefined ? g : add.apply({ a: prev, b: g }, {}));
  };

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
    }
  });

  if (run.accumulate) {
    for (const [leaf, g] of leafGrads) {
      if (!leaf.requiresGrad || leaf.node !== null) continue;
      const grad = run.createGraph ? g : g.detach();
      leaf.grad = leaf.grad === null ? grad : withGradMode(run.createGraph, () => add.apply({ a: leaf.grad, b: grad }, {}));
    }
  }
  return leafGrads;
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
