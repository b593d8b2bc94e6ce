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
import type { TypedArray } from '../../../tensor/dtype.js';
import { roundUp } from '../align.js';
import type { ConvShape } from './types.js';
import { SLACK, type WinogradLayout, type WinogradVariant, winogradFilterGradOf, winogradForwardOf } from './winograd-pipeline.js';

/** Elements of the transformed tile. */
const XI = 36;

/**
 * U[(g·36 + ξ)·coutG·cinG + co·cinG + c] = (G w[g·coutG + co, c] Gᵀ)[ξ], computed in float64 and
 * rounded once, G = [¼ 0 0; -⅙ -⅙ -⅙; -⅙ ⅙ -⅙; 1/24 1/12 ⅙; 1/24 -1/12 ⅙; 0 0 1].
 */
function transformFilter(s: ConvShape, w: TypedArray, U: Float32Array): void {
  const [cinG, coutG] = [s.cin / s.groups, s.cout / s.groups];
  const block = coutG * cinG;
  const gw = new Float64Array(18);
  for (let g = 0; g < s.groups; g++) {
    for (let co = 0; co < coutG; co++) {
      for (let c = 0; c < cinG; c++) {
        const k = ((g * coutG + co) * cinG + c) * 9;
        // gw = G w (6×3), column by column.
        for (let j = 0; j < 3; j++) {
          const a = w[k + j]!, b = w[k + 3 + j]!, d = w[k + 6 + j]!;
          gw[j] = a / 4;
          gw[3 + j] = -(a + b + d) / 6;
          gw[6 + j] = -(a - b + d) / 6;
          gw[9 + j] = a / 24 + b / 12 + d / 6;
          gw[12 + j] = a / 24 - b / 12 + d / 6;
          gw[15 + j] = d;
        }
        // Row i of (G w) Gᵀ. (No arrays allocated per filter: this loop runs on the calling thread before the tasks.)
        const out = g * XI * block + co * cinG + c;
        for (let i = 0; i < 6; i++) {
          const a = gw[3 * i]!, b = gw[3 * i + 1]!, d = gw[3 * i + 2]!;
          const o = out + 6 * i * block;
          U[o] = a / 4;
          U[o + block] = -(a + b + d) / 6;
          U[o + 2 * block] = -(a - b + d) / 6;
          U[o + 3 * block] = a / 24 + b / 12 + d / 6;
          U[o + 4 * block] = a / 24 - b / 12 + d / 6;
          U[o + 5 * block] = d;
        }
      }
    }
  }
}

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

/**
 * dW[g·coutG + co, c] = Gᵀ M G (in float64, rounded once) for the 6×6 M[ξ] = Macc[(g·36 + ξ)·coutG·cinG + co·cinG + c],
 * Gᵀ = [¼ -⅙ -⅙ 1/24 1/24 0; 0 -⅙ ⅙ 1/12 -1/12 0; 0 -⅙ -⅙ ⅙ ⅙ 1].
 */
function untransformFilterGrad(s: ConvShape, Macc: Float32Array, dw: TypedArray): void {
  const [cinG, coutG] = [s.cin / s.groups, s.cout / s.groups];
  const block = coutG * cinG;
  const t = new Float64Array(18);
  for (let g = 0; g < s.groups; g++) {
    for (let k = 0; k < block; k++) {
      // t = M G (6×3), row by row. (No closures or arrays per filter: this runs on the calling thread.)
      const m0 = g * XI * block + k;
      for (let i = 0; i < 6; i++) {
        const r = m0 + 6 * i * block;
        const M0 = Macc[r]!, M1 = Macc[r + block]!, M2 = Macc[r + 2 * block]!, M3 = Macc[r + 3 * block]!, M4 = Macc[r + 4 * block]!, M5 = Macc[r + 5 * block]!;
        t[3 * i] = M0 / 4 - (M1 + M2) / 6 + (M3 + M4) / 24;
        t[3 * i + 1] = (M2 - M1) / 6 + (M3 - M4) / 12;
        t[3 * i + 2] = (M3 + M4 - M1 - M2) / 6 + M5;
      }
      const out = (g * block + k) * 9;
      for (let b = 0; b < 3; b++) {
        const T0 = t[b]!, T1 = t[3 + b]!, T2 = t[6 + b]!, T3 = t[9 + b]!, T4 = t[12 + b]!, T5 = t[15 + b]!;
        dw[out + b] = T0 / 4 - (T1 + T2) / 6 + (T3 + T4) / 24;
        dw[out + 3 + b] = (T2 - T1) / 6 + (T3 - T4) / 12;
        dw[out + 6 + b] = (T3 + T4 - T1 - T2) / 6 + T5;
      }
    }
  }
}

const F4x4: WinogradVariant = {
  name: 'winograd4x4',
  tile: 4,
  xi: XI,
  kernels: { input: 'winograd4Input', output: 'winograd4Output', gradOutput: 'winograd4GradOutput' },
  layoutOf,
  forwardImages: evenTasks,
  transformFilter,
  untransformFilterGrad,
};

export const winograd4x4Forward = winogradForwardOf(F4x4);
export const winograd4x4FilterGrad = winogradFilterGradOf(F4x4);
