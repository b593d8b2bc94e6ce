// dx by gathering instead of scattering. For stride 1, Cᵀ·dy is itself a convolution: the
// full correlation of dy with the filter flipped in both spatial axes and with its in/out
// channels swapped (per group), padded by dilation·(k-1) - padding. So this strategy only
// rewrites the problem: the chooser runs the forward conv it returns (gather + GEMM, or whichever
// forward strategy is chosen for that geometry), with no col2im scatter-add.
import type { TypedArray } from '../../../tensor/dtype.js';
import { allocateUninitialized } from '../../../tensor/storage.js';
import type { Window2d } from '../../window.js';
import { type ConvRewriteStrategy, type ConvShape, convShape, floatTypeOf } from './types.js';

/** The window of the flipped conv: dy's plane in, x's plane out. */
function flippedWindow(g: Window2d): Window2d {
  const padTop = g.dilationH * (g.kH - 1) - g.padTop;
  const padLeft = g.dilationW * (g.kW - 1) - g.padLeft;
  return {
    inH: g.outH, inW: g.outW, kH: g.kH, kW: g.kW, strideH: 1, strideW: 1, dilationH: g.dilationH, dilationW: g.dilationW,
    padTop, padLeft, padBottom: g.inH - g.outH + g.padTop, padRight: g.inW - g.outW + g.padLeft, outH: g.inH, outW: g.inW,
  };
}

/**
 * w' [Cin, Cout/G, kH, kW] with w'[g·cinG + ci, co, kh, kw] = w[g·coutG + co, ci, kH-1-kh, kW-1-kw],
 * in an array from tensor/storage (the forward strategies only read it: the chooser recycles it after the conv).
 */
function flippedFilter(s: ConvShape, w: TypedArray): TypedArray {
  const { kH, kW } = s.window;
  const cinG = s.cin / s.groups;
  const coutG = s.cout / s.groups;
  const taps = kH * kW;
  const wf = allocateUninitialized(floatTypeOf(w), s.cin * coutG * taps);
  for (let g = 0; g < s.groups; g++) {
    for (let co = 0; co < coutG; co++) {
      for (let ci = 0; ci < cinG; ci++) {
        const src = ((g * coutG + co) * cinG + ci) * taps;
        const dst = ((g * cinG + ci) * coutG + co) * taps;
        for (let t = 0; t < taps; t++) wf[dst + t] = w[src + taps - 1 - t]!;
      }
    }
  }
  return wf;
}

export const flippedInputGrad: ConvRewriteStrategy<'inputGrad'> = {
  name: 'flipped',
  // Negative padding (padding beyond the kernel's extent) would crop; left to the default.
  applies: ({ window: g }) =>
    g.strideH === 1 && g.strideW === 1 && g.padTop <= g.dilationH * (g.kH - 1) && g.padLeft <= g.dilationW * (g.kW - 1),
  asForward: (s, dy, w) => ({
    s: convShape({ n: s.n, cin: s.cout, cout: s.cin, groups: s.groups, window: flippedWindow(s.window) }),
    x: dy,
    w: flippedFilter(s, w),
  }),
};
