// 1×1 kernels with stride 1 and no padding (the identity pattern, any dilation): an image's
// input planes ARE its column matrix, so every product is a GEMM per image straight on the
// planes, with no im2col and no rearranging into batched column rows (ResNet-50's and
// GoogLeNet's many 1×1 convs). Operands are staged a chunk of images at a time (one copy in,
// one out) where the GEMM reads them (wasm memory for float32).
import type { TypedArray } from '../../../tensor/dtype.js';
import { imagesPerChunk } from './chunks.js';
import { type ConvKernelStrategy, type ConvShape, floatTypeOf } from './types.js';
import { convWorkspace } from './workspace.js';

/** Images per chunk: a chunk stages its input and output planes. */
const chunkOf = (s: ConvShape): number => imagesPerChunk(s, (s.cin + s.cout) * s.plane);

const applies = (s: ConvShape): boolean => s.S.identity;

/** Copies images [n0, n0 + m) of t (each `size` long) to the front of `dst`. */
function stageImages(t: TypedArray, n0: number, m: number, size: number, dst: TypedArray): void {
  dst.set(t.subarray(n0 * size, (n0 + m) * size));
}

// y[n]_g = W_g · x[n]_g (+ b)
export const pointwiseForward: ConvKernelStrategy<'forward'> = {
  name: 'pointwise',
  applies,
  run(s, y, x, w, b) {
    const P = s.plane;
    const [cinG, coutG] = [s.cin / s.groups, s.cout / s.groups];
    const nb = chunkOf(s);
    const ws = convWorkspace(floatTypeOf(x), [w.length, nb * s.cin * P, nb * s.cout * P]);
    const [wk, xs, ys] = ws.buffers as [TypedArray, TypedArray, TypedArray];
    wk.set(w);
    for (let n0 = 0; n0 < s.n; n0 += nb) {
      const m = Math.min(nb, s.n - n0);
      stageImages(x, n0, m, s.cin * P, xs);
      for (let i = 0; i < m; i++) {
        for (let g = 0; g < s.groups; g++) {
          const yOff = (i * s.cout + g * coutG) * P;
          if (b !== null) for (let co = 0; co < coutG; co++) ys.fill(b[g * coutG + co]!, yOff + co * P, yOff + (co + 1) * P);
          ws.gemm(coutG, P, cinG, { data: wk, offset: g * coutG * cinG, rowStride: cinG, colStride: 1 }, { data: xs, offset: (i * s.cin + g * cinG) * P, rowStride: P, colStride: 1 }, ys, yOff, b !== null);
        }
      }
      y.set(ys.subarray(0, m * s.cout * P), n0 * s.cout * P);
    }
    ws.release();
  },
};

// dx[n]_g = W_gᵀ · dy[n]_g
export const pointwiseInputGrad: ConvKernelStrategy<'inputGrad'> = {
  name: 'pointwise',
  applies,
  run(s, dx, dy, w) {
    const P = s.plane;
    const [cinG, coutG] = [s.cin / s.groups, s.cout / s.groups];
    const nb = chunkOf(s);
    const ws = convWorkspace(floatTypeOf(dy), [w.length, nb * s.cout * P, nb * s.cin * P]);
    const [wk, dys, dxs] = ws.buffers as [TypedArray, TypedArray, TypedArray];
    wk.set(w);
    for (let n0 = 0; n0 < s.n; n0 += nb) {
      const m = Math.min(nb, s.n - n0);
      stageImages(dy, n0, m, s.cout * P, dys);
      for (let i = 0; i < m; i++) {
        for (let g = 0; g < s.groups; g++) {
          ws.gemm(cinG, P, coutG, { data: wk, offset: g * coutG * cinG, rowStride: 1, colStride: cinG }, { data: dys, offset: (i * s.cout + g * coutG) * P, rowStride: P, colStride: 1 }, dxs, (i * s.cin + g * cinG) * P, false);
        }
      }
      dx.set(dxs.subarray(0, m * s.cin * P), n0 * s.cin * P);
    }
    ws.release();
  },
};

// dW_g = Σ_n dy[n]_g · x[n]_gᵀ
export const pointwiseFilterGrad: ConvKernelStrategy<'filterGrad'> = {
  name: 'pointwise',
  applies,
  run(s, dw, x, dy) {
    const P = s.plane;
    const [cinG, coutG] = [s.cin / s.groups, s.cout / s.groups];
    const nb = chunkOf(s);
    const ws = convWorkspace(floatTypeOf(x), [nb * s.cin * P, nb * s.cout * P, dw.length]);
    const [xs, dys, dwk] = ws.buffers as [TypedArray, TypedArray, TypedArray];
    dwk.fill(0, 0, dw.length);
    for (let n0 = 0; n0 < s.n; n0 += nb) {
      const m = Math.min(nb, s.n - n0);
      stageImages(x, n0, m, s.cin * P, xs);
      stageImages(dy, n0, m, s.cout * P, dys);
      for (let i = 0; i < m; i++) {
        for (let g = 0; g < s.groups; g++) {
          ws.gemm(coutG, cinG, P, { data: dys, offset: (i * s.cout + g * coutG) * P, rowStride: P, colStride: 1 }, { data: xs, offset: (i * s.cin + g * cinG) * P, rowStride: 1, colStride: P }, dwk, g * coutG * cinG, true);
        }
      }
    }
    dw.set(dwk.subarray(0, dw.length));
    ws.release();
  },
};
