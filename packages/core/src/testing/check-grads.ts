import { vjp } from '../autograd/grad.js';
import { noGrad } from '../autograd/mode.js';
import { ArgumentError, TensorError, formatShape } from '../errors.js';
import { checkNumber, checkOptions, optionKeys } from '../options.js';
import { formatTensorExact } from '../tensor/format.js';
import { Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { add, mul } from '../ops/elementwise/arithmetic.js';
import { sum } from '../ops/reduce/sum.js';

/** Options of `checkGrads` (tolerances, order, which inputs, how many directions). */
export interface CheckGradsOptions {
  /** 1 checks the VJP; 2 also checks the VJP of the VJP (default 1). */
  order?: 1 | 2;
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Pass when |analytic - numeric| <= atol + rtol·max(|analytic|, |numeric|). */
  rtol?: number;
  /** Absolute tolerance (default 1e-5; rtol's default is 1e-4). */
  atol?: number;
  /** Inputs up to this many elements get their full Jacobian checked; larger ones random directions (default 64). */
  fullJacobianMax?: number;
  /** Random directions per large input (default 3). */
  directions?: number;
  /** Indices of the inputs to differentiate (default: every float32 or float64 input). */
  wrt?: readonly number[];
  /** Seed for the random cotangent and directions (default 0). */
  seed?: number;
}

const CHECK_GRADS_OPTIONS = optionKeys<CheckGradsOptions>()(['order', 'eps', 'rtol', 'atol', 'fullJacobianMax', 'directions', 'wrt', 'seed']);

/** What a passing `checkGrads` returns. */
export interface GradCheckReport {
  /** Number of scalar comparisons made (always at least 1: a check that compares nothing throws). */
  comparisons: number;
  /** Largest |analytic − numeric| seen over all comparisons. */
  maxAbsError: number;
  /** Inputs that were float32: they were checked on float64 copies (f ran in float64). */
  castToFloat64: number[];
}

/** Where and by how much an analytic gradient disagreed with finite differences. */
export interface GradCheckFailure {
  /** 1: the VJP of f; 2: the VJP of f's VJP. */
  order: 1 | 2;
  /** Index of the input whose gradient is wrong. */
  input: number;
  /** The element compared (inputs up to fullJacobianMax elements), else null. */
  element: number | null;
  /** The random direction compared (larger inputs), else null. */
  direction: number | null;
  /** The gradient component from the VJP. */
  analytic: number;
  /** The same component by central finite differences. */
  numeric: number;
  /** atol + rtol·max(|analytic|, |numeric|): the largest difference that would have passed. */
  tolerance: number;
}

/**
 * Thrown by `checkGrads` (and the property checks) when an analytic gradient disagrees with finite
 * differences; its fields say where and by how much, its message also prints the inputs.
 */
export class GradCheckError extends TensorError implements GradCheckFailure {
  readonly order: 1 | 2;
  readonly input: number;
  readonly element: number | null;
  readonly direction: number | null;
  /** The gradient component from the VJP. */
  readonly analytic: number;
  /** The same component by central finite differences. */
  readonly numeric: number;
  readonly tolerance: number;

  constructor(message: string, failure: GradCheckFailure, cause?: unknown) {
    super(message);
    this.order = failure.order;
    this.input = failure.input;
    this.element = failure.element;
    this.direction = failure.direction;
    this.analytic = failure.analytic;
    this.numeric = failure.numeric;
    this.tolerance = failure.tolerance;
    if (cause !== undefined) this.cause = cause;
  }
}

/**
 * Checks the VJPs behind f against central finite differences in float64. f may return any
 * shape: the check uses L(x) = ⟨f(x), u⟩ for a random cotangent u. float32 inputs are checked
 * on float64 copies (a step of 1e-6 is below float32's resolution), so f must compute in its
 * inputs' dtype. Throws GradCheckError naming the order, input, element and both values on a
 * mismatch, and ArgumentError when nothing could be compared; returns what it compared.
 */
export function checkGrads(f: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[], options: CheckGradsOptions = {}): GradCheckReport {
  const plan = prepare(f, inputs, options);
  const report = checkOrder(plan, 1);
  if (plan.order === 2) {
    const second = checkOrder(plan, 2);
    report.comparisons += second.comparisons;
    report.maxAbsError = Math.max(report.maxAbsError, second.maxAbsError);
  }
  return report;
}

/**
 * Checks one derivative order only (order 2 without order 1): the property helpers check every
 * case's first order before any case's second order, so that first-order errors come first.
 */
export function checkGradsOfOrder(f: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[], options: CheckGradsOptions, order: 1 | 2): GradCheckReport {
  return checkOrder(prepare(f, inputs, options), order);
}

interface Plan {
  f: (...xs: Tensor[]) => Tensor;
  /** The inputs, with the float32 ones to differentiate replaced by float64 copies. */
  inputs: Tensor[];
  /** f at inputs (float64, not empty). */
  y0: Tensor;
  order: 1 | 2;
  eps: number;
  rtol: number;
  atol: number;
  fullJacobianMax: number;
  directions: number;
  seed: number;
  wrt: number[];
  castToFloat64: number[];
}

/** Validates everything that could make the check compare nothing, or compare noise. */
function prepare(f: (...xs: Tensor[]) => Tensor, given: readonly Tensor[], o: CheckGradsOptions): Plan {
  if (typeof f !== 'function') throw new ArgumentError(`checkGrads: f must be a function, got ${typeof f}`);
  if (!Array.isArray(given)) throw new ArgumentError('checkGrads: inputs must be an array of Tensors');
  given.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new ArgumentError(`checkGrads: input ${i} must be a Tensor, got ${typeof t}`);
  });
  checkOptions('checkGrads', o, CHECK_GRADS_OPTIONS);
  const order = o.order ?? 1;
  if (order !== 1 && order !== 2) throw new ArgumentError(`checkGrads: order must be 1 or 2, got ${String(order)}`);
  const plan = {
    eps: o.eps ?? 1e-6,
    rtol: o.rtol ?? 1e-4,
    atol: o.atol ?? 1e-5,
    fullJacobianMax: o.fullJacobianMax ?? 64,
    directions: o.directions ?? 3,
    seed: o.seed ?? 0,
  };
  checkNumber('checkGrads', 'eps', plan.eps, { min: 0, minExclusive: true });
  checkNumber('checkGrads', 'rtol', plan.rtol, { min: 0 });
  checkNumber('checkGrads', 'atol', plan.atol, { min: 0 });
  checkNumber('checkGrads', 'fullJacobianMax', plan.fullJacobianMax, { min: 0, integer: true });
  checkNumber('checkGrads', 'directions', plan.directions, { min: 1, integer: true });
  checkNumber('checkGrads', 'seed', plan.seed, { integer: true });
  const wrt = resolveWrt(given, o.wrt);
  const castToFloat64 = wrt.filter((i) => given[i]!.dtype === 'float32');
  const inputs = given.map((t, i) => (castToFloat64.includes(i) ? toFloat64(t) : t));
  const y0 = evaluate(f, inputs, castToFloat64);
  return { f, inputs, y0, order, ...plan, wrt, castToFloat64 };
}

function resolveWrt(inputs: readonly Tensor[], wrt: readonly number[] | undefined): number[] {
  const dtypes = inputs.map((t) => t.dtype).join(', ');
  if (wrt === undefined) {
    const floats = inputs.flatMap((t, i) => (t.dtype === 'int32' ? [] : [i]));
    if (floats.length === 0) {
      throw new ArgumentError(
        `checkGrads: no input has a gradient to check (input dtypes: ${dtypes || 'none'}); pass at least one float64 input ` +
          '(float32 inputs are checked on float64 copies)',
      );
    }
    return nonEmpty(inputs, floats);
  }
  if (!Array.isArray(wrt)) throw new ArgumentError('checkGrads: wrt must be an array of input indices');
  if (wrt.length === 0) throw new ArgumentError('checkGrads: wrt selects no input, so nothing would be checked; leave it out to check every float input');
  wrt.forEach((i, k) => {
    if (!Number.isInteger(i) || i < 0 || i >= inputs.length) {
      throw new ArgumentError(`checkGrads: wrt index ${i} is out of range for ${inputs.length} input(s)`);
    }
    if (wrt.indexOf(i) !== k) throw new ArgumentError(`checkGrads: wrt lists input ${i} twice`);
    if (inputs[i]!.dtype === 'int32') throw new ArgumentError(`checkGrads: wrt selects input ${i}, which is int32 and has no gradient`);
  });
  return nonEmpty(inputs, [...wrt]);
}

function nonEmpty(inputs: readonly Tensor[], wrt: number[]): number[] {
  if (wrt.every((i) => inputs[i]!.size === 0)) {
    const shapes = wrt.map((i) => `input ${i} ${formatShape(inputs[i]!.shape)}`).join(', ');
    throw new ArgumentError(`checkGrads: every input to differentiate is empty (${shapes}), so nothing would be checked`);
  }
  return wrt;
}

/** f at the (possibly cast) inputs, checked to be a non-empty float64 tensor. */
function evaluate(f: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[], cast: readonly number[]): Tensor {
  const castNote = cast.length === 0 ? '' : ` (input(s) ${cast.join(', ')} were float32 and were cast to float64 for the check)`;
  let y: unknown;
  try {
    y = noGrad(() => f(...inputs));
  } catch (e) {
    if (cast.length === 0) throw e;
    const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    const error = new ArgumentError(
      `checkGrads: f failed on float64 copies of its float32 input(s) ${cast.join(', ')} (finite differences need float64: a step of ` +
        `1e-6 is below float32's resolution). Make f compute in its inputs' dtype (create constants with { dtype: x.dtype }) ` +
        `or pass float64 inputs. f threw ${message}`,
    );
    error.cause = e;
    throw error;
  }
  if (!(y instanceof Tensor)) throw new ArgumentError(`checkGrads: f must return a Tensor, got ${typeof y}`);
  if (y.dtype !== 'float64') {
    throw new ArgumentError(
      `checkGrads: f returned ${y.dtype} for float64 inputs${castNote}; finite differences need f computed in float64 throughout ` +
        '(a float32 constant or cast inside f rounds the step of 1e-6 away): create its constants with { dtype: x.dtype }',
    );
  }
  if (y.size === 0) throw new ArgumentError(`checkGrads: f returned an empty tensor (shape ${formatShape(y.shape)}), so every gradient would trivially be 0`);
  return y;
}

function checkOrder(plan: Plan, order: 1 | 2): GradCheckReport {
  const report = order === 1 ? compareWithDifferences(plan.f, plan, 1) : compareWithDifferences(secondOrderFunction(plan), plan, 2);
  return { ...report, castToFloat64: [...plan.castToFloat64] };
}

/**
 * Second order: the gradient's directional sum h(x) = Σ ⟨∂L/∂x_i, w_i⟩ (L = ⟨f(x), u⟩, random
 * u and w) is itself a scalar function whose VJP is checked against finite differences.
 */
function secondOrderFunction(plan: Plan): (...xs: Tensor[]) => Tensor {
  const rng = new Generator(plan.seed + 1);
  const u = randomLike(plan.y0, rng);
  const ws = plan.wrt.map((i) => randomLike(plan.inputs[i]!, rng));
  return (...xs: Tensor[]): Tensor => {
    const [, pullback] = vjp((...ws2: Tensor[]) => plan.f(...substitute(xs, plan.wrt, ws2)), ...plan.wrt.map((i) => xs[i]!));
    return sumOfDots(pullback(u), ws);
  };
}

const DESCRIPTION = {
  1: 'order 1 (the VJP of f)',
  2: "order 2 (the VJP of f's VJP, along a random cotangent and direction)",
};

function compareWithDifferences(fn: (...xs: Tensor[]) => Tensor, plan: Plan, order: 1 | 2): { comparisons: number; maxAbsError: number } {
  const { inputs, wrt, eps } = plan;
  const rng = new Generator(plan.seed);
  const u = randomLike(order === 1 ? plan.y0 : noGrad(() => fn(...inputs)), rng);
  const loss = (xs: readonly Tensor[]): number => noGrad(() => dot(fn(...xs), u));
  const [, pullback] = vjp((...ws: Tensor[]) => fn(...substitute(inputs, wrt, ws)), ...wrt.map((i) => inputs[i]!));
  const analytic = pullback(u);
  const report = { comparisons: 0, maxAbsError: 0 };
  wrt.forEach((inputIndex, k) => {
    const x = inputs[inputIndex]!;
    const g = analytic[k]!;
    const numericAlong = (direction: Float64Array): number => {
      const xsPlus = [...inputs];
      const xsMinus = [...inputs];
      xsPlus[inputIndex] = perturbed(x, direction, eps);
      xsMinus[inputIndex] = perturbed(x, direction, -eps);
      return (loss(xsPlus) - loss(xsMinus)) / (2 * eps);
    };
    const compare = (analyticValue: number, numeric: number, element: number | null, direction: number | null): void => {
      const err = Math.abs(analyticValue - numeric);
      const tolerance = plan.atol + plan.rtol * Math.max(Math.abs(analyticValue), Math.abs(numeric));
      report.comparisons++;
      report.maxAbsError = Math.max(report.maxAbsError, err);
      if (err <= tolerance) return;
      const failure: GradCheckFailure = { order, input: inputIndex, element, direction, analytic: analyticValue, numeric, tolerance };
      throw new GradCheckError(failureMessage(failure, plan), failure);
    };
    if (x.size <= plan.fullJacobianMax) {
      for (let j = 0; j < x.size; j++) {
        const e = new Float64Array(x.size);
        e[j] = 1;
        compare(g.data[j]!, numericAlong(e), j, null);
      }
    } else {
      for (let d = 0; d < plan.directions; d++) {
        const v = new Float64Array(x.size);
        for (let j = 0; j < v.length; j++) v[j] = rng.normal();
        let a = 0;
        for (let j = 0; j < v.length; j++) a += g.data[j]! * v[j]!;
        compare(a, numericAlong(v), null, d);
      }
    }
  });
  return report;
}

function failureMessage(f: GradCheckFailure, plan: Plan): string {
  const x = plan.inputs[f.input]!;
  const where = f.element !== null ? `at element ${f.element}` : `along random direction ${f.direction}`;
  const cast = plan.castToFloat64.includes(f.input) ? ', cast from float32' : '';
  const values = plan.inputs.map((t, i) => `  input ${i}: ${formatTensorExact(t.shape, t.dtype, t.data, t.requiresGrad)}`).join('\n');
  return (
    `checkGrads: ${DESCRIPTION[f.order]} is wrong for input ${f.input} (shape ${formatShape(x.shape)}${cast}) ${where}: ` +
    `analytic ${f.analytic}, finite differences ${f.numeric} (abs error ${Math.abs(f.analytic - f.numeric).toExponential(2)} > ` +
    `tolerance ${f.tolerance.toExponential(2)} = atol ${short(plan.atol)} + rtol ${short(plan.rtol)}·max(|analytic|, |numeric|); ` +
    `eps ${short(plan.eps)})\n${values}`
  );
}

/** 1e-5 rather than 0.00001. */
function short(v: number): string {
  return v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential() : String(v);
}

function toFloat64(t: Tensor): Tensor {
  return new Tensor(Float64Array.from(t.data), t.shape);
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
