import { ArgumentError, ShapeError, formatShape } from '../errors.js';
import { filledOn, zeroFilled } from '../tensor/creation.js';
import { checkBoolean, checkOptions, optionKeys } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { backward } from './engine.js';
import { isGradEnabled, withGradMode } from './mode.js';
import { identity } from './identity.js';

/** Options of the pullback that `vjp` returns. */
export interface PullbackOptions {
  /**
   * Keep what f's ops saved so the pullback can be called again (PyTorch's retain_graph).
   * Default: true where the pullback is itself recorded (nested in another grad), else false:
   * a second call then throws an AutogradError.
   */
  retainGraph?: boolean;
}

const PULLBACK_OPTIONS = optionKeys<PullbackOptions>()(['retainGraph']);

/**
 * The pullback `vjp` returns: maps a cotangent dy (f's output shape) to one gradient per input,
 * (∂f/∂xs)ᵀ·dy.
 */
export type Pullback = (dy: Tensor, options?: PullbackOptions) => Tensor[];

/**
 * Evaluates f at xs and returns its value with the pullback dy ↦ (∂f/∂xs)ᵀ·dy.
 * When called where xs are themselves being differentiated (inside another grad), the
 * pullback is recorded too, so gradients of gradients work.
 */
export function vjp(f: (...xs: Tensor[]) => Tensor, ...xs: Tensor[]): [Tensor, Pullback] {
  xs.forEach((x, i) => {
    if (!(x instanceof Tensor)) throw new ArgumentError(`vjp: argument ${i} must be a Tensor`);
  });
  const nested = isGradEnabled() && xs.some((x) => x.requiresGrad);
  const tracked = xs.map(track);
  const y = withGradMode(true, () => f(...tracked));
  if (!(y instanceof Tensor)) throw new ArgumentError('vjp: f must return a Tensor');
  const pullback: Pullback = (dy, options = {}) => {
    checkOptions('vjp pullback', options, PULLBACK_OPTIONS);
    checkBoolean('vjp pullback', 'retainGraph', options.retainGraph);
    const retainGraph = options.retainGraph ?? nested;
    if (!(dy instanceof Tensor)) throw new ArgumentError(`vjp pullback: dy must be a Tensor, got ${typeof dy}`);
    const grads = y.requiresGrad
      ? backward([y], [dy], { accumulate: false, createGraph: nested, retainGraph, targets: tracked })
      : new Map<Tensor, Tensor>();
    return tracked.map((t) => {
      const g = grads.get(t);
      if (g === undefined) return zeroFilled(t.shape, t.dtype, t.device);
      return nested ? g : g.detach();
    });
  };
  return [nested ? y : y.detach(), pullback];
}

/** Options of `grad` and `valueAndGrad`. */
export interface GradOptions {
  /** Which positional arguments to differentiate (default 0). An array returns an array. */
  argnums?: number | readonly number[];
  /**
   * Keep what f's ops saved after the gradient is computed, for tensors f kept (in a closure)
   * to be differentiated again later; see PullbackOptions.
   */
  retainGraph?: boolean;
}

const GRAD_OPTIONS = optionKeys<GradOptions>()(['argnums', 'retainGraph']);

type GradOf<O extends GradOptions> = O['argnums'] extends readonly number[] ? Tensor[] : Tensor;

/** The gradient function of a scalar-valued f (JAX/functorch style). */
export function grad<O extends GradOptions = { argnums?: number }>(
  f: (...xs: Tensor[]) => Tensor,
  options?: O,
): (...xs: Tensor[]) => GradOf<O> {
  checkOptions('grad', options, GRAD_OPTIONS);
  const vg = valueAndGrad(f, options);
  return (...xs) => vg(...xs)[1];
}

/** Like grad, but also returns f's value: [value, gradient(s)]. */
export function valueAndGrad<O extends GradOptions = { argnums?: number }>(
  f: (...xs: Tensor[]) => Tensor,
  options?: O,
): (...xs: Tensor[]) => [Tensor, GradOf<O>] {
  checkOptions('valueAndGrad', options, GRAD_OPTIONS);
  const argnums = options?.argnums ?? 0;
  checkBoolean('valueAndGrad', 'retainGraph', options?.retainGraph);
  const retain = options?.retainGraph === undefined ? {} : { retainGraph: options.retainGraph };
  const wanted = typeof argnums === 'number' ? [argnums] : [...argnums];
  return (...xs) => {
    for (const a of wanted) {
      if (!Number.isInteger(a) || a < 0 || a >= xs.length) {
        throw new ArgumentError(`grad: argnums entry ${a} is out of range for ${xs.length} argument(s)`);
      }
    }
    const g = (...picked: Tensor[]): Tensor => {
      const args = [...xs];
      wanted.forEach((a, i) => { args[a] = picked[i]!; });
      return f(...args);
    };
    const [value, pullback] = vjp(g, ...wanted.map((a) => xs[a]!));
    if (value.size !== 1) {
      throw new ShapeError(`grad: f must return a one-element tensor, got shape ${formatShape(value.shape)}; use vjp for non-scalar outputs`);
    }
    const grads = pullback(filledOn(value.shape, value.dtype, 1, value.device), retain);
    return [value, (typeof argnums === 'number' ? grads[0]! : grads) as GradOf<O>];
  };
}

/** x as an input of a new differentiation: linked to x's graph when x is tracked, else a fresh leaf. */
function track(x: Tensor): Tensor {
  if (isGradEnabled() && x.requiresGrad) return identity(x);
  return x.detach().requiresGrad_(true);
}
