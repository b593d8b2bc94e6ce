// The conv kernels of a backend (see backend.ts): the three products of conv2d's sparse matrix C
// (see ops/conv/conv2d.ts), each on flat NCHW arrays. A kernel writes every element of its
// output (whose prior contents are arbitrary); which algorithm computes it is the backend's
// choice (the CPU backend's chooser: backend/cpu/conv/chooser.ts).
import type { KernelArray } from '../tensor/device.js';
import type { Window2d } from './window.js';

export type ConvProduct = 'forward' | 'inputGrad' | 'filterGrad';

/** One convolution: x [n, cin, inH, inW] → y [n, cout, outH, outW] with w [cout, cin/groups, kH, kW], over `window`. */
export interface ConvProblem {
  n: number;
  cin: number;
  cout: number;
  groups: number;
  window: Window2d;
}

/** Shape of a product's result: y [N, Cout, outH, outW], dx [N, Cin, inH, inW], dW [Cout, Cin/G, kH, kW]. */
export function convOutputShape(product: ConvProduct, p: ConvProblem): number[] {
  const g = p.window;
  if (product === 'forward') return [p.n, p.cout, g.outH, g.outW];
  if (product === 'inputGrad') return [p.n, p.cin, g.inH, g.inW];
  return [p.cout, p.cin / p.groups, g.kH, g.kW];
}

/** Operands share one float dtype; outputs are shaped by convOutputShape. */
export interface ConvKernels<A = KernelArray> {
  /** y = C(w)·x (+ b[co] on output channel co). */
  forward(p: ConvProblem, y: A, x: A, w: A, b: A | null): void;
  /** dx = C(w)ᵀ·dy (+ b[ci] on input channel ci, added last: convTranspose2d's bias). */
  inputGrad(p: ConvProblem, dx: A, dy: A, w: A, b: A | null): void;
  /** dW = Σ_n dy · gather(x)ᵀ, the gradient of ⟨dy, C(w)·x⟩ in w. */
  filterGrad(p: ConvProblem, dw: A, x: A, dy: A): void;
}
