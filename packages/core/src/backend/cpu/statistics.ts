// Reductions that need every reduced element twice (a maximum, then sums relative to it; a mean,
// then squared deviations): logsumexp and the variance. x is first laid out as rows, the reduced
// dims last (a permuted copy unless they already are), so each output reads one contiguous row.
import type { TypedArray } from '../../tensor/dtype.js';
import { portableExp } from '../../tensor/portable-exp.js';
import { portableLog } from '../../tensor/portable-math.js';
import { sizeOf } from '../../tensor/shape.js';
import { permuteInto } from './copy.js';

/** x with the reduced dims moved last (in order), and the row length (the elements reduced per output). */
function rowsOf(x: TypedArray, shape: readonly number[], dims: readonly number[]): { rows: TypedArray; n: number } {
  const n = sizeOf(dims.map((d) => shape[d]!));
  const kept = shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const perm = [...kept, ...dims];
  if (perm.every((p, i) => p === i)) return { rows: x, n };
  const rows = new (x.constructor as new (length: number) => TypedArray)(x.length);
  permuteInto(x, shape, perm, rows);
  return { rows, n };
}

/** out[r] = log Σ_j e^{x[r, j] − m} + m with m the row's maximum (0 if infinite; NaN propagates). */
export function logSumExpInto(x: TypedArray, shape: readonly number[], dims: readonly number[], out: TypedArray): void {
  const { rows, n } = rowsOf(x, shape, dims);
  for (let r = 0; r < out.length; r++) {
    const base = r * n;
    let m = -Infinity;
    for (let j = 0; j < n; j++) {
      const v = rows[base + j]!;
      if (v > m || Number.isNaN(v)) m = v;
      if (Number.isNaN(v)) break;
    }
    // PyTorch masks an infinite maximum to 0: −∞ − (−∞) would be NaN, where the answer is −∞.
    if (m === Infinity || m === -Infinity) m = 0;
    let s = 0;
    for (let j = 0; j < n; j++) s += portableExp(rows[base + j]! - m);
    out[r] = portableLog(s) + m;
  }
}

/** out[r] = Σ_j (x[r, j] − mean)² / max(0, n − correction), the mean and sum in float64. */
export function varianceInto(x: TypedArray, shape: readonly number[], dims: readonly number[], correction: number, out: TypedArray): void {
  const { rows, n } = rowsOf(x, shape, dims);
  const divisor = Math.max(0, n - correction);
  for (let r = 0; r < out.length; r++) {
    const base = r * n;
    let s = 0;
    for (let j = 0; j < n; j++) s += rows[base + j]!;
    const mean = s / n;
    let q = 0;
    for (let j = 0; j < n; j++) {
      const d = rows[base + j]! - mean;
      q += d * d;
    }
    out[r] = q / divisor;
  }
}
