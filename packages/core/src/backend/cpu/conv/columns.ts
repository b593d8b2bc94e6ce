// Gathering image planes into GEMM columns through a conv pattern S (im2col) and the adjoint,
// scatter-adding columns back into planes (col2im): the TypeScript kernels (float64, and float32
// without WebAssembly SIMD), the reference of their wasm versions in wasm/conv.ts.
// Column matrix layout: row r = c·taps + t (channel c, kernel tap t), column p (output
// position), row length P. S[t, p] below is the input pixel tap t reads at output p (see pattern.ts).
import type { ConvPattern } from './pattern.js';
import type { TypedArray } from '../../../tensor/dtype.js';

/**
 * cols[colsOff + (c·taps + t)·ld + p] = x[xOff + c·plane + S[t, p]] (0 where S reads
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
 * dx[dxOff + c·plane + S[t, p]] += cols[colsOff + (c·taps + t)·ld + p]: the adjoint of gatherColumns.
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
