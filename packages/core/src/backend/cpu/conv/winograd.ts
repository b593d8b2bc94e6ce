// Winograd F(2×2, 3×3) for float32 3×3 stride-1 undilated convs: each 2×2 output tile costs
// 16 multiplies per (input, output) channel pair instead of 36, at the price of transforming
// input tiles (Bᵀ d B), filters (G g Gᵀ) and outputs (Aᵀ m A). The channel sums become 16 GEMMs,
// one per element ξ of the transformed 4×4 tile, over a chunk of images. The filter gradient is
// the adjoint in w: dW = Gᵀ[Σ_tiles (A dy Aᵀ) ⊙ (Bᵀ d B)]G, 16 GEMMs summing over tiles.
// Transforms run in wasm (assembly/conv.ts); padding comes from zero-padded planes. The task
// programs around them are winograd-pipeline.ts's, shared with F(4×4, 3×3) (winograd4x4.ts).
import type { WinogradTiles } from '../wasm/conv.js';
import type { TypedArray } from '../../../tensor/dtype.js';
import { roundUp } from '../align.js';
import type { ConvShape } from './types.js';
import { SLACK, type WinogradLayout, type WinogradVariant, winogradFilterGradOf, winogradForwardOf } from './winograd-pipeline.js';

/** U[(g·16 + ξ)·coutG·cinG + co·cinG + c] = (G w[g·coutG + co, c] Gᵀ)[ξ], G = [1 0 0; ½ ½ ½; ½ -½ ½; 0 0 1]. */
function transformFilter(s: ConvShape, w: TypedArray, U: Float32Array): void {
  const [cinG, coutG] = [s.cin / s.groups, s.cout / s.groups];
  const block = coutG * cinG;
  const gw = new Float64Array(12);
  for (let g = 0; g < s.groups; g++) {
    for (let co = 0; co < coutG; co++) {
      for (let c = 0; c < cinG; c++) {
        const k = ((g * coutG + co) * cinG + c) * 9;
        for (let j = 0; j < 3; j++) {
          const a = w[k + j]!, b = w[k + 3 + j]!, d = w[k + 6 + j]!;
          gw[j] = a;
          gw[3 + j] = (a + b + d) / 2;
          gw[6 + j] = (a - b + d) / 2;
          gw[9 + j] = d;
        }
        // (No arrays allocated per filter: this loop runs on the calling thread before the tasks.)
        const out = g * 16 * block + co * cinG + c;
        for (let i = 0; i < 4; i++) {
          const a = gw[3 * i]!, b = gw[3 * i + 1]!, d = gw[3 * i + 2]!;
          const o = out + 4 * i * block;
          U[o] = a;
          U[o + block] = (a + b + d) / 2;
          U[o + 2 * block] = (a - b + d) / 2;
          U[o + 3 * block] = d;
        }
      }
    }
  }
}

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
/** dW[g·coutG + co, c] = Gᵀ M G for the 4×4 M[ξ] = Macc[(g·16 + ξ)·coutG·cinG + co·cinG + c]. */
function untransformFilterGrad(s: ConvShape, Macc: Float32Array, dw: TypedArray): void {
  const [cinG, coutG] = [s.cin / s.groups, s.cout / s.groups];
  const block = coutG * cinG;
  const t = new Float64Array(12);
  for (let g = 0; g < s.groups; g++) {
    for (let k = 0; k < block; k++) {
      // M(i, j) = Macc[(g·16 + 4i + j)·block + k] (no closures or arrays per filter: this runs on the calling thread).
      const m0 = g * 16 * block + k;
      for (let j = 0; j < 4; j++) {
        const M0 = Macc[m0 + j * block]!, M1 = Macc[m0 + (4 + j) * block]!, M2 = Macc[m0 + (8 + j) * block]!, M3 = Macc[m0 + (12 + j) * block]!;
        t[j] = M0 + (M1 + M2) / 2;
        t[4 + j] = (M1 - M2) / 2;
        t[8 + j] = (M1 + M2) / 2 + M3;
      }
      const out = (g * block + k) * 9;
      for (let a = 0; a < 3; a++) {
        const t0 = t[4 * a]!, t1 = t[4 * a + 1]!, t2 = t[4 * a + 2]!, t3 = t[4 * a + 3]!;
        dw[out + 3 * a] = t0 + (t1 + t2) / 2;
        dw[out + 3 * a + 1] = (t1 - t2) / 2;
        dw[out + 3 * a + 2] = (t1 + t2) / 2 + t3;
      }
    }
  }
}

const F2x2: WinogradVariant = {
  name: 'winograd',
  tile: 2,
  xi: 16,
  kernels: { input: 'winogradInput', output: 'winogradOutput', gradOutput: 'winogradGradOutput' },
  layoutOf,
  forwardImages: (_n, m) => m,
  transformFilter,
  untransformFilterGrad,
};

export const winogradForward = winogradForwardOf(F2x2);
export const winogradFilterGrad = winogradFilterGradOf(F2x2);
