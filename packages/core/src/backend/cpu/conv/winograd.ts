// Winograd F(2×2, 3×3) for float32 3×3 stride-1 undilated convs: each 2×2 output tile costs
// 16 multiplies per (input, output) channel pair instead of 36, at the price of transforming
// input tiles (Bᵀ d B), filters (G g Gᵀ) and outputs (Aᵀ m A). The channel sums become 16 GEMMs,
// one per element ξ of the transformed 4×4 tile, over a chunk of images. The filter gradient is
// the adjoint in w: dW = Gᵀ[Σ_tiles (A dy Aᵀ) ⊙ (Bᵀ d B)]G, 16 GEMMs summing over tiles.
// Transforms run in wasm (assembly/conv.ts); padding comes from zero-padded planes. Both run as
// task programs (pipeline.ts): a task's images go through transforms and products on one thread.
import { type WinogradTiles, wasmConvKernelsAvailable } from '../wasm/conv.js';
import { TaskProgram, runTasks } from '../wasm/tasks.js';
import type { TypedArray } from '../../../tensor/dtype.js';
import { roundUp } from '../align.js';
import { at, copyOut, imagesPerFilterChunk, imagesPerTask, pipelineScratch, stagePadded, sumPartials } from './pipeline.js';
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
function layoutOf(s: ConvShape, m: number) {
  const g = s.S.window;
  const T: WinogradTiles = { tilesH: Math.ceil(g.outH / 2), tilesW: Math.ceil(g.outW / 2) };
  const perImage = T.tilesH * T.tilesW;
  const Wp = Math.max(g.padLeft + g.inW, 2 * roundUp(T.tilesW, 4) + 2);
  const Wy = 2 * roundUp(T.tilesW, 4);
  return {
    T, perImage, Wp, xPlane: Math.max(g.padTop + g.inH, 2 * T.tilesH + 2) * Wp, Wy, yPlane: 2 * T.tilesH * Wy, m, ld: m * perImage + SLACK,
  };
}
type Layout = ReturnType<typeof layoutOf>;

/**
 * Adds to prog, for group gr of a task's m images (staged in xs, a task `task` bytes further):
 * pad each image's planes into its slot of xp and transform its tiles into V (per-thread scratch).
 */
function transformInput(prog: TaskProgram, s: ConvShape, L: Layout, xs: Float32Array, task: number, gr: number, xp: Float32Array, V: Float32Array, tS: number): void {
  const g = s.S.window;
  const cinG = s.cin / s.groups;
  const slot = 4 * cinG * L.xPlane;
  prog.call('zeroFloats', [[at(xp), 0, tS], L.m * cinG * L.xPlane]);
  prog.call('copyPlanes', [[at(xs, gr * cinG * s.plane), task, 0, 4 * s.cin * s.plane], s.plane, g.inW, [at(xp, g.padTop * L.Wp + g.padLeft), 0, tS, slot], L.xPlane, L.Wp, cinG, g.inH, g.inW], L.m);
  prog.call('winogradInput', [[at(xp), 0, tS, slot], cinG, L.xPlane, L.Wp, L.T.tilesH, L.T.tilesW, [at(V), 0, tS, 4 * L.perImage], L.ld], L.m);
}

/** Where Winograd F(m×m, 3×3) applies (this one and winograd4x4.ts): float32 3×3 stride-1 undilated convs, with the wasm kernels. */
export const winogradApplies = (s: ConvShape, dtype: string): boolean => {
  const g = s.S.window;
  return dtype === 'float32' && g.kH === 3 && g.kW === 3 && g.strideH === 1 && g.strideW === 1 && g.dilationH === 1 && g.dilationW === 1 && wasmConvKernelsAvailable();
};

export const winogradForward: ConvKernelStrategy<'forward'> = {
  name: 'winograd',
  applies: winogradApplies,
  run(s, y, x, w, b) {
    const g = s.S.window;
    const [cinG, coutG] = [s.cin / s.groups, s.cout / s.groups];
    const P = s.S.positions;
    const perImage = Math.ceil(g.outH / 2) * Math.ceil(g.outW / 2);
    // Tasks of m images (pipeline.ts): transform, 16 products, untransform, on one thread.
    const L = layoutOf(s, imagesPerTask(s.n, 16 * (cinG + coutG) * perImage));
    const { T, Wy, yPlane, m, ld } = L;
    const tasks = Math.ceil(s.n / m);
    const sc = pipelineScratch(
      [tasks * m * s.cin * s.plane, 16 * s.groups * coutG * cinG, s.cout, tasks * m * s.cout * P],
      [m * cinG * L.xPlane, 16 * cinG * ld, 16 * coutG * ld, m * coutG * yPlane],
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
      transformInput(prog, s, L, xs, 4 * m * s.cin * s.plane, gr, xp, V, tS);
      // One product per element ξ of the transformed tile.
      prog.call('gemm', [coutG, m * perImage, cinG, [at(U, gr * 16 * coutG * cinG), 0, 0, 4 * coutG * cinG], cinG, 1, [at(V), 0, tS, 4 * cinG * ld], ld, 1,
        [at(M), 0, tS, 4 * coutG * ld], ld, 0, sc.work], 16);
      prog.call('winogradOutput', [[at(M), 0, tS, 4 * perImage], coutG, ld, T.tilesH, T.tilesW, at(bias, gr * coutG), [at(yq), 0, tS, 4 * coutG * yPlane], yPlane, Wy], m);
      prog.call('copyPlanes', [[at(yq), 0, tS, 4 * coutG * yPlane], yPlane, Wy, [at(ys, gr * coutG * P), 4 * m * s.cout * P, 0, 4 * s.cout * P], P, g.outW, coutG, g.outH, g.outW], m);
    }
    runTasks(prog, copyOut(ys, y, m, s.n, s.cout * P));
  },
};

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

export const winogradFilterGrad: ConvKernelStrategy<'filterGrad'> = {
  name: 'winograd',
  applies: winogradApplies,
  run(s, dw, x, dy) {
    const g = s.S.window;
    const [cinG, coutG] = [s.cin / s.groups, s.cout / s.groups];
    const P = s.S.positions;
    // Fixed image chunks (pipeline.ts), each summing its 16 products into a partial of its own.
    const L = layoutOf(s, imagesPerFilterChunk(s.n));
    const { T, perImage, Wy, yPlane, m, ld } = L;
    const chunks = Math.ceil(s.n / m);
    const accLength = 16 * s.groups * coutG * cinG;
    const sc = pipelineScratch(
      [chunks * m * s.cin * s.plane, chunks * m * s.cout * P, chunks * accLength, accLength],
      [m * cinG * L.xPlane, m * coutG * yPlane, 16 * cinG * ld, 16 * coutG * ld],
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
      transformInput(prog, s, L, xs, 4 * m * s.cin * s.plane, gr, xp, V, tS);
      // Zeros around dy: a tile reaching past the output must add nothing.
      prog.call('zeroFloats', [[at(dyp), 0, tS], m * coutG * yPlane]);
      prog.call('copyPlanes', [[at(dys, gr * coutG * P), 4 * m * s.cout * P, 0, 4 * s.cout * P], P, g.outW, [at(dyp), 0, tS, slot], yPlane, Wy, coutG, g.outH, g.outW], m);
      prog.call('winogradGradOutput', [[at(dyp), 0, tS, slot], coutG, yPlane, Wy, T.tilesH, T.tilesW, [at(D), 0, tS, 4 * perImage], ld], m);
      prog.call('gemm', [coutG, cinG, m * perImage, [at(D), 0, tS, 4 * coutG * ld], ld, 1, [at(V), 0, tS, 4 * cinG * ld], 1, ld,
        [at(partials, gr * 16 * coutG * cinG), 4 * accLength, 0, 4 * coutG * cinG], cinG, 0, sc.work], 16);
    }
    runTasks(prog);
    sumPartials(partials, chunks, accLength, Macc);
    untransformFilterGrad(s, Macc, dw);
  },
};
