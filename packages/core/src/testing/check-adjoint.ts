import { noGrad } from '../autograd/mode.js';
import { TensorError, formatShape } from '../errors.js';
import { Generator } from '../tensor/random.js';
import { shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

export class AdjointError extends TensorError {}

export interface CheckAdjointOptions {
  /** Pass when |⟨A·x, y⟩ − ⟨x, Aᵀ·y⟩| <= atol + rtol·(|⟨A·x, y⟩| + |⟨x, Aᵀ·y⟩|). */
  rtol?: number;
  atol?: number;
  seed?: number;
  /** Random (x, y) pairs to try (default 3). */
  trials?: number;
}

/**
 * Checks that applyTranspose is the adjoint of the linear map apply: ⟨A·x, y⟩ = ⟨x, Aᵀ·y⟩
 * for random float64 x of shape xShape and y of A·x's shape.
 */
export function checkAdjoint(
  apply: (x: Tensor) => Tensor,
  applyTranspose: (y: Tensor) => Tensor,
  xShape: readonly number[],
  options: CheckAdjointOptions = {},
): { lhs: number; rhs: number } {
  const { rtol = 1e-10, atol = 1e-12, seed = 0, trials = 3 } = options;
  const rng = new Generator(seed);
  let last = { lhs: 0, rhs: 0 };
  for (let t = 0; t < trials; t++) {
    const x = normal(xShape, rng);
    const ax = noGrad(() => apply(x));
    const y = normal(ax.shape, rng);
    const aty = noGrad(() => applyTranspose(y));
    if (!shapesEqual(aty.shape, xShape)) {
      throw new AdjointError(`checkAdjoint: applyTranspose returned shape ${formatShape(aty.shape)}, expected x's shape ${formatShape(xShape)}`);
    }
    const lhs = dot(ax, y);
    const rhs = dot(x, aty);
    if (!(Math.abs(lhs - rhs) <= atol + rtol * (Math.abs(lhs) + Math.abs(rhs)))) {
      throw new AdjointError(`checkAdjoint: <A x, y> = ${lhs} but <x, A^T y> = ${rhs} (trial ${t}, difference ${Math.abs(lhs - rhs).toExponential(2)})`);
    }
    last = { lhs, rhs };
  }
  return last;
}

function normal(shape: readonly number[], rng: Generator): Tensor {
  const n = shape.reduce((p, q) => p * q, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = rng.normal();
  return new Tensor(data, shape);
}

function dot(a: Tensor, b: Tensor): number {
  let s = 0;
  for (let i = 0; i < a.size; i++) s += a.data[i]! * b.data[i]!;
  return s;
}
