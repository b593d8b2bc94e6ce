// 1×1 kernels with stride 1 and no padding (the identity pattern, any dilation): an image's
// input planes ARE its column matrix, so every product is a GEMM per image straight on the
// planes, with no im2col and no rearranging into batched column rows (ResNet-50's and
// GoogLeNet's many 1×1 convs). Operands are staged a chunk of images at a time (one copy in,
// one out) where the GEMM reads them (wasm memory for float32).
import { convWorkspace } from './kernels.js';
import type { TypedArray } from '../../../tensor/dtype.js';
import type { Tensor } from '../../../tensor/tensor.js';
import { type ConvShape, floatType } from './gathered.js';
import type { ConvStrategy } from './chooser.js';

/** Floats of staged input and output per chunk of images. */
const CHUNK_FLOATS = 1 << 20;

const chunkOf = (s: ConvShape): number => Math.max(1, Math.min(s.n, Math.floor(CHUNK_FLOATS / ((s.cin + s.cout) * s.plane))));

const applies = (s: ConvShape): boolean => s.S.identity;

/** Copies images [n0, n0 + m) of t (each `size` long) to the front of `dst`. */
function stageImages(t: Tensor, n0: number, m: number, size: number, dst: TypedArray): void {
  dst.set(t.data.subarray(n0 * size, (n0 + m) * size));
}

// y[n]_g = W_g · x[n]_g (+ b)
export const pointwiseForward: ConvStrategy<'forward'> = {
  name: 'pointwise',
  applies,
  run(s, y, x, w, b) {
    const P = s.plane;
    const [cinG, coutG] = [s.cin / s.groups, s.cout / s.groups];
    const nb = chunkOf(s);
    const ws = convWorkspace(floatType(x), [w.size, nb * s.cin * P, nb * s.cout * P]);
    const [wk, xs, ys] = ws.buffers as [TypedArray, TypedArray, TypedArray];
    wk.set(w.data);
    for (let n0 = 0; n0 < s.n; n0 += nb) {
      const m = Math.min(nb, s.n - n0);
      stageImages(x, n0, m, s.cin * P, xs);
      for (let i = 0; i < m; i++) {
        for (let g = 0; g < s.groups; g++) {
          const yOff = (i * s.cout + g * coutG) * P;
          if (b !== null) for (let co = 0; co < coutG; co++) ys.fill(b.data[g * coutG + co]!, yOff + co * P, yOff + (co + 1) * P);
          ws.gemm(coutG, P, cinG, { data: wk, offset: g * coutG * cinG, rowStride: cinG, colStride: 1 }, { data: xs, offset: (i * s.cin + g * cinG) * P, rowStride: P, colStride: 1 }, ys, yOff, b !== null);
        }
      }
      y.data.set(ys.subarray(0, m * s.cout * P), n0 * s.cout * P);
    }
  },
};

// dx[n]_g = W_gᵀ · dy[n]_g
export const pointwiseInputGrad: ConvStrategy<'inputGrad'> = {
  name: 'pointwise',
  applies,
  run(s, dx, dy, w) {
    const P = s.plane;
    const [cinG, coutG] = [s.cin / s.groups, s.cout / s.groups];
    const nb = chunkOf(s);
    const ws = convWorkspace(floatType(dy), [w.size, nb * s.cout * P, nb * s.cin * P]);
    const [wk, dys, dxs] = ws.buffers as [TypedArray, TypedArray, TypedArray];
    wk.set(w.data);
    for (let n0 = 0; n0 < s.n; n0 += nb) {
      const m = Math.min(nb, s.n - n0);
      stageImages(dy, n0, m, s.cout * P, dys);
      for (let i = 0; i < m; i++) {
        for (let g = 0; g < s.groups; g++) {
          ws.gemm(cinG, P, coutG, { data: wk, offset: g * coutG * cinG, rowStride: 1, colStride: cinG }, { data: dys, offset: (i * s.cout + g * coutG) * P, rowStride: P, colStride: 1 }, dxs, (i * s.cin + g * cinG) * P, false);
        }
      }
      dx.data.set(dxs.subarray(0, m * s.cin * P), n0 * s.cin * P);
    }
  },
};

// dW_g = Σ_n dy[n]_g · x[n]_gᵀ
export const pointwiseFilterGrad: ConvStrategy<'filterGrad'> = {
  name: 'pointwise',
  applies,
  run(s, dw, x, dy) {
    const P = s.plane;
    const [cinG, coutG] = [s.cin / s.groups, s.cout / s.groups];
    const nb = chunkOf(s);
    const ws = convWorkspace(floatType(x), [nb * s.cin * P, nb * s.cout * P, dw.size]);
    const [xs, dys, dwk] = ws.buffers as [TypedArray, TypedArray, TypedArray];
    dwk.fill(0, 0, dw.size);
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
    dw.data.set(dwk.subarray(0, dw.size));
  },
};
