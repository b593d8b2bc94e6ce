// Gathering image planes into GEMM columns through a conv pattern S (im2col) and the
// adjoint, scatter-adding columns back into planes (col2im). Column matrix layout:
// row r = c·taps + t (channel c, kernel tap t), column p (output position), row length P.
import type { TypedArray } from '../tensor/dtype.js';

/** cols[(c·taps + t)·P + p] = x[xOff + c·plane + index[t·P + p]] (0 where index is -1). */
export function gatherColumns(
  x: TypedArray, xOff: number, channels: number, plane: number,
  index: Int32Array, taps: number, positions: number, cols: TypedArray,
): void {
  let r = 0;
  for (let c = 0; c < channels; c++) {
    const base = xOff + c * plane;
    for (let t = 0; t < taps; t++, r += positions) {
      const it = t * positions;
      for (let p = 0; p < positions; p++) {
        const at = index[it + p]!;
        cols[r + p] = at < 0 ? 0 : x[base + at]!;
      }
    }
  }
}

/** dx[dxOff + c·plane + index[t·P + p]] += cols[(c·taps + t)·P + p] (the adjoint of gatherColumns). */
export function scatterAddColumns(
  cols: TypedArray, channels: number, plane: number,
  index: Int32Array, taps: number, positions: number, dx: TypedArray, dxOff: number,
): void {
  let r = 0;
  for (let c = 0; c < channels; c++) {
    const base = dxOff + c * plane;
    for (let t = 0; t < taps; t++, r += positions) {
      const it = t * positions;
      for (let p = 0; p < positions; p++) {
        const at = index[it + p]!;
        if (at >= 0) dx[base + at]! += cols[r + p]!;
      }
    }
  }
}

let columns32: Float32Array = new Float32Array(0);
let columns64: Float64Array = new Float64Array(0);

/**
 * A reused scratch column buffer of at least `length` elements in the given dtype. Grown
 * geometrically and never shrunk: fresh memory is slow to touch, so it is touched once.
 * Valid until the next call (kernels using it must not call each other).
 */
export function columnsScratch(dtype: 'float32' | 'float64', length: number): TypedArray {
  if (dtype === 'float32') {
    if (columns32.length < length) columns32 = new Float32Array(Math.max(length, columns32.length * 2));
    return columns32;
  }
  if (columns64.length < length) columns64 = new Float64Array(Math.max(length, columns64.length * 2));
  return columns64;
}
