// The pooling kernels of a backend (see backend.ts). Every plane (one image, one channel) of x is
// processed the same way through its windows (backend/window.ts); planes are contiguous inH×inW
// blocks of x and outH×outW blocks of the output.
import type { KernelArray } from '../tensor/device.js';
import type { PoolWindows } from './window.js';

export interface PoolKernels<A = KernelArray> {
  /**
   * out[p, oh, ow] = max over the window; argmax[p, oh, ow] = the flat index (ih·inW + iw) in the
   * input plane of the first maximum in row-major window order (NaN wins, as in PyTorch); -inf
   * and -1 for a window that holds no input element. Writes every element of out and argmax.
   */
  maxPool(x: A, planes: number, windows: PoolWindows, out: A, argmax: A): void;
  /** out[p, o] = x[p, index[p, o]] (0 where index is -1); writes every element of out. */
  gatherPlanes(x: A, inPlane: number, index: A, outPlane: number, out: A): void;
  /** dx (zero-filled) [p, index[p, o]] += g[p, o]: the transpose of gatherPlanes. */
  scatterAddPlanes(g: A, outPlane: number, index: A, inPlane: number, dx: A): void;
  /**
   * scatterAddPlanes for the argmax of maxPool over windows where isPairWindows holds (2×2,
   * stride 2, unpadded: each index lies in its own window): writes every element of dx.
   */
  scatterPairs(g: A, planes: number, inH: number, inW: number, outH: number, outW: number, index: A, dx: A): void;
  /** out[p, oh, ow] = Σ window / divisor[oh, ow]; writes every element of out. */
  boxPool(x: A, planes: number, windows: PoolWindows, divisor: Float64Array, out: A): void;
  /** dx (zero-filled) += g[p, oh, ow] / divisor spread over each window: boxPool's transpose. */
  boxPoolTranspose(g: A, planes: number, windows: PoolWindows, divisor: Float64Array, dx: A): void;
}
