// Winograd F(4×4, 3×3) forward for float32 3×3 stride-1 undilated convs: each 4×4 output tile
// costs 36 multiplies per (input, output) channel pair instead of 144 (F(2×2): 64 for the same
// 16 outputs), at the price of larger transforms (6×6 input tiles, Bᵀ d B; filters, G g Gᵀ;
// outputs, Aᵀ m A) and more rounding: the transforms use the points 0, ±1, ±2 (Lavin & Gray), so
// entries are scaled by up to 8 on the way, and float32 results carry several times F(2×2)'s
// error (still within 1e-5 of the norm-wise bound the strategy tests hold every algorithm to).
// The structure is winograd.ts's: the channel sums are 36 GEMMs, one per element ξ of the
// transformed tile, over a task's images; transforms in wasm (assembly/conv.ts), padding from
// zero-padded planes; whole tasks on one thread (pipeline.ts), so results do not depend on the
// thread count. Forward only: the input gradient reaches it through the flipped rewrite.
import type { WinogradTiles } from '../wasm/conv.js';
import { TaskProgram, runTasks } from '../wasm/tasks.js';
import type { TypedArray } from '../../../tensor/dtype.js';
import { roundUp } from '../align.js';
import { at, copyOut, imagesPerTask, pipelineScratch } from './pipeline.js';
import type { ConvKernelStrategy, ConvShape } from './types.js';
import { winogradApplies } from './winograd.js';

/** Elements of the transformed tile. */
const XI = 36;
/** Tile slots the transforms may write (input) or read (output) past a task's last tile. */
const SLACK = 4;

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
 */
function layoutOf(s: ConvShape, m: number) {
  const g = s.S.window;
  const T: WinogradTiles = { tilesH: Math.ceil(g.outH / 4), tilesW: Math.ceil(g.outW / 4) };
  const perImage = T.tilesH * T.tilesW;
  const Wp = Math.max(g.padLeft + g.inW, 4 * roundUp(T.tilesW, 4) + 4);
  const Wy = 4 * roundUp(T.tilesW, 4);
  return {
    T, perImage, Wp, xPlane: Math.max(g.padTop + g.inH, 4 * T.tilesH + 2) * Wp, Wy, yPlane: 4 * T.tilesH * Wy, m, ld: m * perImage + SLACK,
  };
}

export const winograd4x4Forward: ConvKernelStrategy<'forward'> = {
  name: 'winograd4x4',
  applies: winogradApplies,
  run(s, y, x, w, b) {
    const g = s.S.window;
    const [cinG, coutG] = [s.cin / s.groups, s.cout / s.groups];
    const P = s.S.positions;
    const perImage = Math.ceil(g.outH / 4) * Math.ceil(g.outW / 4);
    // Tasks of m images (pipeline.ts): transform, 36 products, untransform, on one thread.
    const L = layoutOf(s, imagesPerTask(s.n, XI * (cinG + coutG) * perImage));
    const { T, Wp, xPlane, Wy, yPlane, m, ld } = L;
    const tasks = Math.ceil(s.n / m);
    const sc = pipelineScratch(
      [tasks * m * s.cin * s.plane, XI * s.groups * coutG * cinG, s.cout, tasks * m * s.cout * P],
      [m * cinG * xPlane, XI * cinG * ld, XI * coutG * ld, m * coutG * yPlane],
    );
    const [xs, U, bias, ys] = sc.shared as [Float32Array, Float32Array, Float32Array, Float32Array];
    const [xp, V, M, yq] = sc.local as [Float32Array, Float32Array, Float32Array, Float32Array];
    const tS = sc.threadStride;
    xs.set(x);
    transformFilter(s, w, U);
    if (b !== null) bias.set(b);
    else bias.fill(0);
    const prog = new TaskProgram(tasks);
    const task = 4 * m * s.cin * s.plane;
    const slot = 4 * cinG * xPlane;
    for (let gr = 0; gr < s.groups; gr++) {
      // Pad each image's planes of this group into its slot of xp, and transform its tiles into V.
      prog.call('zeroFloats', [[at(xp), 0, tS], m * cinG * xPlane]);
      prog.call('copyPlanes', [[at(xs, gr * cinG * s.plane), task, 0, 4 * s.cin * s.plane], s.plane, g.inW, [at(xp, g.padTop * Wp + g.padLeft), 0, tS, slot], xPlane, Wp, cinG, g.inH, g.inW], m);
      prog.call('winograd4Input', [[at(xp), 0, tS, slot], cinG, xPlane, Wp, T.tilesH, T.tilesW, [at(V), 0, tS, 4 * perImage], ld], m);
      // One product per element ξ of the transformed tile.
      prog.call('gemm', [coutG, m * perImage, cinG, [at(U, gr * XI * coutG * cinG), 0, 0, 4 * coutG * cinG], cinG, 1, [at(V), 0, tS, 4 * cinG * ld], ld, 1,
        [at(M), 0, tS, 4 * coutG * ld], ld, 0, sc.work], XI);
      prog.call('winograd4Output', [[at(M), 0, tS, 4 * perImage], coutG, ld, T.tilesH, T.tilesW, at(bias, gr * coutG), [at(yq), 0, tS, 4 * coutG * yPlane], yPlane, Wy], m);
      prog.call('copyPlanes', [[at(yq), 0, tS, 4 * coutG * yPlane], yPlane, Wy, [at(ys, gr * coutG * P), 4 * m * s.cout * P, 0, 4 * s.cout * P], P, g.outW, coutG, g.outH, g.outW], m);
    }
    runTasks(prog, copyOut(ys, y, m, s.n, s.cout * P));
  },
};
