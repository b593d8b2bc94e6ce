import { vjp } from '../autograd/grad.js';
import { noGrad } from '../autograd/mode.js';
import { ArgumentError, TensorError, formatShape } from '../errors.js';
import { Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { add, mul } from '../ops/elementwise/binary.js';
import { sum } from '../ops/reduce/sum.js';

export class GradCheckError extends TensorError {}

export interface CheckGradsOptions {
  /** 1 checks the VJP; 2 also checks the VJP of the VJP (default 1). */
  order?: 1 | 2;
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Pass when |analytic - numeric| <= atol + rtol·max(|analytic|, |numeric|). */
  rtol?: number;
  atol?: number;
  /** Inputs up to this many elements get their full Jacobian checked; larger ones random directions (default 64). */
  fullJacobianMax?: number;
  /** Random directions per large input (default 3). */
  directions?: number;
  /** Indices of the inputs to differentiate (default: every float64 input). */
  wrt?: readonly number[];
  /** Seed for the random cotangent and directions (default 0). */
  seed?: number;
}

export interface GradCheckReport {
  /** Number of scalar comparisons made. */
  comparisons: number;
  maxAbsError: number;
}

/**
 * Checks the VJPs behind f against central finite differences in float64. f may return any
 * shape: the check uses L(x) = ⟨f(x), u⟩ for a random cotangent u. Throws GradCheckError
 * naming the input and element on a mismatch; returns what it compared otherwise.
 */
export function checkGrads(f: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[], options: CheckGradsOptions = {}): GradCheckReport {
  const opts = resolveOptions(inputs, options);
  const report = checkFirstOrder(f, inputs, opts, 'f');
  if (opts.order === 2) {
    // Second order: the gradient's directional sum h(x) = Σ ⟨∂L/∂x_i, w_i⟩ is itself checked.
    const rng = new Generator(opts.seed + 1);
    const u = randomLike(noGrad(() => f(...inputs)), rng);
    const ws = opts.wrt.map((i) => randomLike(inputs[i]!, rng));
    const h = (...xs: Tensor[]): Tensor => {
      const [, pullback] = vjp((...ws2: Tensor[]) => f(...substitute(xs, opts.wrt, ws2)), ...opts.wrt.map((i) => xs[i]!));
      const grads = pullback(u);
      return sumOfDots(grads, ws);
    };
    const second = checkFirstOrder(h, inputs, opts, 'the VJP of f (second order)');
    report.comparisons += second.comparisons;
    report.maxAbsError = Math.max(report.maxAbsError, second.maxAbsError);
  }
  return report;
}

type ResolvedOptions = Required<Omit<CheckGradsOptions, 'wrt'>> & { wrt: number[] };

function resolveOptions(inputs: readonly Tensor[], o: CheckGradsOptions): ResolvedOptions {
  const wrt = o.wrt ? [...o.wrt] : inputs.flatMap((t, i) => (t.dtype === 'float64' ? [i] : []));
  for (const i of wrt) {
    const t = inputs[i];
    if (t === undefined) throw new ArgumentError(`checkGrads: wrt index ${i} is out of range for ${inputs.length} input(s)`);
    if (t.dtype !== 'float64') {
      throw new ArgumentError(`checkGrads: input ${i} must be float64 for a finite-difference check, got ${t.dtype}`);
    }
  }
  return {
    order: o.order ?? 1,
    eps: o.eps ?? 1e-6,
    rtol: o.rtol ?? 1e-4,
    atol: o.atol ?? 1e-5,
    fullJacobianMax: o.fullJacobianMax ?? 64,
    directions: o.directions ?? 3,
    seed: o.seed ?? 0,
    wrt,
  };
}

function checkFirstOrder(f: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[], o: ResolvedOptions, what: string): GradCheckReport {
  const rng = new Generator(o.seed);
  const y0 = noGrad(() => f(...inputs));
  if (!(y0 instanceof Tensor)) throw new ArgumentError('checkGrads: f must return a Tensor');
  const u = randomLike(y0, rng);
  const loss = (xs: readonly Tensor[]): number => noGrad(() => dot(f(...xs), u));
  const [, pullback] = vjp((...ws: Tensor[]) => f(...substitute(inputs, o.wrt, ws)), ...o.wrt.map((i) => inputs[i]!));
  const analytic = pullback(u);
  const report: GradCheckReport = { comparisons: 0, maxAbsError: 0 };
  o.wrt.forEach((inputIndex, k) => {
    const x = inputs[inputIndex]!;
    const g = analytic[k]!;
    const numericAlong = (direction: Float64Array): number => {
      const plus = perturbed(x, direction, o.eps);
      const minus = perturbed(x, direction, -o.eps);
      const xsPlus = [...inputs];
      const xsMinus = [...inputs];
      xsPlus[inputIndex] = plus;
      xsMinus[inputIndex] = minus;
      return (loss(xsPlus) - loss(xsMinus)) / (2 * o.eps);
    };
    const compare = (a: number, n: number, where: string): void => {
      const err = Math.abs(a - n);
      report.comparisons++;
      report.maxAbsError = Math.max(report.maxAbsError, err);
      if (!(err <= o.atol + o.rtol * Math.max(Math.abs(a), Math.abs(n)))) {
        throw new GradCheckError(
          `checkGrads: gradient of ${what} with respect to input ${inputIndex} (shape ${formatShape(x.shape)}) ${where}: ` +
            `analytic ${a}, finite differences ${n} (abs error ${err.toExponential(2)}, atol ${o.atol}, rtol ${o.rtol})`,
        );
      }
    };
    if (x.size <= o.fullJacobianMax) {
      for (let j = 0; j < x.size; j++) {
        const e = new Float64Array(x.size);
        e[j] = 1;
        compare(g.data[j]!, numericAlong(e), `at element ${j}`);
      }
    } else {
      for (let d = 0; d < o.directions; d++) {
        const v = new Float64Array(x.size);
        for (let j = 0; j < v.length; j++) v[j] = rng.normal();
        let a = 0;
        for (let j = 0; j < v.length; j++) a += g.data[j]! * v[j]!;
        compare(a, numericAlong(v), `along random direction ${d}`);
      }
    }
  });
  return report;
}

function substitute(xs: readonly Tensor[], at: readonly number[], values: readonly Tensor[]): Tensor[] {
  const out = [...xs];
  at.forEach((i, k) => { out[i] = values[k]!; });
  return out;
}

function perturbed(x: Tensor, direction: Float64Array, step: number): Tensor {
  const data = new Float64Array(x.size);
  for (let j = 0; j < data.length; j++) data[j] = x.data[j]! + step * direction[j]!;
  return new Tensor(data, x.shape);
}

function randomLike(t: Tensor, rng: Generator): Tensor {
  const data = new Float64Array(t.size);
  for (let j = 0; j < data.length; j++) data[j] = rng.normal();
  return new Tensor(data, t.shape);
}

function dot(a: Tensor, b: Tensor): number {
  if (a.size !== b.size) throw new ArgumentError(`checkGrads: f returned ${a.size} values, expected ${b.size} (f must be deterministic)`);
  let s = 0;
  for (let j = 0; j < a.size; j++) s += a.data[j]! * b.data[j]!;
  return s;
}

/** Σ_i ⟨a_i, b_i⟩ as a differentiable scalar. */
function sumOfDots(as: readonly Tensor[], bs: readonly Tensor[]): Tensor {
  return as.map((a, i) => sum(mul(a, bs[i]!))).reduce((p, q) => add(p, q));
}
