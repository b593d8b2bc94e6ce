// The CPU backend's conv kernels (backend/conv.ts): each product runs the algorithm the chooser
// picks for its shape (chooser.ts), on the pattern S of its window (pattern.ts).
import type { TypedArray } from '../../../tensor/dtype.js';
import type { ConvKernels } from '../../conv.js';
import { runConv } from './chooser.js';
import { convShape } from './types.js';

export const cpuConv: ConvKernels<TypedArray> = {
  forward: (p, y, x, w, b) => runConv('forward', convShape(p), y, x, w, b),
  inputGrad(p, dx, dy, w, b) {
    runConv('inputGrad', convShape(p), dx, dy, w);
    if (b !== null) addChannelBias(dx, b, p.n, p.cin, p.window.inH * p.window.inW);
  },
  filterGrad: (p, dw, x, dy) => runConv('filterGrad', convShape(p), dw, x, dy),
};

/** out[i, c, :] += b[c] for n images of `channels` planes of `plane` elements. */
function addChannelBias(out: TypedArray, b: TypedArray, n: number, channels: number, plane: number): void {
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < channels; ch++) {
      const v = b[ch]!;
      const base = (i * channels + ch) * plane;
      for (let p = 0; p < plane; p++) out[base + p]! += v;
    }
  }
}
