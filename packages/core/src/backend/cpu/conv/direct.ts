// Direct convolution (no im2col, no GEMM packing) for float32, stride 1: each image's planes
// are zero-padded once into wasm memory and assembly/conv.ts directConv accumulates the taps
// straight from them. With few input channels (K = Cin·kH·kW small) the gathered path spends
// as much time gathering and packing as multiplying; this one only multiplies.
import { stageTapOffsets, wasmConvKernelsAvailable } from '../wasm/conv.js';
import { TaskProgram, runTasks } from '../wasm/tasks.js';
import type { TypedArray } from '../../../tensor/dtype.js';
import { roundUp } from '../align.js';
import { addRunMoments, at, copyTaskImages, pipelineScratch, recordTaskMoments, runMomentsLength, zeroPerThread } from './pipeline.js';
import type { ConvKernelStrategy, ConvShape } from './types.js';

/** Padded planes of row length Wp. */
interface DirectLayout {
  channels: number;
  xPlane: number;
  Wp: number;
  /** Output channels per group rounded up to 8 (weights and bias zero-padded). */
  coutPad: number;
}

function layoutOf(s: ConvShape): DirectLayout {
  const g = s.S.window;
  // Rows of length Wp hold the left padding, the input row and enough zeros that every kept
  // output column reads inside its row; one spare row and 4 floats cover the reads of a row's
  // last group of 4 positions past outW (dropped).
  const Wp = Math.max(g.padLeft + g.inW, g.outW + (g.kW - 1) * g.dilationW);
  const Hp = Math.max(g.padTop + g.inH, g.outH + (g.kH - 1) * g.dilationH) + 1;
  return { channels: s.cin / s.groups, xPlane: Hp * Wp + 4, Wp, coutPad: roundUp(s.cout / s.groups, 8) };
}

/** wt[g][co/8][c·taps + t][co%8] = w[g·coutG + co, c, t] (blocks of 8 output channels); bias [g][coutPad] (0 without one). */
function stageFilter(s: ConvShape, L: DirectLayout, w: TypedArray, b: TypedArray | null, wt: Float32Array, bias: Float32Array): void {
  const coutG = s.cout / s.groups;
  const taps = s.S.taps;
  const K = L.channels * taps;
  wt.fill(0);
  bias.fill(0);
  for (let g = 0; g < s.groups; g++) {
    for (let co = 0; co < coutG; co++) {
      const src = (g * coutG + co) * K;
      const dst = g * K * L.coutPad + (co >> 3) * K * 8 + (co & 7);
      for (let k = 0; k < K; k++) wt[dst + 8 * k] = w[src + k]!;
      if (b !== null) bias[g * L.coutPad + co] = b[g * coutG + co]!;
    }
  }
}

export const directForward: ConvKernelStrategy<'forward'> = {
  name: 'direct',
  applies: (s, dtype) => dtype === 'float32' && s.S.window.strideH === 1 && s.S.window.strideW === 1 && wasmConvKernelsAvailable(),
  run(s, y, x, w, b) {
    const g = s.S.window;
    const L = layoutOf(s);
    const P = s.S.positions;
    const coutG = s.cout / s.groups;
    const K = L.channels * s.S.taps;
    // One task per image (pipeline.ts): copy its planes inside the zero padding, convolve into its output planes.
    const sc = pipelineScratch([s.n * s.cin * s.plane, s.groups * K * L.coutPad, s.groups * L.coutPad, K, s.n * s.cout * P, runMomentsLength(y, s.n, 1, s.cout)], [L.channels * L.xPlane]);
    const [xs, wt, bias, offsets, ys, moments] = sc.shared as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    const [xp] = sc.local as [Float32Array];
    const tS = sc.threadStride;
    zeroPerThread(sc, xp);
    stageFilter(s, L, w, b, wt, bias);
    stageTapOffsets(offsets, L.channels, L.xPlane, L.Wp, g.kH, g.kW, g.dilationH, g.dilationW);
    const prog = new TaskProgram(s.n);
    for (let gr = 0; gr < s.groups; gr++) {
      prog.call('copyPlanesPadded', [[at(xs, gr * L.channels * s.plane), 4 * s.cin * s.plane], s.plane, g.inW, [at(xp, g.padTop * L.Wp + g.padLeft), 0, tS], L.xPlane, L.Wp, L.channels, g.inH, g.inW]);
      prog.call('directConv', [[at(xp), 0, tS], at(offsets), K, at(wt, gr * K * L.coutPad), L.coutPad, coutG, at(bias, gr * L.coutPad), L.Wp, g.outH, g.outW,
        [at(ys, gr * coutG * P), 4 * s.cout * P], P]);
    }
    addRunMoments(prog, ys, moments, 1, s.cout, P);
    runTasks(prog, copyTaskImages(ys, y, 1, s.n, s.cout * P), copyTaskImages(x, xs, 1, s.n, s.cin * s.plane));
    recordTaskMoments(y, moments, s.n, s.cout);
  },
};
