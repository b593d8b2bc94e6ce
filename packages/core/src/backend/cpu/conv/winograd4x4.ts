// Winograd F(4×4, 3×3) for float32 3×3 stride-1 undilated convs: each 4×4 output tile costs 36
// multiplies per (input, output) channel pair instead of 144 (F(2×2), winograd.ts: 64 for the same
// 16 outputs), at the price of larger transforms (6×6 input tiles, Bᵀ d B; filters, G g Gᵀ;
// outputs, Aᵀ m A) and more rounding: the transforms use the points 0, ±1, ±2 (Lavin & Gray), so
// entries are scaled by up to 8 on the way, and float32 results carry ~10-20× F(2×2)'s error
// (a few 1e-6 of the largest Σ|terms| in the forward; still within the 1e-5 norm-wise bound the
// strategy tests hold every algorithm to).
// The structure is winograd.ts's: the channel sums are 36 GEMMs, one per element ξ of the
// transformed tile, over a task's images; transforms in wasm (assembly/conv.ts), padding from
// zero-padded planes; whole tasks on one thread (pipeline.ts), so results do not depend on the
// thread count. The input gradient reaches it through the flipped rewrite; the filter gradient is
// the adjoint in w, dW = Gᵀ[Σ_tiles (A dy Aᵀ) ⊙ (Bᵀ d B)]G: 36 GEMMs summing over a chunk's tiles.
import type { WinogradTiles } from '../wasm/conv.js';
import { TaskProgram, runTasks } from '../wasm/tasks.js';
import type { TypedArray } from '../../../tensor/dtype.js';
import { roundUp } from '../align.js';
import { at, copyOut, imagesPerFilterChunk, imagesPerTask, pipelineScratch, stagePadded, sumPartials } from './pipeline.js';
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
 * The kernels take 4 tiles of a row at a time, or, where a row has 2 (tilesW = 2), 2 tiles of 2
 * rows: then the planes hold whole pairs of tile rows, 3 column vectors wide.
 */
function layoutOf(s: ConvShape, m: number) {
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

type Layout = ReturnType<typeof layoutOf>;

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
 * Adds to prog, for group gr of a task's m images (staged in xs, whole tasks after each other):
 * pad each image's planes into its slot of xp and transform its tiles into V (per-thread scratch).
 */
function transformInput(prog: TaskProgram, s: ConvShape, L: Layout, xs: Float32Array, gr: number, xp: Float32Array, V: Float32Array, tS: number): void {
  const g = s.S.window;
  const cinG = s.cin / s.groups;
  const slot = 4 * cinG * L.xPlane;
  prog.call('zeroFloats', [[at(xp), 0, tS], L.m * cinG * L.xPlane]);
  prog.call('copyPlanes', [[at(xs, gr * cinG * s.plane), 4 * L.m * s.cin * s.plane, 0, 4 * s.cin * s.plane], s.plane, g.inW, [at(xp, g.padTop * L.Wp + g.padLeft), 0, tS, slot], L.xPlane, L.Wp, cinG, g.inH, g.inW], L.m);
  prog.call('winograd4Input', [[at(xp), 0, tS, slot], cinG, L.xPlane, L.Wp, L.T.tilesH, L.T.tilesW, [at(V), 0, tS, 4 * L.perImage], L.ld], L.m);
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
    const L = layoutOf(s, evenTasks(s.n, imagesPerTask(s.n, XI * (cinG + coutG) * perImage)));
    const { T, xPlane, Wy, yPlane, m, ld } = L;
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
    for (let gr = 0; gr < s.groups; gr++) {
      transformInput(prog, s, L, xs, gr, xp, V, tS);
      // One product per element ξ of the transformed tile.
      prog.call('gemm', [coutG, m * perImage, cinG, [at(U, gr * XI * coutG * cinG), 0, 0, 4 * coutG * cinG], cinG, 1, [at(V), 0, tS, 4 * cinG * ld], ld, 1,
        [at(M), 0, tS, 4 * coutG * ld], ld, 0, sc.work], XI);
      prog.call('winograd4Output', [[at(M), 0, tS, 4 * perImage], coutG, ld, T.tilesH, T.tilesW, at(bias, gr * coutG), [at(yq), 0, tS, 4 * coutG * yPlane], yPlane, Wy], m);
      prog.call('copyPlanes', [[at(yq), 0, tS, 4 * coutG * yPlane], yPlane, Wy, [at(ys, gr * coutG * P), 4 * m * s.cout * P, 0, 4 * s.cout * P], P, g.outW, coutG, g.outH, g.outW], m);
    }
    runTasks(prog, copyOut(ys, y, m, s.n, s.cout * P));
  },
};

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

export const winograd4x4FilterGrad: ConvKernelStrategy<'filterGrad'> = {
  name: 'winograd4x4',
  applies: winogradApplies,
  run(s, dw, x, dy) {
    const g = s.S.window;
    const [cinG, coutG] = [s.cin / s.groups, s.cout / s.groups];
    const P = s.S.positions;
    // Fixed image chunks (pipeline.ts), each summing its 36 products into a partial of its own.
    const L = layoutOf(s, imagesPerFilterChunk(s.n));
    const { T, perImage, Wy, yPlane, m, ld } = L;
    const chunks = Math.ceil(s.n / m);
    const accLength = XI * s.groups * coutG * cinG;
    const sc = pipelineScratch(
      [chunks * m * s.cin * s.plane, chunks * m * s.cout * P, chunks * accLength, accLength],
      [m * cinG * L.xPlane, m * coutG * yPlane, XI * cinG * ld, XI * coutG * ld],
    );
    const [xs, dys, partials, Macc] = sc.shared as [Float32Array, Float32Array, Float32Array, Float32Array];
    const [xp, dyp, V, D] = sc.local as [Float32Array, Float32Array, Float32Array, Float32Array];
    const tS = sc.threadStride;
    // Padding images are zeros in both operands: they add exact zeros.
    stagePadded(xs, x, xs.length);
    stagePadded(dys, dy, dys.length);
    const prog = new TaskProgram(chunks);
    const slot = 4 * coutG * yPlane;
    for (let gr = 0; gr < s.groups; gr++) {
      transformInput(prog, s, L, xs, gr, xp, V, tS);
      // Zeros around dy: a tile reaching past the output must add nothing.
      prog.call('zeroFloats', [[at(dyp), 0, tS], m * coutG * yPlane]);
      prog.call('copyPlanes', [[at(dys, gr * coutG * P), 4 * m * s.cout * P, 0, 4 * s.cout * P], P, g.outW, [at(dyp), 0, tS, slot], yPlane, Wy, coutG, g.outH, g.outW], m);
      prog.call('winograd4GradOutput', [[at(dyp), 0, tS, slot], coutG, yPlane, Wy, T.tilesH, T.tilesW, [at(D), 0, tS, 4 * perImage], ld], m);
      prog.call('gemm', [coutG, cinG, m * perImage, [at(D), 0, tS, 4 * coutG * ld], ld, 1, [at(V), 0, tS, 4 * cinG * ld], 1, ld,
        [at(partials, gr * XI * coutG * cinG), 4 * accLength, 0, 4 * coutG * cinG], cinG, 0, sc.work], XI);
    }
    runTasks(prog);
    sumPartials(partials, chunks, accLength, Macc);
    untransformFilterGrad(s, Macc, dw);
  },
};
