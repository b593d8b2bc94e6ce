// Batch norm then max pooling, fused (NormKernels.normalizeMaxPool and normalizeWithStatsMaxPool,
// which take the statistics as the unfused kernels do): pool.ts's streamed max pooling with a plane
// source that copies each chunk of x into the scratch and normalizes it there (normCombine, the
// kernel of normalizeApplyWasm), so batch norm's output is never written out and read back. The
// same kernels on the same values, so the same bits as the two ops.
import type { PoolWindows } from '../../window.js';
import { isPairWindows } from '../../window.js';
import type { NormExports } from './norm.js';
import { type PlaneSource, maxPool2x2ForwardWasm, maxPoolWasm } from './pool.js';

/** maxPool of y = (x − mean)·scale + shift per group (normalizeApplyWasm's output), which is never written. */
export function normalizeMaxPoolWasm(
  x: Float32Array, outer: number, groups: number, inner: number, mean: ArrayLike<number>, scale: ArrayLike<number>, shift: ArrayLike<number>,
  windows: PoolWindows, y: Float32Array, argmax: Int32Array,
): void {
  // mean, scale and shift as float64 arrays of `groups` values each (2·groups floats of scratch).
  let w: NormExports;
  let at: [number, number, number];
  const normalized: PlaneSource = {
    scratch: [2 * groups, 2 * groups, 2 * groups],
    begin(views, exports) {
      w = exports as NormExports;
      at = [mean, scale, shift].map((values, i) => {
        const v = views[i]!;
        new Float64Array(v.buffer, v.byteOffset, groups).set(values);
        return v.byteOffset;
      }) as [number, number, number];
    },
    fill(chunk, p, n) {
      chunk.set(x.subarray(p * inner, (p + n) * inner));
      // Planes are normalize's runs: plane p is run p, of group p mod groups.
      w.normCombine(0, chunk.byteOffset, chunk.byteOffset, p, n, groups, inner, at[0], at[1], at[1], at[2]);
    },
  };
  const planes = outer * groups;
  if (isPairWindows(windows)) maxPool2x2ForwardWasm(normalized, planes, windows.inH, windows.inW, windows.outH, windows.outW, y, argmax);
  else maxPoolWasm(normalized, planes, windows, y, argmax);
}
