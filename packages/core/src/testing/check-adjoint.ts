import { noGrad } from '../autograd/mode.js';
import { ArgumentError, TensorError, formatShape } from '../errors.js';
import { checkNumber, checkOptions, optionKeys } from '../options.js';
import { Generator } from '../tensor/random.js';
import { shapesEqual, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** Thrown by `checkAdjoint` when ⟨A·x, y⟩ and ⟨x, Aᵀ·y⟩ differ beyond the tolerance. */
export class AdjointError extends TensorError {}

/** Options of `checkAdjoint`. */
export interface CheckAdjointOptions {
  /** Pass when |⟨A·x, y⟩ − ⟨x, Aᵀ·y⟩| <= atol + rtol·(|⟨A·x, y⟩| + |⟨x, Aᵀ·y⟩|). */
  rtol?: number;
  /** Absolute tolerance (default 1e-12; rtol's default is 1e-10). */
  atol?: number;
  /** Seed of the random x and y (default 0). */
  seed?: number;
  /** Random (x, y) pairs to try (default 3). */
  trials?: number;
}

const CHECK_ADJOINT_OPTIONS = optionKeys<CheckAdjointOptions>()(['rtol', 'atol', 'seed', 'trials']);

/**
 * Checks that applyTranspose is the adjoint of the linear map apply: ⟨A·x, y⟩ = ⟨x, Aᵀ·y⟩
 * for random float64 x of shape xShape and y of A·x's shape. A check that would compare
 * nothing (empty x or A·x, or both products exactly 0 in every trial) throws instead of passing.
 */
export function checkAdjoint(
  apply: (x: Tensor) => Tensor,
  applyTranspose: (y: Tensor) => Tensor,
  xShape: readonly number[],
  options: CheckAdjointOptions = {},
): {
  /** ⟨A·x, y⟩ of the last trial. */
  lhs: number;
  /** ⟨x, Aᵀ·y⟩ of the last trial. */
  rhs: number;
} {
  if (typeof apply !== 'function' || typeof applyTranspose !== 'function') {
    throw new ArgumentError('checkAdjoint: apply and applyTranspose must be functions');
  }
  if (!Array.isArray(xShape) || xShape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ArgumentError(`checkAdjoint: xShape must be an array of non-negative integers, got ${String(xShape)}`);
  }
  if (sizeOf(xShape) === 0) throw new ArgumentError(`checkAdjoint: xShape ${formatShape(xShape)} has no elements, so nothing would be compared`);
  checkOptions('checkAdjoint', options, CHECK_ADJOINT_OPTIONS);
  const { rtol = 1e-10, atol = 1e-12, seed = 0, trials = 3 } = options;
  checkNumber('checkAdjoint', 'rtol', rtol, { min: 0 });
  checkNumber('checkAdjoint', 'atol', atol, { min: 0 });
  checkNumber('checkAdjoint', 'seed', seed, { integer: true });
  checkNumber('checkAdjoint', 'trials', trials, { min: 1, integer: true });
  const rng = new Generator(seed);
  let last = { lhs: 0, rhs: 0 };
  let allZero = true;
  for (let t = 0; t < trials; t++) {
    const x = normal(xShape, rng);
    const ax = float64Result('apply', noGrad(() => apply(x)));
    const y = normal(ax.shape, rng);
    const aty = float64Result('applyTranspose', noGrad(() => applyTranspose(y)));
    if (!shapesEqual(aty.shape, xShape)) {
      throw new AdjointError(`checkAdjoint: applyTranspose returned shape ${formatShape(aty.shape)}, expected x's shape ${formatShape(xShape)}`);
    }
    const lhs = dot(ax, y);
    const rhs = dot(x, aty);
    if (!(Math.abs(lhs - rhs) <= atol + rtol * (Math.abs(lhs) + Math.abs(rhs)))) {
      throw new AdjointError(`checkAdjoint: <A x, y> = ${lhs} but <x, A^T y> = ${rhs} (trial ${t}, difference ${Math.abs(lhs - rhs).toExponential(2)})`);
    }
    allZero &&= lhs === 0 && rhs === 0;
    last = { lhs, rhs };
  }
  if (allZero) {
    throw new AdjointError(
      `checkAdjoint: <A x, y> and <x, A^T y> were exactly 0 in all ${trials} trial(s) with random x and y, so nothing was compared ` +
        '(apply and applyTranspose return zeros?)',
    );
  }
  return last;
}

/** A result the float64 comparison can use: a non-empty float64 tensor. */
function float64Result(what: string, t: unknown): Tensor {
  if (!(t instanceof Tensor)) throw new ArgumentError(`checkAdjoint: ${what} must return a Tensor, got ${typeof t}`);
  if (t.dtype !== 'float64') {
    throw new ArgumentError(`checkAdjoint: ${what} returned ${t.dtype} for float64 input; the check compares in float64, so compute in the input's dtype`);
  }
  if (t.size === 0) throw new ArgumentError(`checkAdjoint: ${what} returned an empty tensor (shape ${formatShape(t.shape)}), so nothing would be compared`);
  return t;
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
