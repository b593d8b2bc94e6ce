// Winograd F(2×2, 3×3) for float32 3×3 stride-1 undilated convs: each 2×2 output tile costs
// 16 multiplies per (input, output) channel pair instead of 36, at the price of transforming
// input tiles (Bᵀ d B), filters (G g Gᵀ) and outputs (Aᵀ m A). The channel sums become 16 GEMMs,
// one per element ξ of the transformed 4×4 tile, over a chunk of images. The filter gradient is
// the adjoint in w: dW = Gᵀ[Σ_tiles (A dy Aᵀ) ⊙ (Bᵀ d B)]G, 16 GEMMs summing over tiles.
// Transforms run in wasm (assembly/conv.ts); padding comes from zero-padded planes. The task
// programs around them are winograd-pipeline.ts's, shared with F(4×4, 3×3) (winograd4x4.ts).
import type { WinogradTiles } from '../wasm/conv.js';
import { roundUp } from '../align.js';
import type { ConvShape } from './types.js';
import { SLACK, type WinogradLayout, type WinogradVariant, winogradFilterGradOf, winogradForwardOf } from './winograd-pipeline.js';

/**
 * Tiles, padded input planes (row length Wp, planes xPlane apart), padded output-sized planes
 * (row length Wy, planes yPlane apart), images per task m and the row length ld of a task's transformed tiles.
 */
function layoutOf(s: ConvShape, m: number): WinogradLayout {
  const g = s.S.window;
  const T: WinogradTiles = { tilesH: Math.ceil(g.outH / 2), tilesW: Math.ceil(g.outW / 2) };
  const perImage = T.tilesH * T.tilesW;
  const Wp = Math.max(g.padLeft + g.inW, 2 * roundUp(T.tilesW, 4) + 2);
  const Wy = 2 * roundUp(T.tilesW, 4);
  return {
    T, perImage, Wp, xPlane: Math.max(g.padTop + g.inH, 2 * T.tilesH + 2) * Wp, Wy, yPlane: 2 * T.tilesH * Wy, m, ld: m * perImage + SLACK,
  };
}

const F2x2: WinogradVariant = {
  name: 'winograd',
  tile: 2,
  xi: 16,
  kernels: { input: 'winogradInput', output: 'winogradOutput', gradOutput: 'winogradGradOutput', filter: 'winogradFilter', filterGrad: 'winogradFilterGrad' },
  layoutOf,
  forwardImages: (_n, m) => m,
};

export const winogradForward = winogradForwardOf(F2x2);
export const winogradFilterGrad = winogradFilterGradOf(F2x2);
