// Winograd F(2×2, 3×3) for float32 3×3 stride-1 undilated convs: each 2×2 output tile costs
// 16 multiplies per (input, output) channel pair instead of 36, at the price of transforming
// input tiles (Bᵀ d B), filters (G g Gᵀ) and outputs (Aᵀ m A). The channel sums become 16 GEMMs,
// one per element ξ of the transformed 4×4 tile, over a chunk of images. The filter gradient is
// the adjoint in w: dW = Gᵀ[Σ_tiles (A dy Aᵀ) ⊙ (Bᵀ d B)]G, 16 GEMMs summing over tiles.
// Transforms run in wasm (assembly/conv.ts); padding comes from zero-padded planes.
import { type WinogradTiles, copyPlanesWasm, wasmConvKernelsAvailable, winogradGradOutputWasm, winogradInputWasm, winogradOutputWasm, zeroWasm } from '../wasm/conv.js';
import { gemmBatchedInMemory } from '../wasm/gemm.js';
import { wasmScratch } from '../wasm/runtime.js';
import type { TypedArray } from '../../../tensor/dtype.js';
import { roundUp } from '../align.js';
import { imagesPerChunk } from './chunks.js';
import type { ConvKernelStrategy, ConvShape } from './types.js';
/** Tile slots the transforms may write (input) or read (output) past a chunk's last tile. */
const SLACK = 4;

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
          const [a, b, d] = [w[k + j]!, w[k + 3 + j]!, w[k + 6 + j]!];
          gw[j] = a;
          gw[3 + j] = (a + b + d) / 2;
          gw[6 + j] = (a - b + d) / 2;
          gw[9 + j] = d;
        }
        for (let i = 0; i < 4; i++) {
          const [a, b, d] = [gw[3 * i]!, gw[3 * i + 1]!, gw[3 * i + 2]!];
          const row = [a, (a + b + d) / 2, (a - b + d) / 2, d];
          for (let j = 0; j < 4; j++) U[(g * 16 + 4 * i + j) * block + co * cinG + c] = row[j]!;
        }
      }
    }
  }
}

/**
 * Tiles, padded input planes (row length Wp, planes xPlane apart), padded output-sized planes
 * (row length Wy, planes yPlane apart), images per chunk and the row length ld of transformed tiles.
 */
function layoutOf(s: ConvShape) {
  const g = s.S.window;
  const T: WinogradTiles = { tilesH: Math.ceil(g.outH / 2), tilesW: Math.ceil(g.outW / 2) };
  const perImage = T.tilesH * T.tilesW;
  const Wp = Math.max(g.padLeft + g.inW, 2 * roundUp(T.tilesW, 4) + 2);
  const Wy = 2 * roundUp(T.tilesW, 4);
  // A chunk's transformed tiles, input and output.
  const nb = imagesPerChunk(s, 16 * ((s.cin + s.cout) / s.groups) * perImage);
  return {
    T, perImage, Wp, xPlane: Math.max(g.padTop + g.inH, 2 * T.tilesH + 2) * Wp, Wy, yPlane: 2 * T.tilesH * Wy, nb, ld: nb * perImage + SLACK,
  };
}

/** Pads image i's planes of group gr (staged in xs) into xp and transforms its tiles into V. */
function transformInput(s: ConvShape, L: ReturnType<typeof layoutOf>, xs: Float32Array, i: number, gr: number, xp: Float32Array, V: Float32Array): void {
  const g = s.S.window;
  const cinG = s.cin / s.groups;
  zeroWasm(xp, 0, xp.length);
  copyPlanesWasm(xs, (i * s.cin + gr * cinG) * s.plane, s.plane, g.inW, xp, g.padTop * L.Wp + g.padLeft, L.xPlane, L.Wp, cinG, g.inH, g.inW);
  winogradInputWasm(xp, cinG, L.xPlane, L.Wp, L.T, V, i * L.perImage, L.ld);
}

const applies = (s: ConvShape, dtype: string): boolean => {
  const g = s.S.window;
  return dtype === 'float32' && g.kH === 3 && g.kW === 3 && g.strideH === 1 && g.strideW === 1 && g.dilationH === 1 && g.dilationW === 1 && wasmConvKernelsAvailable();
};

export const winogradForward: ConvKernelStrategy<'forward'> = {
  name: 'winograd',
  applies,
  run(s, y, x, w, b) {
    const g = s.S.window;
    const [cinG, coutG] = [s.cin / s.groups, s.cout / s.groups];
    const P = s.S.positions;
    const L = layoutOf(s);
    const { T, perImage, Wy, yPlane, nb, ld } = L;
    const [xs, xp, V, M, U, bias, yq, ys] = wasmScratch([
      nb * s.cin * s.plane, cinG * L.xPlane, 16 * cinG * ld, 16 * coutG * ld, 16 * s.groups * coutG * cinG, s.cout, coutG * yPlane, nb * s.cout * P,
    ]) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    transformFilter(s, w, U);
    if (b !== null) bias.set(b);
    else bias.fill(0);
    for (let n0 = 0; n0 < s.n; n0 += nb) {
      const m = Math.min(nb, s.n - n0);
      xs.set(x.subarray(n0 * s.cin * s.plane, (n0 + m) * s.cin * s.plane));
      for (let gr = 0; gr < s.groups; gr++) {
        for (let i = 0; i < m; i++) transformInput(s, L, xs, i, gr, xp, V);
        // One product per element ξ of the transformed tile (a strided batch of 16).
        gemmBatchedInMemory(16, coutG, m * perImage, cinG, { data: U, offset: gr * 16 * coutG * cinG, rowStride: cinG, colStride: 1 }, coutG * cinG,
          { data: V, offset: 0, rowStride: ld, colStride: 1 }, cinG * ld, M, 0, coutG * ld, false, ld);
        for (let i = 0; i < m; i++) {
          winogradOutputWasm(M, i * perImage, coutG, ld, T, bias, gr * coutG, yq, yPlane, Wy);
          copyPlanesWasm(yq, 0, yPlane, Wy, ys, (i * s.cout + gr * coutG) * P, P, g.outW, coutG, g.outH, g.outW);
        }
      }
      y.set(ys.subarray(0, m * s.cout * P), n0 * s.cout * P);
    }
  },
};

/** dW[g·coutG + co, c] = Gᵀ M G for the 4×4 M[ξ] = Macc[(g·16 + ξ)·coutG·cinG + co·cinG + c]. */
function untransformFilterGrad(s: ConvShape, Macc: Float32Array, dw: TypedArray): void {
  const [cinG, coutG] = [s.cin / s.groups, s.cout / s.groups];
  const block = coutG * cinG;
  const t = new Float64Array(12);
  for (let g = 0; g < s.groups; g++) {
    for (let k = 0; k < block; k++) {
      const M = (i: number, j: number): number => Macc[(g * 16 + 4 * i + j) * block + k]!;
      for (let j = 0; j < 4; j++) {
        t[j] = M(0, j) + (M(1, j) + M(2, j)) / 2;
        t[4 + j] = (M(1, j) - M(2, j)) / 2;
        t[8 + j] = (M(1, j) + M(2, j)) / 2 + M(3, j);
      }
      const out = (g * block + k) * 9;
      for (let a = 0; a < 3; a++) {
        const [t0, t1, t2, t3] = [t[4 * a]!, t[4 * a + 1]!, t[4 * a + 2]!, t[4 * a + 3]!];
        dw[out + 3 * a] = t0 + (t1 + t2) / 2;
        dw[out + 3 * a + 1] = (t1 - t2) / 2;
        dw[out + 3 * a + 2] = (t1 + t2) / 2 + t3;
      }
    }
  }
}

export const winogradFilterGrad: ConvKernelStrategy<'filterGrad'> = {
  name: 'winograd',
  applies,
  run(s, dw, x, dy) {
    const g = s.S.window;
    const [cinG, coutG] = [s.cin / s.groups, s.cout / s.groups];
    const P = s.S.positions;
    const L = layoutOf(s);
    const { T, perImage, Wy, yPlane, nb, ld } = L;
    const [xs, dys, xp, dyp, V, D, Macc] = wasmScratch([
      nb * s.cin * s.plane, nb * s.cout * P, cinG * L.xPlane, coutG * yPlane, 16 * cinG * ld, 16 * coutG * ld, 16 * s.groups * coutG * cinG,
    ]) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    for (let n0 = 0; n0 < s.n; n0 += nb) {
      const m = Math.min(nb, s.n - n0);
      xs.set(x.subarray(n0 * s.cin * s.plane, (n0 + m) * s.cin * s.plane));
      dys.set(dy.subarray(n0 * s.cout * P, (n0 + m) * s.cout * P));
      for (let gr = 0; gr < s.groups; gr++) {
        for (let i = 0; i < m; i++) {
          transformInput(s, L, xs, i, gr, xp, V);
          // Zeros around dy: a tile reaching past the output must add nothing.
          zeroWasm(dyp, 0, dyp.length);
          copyPlanesWasm(dys, (i * s.cout + gr * coutG) * P, P, g.outW, dyp, 0, yPlane, Wy, coutG, g.outH, g.outW);
          winogradGradOutputWasm(dyp, coutG, yPlane, Wy, T, D, i * perImage, ld);
        }
        gemmBatchedInMemory(16, coutG, cinG, m * perImage, { data: D, offset: 0, rowStride: ld, colStride: 1 }, coutG * ld,
          { data: V, offset: 0, rowStride: 1, colStride: ld }, cinG * ld, Macc, gr * 16 * coutG * cinG, coutG * cinG, n0 > 0);
      }
    }
    untransformFilterGrad(s, Macc, dw);
  },
};
