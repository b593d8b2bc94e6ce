import { ArgumentError, Tensor, checkNumber, checkOptions, optionKeys, portablePow } from '@tensorgrad/core';
import { checkBool, show } from '../check.js';

/** Options of `clipGradNorm` (torch.nn.utils.clip_grad_norm_'s). */
export interface ClipGradNormOptions {
  /** The p of the p-norm (default 2; Infinity for the max norm). */
  normType?: number;
  /** Throw if the total norm is NaN or ±Infinity instead of scaling every gradient by NaN (default false, as PyTorch). */
  errorIfNonfinite?: boolean;
}

const CLIP_GRAD_NORM_OPTIONS = optionKeys<ClipGradNormOptions>()(['normType', 'errorIfNonfinite']);

/**
 * Scales all gradients together so their joint p-norm is at most maxNorm (PyTorch's
 * clip_grad_norm_, with its 1e-6 guard); returns the norm before clipping. The third argument
 * is the norm type or an options object.
 */
export function clipGradNorm(params: Iterable<Tensor>, maxNorm: number, options: number | ClipGradNormOptions = {}): number {
  const fn = 'clipGradNorm';
  if (typeof options !== 'number') checkOptions(fn, options, CLIP_GRAD_NORM_OPTIONS);
  const { normType = 2, errorIfNonfinite = false } = typeof options === 'number' ? { normType: options } : options;
  checkNumber(fn, 'maxNorm', maxNorm, { min: 0 });
  if (normType !== Infinity) checkNumber(fn, 'normType', normType, { min: 0, minExclusive: true });
  checkBool(fn, 'errorIfNonfinite', errorIfNonfinite);
  if (params === null || typeof params !== 'object' || !(Symbol.iterator in params)) {
    throw new ArgumentError(`${fn}: params must be an iterable of Tensors (model.parameters()), got ${show(params)}`);
  }
  const list = [...params];
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new ArgumentError(`${fn}: params[${i}] must be a Tensor, got ${show(p)}`);
  });
  const grads = list.flatMap((p) => (p.grad === null ? [] : [p.grad]));
  let total = 0;
  for (const g of grads) {
    for (const v of g.data) total = normType === Infinity ? Math.max(total, Math.abs(v)) : total + portablePow(Math.abs(v), normType);
  }
  if (normType !== Infinity) total = portablePow(total, 1 / normType);
  if (errorIfNonfinite && !Number.isFinite(total)) {
    throw new ArgumentError(`${fn}: the total ${normType}-norm of the gradients is ${total}, so they cannot be clipped (errorIfNonfinite is set)`);
  }
  const coef = maxNorm / (total + 1e-6);
  if (coef < 1) {
    for (const g of grads) {
      const d = g.data;
      for (let i = 0; i < d.length; i++) d[i] = d[i]! * coef;
      g.markModified();
    }
  }
  return total;
}
