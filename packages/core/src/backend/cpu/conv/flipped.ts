// dx by gathering instead of scattering. For stride 1, Cᵀ·dy is itself a convolution: the
// full correlation of dy with the filter flipped in both spatial axes and with its in/out
// channels swapped (per group), padded by dilation·(k-1) - padding. So dx runs as a forward
// conv (gather + GEMM, or whichever forward strategy wins for that geometry), with no col2im
// scatter-add.
import type { TypedArray } from '../../../tensor/dtype.js';
import { Tensor } from '../../../tensor/tensor.js';
import type { ConvShape } from './gathered.js';
import type { Window2d } from '../../window.js';
import { convPattern } from './pattern.js';
import { type ConvStrategy, runConvInto } from './chooser.js';

/** The window of the flipped conv: dy's plane in, x's plane out. */
function flippedWindow(g: Window2d): Window2d {
  const padTop = g.dilationH * (g.kH - 1) - g.padTop;
  const padLeft = g.dilationW * (g.kW - 1) - g.padLeft;
  return {
    inH: g.outH, inW: g.outW, kH: g.kH, kW: g.kW, strideH: 1, strideW: 1, dilationH: g.dilationH, dilationW: g.dilationW,
    padTop, padLeft, padBottom: g.inH - g.outH + g.padTop, padRight: g.inW - g.outW + g.padLeft, outH: g.inH, outW: g.inW,
  };
}

// The flipped filter is only read (copied) by the forward strategies and never escapes a call:
// one array per dtype is reused instead of a fresh one per call.
const filterArrays: { float32?: Float32Array; float64?: Float64Array } = {};

function filterArray(dtype: 'float32' | 'float64', n: number): TypedArray {
  const have = filterArrays[dtype];
  if (have !== undefined && have.length >= n) return have.subarray(0, n);
  const fresh = dtype === 'float32' ? (filterArrays.float32 = new Float32Array(n)) : (filterArrays.float64 = new Float64Array(n));
  return fresh;
}

/** w' [Cin, Cout/G, kH, kW] with w'[g·cinG + ci, co, kh, kw] = w[g·coutG + co, ci, kH-1-kh, kW-1-kw]. */
function flippedFilter(s: ConvShape, w: Tensor): Tensor {
  const [cout, cinG, kH, kW] = w.shape as [number, number, number, number];
  const coutG = cout / s.groups;
  const taps = kH * kW;
  const wf = new Tensor(filterArray(w.dtype as 'float32' | 'float64', s.cin * coutG * kH * kW), [s.cin, coutG, kH, kW]);
  for (let g = 0; g < s.groups; g++) {
    for (let co = 0; co < coutG; co++) {
      for (let ci = 0; ci < cinG; ci++) {
        const src = ((g * coutG + co) * cinG + ci) * taps;
        const dst = ((g * cinG + ci) * coutG + co) * taps;
        for (let t = 0; t < taps; t++) wf.data[dst + t] = w.data[src + taps - 1 - t]!;
      }
    }
  }
  return wf;
}

export const flippedInputGrad: ConvStrategy<'inputGrad'> = {
  name: 'flipped',
  // Negative padding (padding beyond the kernel's extent) would crop; left to the default.
  applies: ({ S: { window: g } }) =>
    g.strideH === 1 && g.strideW === 1 && g.padTop <= g.dilationH * (g.kH - 1) && g.padLeft <= g.dilationW * (g.kW - 1),
  run(s, dx, dy, w) {
    const { outH, outW } = s.S.window;
    const S = convPattern(flippedWindow(s.S.window));
    runConvInto('forward', { n: s.n, cin: s.cout, cout: s.cin, groups: s.groups, plane: outH * outW, S }, dx, dy, flippedFilter(s, w), null);
  },
};
