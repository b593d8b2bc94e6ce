// Gathering image planes into GEMM columns through a conv pattern S (im2col), the adjoint
// (scatter-adding columns back into planes, col2im), and the buffers the conv GEMMs use.
// Column matrix layout: row r = c·taps + t (channel c, kernel tap t), column p (output
// position), row length P.
import type { ConvPattern } from './pattern.js';
import type { TypedArray } from '../../../tensor/dtype.js';
import { MAX_TENSOR_ELEMENTS, newArray } from '../../../tensor/limits.js';
import { type MatrixView, gemm } from '../gemm.js';
import { gemmInMemory } from '../wasm/gemm.js';
import { isWasmView, wasmAvailable, wasmKernels, wasmScratch } from '../wasm/runtime.js';

/**
 * cols[colsOff + (c·taps + t)·ld + p] = x[xOff + c·plane + S.index[t·P + p]] (0 where S reads
 * padding), computed from S's row/column runs: whole output rows at a time, contiguous when
 * stride is 1. Row length ld ≥ P lets several images' columns sit side by side.
 */
export function gatherColumns(x: TypedArray, xOff: number, channels: number, S: ConvPattern, cols: TypedArray, colsOff = 0, ld = S.positions): void {
  if (sameRows(S)) return gatherSameRows(x, xOff, channels, S, cols, colsOff, ld);
  const g = S.window;
  const { outW, inW, strideH, strideW, dilationH, dilationW, padTop, padLeft } = g;
  const P = S.positions;
  let r = colsOff;
  for (let c = 0; c < channels; c++) {
    const base = xOff + c * g.inH * inW;
    for (let kh = 0; kh < g.kH; kh++) {
      const ohLo = S.rowRange[2 * kh]!;
      const ohHi = S.rowRange[2 * kh + 1]!;
      for (let kw = 0; kw < g.kW; kw++, r += ld) {
        const owLo = S.colRange[2 * kw]!;
        const owHi = S.colRange[2 * kw + 1]!;
        cols.fill(0, r, r + ohLo * outW);
        cols.fill(0, r + ohHi * outW, r + P);
        for (let oh = ohLo; oh < ohHi; oh++) {
          const o = r + oh * outW;
          for (let ow = 0; ow < owLo; ow++) cols[o + ow] = 0;
          for (let ow = owHi; ow < outW; ow++) cols[o + ow] = 0;
          let src = base + (oh * strideH - padTop + kh * dilationH) * inW + owLo * strideW - padLeft + kw * dilationW;
          if (strideW === 1) for (let ow = owLo; ow < owHi; ow++) cols[o + ow] = x[src++]!;
          else for (let ow = owLo; ow < owHi; ow++, src += strideW) cols[o + ow] = x[src]!;
        }
      }
    }
  }
}

/**
 * Stride 1 and output rows as wide as input rows (e.g. 3×3, padding 1): output position
 * q = oh·W + ow of tap (kh, kw) reads input q + shift, one constant shift per tap. So a tap's
 * column row is one contiguous copy of the plane, whose positions that wrap around a row edge
 * (the padding columns) are then zeroed.
 */
function sameRows(S: ConvPattern): boolean {
  const g = S.window;
  return g.strideH === 1 && g.strideW === 1 && g.outW === g.inW;
}

/** For tap (kh, kw): the input shift and the output positions [qLo, qHi) that read inside the plane's rows. */
function tapSpan(S: ConvPattern, kh: number, kw: number): { shift: number; qLo: number; qHi: number } {
  const g = S.window;
  const W = g.inW;
  const shift = (kh * g.dilationH - g.padTop) * W + kw * g.dilationW - g.padLeft;
  // Clamped to the P positions of this column row: a tap that reads only padding (a shift
  // larger than the plane) must not touch the neighbouring rows of a batched column matrix.
  const P = S.positions;
  const qLo = Math.min(P, Math.max(S.rowRange[2 * kh]! * W, -shift));
  const qHi = Math.min(P, Math.max(qLo, Math.min(S.rowRange[2 * kh + 1]! * W, g.inH * W - shift)));
  return { shift, qLo, qHi };
}

/** Zeroes, in rows [ohLo, ohHi) of a column row at r, the columns outside [owLo, owHi). */
function zeroPadColumns(cols: TypedArray, r: number, W: number, ohLo: number, ohHi: number, owLo: number, owHi: number): void {
  if (owLo === 0 && owHi === W) return;
  for (let oh = ohLo, o = r + ohLo * W; oh < ohHi; oh++, o += W) {
    for (let ow = 0; ow < owLo; ow++) cols[o + ow] = 0;
    for (let ow = owHi; ow < W; ow++) cols[o + ow] = 0;
  }
}

/** Copies below this length are plain loops: a subarray view per copy costs more. */
const SHORT_COPY = 48;

function gatherSameRows(x: TypedArray, xOff: number, channels: number, S: ConvPattern, cols: TypedArray, colsOff: number, ld: number): void {
  const g = S.window;
  const W = g.inW;
  const P = S.positions;
  const plane = g.inH * W;
  let r = colsOff;
  for (let c = 0; c < channels; c++) {
    const base = xOff + c * plane;
    for (let kh = 0; kh < g.kH; kh++) {
      for (let kw = 0; kw < g.kW; kw++, r += ld) {
        const { shift, qLo, qHi } = tapSpan(S, kh, kw);
        cols.fill(0, r, r + qLo);
        const from = base + shift;
        if (qHi - qLo >= SHORT_COPY) cols.set(x.subarray(from + qLo, from + qHi), r + qLo);
        else for (let q = qLo; q < qHi; q++) cols[r + q] = x[from + q]!;
        cols.fill(0, r + qHi, r + P);
        zeroPadColumns(cols, r, W, S.rowRange[2 * kh]!, S.rowRange[2 * kh + 1]!, S.colRange[2 * kw]!, S.colRange[2 * kw + 1]!);
      }
    }
  }
}

/**
 * dx[dxOff + c·plane + S.index[t·P + p]] += cols[colsOff + (c·taps + t)·ld + p]: the adjoint of gatherColumns.
 * In the sameRows case `cols` is used as scratch: its padding columns are zeroed.
 */
export function scatterAddColumns(cols: TypedArray, channels: number, S: ConvPattern, dx: TypedArray, dxOff: number, colsOff = 0, ld = S.positions): void {
  if (sameRows(S)) return scatterAddSameRows(cols, channels, S, dx, dxOff, colsOff, ld);
  const g = S.window;
  const { outW, inW, strideH, strideW, dilationH, dilationW, padTop, padLeft } = g;
  let r = colsOff;
  for (let c = 0; c < channels; c++) {
    const base = dxOff + c * g.inH * inW;
    for (let kh = 0; kh < g.kH; kh++) {
      const ohLo = S.rowRange[2 * kh]!;
      const ohHi = S.rowRange[2 * kh + 1]!;
      for (let kw = 0; kw < g.kW; kw++, r += ld) {
        const owLo = S.colRange[2 * kw]!;
        const owHi = S.colRange[2 * kw + 1]!;
        for (let oh = ohLo; oh < ohHi; oh++) {
          const o = r + oh * outW;
          let dst = base + (oh * strideH - padTop + kh * dilationH) * inW + owLo * strideW - padLeft + kw * dilationW;
          if (strideW === 1) for (let ow = owLo; ow < owHi; ow++) dx[dst++]! += cols[o + ow]!;
          else for (let ow = owLo; ow < owHi; ow++, dst += strideW) dx[dst]! += cols[o + ow]!;
        }
      }
    }
  }
}

/** The sameRows scatter: zero the wrapped (padding) columns, then one contiguous add per tap. */
function scatterAddSameRows(cols: TypedArray, channels: number, S: ConvPattern, dx: TypedArray, dxOff: number, colsOff: number, ld: number): void {
  const g = S.window;
  const W = g.inW;
  const plane = g.inH * W;
  let r = colsOff;
  for (let c = 0; c < channels; c++) {
    const base = dxOff + c * plane;
    for (let kh = 0; kh < g.kH; kh++) {
      for (let kw = 0; kw < g.kW; kw++, r += ld) {
        const { shift, qLo, qHi } = tapSpan(S, kh, kw);
        zeroPadColumns(cols, r, W, S.rowRange[2 * kh]!, S.rowRange[2 * kh + 1]!, S.colRange[2 * kw]!, S.colRange[2 * kw + 1]!);
        const to = base + shift - r;
        for (let i = r + qLo, end = r + qHi; i < end; i++) dx[to + i]! += cols[i]!;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// The same gather and scatter-add in WebAssembly (assembly/conv.ts), for float32 operands that
// all live in wasm memory (wasmScratch views): the input planes are copied there once per chunk
// of images, the pattern's runs (rowRange, colRange) once per conv.

let wasmGatherEnabled = true;

/** Turns the wasm gather/scatter off (true: back on); for tests and benchmarks. */
export function setWasmConvGather(enabled: boolean): void {
  wasmGatherEnabled = enabled;
}

/** Whether float32 convs gather and scatter in wasm (needs the wasm GEMM, i.e. SIMD). */
export function wasmConvGatherAvailable(): boolean {
  return wasmGatherEnabled && wasmAvailable();
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

interface ConvExports {
  gatherColumns(x: number, channels: number, inH: number, inW: number, kH: number, kW: number, strideH: number, strideW: number, dilationH: number, dilationW: number, padTop: number, padLeft: number, outH: number, outW: number, ranges: number, cols: number, ld: number): void;
  scatterAddColumns(cols: number, channels: number, inH: number, inW: number, kH: number, kW: number, strideH: number, strideW: number, dilationH: number, dilationW: number, padTop: number, padLeft: number, outH: number, outW: number, ranges: number, dx: number, ld: number): void;
  copyPlanes(src: number, srcPlane: number, srcRow: number, dst: number, dstPlane: number, dstRow: number, channels: number, rows: number, cols: number): void;
  zeroFloats(p: number, n: number): void;
  directConv(xp: number, off: number, K: number, wt: number, coutPad: number, bias: number, y: number, Q: number): void;
  winogradInput(xp: number, channels: number, xPlane: number, Wp: number, tilesH: number, tilesW: number, v: number, ldv: number): void;
  winogradOutput(mt: number, couts: number, ldm: number, tilesH: number, tilesW: number, bias: number, y: number, yPlane: number, Wy: number): void;
  winogradGradOutput(dyp: number, couts: number, dyPlane: number, Wd: number, tilesH: number, tilesW: number, dt: number, ldt: number): void;
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

const ptr = (v: Float32Array, off: number): number => v.byteOffset + 4 * off;

/** A planar block copy on wasm memory: dst[dOff + c·dstPlane + r·dstRow + j] = src[sOff + c·srcPlane + r·srcRow + j]. */
export function copyPlanesWasm(src: Float32Array, sOff: number, srcPlane: number, srcRow: number, dst: Float32Array, dOff: number, dstPlane: number, dstRow: number, channels: number, rows: number, cols: number): void {
  wasmExports('copyPlanesWasm', src, dst).copyPlanes(ptr(src, sOff), srcPlane, srcRow, ptr(dst, dOff), dstPlane, dstRow, channels, rows, cols);
}

/** view[off..off+n) = 0 on wasm memory. */
export function zeroWasm(view: Float32Array, off: number, n: number): void {
  wasmExports('zeroWasm', view).zeroFloats(ptr(view, off), n);
}

/**
 * Writes, as int32 byte offsets into `view` (a wasmScratch view of channels·kH·kW floats),
 * where tap k = (c·kH + kh)·kW + kw of directConvWasm reads: c·xPlane + kh·dH·Wp + kw·dW elements.
 */
export function stageTapOffsets(view: Float32Array, channels: number, xPlane: number, Wp: number, kH: number, kW: number, dH: number, dW: number): void {
  const ints = new Int32Array(view.buffer, view.byteOffset, channels * kH * kW);
  let k = 0;
  for (let c = 0; c < channels; c++) {
    for (let kh = 0; kh < kH; kh++) for (let kw = 0; kw < kW; kw++) ints[k++] = 4 * (c * xPlane + kh * dH * Wp + kw * dW);
  }
}

/**
 * Direct stride-1 convolution in wasm (assembly/conv.ts directConv) over zero-padded planes:
 * y[co·Q + q] = bias[bOff + co] + Σ_k wt[wOff + (co/8·K + k)·8 + co%8] · xp[xOff + q + tap k's offset]
 * for co < coutPad (a multiple of 8), q < Q (a multiple of 4); `offsets` as staged by
 * stageTapOffsets for K taps. All operands are wasmScratch views.
 */
export function directConvWasm(xp: Float32Array, xOff: number, offsets: Float32Array, K: number, wt: Float32Array, wOff: number, coutPad: number, bias: Float32Array, bOff: number, y: Float32Array, Q: number): void {
  wasmExports('directConvWasm', xp, offsets, wt, bias, y).directConv(ptr(xp, xOff), offsets.byteOffset, K, ptr(wt, wOff), coutPad, ptr(bias, bOff), y.byteOffset, Q);
}

/** Tiles of Winograd F(2×2, 3×3) over one image: tilesH × tilesW, each a 4×4 input / 2×2 output patch. */
export interface WinogradTiles {
  tilesH: number;
  tilesW: number;
}

/**
 * Winograd input transform in wasm (assembly/conv.ts winogradInput): v[vOff + (ξ·channels + c)·ldv + t]
 * = (Bᵀ d B)[ξ] for tile t of each padded plane of xp (row length Wp, planes xPlane apart).
 * Writes up to 3 tiles past the image's last; reads columns up to 2·roundUp(tilesW, 4) + 1.
 */
export function winogradInputWasm(xp: Float32Array, channels: number, xPlane: number, Wp: number, T: WinogradTiles, v: Float32Array, vOff: number, ldv: number): void {
  wasmExports('winogradInputWasm', xp, v).winogradInput(xp.byteOffset, channels, xPlane, Wp, T.tilesH, T.tilesW, ptr(v, vOff), ldv);
}

/**
 * Winograd output transform in wasm (assembly/conv.ts winogradOutput): 2×2 tiles Aᵀ m A + bias into
 * y (planes yPlane apart, row length Wy ≥ 2·roundUp(tilesW, 4)), m[ξ] = mt[mOff + (ξ·couts + co)·ldm + t].
 */
export function winogradOutputWasm(mt: Float32Array, mOff: number, couts: number, ldm: number, T: WinogradTiles, bias: Float32Array, bOff: number, y: Float32Array, yPlane: number, Wy: number): void {
  wasmExports('winogradOutputWasm', mt, bias, y).winogradOutput(ptr(mt, mOff), couts, ldm, T.tilesH, T.tilesW, ptr(bias, bOff), y.byteOffset, yPlane, Wy);
}

/**
 * The filter gradient's Winograd transform of dy in wasm (assembly/conv.ts winogradGradOutput):
 * dt[dOff + (ξ·couts + co)·ldt + t] = (A g Aᵀ)[ξ] for the 2×2 tile g of each plane of dyp (row
 * length Wd ≥ 2·roundUp(tilesW, 4), planes dyPlane apart, zero outside the output). Writes up to
 * 3 tiles past the image's last.
 */
export function winogradGradOutputWasm(dyp: Float32Array, couts: number, dyPlane: number, Wd: number, T: WinogradTiles, dt: Float32Array, dOff: number, ldt: number): void {
  wasmExports('winogradGradOutputWasm', dyp, dt).winogradGradOutput(dyp.byteOffset, couts, dyPlane, Wd, T.tilesH, T.tilesW, ptr(dt, dOff), ldt);
}

/** Where a conv's GEMM operands live and the GEMM that reads them there. */
export interface ConvWorkspace {
  buffers: TypedArray[];
  gemm: (M: number, N: number, K: number, A: MatrixView, B: MatrixView, C: TypedArray, cOffset: number, accumulate: boolean) => void;
}

const jsBuffers: Record<'float32' | 'float64', TypedArray[]> = { float32: [], float64: [] };

/**
 * Reused buffers of at least the given lengths for a conv's operands. float32 runs in the
 * WebAssembly SIMD GEMM when the runtime has it: the buffers are then views of wasm memory,
 * so operands are gathered or copied there once and multiplied without further copies.
 * Otherwise (float64, or no SIMD) they are JavaScript arrays for the TypeScript GEMM, grown
 * geometrically and never shrunk (fresh memory is slow to touch, so it is touched once).
 * Valid until the next call.
 */
export function convWorkspace(dtype: 'float32' | 'float64', lengths: readonly number[]): ConvWorkspace {
  if (dtype === 'float32' && wasmAvailable()) {
    return { buffers: wasmScratch(lengths), gemm: (M, N, K, A, B, C, o, acc) => gemmInMemory(M, N, K, A, B, C as Float32Array, o, acc) };
  }
  const pool = jsBuffers[dtype];
  const buffers = lengths.map((n, i) => {
    const have = pool[i];
    if (have !== undefined && have.length >= n) return have;
    // Checked like a tensor: a huge image's columns fail with an AllocationError, not a RangeError.
    const fresh = newArray(dtype, Math.max(n, Math.min(2 * (have?.length ?? 0), MAX_TENSOR_ELEMENTS)));
    pool[i] = fresh;
    return fresh;
  });
  return { buffers, gemm };
}
