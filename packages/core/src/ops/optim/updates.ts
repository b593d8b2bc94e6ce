// The optimizers' in-place updates as public functions (PyTorch's torch.optim._functional): nn's
// SGD, Adam, AdamW and RMSprop call them for each parameter, and they run the backend's optimizer
// kernels on the parameter's device, so a model on a GPU is updated without a readback. They are
// not recorded on the tape (call them under noGrad, as optimizers do); they bump the version of
// every tensor they write, so a graph that saved one of them fails loudly in backward.
import { backendOf } from '../../backend/index.js';
import type { KernelArray } from '../../backend/storage.js';
import { ArgumentError, AutogradError, DTypeError, DeviceError, ShapeError, formatShape } from '../../errors.js';
import { checkBoolean, checkNumber, checkOptions, optionKeys } from '../../options.js';
import { assertFloat } from '../../tensor/dtype.js';
import { portablePow } from '../../tensor/portable-pow.js';
import { Tensor } from '../../tensor/tensor.js';

/** Hyperparameters of `sgdUpdate_` (torch.optim.SGD's, for one step). */
export interface SgdUpdateOptions {
  /** Learning rate. */
  lr: number;
  /** Momentum factor μ (default 0); non-zero exactly when a momentum buffer is given. */
  momentum?: number;
  /** Dampening τ of the momentum (default 0). */
  dampening?: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay?: number;
  /** Nesterov momentum (default false). */
  nesterov?: boolean;
  /** The momentum buffer's first step: it is set to the gradient, its values not read (default false). */
  firstStep?: boolean;
}

/** Hyperparameters of `adamUpdate_` (torch.optim.Adam's and AdamW's, for one step). */
export interface AdamUpdateOptions {
  /** Learning rate. */
  lr: number;
  /** β₁ (default 0.9). */
  beta1?: number;
  /** β₂ (default 0.999). */
  beta2?: number;
  /** Added to the denominator (default 1e-8). */
  eps?: number;
  /** λ: an L2 penalty (Adam) or decoupled decay (AdamW) (default 0). */
  weightDecay?: number;
  /** Decoupled weight decay, AdamW (default false). */
  decoupled?: boolean;
  /** The step number t ≥ 1 of the bias corrections 1 − βᵗ. */
  step: number;
}

/** Hyperparameters of `rmspropUpdate_` (torch.optim.RMSprop's, for one step). */
export interface RmspropUpdateOptions {
  /** Learning rate. */
  lr: number;
  /** Smoothing constant α (default 0.99). */
  alpha?: number;
  /** Added to the denominator (default 1e-8). */
  eps?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Momentum factor (default 0); non-zero exactly when a momentum buffer is given. */
  momentum?: number;
}

const SGD_UPDATE_OPTIONS = optionKeys<SgdUpdateOptions>()(['lr', 'momentum', 'dampening', 'weightDecay', 'nesterov', 'firstStep']);
const ADAM_UPDATE_OPTIONS = optionKeys<AdamUpdateOptions>()(['lr', 'beta1', 'beta2', 'eps', 'weightDecay', 'decoupled', 'step']);
const RMSPROP_UPDATE_OPTIONS = optionKeys<RmspropUpdateOptions>()(['lr', 'alpha', 'eps', 'weightDecay', 'momentum']);

/**
 * One SGD step on `param` in place (PyTorch's SGD): d = g + λp; with `momentumBuffer` b = d on the
 * first step, else b = μb + (1−τ)d, and d = d + μb (nesterov) or d = b; p = p − lr·d.
 */
export function sgdUpdate_(param: Tensor, grad: Tensor, momentumBuffer: Tensor | null, options: SgdUpdateOptions): void {
  const fn = 'sgdUpdate_';
  checkOptions(fn, options, SGD_UPDATE_OPTIONS);
  const { lr, momentum = 0, dampening = 0, weightDecay = 0, nesterov = false, firstStep = false } = options;
  numbers(fn, { lr, momentum, dampening, weightDecay });
  checkBoolean(fn, 'nesterov', nesterov);
  checkBoolean(fn, 'firstStep', firstStep);
  momentumMatches(fn, momentum, momentumBuffer);
  const [p, g, b] = arrays(fn, param, grad, [['momentumBuffer', momentumBuffer]]);
  backendOf(param).optimizer.sgd(p!, g!, b ?? null, { lr, momentum, dampening, weightDecay, nesterov, firstStep });
  modified(param, momentumBuffer);
}

/**
 * One Adam step on `param` in place (PyTorch's Adam; AdamW with `decoupled`): m = β₁m + (1−β₁)g,
 * v = β₂v + (1−β₂)g², with `maxExpAvgSq` (AMSGrad) v̂ = max(v̂, v) replacing v;
 * p = p − lr/(1−β₁ᵗ) · m / (√v / √(1−β₂ᵗ) + ε). The bias corrections 1 − βᵗ are computed here with
 * portablePow, so every engine gets the same bits.
 */
export function adamUpdate_(param: Tensor, grad: Tensor, expAvg: Tensor, expAvgSq: Tensor, maxExpAvgSq: Tensor | null, options: AdamUpdateOptions): void {
  const fn = 'adamUpdate_';
  checkOptions(fn, options, ADAM_UPDATE_OPTIONS);
  const { lr, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0, decoupled = false, step } = options;
  numbers(fn, { lr, beta1, beta2, eps, weightDecay });
  checkNumber(fn, 'step', step, { min: 1, integer: true });
  checkBoolean(fn, 'decoupled', decoupled);
  const [p, g, m, v, vMax] = arrays(fn, param, grad, [['expAvg', expAvg], ['expAvgSq', expAvgSq], ['maxExpAvgSq', maxExpAvgSq]]);
  backendOf(param).optimizer.adam(p!, g!, m!, v!, vMax ?? null, {
    lr, beta1, beta2, eps, weightDecay, decoupled,
    biasCorrection1: 1 - portablePow(beta1, step),
    biasCorrection2: 1 - portablePow(beta2, step),
  });
  modified(param, expAvg, expAvgSq, maxExpAvgSq);
}

/**
 * One RMSprop step on `param` in place (PyTorch's RMSprop): s = αs + (1−α)g²; with `gradAvg`
 * (centered) ḡ = αḡ + (1−α)g and s − ḡ² replaces s; u = g/(√s + ε); p = p − lr·u, or with
 * `momentumBuffer` b = μb + u, p = p − lr·b.
 */
export function rmspropUpdate_(
  param: Tensor, grad: Tensor, squareAvg: Tensor, gradAvg: Tensor | null, momentumBuffer: Tensor | null, options: RmspropUpdateOptions,
): void {
  const fn = 'rmspropUpdate_';
  checkOptions(fn, options, RMSPROP_UPDATE_OPTIONS);
  const { lr, alpha = 0.99, eps = 1e-8, weightDecay = 0, momentum = 0 } = options;
  numbers(fn, { lr, alpha, eps, weightDecay, momentum });
  momentumMatches(fn, momentum, momentumBuffer);
  const [p, g, s, ga, b] = arrays(fn, param, grad, [['squareAvg', squareAvg], ['gradAvg', gradAvg], ['momentumBuffer', momentumBuffer]]);
  backendOf(param).optimizer.rmsprop(p!, g!, s!, ga ?? null, b ?? null, { lr, alpha, eps, weightDecay, momentum });
  modified(param, squareAvg, gradAvg, momentumBuffer);
}

/** Every hyperparameter is a finite number (ranges are the optimizer's to check). */
function numbers(fn: string, values: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(values)) checkNumber(fn, name, value);
}

/** A momentum buffer is given exactly when momentum is non-zero: otherwise one of them has no effect. */
function momentumMatches(fn: string, momentum: number, buffer: Tensor | null): void {
  if ((momentum !== 0) !== (buffer !== null)) {
    throw new ArgumentError(`${fn}: momentumBuffer must be given exactly when momentum is non-zero, got momentum ${momentum} and ${buffer === null ? 'no buffer' : 'a buffer'}`);
  }
}

/**
 * The storage of param, grad and each state tensor (null where not given), after checking that
 * they are Tensors of param's shape, dtype and device, that param is floating-point, and that no
 * two of them share storage (the kernels read and write each array once per element).
 */
function arrays(fn: string, param: Tensor, grad: Tensor, state: [string, Tensor | null][]): (KernelArray | null)[] {
  const all: [string, Tensor | null][] = [['param', param], ['grad', grad], ...state];
  for (const [name, t] of all) {
    if (t === null && name !== 'param' && name !== 'grad') continue;
    if (!(t instanceof Tensor)) throw new ArgumentError(`${fn}: ${name} must be a Tensor${name === 'param' || name === 'grad' ? '' : ' or null'}, got ${describe(t)}`);
  }
  assertFloat(fn, 'param', param.dtype);
  const written = new Set<KernelArray>();
  for (const [name, t] of all) {
    if (t === null || t === param) continue;
    if (t.device !== param.device) {
      throw new DeviceError(`${fn}: ${name} is on '${t.device}' but param is on '${param.device}'; optimizer state lives on its parameter's device (move it with .to('${param.device}'))`);
    }
    if (t.shape.length !== param.shape.length || t.shape.some((d, i) => d !== param.shape[i])) {
      throw new ShapeError(`${fn}: ${name} has shape ${formatShape(t.shape)} but param has ${formatShape(param.shape)}`);
    }
    if (t.dtype !== param.dtype) throw new DTypeError(`${fn}: ${name} has dtype ${t.dtype} but param is ${param.dtype}`);
  }
  for (const [name, t] of all) {
    if (t === null || name === 'grad') continue;
    if (!t.isLeaf && t.requiresGrad) throw new AutogradError(`${fn}: ${name} is a non-leaf tensor of a recorded graph and cannot be updated in place`);
    if (written.has(t.storage)) throw new ArgumentError(`${fn}: ${name} shares its storage with another tensor this update writes`);
    written.add(t.storage);
  }
  if (written.has(grad.storage)) throw new ArgumentError(`${fn}: grad shares its storage with a tensor this update writes`);
  return all.map(([, t]) => (t === null ? null : t.storage));
}

function modified(...written: (Tensor | null)[]): void {
  for (const t of written) t?.markModified();
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
}
