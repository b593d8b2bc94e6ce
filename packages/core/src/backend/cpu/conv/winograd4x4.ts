// Winograd F(4×4, 3×3) for float32 3×3 stride-1 undilated convs: each 4×4 output tile costs 36
// multiplies per (input, output) channel pair instead of 144 (F(2×2), winograd.ts: 64 for the same
// 16 outputs), at the price of larger transforms (6×6 input tiles, Bᵀ d B; filters, G g Gᵀ;
// outputs, Aᵀ m A) and more rounding: the transforms use the points 0, ±1, ±2 (Lavin & Gray), so
// entries are scaled by up to 8 on the way, and float32 results carry ~10-20× F(2×2)'s error
// (a few 1e-6 of the largest Σ|terms| in the forward; still within the 1e-5 norm-wise bound the
// strategy tests hold every algorithm to).
// The structure is F(2×2)'s (winograd.ts): the channel sums are 36 GEMMs, one per element ξ of the
// transformed tile, over a task's images; transforms in wasm (assembly/conv.ts), padding from
// zero-padded planes; whole tasks on one thread (pipeline.ts), so results do not depend on the
// thread count. The input gradient reaches it through the flipped rewrite; the filter gradient is
// the adjoint in w, dW = Gᵀ[Σ_tiles (A dy Aᵀ) ⊙ (Bᵀ d B)]G: 36 GEMMs summing over a chunk's tiles.
// The task programs around the transforms are winograd-pipeline.ts's, shared with F(2×2).
import type { WinogradTiles } from '../wasm/conv.js';
import { roundUp } from '../align.js';
import type { ConvShape } from './types.js';
import { SLACK, type WinogradLayout, type WinogradVariant, winogradFilterGradOf, winogradForwardOf } from './winograd-pipeline.js';

/** Elements of the transformed tile. */
const XI = 36;

/**
 * Tiles, padded input planes (row length Wp, planes xPlane apart: room for the 6×6 tiles of 4
 * tiles at a time, zeros past the image), output-sized planes of whole tile groups (row length Wy,
 * planes yPlane apart), images per task m and the row length ld of a task's transformed tiles.
 * The kernels take 4 tiles of a row at a time, or, where a row has 2 (tilesW = 2), 2 tiles of 2
 * rows: then the planes hold whole pairs of tile rows, 3 column vectors wide.
 */
function layoutOf(s: ConvShape, m: number): WinogradLayout {
  const g = s.S.window;
  const T: WinogradTiles = { tilesH: Math.ceil(g.outH / 4), tilesW: Math.ceil(g.outW / 4) };
  const perImage = T.tilesH * T.tilesW;
  const paired = T.tilesW === 2;
  const rows = paired ? roundUp(T.tilesH, 2) : T.tilesH;
  const Wp = Math.max(g.padLeft + g.inW, paired ? 12 : 4 * roundUp(T.tilesW, 4) + 4);
  const Wy = paired ? 8 : 4 * roundUp(T.tilesW, 4);
  return {
    T, perImage, Wp, xPlane: Math.max(g.padTop + g.inH, 4 * rows + 2) * Wp, Wy, yPlane: 4 * rows * Wy, m, ld: m * perImage + SLACK,
  };
}

/**
 * Images per task: m, or a little more (up to a quarter) where that fills the last task. With
 * few tiles per image (8×8 maps: 4) the products are narrow and a padded last task costs its
 * share: 32 images as 4 tasks of 8 ran ~20% faster than as 5 of 7 (resnet20's 64-channel layers).
 */
function evenTasks(n: number, m: number): number {
  const even = Math.ceil(n / Math.max(1, Math.floor(n / m)));
  return even <= 1.25 * m ? even : m;
}

const F4x4: WinogradVariant = {
  name: 'winograd4x4',
  tile: 4,
  xi: XI,
  kernels: { input: 'winograd4Input', output: 'winograd4Output', gradOutput: 'winograd4GradOutput', filter: 'winograd4Filter', filterGrad: 'winograd4FilterGrad' },
  layoutOf,
  forwardImages: evenTasks,
};

export const winograd4x4Forward = winogradForwardOf(F4x4);
export const winograd4x4FilterGrad = winogradFilterGradOf(F4x4);
