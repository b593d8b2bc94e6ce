// The gathered strategy (the default for every product): im2col through the pattern S, then the
// GEMM; for dx the GEMM then col2im. Float32 with the wasm conv kernels runs as task programs
// over the threads (gathered-tasks.ts); this file's chunk loop is the rest (float64, or the wasm
// conv kernels turned off), gathering in TypeScript.
// Each writes every element of its output.
//   forward  y  = W · gather_S(x) (+ b)
//   dx       dx = scatterAdd_Sᵀ(Wᵀ · dy)
//   dW       dW = Σ_chunks dy · gather_S(x)ᵀ (fixed image chunks, partial sums added in order)
import { gatherColumns, scatterAddColumns } from './columns.js';
import { wasmConvKernelsAvailable } from '../wasm/conv.js';
import type { TypedArray } from '../../../tensor/dtype.js';
import { imagesPerChunk } from './chunks.js';
import { filterGradTasks, forwardTasks, inputGradTasks } from './gathered-tasks.js';
import { imagesPerFilterChunk } from './pipeline.js';
import { type ConvKernelStrategy, type ConvShape, floatTypeOf } from './types.js';
import { convWorkspace } from './workspace.js';

function gemmDims(s: ConvShape): { cinG: number; coutG: number; K: number; P: number } {
  const cinG = s.cin / s.groups;
  return { cinG, coutG: s.cout / s.groups, K: cinG * s.S.taps, P: s.S.positions };
}

// Each GEMM operand is staged in a conv workspace (see convWorkspace): gathered columns, the
// weight and a block of dy or y. Images are taken a chunk at a time, their columns side by side
// (row length L = m·P for m images), so each GEMM is one wide product instead of one small one
// per image: small per-image products (P = 49 at 7×7) run the micro-kernel on ragged edges, and
// wide ones split well across threads. The copies are small next to the products.

/** Images per chunk: the larger GEMM operand (columns or output block) sized by imagesPerChunk. */
function chunkOf(s: ConvShape): number {
  const { coutG, K, P } = gemmDims(s);
  return imagesPerChunk(s, Math.max(K, coutG) * P);
}

/** dst[dOff..dOff+len) = src[sOff..sOff+len); short runs by a loop (a subarray view costs more). */
function copyRun(dst: TypedArray, dOff: number, src: TypedArray, sOff: number, len: number): void {
  if (len >= 48) dst.set(src.subarray(sOff, sOff + len), dOff);
  else for (let i = 0; i < len; i++) dst[dOff + i] = src[sOff + i]!;
}

/** cols[.., i·P..] ← gather(image n of x, group g), as image i of a chunk with row length L. */
function gatherBlock(s: ConvShape, x: TypedArray, n: number, g: number, cols: TypedArray, i: number, L: number): void {
  const cinG = s.cin / s.groups;
  const xOff = (n * s.cin + g * cinG) * s.plane;
  if (s.S.identity) for (let c = 0; c < cinG; c++) copyRun(cols, c * L + i * s.plane, x, xOff + c * s.plane, s.plane);
  else gatherColumns(x, xOff, cinG, s.S, cols, i * s.S.positions, L);
}

/** Whether the task programs run this product (float32 with the wasm conv kernels). */
const inTasks = (t: TypedArray): boolean => floatTypeOf(t) === 'float32' && wasmConvKernelsAvailable();

/** blk[co·L + i·P ..] ← t[n0+i, g·coutG + co, :] for the m images of a chunk (dy or y laid out for the GEMM). */
function packChannels(s: ConvShape, t: TypedArray, n0: number, m: number, g: number, blk: TypedArray, L: number): void {
  const coutG = s.cout / s.groups;
  const P = s.S.positions;
  for (let i = 0; i < m; i++) {
    for (let co = 0; co < coutG; co++) copyRun(blk, co * L + i * P, t, ((n0 + i) * s.cout + g * coutG + co) * P, P);
  }
}

/** y = W · gather(x) (+ b). */
function forward(s: ConvShape, y: TypedArray, x: TypedArray, w: TypedArray, b: TypedArray | null): void {
  if (inTasks(x)) return forwardTasks(s, y, x, w, b);
  const { coutG, K, P } = gemmDims(s);
  const nb = chunkOf(s);
  const ws = convWorkspace(floatTypeOf(x), [w.length, K * nb * P, coutG * nb * P]);
  const [wk, cols, out] = ws.buffers as [TypedArray, TypedArray, TypedArray];
  wk.set(w);
  for (let n0 = 0; n0 < s.n; n0 += nb) {
    const m = Math.min(nb, s.n - n0);
    const L = m * P;
    for (let g = 0; g < s.groups; g++) {
      for (let i = 0; i < m; i++) gatherBlock(s, x, n0 + i, g, cols, i, L);
      if (b !== null) for (let co = 0; co < coutG; co++) out.fill(b[g * coutG + co]!, co * L, (co + 1) * L);
      ws.gemm(coutG, L, K, { data: wk, offset: g * coutG * K, rowStride: K, colStride: 1 }, { data: cols, offset: 0, rowStride: L, colStride: 1 }, out, 0, b !== null);
      for (let i = 0; i < m; i++) {
        for (let co = 0; co < coutG; co++) copyRun(y, ((n0 + i) * s.cout + g * coutG + co) * P, out, co * L + i * P, P);
      }
    }
  }
  ws.release();
}

/** dx = scatterAdd(Wᵀ · dy). */
function inputGrad(s: ConvShape, dx: TypedArray, dy: TypedArray, w: TypedArray): void {
  if (inTasks(dy)) return inputGradTasks(s, dx, dy, w);
  const { cinG, coutG, K, P } = gemmDims(s);
  const nb = chunkOf(s);
  const ws = convWorkspace(floatTypeOf(dy), [w.length, coutG * nb * P, K * nb * P]);
  const [wk, dyk, cols] = ws.buffers as [TypedArray, TypedArray, TypedArray];
  wk.set(w);
  const size = s.cin * s.plane;
  for (let n0 = 0; n0 < s.n; n0 += nb) {
    const m = Math.min(nb, s.n - n0);
    const L = m * P;
    // The scatter adds into dx itself, whose storage may hold anything.
    if (!s.S.identity) dx.fill(0, n0 * size, (n0 + m) * size);
    for (let g = 0; g < s.groups; g++) {
      packChannels(s, dy, n0, m, g, dyk, L);
      ws.gemm(K, L, coutG, { data: wk, offset: g * coutG * K, rowStride: 1, colStride: K }, { data: dyk, offset: 0, rowStride: L, colStride: 1 }, cols, 0, false);
      for (let i = 0; i < m; i++) {
        const dxOff = ((n0 + i) * s.cin + g * cinG) * s.plane;
        if (s.S.identity) for (let c = 0; c < cinG; c++) copyRun(dx, dxOff + c * s.plane, cols, c * L + i * P, P);
        else scatterAddColumns(cols, cinG, s.S, dx, dxOff, i * P, L);
      }
    }
  }
  ws.release();
}

/** dW = Σ_n dy · gather(x)ᵀ. */
function filterGrad(s: ConvShape, dw: TypedArray, x: TypedArray, dy: TypedArray): void {
  if (inTasks(x)) return filterGradTasks(s, dw, x, dy);
  // The chunks of the task programs (pipeline.ts), the last one padded with zeros as there, so
  // both paths add the same products in the same order.
  const { coutG, K, P } = gemmDims(s);
  const m = imagesPerFilterChunk(s.n);
  const chunks = Math.ceil(s.n / m);
  const L = m * P;
  const ws = convWorkspace(floatTypeOf(x), [coutG * L, K * L, chunks * dw.length]);
  const [dyk, cols, partials] = ws.buffers as [TypedArray, TypedArray, TypedArray];
  for (let c = 0; c < chunks; c++) {
    const n0 = c * m;
    const count = Math.min(m, s.n - n0);
    if (count < m) {
      dyk.fill(0);
      cols.fill(0);
    }
    for (let g = 0; g < s.groups; g++) {
      packChannels(s, dy, n0, count, g, dyk, L);
      for (let i = 0; i < count; i++) gatherBlock(s, x, n0 + i, g, cols, i, L);
      ws.gemm(coutG, K, L, { data: dyk, offset: 0, rowStride: L, colStride: 1 }, { data: cols, offset: 0, rowStride: 1, colStride: L }, partials, c * dw.length + g * coutG * K, false);
    }
  }
  sumPartials(partials, chunks, dw.length, dw);
  ws.release();
}

/**
 * dst[k] = Σ_c partials[c·len + k] over the chunks c in order, summed in float64 and rounded once:
 * what the task programs' wasm sumChunks computes (the same bits on float32).
 */
export function sumPartials(partials: TypedArray, chunks: number, len: number, dst: TypedArray): void {
  for (let k = 0; k < len; k++) {
    let sum = 0;
    for (let c = 0; c < chunks; c++) sum += partials[c * len + k]!;
    dst[k] = sum;
  }
}

const always = (): boolean => true;

export const gatheredForward: ConvKernelStrategy<'forward'> = { name: 'gathered', applies: always, run: forward };
export const gatheredInputGrad: ConvKernelStrategy<'inputGrad'> = { name: 'gathered', applies: always, run: inputGrad };
export const gatheredFilterGrad: ConvKernelStrategy<'filterGrad'> = { name: 'gathered', applies: always, run: filterGrad };
