// The gathered strategy (the default for every product): im2col through the pattern S into
// wasm memory (or JS arrays for float64), then the GEMM; for dx the GEMM then col2im.
// Each writes every element of its output.
//   forward  y  = W · gather_S(x) (+ b)
//   dx       dx = scatterAdd_Sᵀ(Wᵀ · dy)
//   dW       dW = dy · gather_S(x)ᵀ
import { gatherColumns, scatterAddColumns } from './columns.js';
import { gatherColumnsWasm, rangesLength, scatterAddColumnsWasm, stageRanges, wasmConvKernelsAvailable } from '../wasm/conv.js';
import type { TypedArray } from '../../../tensor/dtype.js';
import { imagesPerChunk } from './chunks.js';
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

/**
 * Float32 gathers and scatters run in wasm (assembly/conv.ts) when the operands live in wasm
 * memory: the chunk's input (or dx) planes are staged there, next to the pattern's runs.
 * Not for the identity pattern (plain copies). Returns the extra workspace lengths, or [].
 */
function wasmGatherLengths(s: ConvShape, dtype: 'float32' | 'float64', nb: number): number[] {
  if (dtype !== 'float32' || s.S.identity || !wasmConvKernelsAvailable()) return [];
  return [nb * s.cin * s.plane, rangesLength(s.S)];
}

/** Where gatherBlock reads a chunk's images: x itself, or its copy in wasm memory (with S's runs). */
interface GatherSource {
  data: TypedArray;
  /** Image index of data's first image. */
  first: number;
  ranges: Float32Array | null;
}

/** cols[.., i·P..] ← gather(x block) for image n, group g, as image i of a chunk with row length L. */
function gatherBlock(s: ConvShape, x: GatherSource, n: number, g: number, cols: TypedArray, i: number, L: number): void {
  const cinG = s.cin / s.groups;
  const xOff = ((n - x.first) * s.cin + g * cinG) * s.plane;
  if (s.S.identity) for (let c = 0; c < cinG; c++) copyRun(cols, c * L + i * s.plane, x.data, xOff + c * s.plane, s.plane);
  else if (x.ranges) gatherColumnsWasm(x.data as Float32Array, xOff, cinG, s.S, x.ranges, cols as Float32Array, i * s.S.positions, L);
  else gatherColumns(x.data, xOff, cinG, s.S, cols, i * s.S.positions, L);
}

/** The source gatherBlock reads images [n0, n0 + m) of x from: staged into xs (with S's runs in ranges) if given. */
function gatherSource(s: ConvShape, x: TypedArray, n0: number, m: number, staged: TypedArray[]): GatherSource {
  if (staged.length === 0) return { data: x, first: 0, ranges: null };
  const [xs, ranges] = staged as [Float32Array, Float32Array];
  const size = s.cin * s.plane;
  xs.set(x.subarray(n0 * size, (n0 + m) * size));
  return { data: xs, first: n0, ranges };
}

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
  const { coutG, K, P } = gemmDims(s);
  const nb = chunkOf(s);
  const dtype = floatTypeOf(x);
  const ws = convWorkspace(dtype, [w.length, K * nb * P, coutG * nb * P, ...wasmGatherLengths(s, dtype, nb)]);
  const [wk, cols, out, ...staged] = ws.buffers as [TypedArray, TypedArray, TypedArray, ...TypedArray[]];
  wk.set(w);
  if (staged.length > 0) stageRanges(s.S, staged[1] as Float32Array);
  for (let n0 = 0; n0 < s.n; n0 += nb) {
    const m = Math.min(nb, s.n - n0);
    const L = m * P;
    const src = gatherSource(s, x, n0, m, staged);
    for (let g = 0; g < s.groups; g++) {
      for (let i = 0; i < m; i++) gatherBlock(s, src, n0 + i, g, cols, i, L);
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
  const { cinG, coutG, K, P } = gemmDims(s);
  const nb = chunkOf(s);
  const dtype = floatTypeOf(dy);
  const ws = convWorkspace(dtype, [w.length, coutG * nb * P, K * nb * P, ...wasmGatherLengths(s, dtype, nb)]);
  const [wk, dyk, cols, dxs, ranges] = ws.buffers as [TypedArray, TypedArray, TypedArray, Float32Array?, Float32Array?];
  wk.set(w);
  if (ranges) stageRanges(s.S, ranges);
  const size = s.cin * s.plane;
  for (let n0 = 0; n0 < s.n; n0 += nb) {
    const m = Math.min(nb, s.n - n0);
    const L = m * P;
    // The scatter adds: into zeroed scratch (wasm), or into dx itself (JS), whose storage may hold anything.
    if (dxs) dxs.fill(0, 0, m * size);
    else if (!s.S.identity) dx.fill(0, n0 * size, (n0 + m) * size);
    for (let g = 0; g < s.groups; g++) {
      packChannels(s, dy, n0, m, g, dyk, L);
      ws.gemm(K, L, coutG, { data: wk, offset: g * coutG * K, rowStride: 1, colStride: K }, { data: dyk, offset: 0, rowStride: L, colStride: 1 }, cols, 0, false);
      for (let i = 0; i < m; i++) {
        const dxOff = ((n0 + i) * s.cin + g * cinG) * s.plane;
        if (s.S.identity) for (let c = 0; c < cinG; c++) copyRun(dx, dxOff + c * s.plane, cols, c * L + i * P, P);
        else if (dxs && ranges) scatterAddColumnsWasm(cols as Float32Array, cinG, s.S, ranges, dxs, dxOff - n0 * size, i * P, L);
        else scatterAddColumns(cols, cinG, s.S, dx, dxOff, i * P, L);
      }
    }
    if (dxs) dx.set(dxs.subarray(0, m * size), n0 * size);
  }
  ws.release();
}

/** dW = Σ_n dy · gather(x)ᵀ. */
function filterGrad(s: ConvShape, dw: TypedArray, x: TypedArray, dy: TypedArray): void {
  const { cinG, coutG, K, P } = gemmDims(s);
  const nb = chunkOf(s);
  const dtype = floatTypeOf(x);
  const ws = convWorkspace(dtype, [coutG * nb * P, K * nb * P, dw.length, ...wasmGatherLengths(s, dtype, nb)]);
  const [dyk, cols, dwk, ...staged] = ws.buffers as [TypedArray, TypedArray, TypedArray, ...TypedArray[]];
  dwk.fill(0, 0, dw.length);
  if (staged.length > 0) stageRanges(s.S, staged[1] as Float32Array);
  for (let n0 = 0; n0 < s.n; n0 += nb) {
    const m = Math.min(nb, s.n - n0);
    const L = m * P;
    const src = gatherSource(s, x, n0, m, staged);
    for (let g = 0; g < s.groups; g++) {
      packChannels(s, dy, n0, m, g, dyk, L);
      for (let i = 0; i < m; i++) gatherBlock(s, src, n0 + i, g, cols, i, L);
      ws.gemm(coutG, K, L, { data: dyk, offset: 0, rowStride: L, colStride: 1 }, { data: cols, offset: 0, rowStride: 1, colStride: L }, dwk, g * coutG * K, true);
    }
  }
  dw.set(dwk.subarray(0, dw.length));
  ws.release();
}

const always = (): boolean => true;

export const gatheredForward: ConvKernelStrategy<'forward'> = { name: 'gathered', applies: always, run: forward };
export const gatheredInputGrad: ConvKernelStrategy<'inputGrad'> = { name: 'gathered', applies: always, run: inputGrad };
export const gatheredFilterGrad: ConvKernelStrategy<'filterGrad'> = { name: 'gathered', applies: always, run: filterGrad };
