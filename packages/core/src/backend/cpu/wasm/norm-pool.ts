// Batch norm then max pooling, fused (NormKernels.normalizeMaxPool): the statistics as
// normalizeForwardWasm takes them, then pool.ts's streamed max pooling with a plane source that
// copies each chunk of x into the scratch and normalizes it there (normCombine, the kernel of
// normalizeApplyWasm): batch norm's output is never written out and read back. The same kernels on
// the same values, so the same bits as the two ops.
import type { PoolWindows } from '../../window.js';
import { isPairWindows } from '../../window.js';
import { type NormExports, groupStatsWasm } from './norm.js';
import { type PlaneSource, maxPool2x2ForwardWasm, maxPoolWasm } from './pool.js';

export function normalizeMaxPoolWasm(
  x: Float32Array, outer: number, groups: number, inner: number, meanOut: Float64Array, varianceOut: Float64Array,
  affine: (mean: Float64Array, variance: Float64Array) => { scale: ArrayLike<number>; shift: ArrayLike<number> },
  windows: PoolWindows, y: Float32Array, argmax: Int32Array, runMoments?: Float64Array,
): void {
  groupStatsWasm(x, outer, groups, inner, meanOut, varianceOut, runMoments);
  const { scale, shift } = affine(meanOut, varianceOut);
  // mean, scale and shift as float64 arrays of `groups` values each (2·groups floats of scratch).
  let perGroup: Float64Array[] = [];
  let w: NormExports;
  const normalized: PlaneSource = {
    scratch: [2 * groups, 2 * groups, 2 * groups],
    begin(views, exports) {
      w = exports as NormExports;
      perGroup = views.map((v) => new Float64Array(v.buffer, v.byteOffset, groups));
      perGroup[0]!.set(meanOut);
      perGroup[1]!.set(scale);
      perGroup[2]!.set(shift);
    },
    fill(chunk, p, n) {
      chunk.set(x.subarray(p * inner, (p + n) * inner));
      // Planes are normalize's runs: plane p is run p, of group p mod groups.
      const [mu, sv, kv] = perGroup.map((v) => v.byteOffset) as [number, number, number];
      w.normCombine(0, chunk.byteOffset, chunk.byteOffset, p, n, groups, inner, mu, sv, sv, kv);
    },
  };
  const planes = outer * groups;
  if (isPairWindows(windows)) maxPool2x2ForwardWasm(normalized, planes, windows.inH, windows.inW, windows.outH, windows.outW, y, argmax);
  else maxPoolWasm(normalized, planes, windows, y, argmax);
}
