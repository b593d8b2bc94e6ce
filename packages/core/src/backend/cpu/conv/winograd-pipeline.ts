// What Winograd F(2×2, 3×3) (winograd.ts) and F(4×4, 3×3) (winograd4x4.ts) share: the task
// programs around their transforms. Forward: per task of m images, pad the planes, transform the
// input tiles (Bᵀ d B), one GEMM per element ξ of the transformed tile over the channels, then
// untransform (Aᵀ m A) into output planes. Filter gradient: the adjoint in w, dW = Gᵀ[Σ_tiles
// (A dy Aᵀ) ⊙ (Bᵀ d B)]G, one GEMM per ξ summing over a fixed image chunk's tiles into a partial of
// its own, the partials added in chunk order (pipeline.ts), so results do not depend on the thread
// count. A variant brings its tile size, its layout of padded planes and its wasm transforms
// (assembly/conv.ts), the filter transforms among them (float64, on the calling thread).
import { type WinogradFilterKernel, type WinogradTiles, sumChunksWasm, wasmConvKernelsAvailable, winogradFilterWasm } from '../wasm/conv.js';
import { packGemmAInMemory, packedALength } from '../wasm/gemm.js';
import { currentView } from '../wasm/runtime.js';
import { TaskProgram, prepareBackgroundTasks, runTasks, runTasksThen } from '../wasm/tasks.js';
import { addRunMoments, at, copyTaskImages, imagesPerFilterChunk, imagesPerTask, pipelineScratch, recordTaskMoments, runMomentsLength, stagePadded, zeroPerThread } from './pipeline.js';
import type { ConvKernelStrategy, ConvShape } from './types.js';

/** Tile slots the transforms may write (input) or read (output) past a task's last tile. */
export const SLACK = 4;

/**
 * Tiles, padded input planes (row length Wp, planes xPlane apart), output-sized planes of whole
 * tiles (row length Wy, planes yPlane apart), images per task m and the row length ld of a task's
 * transformed tiles.
 */
export interface WinogradLayout {
  T: WinogradTiles;
  perImage: number;
  Wp: number;
  xPlane: number;
  Wy: number;
  yPlane: number;
  m: number;
  ld: number;
}

export interface WinogradVariant {
  /** The strategy's name (the chooser's and the rule table's). */
  name: string;
  /** Output tile side: 2 for F(2×2), 4 for F(4×4). */
  tile: number;
  /** Elements of the transformed tile, (tile + 2)²: one GEMM each. */
  xi: number;
  /**
   * The wasm transforms: input tiles, output tiles, dy tiles of the filter gradient; filters,
   * U[(g·xi + ξ)·coutG·cinG + co·cinG + c] = (G w[g·coutG + co, c] Gᵀ)[ξ], and the filter gradient's
   * adjoint, dW[g·coutG + co, c] = Gᵀ M G for M[ξ] = Macc[(g·xi + ξ)·coutG·cinG + co·cinG + c].
   */
  kernels: { input: string; output: string; gradOutput: string; filter: WinogradFilterKernel; filterGrad: WinogradFilterKernel };
  layoutOf(s: ConvShape, m: number): WinogradLayout;
  /** Images per forward task, given imagesPerTask's m. */
  forwardImages(n: number, m: number): number;
}

/** Where Winograd F(m×m, 3×3) applies: float32 3×3 stride-1 undilated convs, with the wasm kernels. */
export const winogradApplies = (s: ConvShape, dtype: string): boolean => {
  const g = s.S.window;
  return dtype === 'float32' && g.kH === 3 && g.kW === 3 && g.strideH === 1 && g.strideW === 1 && g.dilationH === 1 && g.dilationW === 1 && wasmConvKernelsAvailable();
};

/**
 * Adds to prog, for group gr of a task's m images (staged in xs, whole tasks after each other):
 * copy each image's planes into its slot of xp, inside the zero padding that zeroPerThread wrote
 * (pipeline.ts), and transform its tiles into V (per-thread scratch).
 */
function transformInput(prog: TaskProgram, v: WinogradVariant, s: ConvShape, L: WinogradLayout, xs: Float32Array, gr: number, xp: Float32Array, V: Float32Array, tS: number): void {
  const g = s.S.window;
  const cinG = s.cin / s.groups;
  const slot = 4 * cinG * L.xPlane;
  prog.call('copyPlanesPadded', [[at(xs, gr * cinG * s.plane), 4 * L.m * s.cin * s.plane, 0, 4 * s.cin * s.plane], s.plane, g.inW, [at(xp, g.padTop * L.Wp + g.padLeft), 0, tS, slot], L.xPlane, L.Wp, cinG, g.inH, g.inW], L.m);
  prog.call(v.kernels.input, [[at(xp), 0, tS, slot], cinG, L.xPlane, L.Wp, L.T.tilesH, L.T.tilesW, [at(V), 0, tS, 4 * L.perImage], L.ld], L.m);
}

/** The forward strategy of variant v. */
export function winogradForwardOf(v: WinogradVariant): ConvKernelStrategy<'forward'> {
  const XI = v.xi;
  return {
    name: v.name,
    applies: winogradApplies,
    run(s, y, x, w, b) {
      const g = s.S.window;
      const [cinG, coutG] = [s.cin / s.groups, s.cout / s.groups];
      const P = s.S.positions;
      const perImage = Math.ceil(g.outH / v.tile) * Math.ceil(g.outW / v.tile);
      // Tasks of m images (pipeline.ts): transform, XI products, untransform, on one thread.
      const L = v.layoutOf(s, v.forwardImages(s.n, imagesPerTask(s.n, XI * (cinG + coutG) * perImage)));
      const { T, xPlane, Wy, yPlane, m, ld } = L;
      const tasks = Math.ceil(s.n / m);
      const packed = packedALength(coutG, cinG);
      const sc = pipelineScratch(
        [tasks * m * s.cin * s.plane, w.length, XI * s.groups * coutG * cinG, s.cout, tasks * m * s.cout * P, XI * s.groups * packed, runMomentsLength(y, tasks, m, s.cout)],
        [m * cinG * xPlane, XI * cinG * ld, XI * coutG * ld, m * coutG * yPlane],
      );
      const [xs, ws, U, bias, ys, UP, moments] = sc.shared as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
      const [xp, V, M, yq] = sc.local as [Float32Array, Float32Array, Float32Array, Float32Array];
      const tS = sc.threadStride;
      zeroPerThread(sc, xp);
      ws.set(w);
      winogradFilterWasm(v.kernels.filter, ws, s.groups, coutG * cinG, U);
      // Every task multiplies the same XI transformed filters: packed for the GEMM once, here.
      for (let i = 0; i < XI * s.groups; i++) packGemmAInMemory(coutG, cinG, U, i * coutG * cinG, cinG, 1, UP, i * packed);
      if (b !== null) bias.set(b);
      else bias.fill(0);
      const prog = new TaskProgram(tasks);
      for (let gr = 0; gr < s.groups; gr++) {
        transformInput(prog, v, s, L, xs, gr, xp, V, tS);
        // One product per element ξ of the transformed tile.
        prog.call('gemmPackedA', [coutG, m * perImage, cinG, [at(UP, gr * XI * packed), 0, 0, 4 * packed], [at(V), 0, tS, 4 * cinG * ld], ld, 1,
          [at(M), 0, tS, 4 * coutG * ld], ld, 0, sc.work], XI);
        prog.call(v.kernels.output, [[at(M), 0, tS, 4 * perImage], coutG, ld, T.tilesH, T.tilesW, at(bias, gr * coutG), [at(yq), 0, tS, 4 * coutG * yPlane], yPlane, Wy], m);
        prog.call('copyPlanesPadded', [[at(yq), 0, tS, 4 * coutG * yPlane], yPlane, Wy, [at(ys, gr * coutG * P), 4 * m * s.cout * P, 0, 4 * s.cout * P], P, g.outW, coutG, g.outH, g.outW], m);
      }
      addRunMoments(prog, ys, moments, m, s.cout, P);
      runTasks(prog, copyTaskImages(ys, y, m, s.n, s.cout * P), copyTaskImages(x, xs, m, s.n, s.cin * s.plane));
      recordTaskMoments(y, moments, s.n, s.cout);
    },
  };
}

/** The filter-gradient strategy of variant v. */
export function winogradFilterGradOf(v: WinogradVariant): ConvKernelStrategy<'filterGrad'> {
  const XI = v.xi;
  return {
    name: v.name,
    applies: winogradApplies,
    run(s, dw, x, dy) {
      const g = s.S.window;
      const [cinG, coutG] = [s.cin / s.groups, s.cout / s.groups];
      const P = s.S.positions;
      // Fixed image chunks (pipeline.ts), each summing its XI products into a partial of its own.
      const L = v.layoutOf(s, imagesPerFilterChunk(s.n));
      const { T, perImage, Wy, yPlane, m, ld } = L;
      const chunks = Math.ceil(s.n / m);
      const accLength = XI * s.groups * coutG * cinG;
      // With threads on, the tasks run in the background while backward goes on (tasks.ts runTasksAsync).
      const background = prepareBackgroundTasks();
      const sc = pipelineScratch(
        [chunks * m * s.cin * s.plane, chunks * m * s.cout * P, chunks * accLength, accLength, dw.length],
        [m * cinG * L.xPlane, m * coutG * yPlane, XI * cinG * ld, XI * coutG * ld],
        background,
      );
      const [xs, dys, partials, Macc, dws] = sc.shared as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
      const [xp, dyp, V, D] = sc.local as [Float32Array, Float32Array, Float32Array, Float32Array];
      const tS = sc.threadStride;
      zeroPerThread(sc, xp);
      zeroPerThread(sc, dyp);
      // Padding images are zeros in both operands: they add exact zeros.
      stagePadded(xs, x, xs.length);
      stagePadded(dys, dy, dys.length);
      const prog = new TaskProgram(chunks);
      const slot = 4 * coutG * yPlane;
      for (let gr = 0; gr < s.groups; gr++) {
        transformInput(prog, v, s, L, xs, gr, xp, V, tS);
        // Zeros around dy (zeroPerThread): a tile reaching past the output must add nothing.
        prog.call('copyPlanesPadded', [[at(dys, gr * coutG * P), 4 * m * s.cout * P, 0, 4 * s.cout * P], P, g.outW, [at(dyp), 0, tS, slot], yPlane, Wy, coutG, g.outH, g.outW], m);
        prog.call(v.kernels.gradOutput, [[at(dyp), 0, tS, slot], coutG, yPlane, Wy, T.tilesH, T.tilesW, [at(D), 0, tS, 4 * perImage], ld], m);
        prog.call('gemm', [coutG, cinG, m * perImage, [at(D), 0, tS, 4 * coutG * ld], ld, 1, [at(V), 0, tS, 4 * cinG * ld], 1, ld,
          [at(partials, gr * XI * coutG * cinG), 4 * accLength, 0, 4 * coutG * cinG], cinG, 0, sc.work], XI);
      }
      const finish = (): void => {
        // Later calls may have grown the memory since the scratch was taken (a background program).
        const [partialsNow, MaccNow, dwsNow] = [partials, Macc, dws].map(currentView) as [Float32Array, Float32Array, Float32Array];
        sumChunksWasm(partialsNow, chunks, accLength, MaccNow);
        winogradFilterWasm(v.kernels.filterGrad, MaccNow, s.groups, coutG * cinG, dwsNow);
        dw.set(dwsNow);
      };
      runTasksThen(prog, background, dw, finish);
    },
  };
}
