// The WebGPU backend's tolerances, in one place. WGSL computes in float32 and its builtins (exp,
// log, tanh, pow...) are not correctly rounded, so GPU results are compared with the CPU's within
// these bounds, never bit for bit (copies, indices and masks are compared exactly by their tests).

/** Relative and absolute tolerance: |got − want| ≤ atol + rtol·|want|. */
export interface Tolerance {
  rtol: number;
  atol: number;
  /**
   * Also allowed: this fraction of the largest |want| of the whole array, for sums whose terms
   * cancel (a float32 sum of n terms of size s is off by up to ~n·2⁻²⁴·s, not relative to the
   * small result).
   */
  scaleTol?: number;
}

/** A GPU kernel against the CPU kernel on the same float32 inputs. */
export const GPU_TOLERANCE: Tolerance = { rtol: 1e-4, atol: 1e-5 };

/**
 * A whole op on the GPU in float32 against the same op on the CPU in float64 (the registry-wide
 * test): float32 inputs, float32 intermediates (several kernels in a row for a VJP), so looser.
 * The largest differences seen are ~3e-4 relative, in the normalize VJPs (float32 batch
 * statistics and 1/√(σ² + ε) of small variances); a GEMM off by 1% in a quarter of its terms fails.
 */
export const GPU_VS_FLOAT64: Tolerance = { rtol: 1e-3, atol: 1e-5, scaleTol: 1e-4 };

/**
 * Ops on the GPU in float32 against PyTorch 1.13's committed fixtures (values, gradients, second
 * order; torch-fixtures.webgpu.test.ts), most of them computed by PyTorch in float64 from inputs
 * that are rounded to float32 here. Measured on Dawn/llvmpipe: relative differences up to ~1e-6
 * (conv, group-norm and padding-mode gradients use under 10% of this bound); the closest, at 45%,
 * is an absolute one: gelu('tanh')'s second order where it is ~1.5e-5 (4.5e-6 off, float32
 * cancellation). A fixture value off by 0.1% fails. Re-measure with TG_FIXTURE_DIFFS=1.
 */
export const GPU_VS_TORCH: Tolerance = { rtol: 1e-4, atol: 1e-5 };

/** null when every element is within tolerance (NaN matches NaN, ±Inf must match), else what differs first. */
export function describeMismatch(got: ArrayLike<number>, want: ArrayLike<number>, tol: Tolerance): string | null {
  if (got.length !== want.length) return `length ${got.length}, expected ${want.length}`;
  let scale = 0;
  for (let i = 0; i < want.length; i++) if (Number.isFinite(want[i]!)) scale = Math.max(scale, Math.abs(want[i]!));
  const slack = tol.atol + (tol.scaleTol ?? 0) * scale;
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (Number.isNaN(w) ? Number.isNaN(g) : !Number.isFinite(w) ? g === w : Math.abs(g - w) <= slack + tol.rtol * Math.abs(w)) continue;
    return `element ${i} of ${want.length}: got ${g}, expected ${w} (rtol ${tol.rtol}, atol ${slack.toPrecision(3)})`;
  }
  return null;
}
