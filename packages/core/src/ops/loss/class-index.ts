// Picking each target's class along the class dim, and its transpose (scatter into a zero
// tensor). Each one's VJP is the other, so losses built on them have gradients of every order.
// Layout: x viewed as [outer, C, inner] (class dim 1, or 0 for a 1-D x), target as [outer, inner].
import { type CaseTools, defineOp } from '../../autograd/registry.js';
import { backendOf } from '../../backend/index.js';
import { zeroFilled } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';

export interface ClassIndexAttrs {
  /** Targets equal to this pick nothing (0) and receive no gradient. */
  ignoreIndex: number;
  classes: number;
}

/** inner = product of the dims after the class dim (target dims after the batch dim). */
const innerOf = (target: Tensor): number => (target.ndim <= 1 ? 1 : target.size / target.shape[0]!);

/** x's shape for a target shape: C inserted as dim 1 (dim 0 for a 0-d target). */
export function classShape(targetShape: readonly number[], classes: number): number[] {
  return targetShape.length === 0 ? [classes] : [targetShape[0]!, classes, ...targetShape.slice(1)];
}

// y[o, i] = x[o, t[o, i], i];  dx = scatter(dy) to the same places
const gatherOp = defineOp({
  name: 'classGather',
  inputs: ['x', 'target'],
  nondifferentiable: ['target'],
  forward: ({ x, target }, { ignoreIndex, classes }: ClassIndexAttrs) => {
    const y = zeroFilled(target.shape, x.dtype, target.device);
    backendOf(x).copy.classGather(x.storage, target.storage, classes, innerOf(target), ignoreIndex, y.storage);
    return y;
  },
  vjp: ({ dy, target }, attrs) => ({ x: () => classScatter(dy, target, attrs) }),
  cases: (tools) => classCases(tools, 'x'),
});

// y[o, t[o, i], i] = g[o, i] (0 elsewhere);  dg = gather(dy) from the same places
const scatterOp = defineOp({
  name: 'classScatter',
  inputs: ['g', 'target'],
  nondifferentiable: ['target'],
  forward: ({ g, target }, { ignoreIndex, classes }: ClassIndexAttrs) => {
    const y = zeroFilled(classShape(target.shape, classes), g.dtype, target.device);
    backendOf(g).copy.classScatter(g.storage, target.storage, classes, innerOf(target), ignoreIndex, y.storage);
    return y;
  },
  vjp: ({ dy, target }, attrs) => ({ g: () => classGather(dy, target, attrs) }),
  cases: (tools) => classCases(tools, 'g'),
});

export function classGather(x: Tensor, target: Tensor, attrs: ClassIndexAttrs): Tensor {
  return gatherOp({ x, target }, attrs);
}

export function classScatter(g: Tensor, target: Tensor, attrs: ClassIndexAttrs): Tensor {
  return scatterOp({ g, target }, attrs);
}

function classCases<K extends 'x' | 'g'>({ fc, arb }: CaseTools, input: K) {
  return fc
    .record({ targetShape: arb.shape({ rank: [0, 3], maxDim: 3 }), classes: fc.integer({ min: 1, max: 4 }), ignoreIndex: fc.constantFrom(-100, 0) })
    .chain(({ targetShape, classes, ignoreIndex }) =>
      fc
        .tuple(
          arb.tensorOfShape(input === 'x' ? classShape(targetShape, classes) : targetShape),
          arb.tensorOfShape(targetShape, { dtype: 'int32', min: 0, max: classes - 1 }),
        )
        .map(([v, target]) => ({ inputs: { [input]: v, target } as Record<K | 'target', Tensor>, attrs: { ignoreIndex, classes } })),
    );
}
