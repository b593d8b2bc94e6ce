// The non-constant pads of torch.nn.functional.pad (1.13): 'reflect', 'replicate' and 'circular'.
// Each is separable: entry j of a padded dim reads entry index[j] of the input dim, so a pad is one
// gather along each padded dim (dim-index.ts), its VJP a scatter-add by the same index (the
// corner entries of a 2-D pad come from the gathers composed, as in PyTorch). The index is
// computed here, on the host, from the sizes only.
import { ArgumentError, formatShape } from '../../errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { dimGather } from './dim-index.js';

/** F.pad's mode: what the new entries hold (a constant, or x reflected, replicated, wrapped around). */
export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';
export const PAD_MODES: readonly PadMode[] = ['constant', 'reflect', 'replicate', 'circular'];

/** Entry of x read by each entry of a dim of size n padded by l before and r after (negative: cropped). */
function padIndex(mode: Exclude<PadMode, 'constant'>, n: number, l: number, r: number): Int32Array {
  const index = new Int32Array(n + l + r);
  if (mode === 'circular') {
    // Crop first, then wrap around what is left (PyTorch's order for circular).
    const c0 = Math.max(-l, 0);
    const m = n - c0 - Math.max(-r, 0);
    for (let j = 0; j < index.length; j++) index[j] = c0 + ((((j - Math.max(l, 0)) % m) + m) % m);
  } else {
    // Pad from the whole dim, then crop: entry j reads q = j - l of x, reflected or clamped.
    for (let j = 0; j < index.length; j++) {
      const q = j - l;
      index[j] = mode === 'reflect' ? (q < 0 ? -q : q >= n ? 2 * (n - 1) - q : q) : Math.min(Math.max(q, 0), n - 1);
    }
  }
  return index;
}

/** The rank x must have for a pad of `padded` dims in `mode` (reflect/replicate: batch dim optional). */
function checkRank(fn: string, mode: Exclude<PadMode, 'constant'>, x: Tensor, pads: readonly number[]): void {
  const k = pads.length / 2;
  const ranks = mode === 'circular' ? [k + 2] : [k + 1, k + 2];
  if (k >= 1 && k <= 3 && ranks.includes(x.ndim)) return;
  const layouts = ['[N, C, W]', '[N, C, H, W]', '[N, C, D, H, W]'];
  const what =
    k < 1 || k > 3
      ? `pads the last 1, 2 or 3 dims (2, 4 or 6 pads)`
      : `with ${pads.length} pads needs a ${mode === 'circular' ? `${k + 2}-D ${layouts[k - 1]}` : `${k + 1}-D or ${k + 2}-D ${layouts[k - 1]!.replace('N, ', '(N,) ')}`} input`;
  throw new ArgumentError(`${fn}: mode '${mode}' ${what} (as PyTorch 1.13), got ${pads.length} pads ([${pads.join(',')}]) for x ${formatShape(x.shape)}`);
}

/**
 * x padded in `mode` by pads in F.pad's order ([left, right] of the last dim, then [top, bottom],
 * then [front, back]); negative amounts crop. pads are integers, their count even (checked by pad).
 * Errors are named after `fn`, the function the user called (pad, conv2d).
 */
export function padWithMode(fn: string, x: Tensor, pads: readonly number[], mode: Exclude<PadMode, 'constant'>): Tensor {
  checkRank(fn, mode, x, pads);
  let y = x;
  for (let k = 0; k < pads.length / 2; k++) {
    const dim = x.ndim - 1 - k;
    const [l, r] = [pads[2 * k]!, pads[2 * k + 1]!];
    const n = x.shape[dim]!;
    const where = `dim ${dim} of size ${n} (pads [${l}, ${r}], x ${formatShape(x.shape)})`;
    if (mode !== 'circular' && n === 0) throw new ArgumentError(`${fn}: ${mode} padding needs a non-empty dim to read from, got ${where}`);
    if (mode === 'reflect' && (l >= n || r >= n)) {
      throw new ArgumentError(`${fn}: reflect padding must be less than the size of the dim it pads, got ${where}`);
    }
    const out = n + l + r;
    const least = mode === 'circular' ? 0 : 1;
    if (out < least) throw new ArgumentError(`${fn}: negative padding leaves ${out} entries; ${mode} padding needs at least ${least}, got ${where}`);
    const kept = n + Math.min(l, 0) + Math.min(r, 0);
    if (mode === 'circular' && (l > kept || r > kept)) {
      throw new ArgumentError(`${fn}: circular padding must be at most the size of the dim it pads (after cropping: ${kept}), or it wraps around more than once; got ${where}`);
    }
    if (l === 0 && r === 0) continue;
    y = dimGather(y, { dim, index: padIndex(mode, n, l, r), size: n });
  }
  return y;
}
