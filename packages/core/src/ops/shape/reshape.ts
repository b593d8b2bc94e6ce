import { defineOp } from '../../autograd/registry.js';
import { ArgumentError, ShapeError, formatShape } from '../../errors.js';
import { type Shape, shapesEqual, sizeOf } from '../../tensor/shape.js';
import { Tensor, sharedVersion } from '../../tensor/tensor.js';

// reshape(x) shares x's data (a view with the same version counter);  dx = reshape(dy, x.shape)
const reshapeOp = defineOp({
  name: 'reshape',
  inputs: ['x'],
  forward: ({ x }, { shape }: { shape: number[] }) => new Tensor(x.storage, shape, sharedVersion(x)),
  vjp: ({ dy, x }) => ({ x: () => reshape(dy, x.shape) }),
  cases: ({ fc, arb }) =>
    arb.shape({ rank: [0, 4] }).chain((s) =>
      fc.record({ inputs: fc.record({ x: arb.tensorOfShape(s) }), attrs: fc.constant({ shape: [sizeOf(s)] }) }),
    ),
});

/** Same values in a new shape; one dim may be -1 (inferred). */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const resolved = resolveShape('reshape', x, shape);
  if (shapesEqual(resolved, x.shape)) return x;
  return reshapeOp({ x }, { shape: resolved });
}

function resolveShape(op: string, x: Tensor, shape: Shape): number[] {
  const inferred = shape.filter((d) => d === -1).length;
  const bad = shape.some((d) => !Number.isInteger(d) || d < -1);
  if (inferred > 1 || bad) throw new ShapeError(`${op}: invalid target shape ${formatShape(shape)} (non-negative integers and at most one -1)`);
  const known = sizeOf(shape.filter((d) => d !== -1));
  // With the other dims holding 0 elements any size fits the -1; PyTorch refuses rather than guess.
  if (inferred === 1 && known === 0) {
    throw new ShapeError(`${op}: cannot infer the -1 of ${formatShape(shape)} for x ${formatShape(x.shape)}: the other dims hold 0 elements, so any size would fit`);
  }
  const out = shape.map((d) => (d === -1 ? x.size / known : d));
  if (sizeOf(out) !== x.size || !out.every(Number.isInteger)) {
    throw new ShapeError(`${op}: cannot reshape x ${formatShape(x.shape)} (${x.size} elements) to ${formatShape(shape)}`);
  }
  return out;
}

/** Flattens dims startDim..endDim into one (PyTorch's flatten; default all but nothing kept). */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  for (const [name, d] of [['startDim', startDim], ['endDim', endDim]] as const) {
    if (!Number.isInteger(d)) throw new ArgumentError(`flatten: ${name} must be an integer, got ${d}`);
  }
  if (x.ndim === 0) return reshape(x, [1]);
  const s = startDim < 0 ? startDim + x.ndim : startDim;
  const e = endDim < 0 ? endDim + x.ndim : endDim;
  if (!(0 <= s && s <= e && e < x.ndim)) {
    throw new ShapeError(`flatten: need 0 <= startDim <= endDim < rank, got startDim ${startDim}, endDim ${endDim} for x ${formatShape(x.shape)}`);
  }
  const mid = sizeOf(x.shape.slice(s, e + 1));
  return reshape(x, [...x.shape.slice(0, s), mid, ...x.shape.slice(e + 1)]);
}

/** Inserts a size-1 dim at `dim`. */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = dim < 0 ? dim + x.ndim + 1 : dim;
  if (!Number.isInteger(d) || d < 0 || d > x.ndim) throw new ShapeError(`unsqueeze: dim ${dim} is out of range for x ${formatShape(x.shape)}`);
  return reshape(x, [...x.shape.slice(0, d), 1, ...x.shape.slice(d)]);
}

/** Removes size-1 dims (all of them, or only `dim`). */
export function squeeze(x: Tensor, dim?: number): Tensor {
  if (dim === undefined) return reshape(x, x.shape.filter((d) => d !== 1));
  const d = dim < 0 ? dim + x.ndim : dim;
  if (!Number.isInteger(d) || d < 0 || d >= x.ndim) throw new ShapeError(`squeeze: dim ${dim} is out of range for x ${formatShape(x.shape)}`);
  return x.shape[d] === 1 ? reshape(x, x.shape.filter((_, i) => i !== d)) : x;
}
