// The conv glue: the JavaScript side of assembly/conv.ts (float32, WebAssembly SIMD). Every
// operand lives in wasm memory: a strategy stages its images there once and the kernels read and
// write them there. The kernels: the im2col gather and col2im scatter-add (the TypeScript
// reference: conv/columns.ts), planar copies and zeroing, the direct conv (conv/direct.ts), the
// Winograd F(2×2, 3×3) and F(4×4, 3×3) transforms (conv/winograd.ts, winograd4x4.ts; the filter
// transforms in float64) and the filter gradient's chunk sum (conv/pipeline.ts). The strategies call them from task
// programs (tasks.ts, by export name, on whichever thread runs the task); ConvExports documents
// their arguments.
import type { ConvPattern } from '../conv/pattern.js';
import { isWasmView, wasmAvailable, wasmKernels } from './runtime.js';

/**
 * assembly/conv.ts: pointers are byte addresses, sizes and strides in elements.
 * - copyPlanes: dst[c·dstPlane + r·dstRow + j] = src[c·srcPlane + r·srcRow + j] for c < channels, r < rows, j < cols.
 * - copyPlanesPadded: the same, but every row but the call's last may be followed by up to 3 zeros: for destinations
 *   where what follows a row is zero padding or written later by the same call (rows in increasing address order).
 * - zeroFloats: p[0..n) = 0.
 * - directConv (stride 1, zero-padded planes of row length Wp): y[co·yPlane + oh·outW + ow] = bias[co] +
 *   Σ_k wt[(co/8·K + k)·8 + co%8] · xp[oh·Wp + ow + tap k's offset] for co < couts (≤ coutPad, a multiple of 8),
 *   oh < outH, ow < outW; offsets as staged by stageTapOffsets for K taps.
 * - winogradInput: v[(ξ·channels + c)·ldv + t] = (Bᵀ d B)[ξ] for tile t of each padded plane of xp (row length Wp,
 *   planes xPlane apart); writes up to 3 tiles past the image's last, reads columns up to 2·roundUp(tilesW, 4) + 1.
 * - winogradOutput: 2×2 tiles Aᵀ m A + bias into y (planes yPlane apart, row length Wy ≥ 2·roundUp(tilesW, 4)),
 *   m[ξ] = mt[(ξ·couts + co)·ldm + t].
 * - winogradGradOutput (the filter gradient's transform of dy): dt[(ξ·couts + co)·ldt + t] = (A g Aᵀ)[ξ] for the 2×2
 *   tile g of each plane of dyp (row length Wd ≥ 2·roundUp(tilesW, 4), planes dyPlane apart, zero outside the
 *   output); writes up to 3 tiles past the image's last.
 * - winograd4Input, winograd4Output, winograd4GradOutput: the same for Winograd F(4×4, 3×3) (conv/winograd4x4.ts):
 *   36 transformed elements of 6×6 input tiles (rows 4ty..4ty+5, columns 4tx..4tx+5; reads rows up to 4·tilesH + 1,
 *   columns up to 4·roundUp(tilesW, 4) + 3), 4×4 output tiles into y and 4×4 tiles of dy (row lengths Wy, Wd ≥
 *   4·roundUp(tilesW, 4)).
 * - sumChunks: dst[k] = Σ_c src[c·len + k] for k < len, over c < chunks in order, in float64 rounded once
 *   (conv/pipeline.ts sumPartials).
 * - winogradFilter, winograd4Filter (WinogradFilterKernel): u[(g·xi + ξ)·block + f] = (G w_f Gᵀ)[ξ] in float64
 *   rounded once, for the 3×3 filters w_f = w[(g·block + f)·9 ..] of `groups` groups of `block` (xi = 16, 36).
 * - winogradFilterGrad, winograd4FilterGrad: their adjoints, dw[(g·block + f)·9 + 3a + b] = (Gᵀ M G)[a, b] for
 *   M[ξ] = m[(g·xi + ξ)·block + f].
 */
interface ConvExports {
  gatherColumns(x: number, channels: number, inH: number, inW: number, kH: number, kW: number, strideH: number, strideW: number, dilationH: number, dilationW: number, padTop: number, padLeft: number, outH: number, outW: number, ranges: number, cols: number, ld: number): void;
  scatterAddColumns(cols: number, channels: number, inH: number, inW: number, kH: number, kW: number, strideH: number, strideW: number, dilationH: number, dilationW: number, padTop: number, padLeft: number, outH: number, outW: number, ranges: number, dx: number, ld: number): void;
  copyPlanes(src: number, srcPlane: number, srcRow: number, dst: number, dstPlane: number, dstRow: number, channels: number, rows: number, cols: number): void;
  copyPlanesPadded(src: number, srcPlane: number, srcRow: number, dst: number, dstPlane: number, dstRow: number, channels: number, rows: number, cols: number): void;
  zeroFloats(p: number, n: number): void;
  directConv(xp: number, off: number, K: number, wt: number, coutPad: number, couts: number, bias: number, Wp: number, outH: number, outW: number, y: number, yPlane: number): void;
  winogradInput(xp: number, channels: number, xPlane: number, Wp: number, tilesH: number, tilesW: number, v: number, ldv: number): void;
  winogradOutput(mt: number, couts: number, ldm: number, tilesH: number, tilesW: number, bias: number, y: number, yPlane: number, Wy: number): void;
  winogradGradOutput(dyp: number, couts: number, dyPlane: number, Wd: number, tilesH: number, tilesW: number, dt: number, ldt: number): void;
  winograd4Input(xp: number, channels: number, xPlane: number, Wp: number, tilesH: number, tilesW: number, v: number, ldv: number): void;
  winograd4Output(mt: number, couts: number, ldm: number, tilesH: number, tilesW: number, bias: number, y: number, yPlane: number, Wy: number): void;
  winograd4GradOutput(dyp: number, couts: number, dyPlane: number, Wd: number, tilesH: number, tilesW: number, dt: number, ldt: number): void;
  sumChunks(src: number, chunks: number, len: number, dst: number): void;
  winogradFilter(w: number, groups: number, block: number, u: number): void;
  winogradFilterGrad(m: number, groups: number, block: number, dw: number): void;
  winograd4Filter(w: number, groups: number, block: number, u: number): void;
  winograd4FilterGrad(m: number, groups: number, block: number, dw: number): void;
}

/** The Winograd filter transforms and their adjoints (assembly/conv.ts). */
export type WinogradFilterKernel = 'winogradFilter' | 'winogradFilterGrad' | 'winograd4Filter' | 'winograd4FilterGrad';

let enabled = true;

/** Turns the wasm conv kernels off (true: back on), so float32 convs gather and scatter in TypeScript; for tests and benchmarks. */
export function setWasmConvKernels(on: boolean): void {
  enabled = on;
}

/**
 * Whether float32 convs may use the wasm conv kernels: WebAssembly SIMD is there and they are not
 * turned off. The strategies built only of them (direct, winograd) apply only then.
 */
export function wasmConvKernelsAvailable(): boolean {
  return enabled && wasmAvailable();
}

/** Floats of wasm scratch stageRanges needs for S (its runs, as int32). */
export function rangesLength(S: ConvPattern): number {
  return S.rowRange.length + S.colRange.length;
}

/** Writes S's rowRange then colRange, as int32, into `view` (a wasmScratch view of rangesLength(S) floats). */
export function stageRanges(S: ConvPattern, view: Float32Array): void {
  const ints = new Int32Array(view.buffer, view.byteOffset, rangesLength(S));
  ints.set(S.rowRange);
  ints.set(S.colRange, S.rowRange.length);
}

function wasmExports(what: string, ...views: Float32Array[]): ConvExports {
  const kernels = wasmKernels<ConvExports>(what);
  for (const v of views) {
    if (!isWasmView(v)) throw new Error(`${what}: operands must be wasmScratch views (called since the last wasmScratch)`);
  }
  return kernels;
}

/**
 * gatherColumns on wasm memory: x, ranges (staged by stageRanges) and cols are wasmScratch
 * views; offsets are in elements of x and cols.
 */
export function gatherColumnsWasm(x: Float32Array, xOff: number, channels: number, S: ConvPattern, ranges: Float32Array, cols: Float32Array, colsOff = 0, ld = S.positions): void {
  const g = S.window;
  wasmExports('gatherColumnsWasm', x, ranges, cols).gatherColumns(
    x.byteOffset + 4 * xOff, channels, g.inH, g.inW, g.kH, g.kW, g.strideH, g.strideW, g.dilationH, g.dilationW, g.padTop, g.padLeft,
    g.outH, g.outW, ranges.byteOffset, cols.byteOffset + 4 * colsOff, ld);
}

/** scatterAddColumns on wasm memory (cols is left unchanged); views as for gatherColumnsWasm. */
export function scatterAddColumnsWasm(cols: Float32Array, channels: number, S: ConvPattern, ranges: Float32Array, dx: Float32Array, dxOff: number, colsOff = 0, ld = S.positions): void {
  const g = S.window;
  wasmExports('scatterAddColumnsWasm', cols, ranges, dx).scatterAddColumns(
    cols.byteOffset + 4 * colsOff, channels, g.inH, g.inW, g.kH, g.kW, g.strideH, g.strideW, g.dilationH, g.dilationW, g.padTop, g.padLeft,
    g.outH, g.outW, ranges.byteOffset, dx.byteOffset + 4 * dxOff, ld);
}

/** dst[k] = Σ_c partials[c·len + k] over the chunks c in order (float64, rounded once); both wasmScratch views. */
export function sumChunksWasm(partials: Float32Array, chunks: number, len: number, dst: Float32Array): void {
  wasmExports('sumChunksWasm', partials, dst).sumChunks(partials.byteOffset, chunks, len, dst.byteOffset);
}

/** A Winograd filter transform or its adjoint from src into dst (wasmScratch views), for `groups` groups of `block` filters. */
export function winogradFilterWasm(kernel: WinogradFilterKernel, src: Float32Array, groups: number, block: number, dst: Float32Array): void {
  wasmExports('winogradFilterWasm', src, dst)[kernel](src.byteOffset, groups, block, dst.byteOffset);
}

/**
 * Writes, as int32 byte offsets into `view` (a wasmScratch view of channels·kH·kW floats),
 * where tap k = (c·kH + kh)·kW + kw of directConv reads: c·xPlane + kh·dH·Wp + kw·dW elements.
 */
export function stageTapOffsets(view: Float32Array, channels: number, xPlane: number, Wp: number, kH: number, kW: number, dH: number, dW: number): void {
  const ints = new Int32Array(view.buffer, view.byteOffset, channels * kH * kW);
  let k = 0;
  for (let c = 0; c < channels; c++) {
    for (let kh = 0; kh < kH; kh++) for (let kw = 0; kw < kW; kw++) ints[k++] = 4 * (c * xPlane + kh * dH * Wp + kw * dW);
  }
}

/** Tiles of Winograd over one image: tilesH × tilesW, each a 4×4 input / 2×2 output patch (F(2×2, 3×3)) or 6×6 / 4×4 (F(4×4, 3×3)). */
export interface WinogradTiles {
  tilesH: number;
  tilesW: number;
}
