import { ArgumentError, DeviceError, Tensor, checkNumber, checkOptions, clipByNorm_, optionKeys, totalNorm } from '@tensorgrad/core';
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
 * is the norm type or an options object. For gradients on the CPU. Gradients on a GPU: use
 * `await clipGradNormAsync(...)` (the same, the norm read back), or, to clip with no readback at
 * all, core's `clipByNorm_(grads, totalNorm(grads, p), maxNorm)`, which keeps the norm on the device.
 */
export function clipGradNorm(params: Iterable<Tensor>, maxNorm: number, options: number | ClipGradNormOptions = {}): number {
  const fn = 'clipGradNorm';
  const { grads, normType, errorIfNonfinite } = checkClip(fn, params, maxNorm, options);
  const device = grads[0]?.device ?? 'cpu';
  if (device !== 'cpu') {
    throw new DeviceError(
      `${fn}: the gradients are on '${device}', where their norm is computed on the device and reading it is asynchronous: ` +
        'use `await clipGradNormAsync(...)` (or core\'s clipByNorm_(grads, totalNorm(grads), maxNorm), which clips without a readback)',
    );
  }
  const norm = totalNorm(grads, normType);
  const total = norm.item();
  if (errorIfNonfinite && !Number.isFinite(total)) throw nonfinite(fn, normType, total);
  clipByNorm_(grads, norm, maxNorm);
  return total;
}

/**
 * clipGradNorm for gradients on any device, resolving to the norm before clipping. On a GPU the
 * norm is reduced and the gradients scaled on the device; only the norm (one number) is read
 * back, after the scaling was queued (with errorIfNonfinite, before: nothing is scaled when it
 * throws). On the CPU it gives clipGradNorm's result.
 */
export async function clipGradNormAsync(params: Iterable<Tensor>, maxNorm: number, options: number | ClipGradNormOptions = {}): Promise<number> {
  const fn = 'clipGradNormAsync';
  const { grads, normType, errorIfNonfinite } = checkClip(fn, params, maxNorm, options);
  const norm = totalNorm(grads, normType);
  if (errorIfNonfinite) {
    const total = await norm.itemAsync();
    if (!Number.isFinite(total)) throw nonfinite(fn, normType, total);
  }
  clipByNorm_(grads, norm, maxNorm);
  return norm.itemAsync();
}

/** The arguments checked; the gradients of params that have one, all on one device. */
function checkClip(fn: string, params: Iterable<Tensor>, maxNorm: number, options: number | ClipGradNormOptions): { grads: Tensor[]; normType: number; errorIfNonfinite: boolean } {
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
  const device = grads[0]?.device;
  const other = grads.find((g) => g.device !== device);
  if (other !== undefined) throw new DeviceError(`${fn}: the gradients must be on one device, got '${device}' and '${other.device}'`);
  return { grads, normType, errorIfNonfinite };
}

function nonfinite(fn: string, normType: number, total: number): ArgumentError {
  return new ArgumentError(`${fn}: the total ${normType}-norm of the gradients is ${total}, so they cannot be clipped (errorIfNonfinite is set)`);
}
