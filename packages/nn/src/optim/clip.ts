import { ArgumentError, type Tensor } from '@tensorgrad/core';

/**
 * Scales all gradients together so their joint p-norm is at most maxNorm (PyTorch's
 * clip_grad_norm_, with its 1e-6 guard); returns the norm before clipping.
 */
export function clipGradNorm(params: Iterable<Tensor>, maxNorm: number, normType = 2): number {
  if (!(maxNorm >= 0)) throw new ArgumentError(`clipGradNorm: maxNorm must be ≥ 0, got ${maxNorm}`);
  if (!(normType > 0)) throw new ArgumentError(`clipGradNorm: normType must be > 0 or Infinity, got ${normType}`);
  const grads = [...params].flatMap((p) => (p.grad === null ? [] : [p.grad]));
  let total = 0;
  for (const g of grads) {
    for (const v of g.data) total = normType === Infinity ? Math.max(total, Math.abs(v)) : total + Math.abs(v) ** normType;
  }
  if (normType !== Infinity) total **= 1 / normType;
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
