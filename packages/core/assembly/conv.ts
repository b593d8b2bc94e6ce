// Conv im2col gather and col2im scatter-add for float32, the wasm twins of kernels/conv.ts
// gatherColumns / scatterAddColumns (which stay the reference and the fallback).
// Column matrix layout: row r = c·taps + t (channel c, kernel tap t = kh·kW + kw), column p
// (output position), row length ld (≥ outH·outW).
// All pointers are byte addresses in linear memory. `ranges` points at 2·kH + 2·kW i32: the
// pattern's rowRange then colRange (tap row kh reads inside the input for output rows
// [rowRange[2kh], rowRange[2kh+1]), tap column kw for output columns [colRange[2kw], ...)).

@inline function fzero(p: usize, n: i32): void {
  let i = 0;
  const z = f32x4.splat(0);
  for (; i + 4 <= n; i += 4) v128.store(p + (<usize>i << 2), z);
  for (; i < n; i++) store<f32>(p + (<usize>i << 2), 0);
}

@inline function fcopy(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), v128.load(src + (<usize>i << 2)));
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
}

/** cols[(c·taps + t)·ld + p] = x[c·inH·inW + S(t, p)] (0 on padding) for c < channels. */
export function gatherColumns(
  x: usize, channels: i32, inH: i32, inW: i32, kH: i32, kW: i32,
  strideH: i32, strideW: i32, dilationH: i32, dilationW: i32, padTop: i32, padLeft: i32,
  outH: i32, outW: i32, ranges: usize, cols: usize, ld: i32,
): void {
  const P = outH * outW;
  const plane = inH * inW;
  const colRanges = ranges + (<usize>(2 * kH) << 2);
  let r = cols;
  for (let c = 0; c < channels; c++) {
    const base = x + (<usize>(c * plane) << 2);
    for (let kh = 0; kh < kH; kh++) {
      const ohLo = load<i32>(ranges + (<usize>(2 * kh) << 2));
      const ohHi = load<i32>(ranges + (<usize>(2 * kh + 1) << 2));
      for (let kw = 0; kw < kW; kw++, r += <usize>ld << 2) {
        const owLo = load<i32>(colRanges + (<usize>(2 * kw) << 2));
        const owHi = load<i32>(colRanges + (<usize>(2 * kw + 1) << 2));
        if (ohHi <= ohLo || owHi <= owLo) {
          fzero(r, P);
          continue;
        }
        fzero(r, ohLo * outW);
        fzero(r + (<usize>(ohHi * outW) << 2), P - ohHi * outW);
        const n = owHi - owLo;
        for (let oh = ohLo; oh < ohHi; oh++) {
          const o = r + (<usize>(oh * outW) << 2);
          for (let ow = 0; ow < owLo; ow++) store<f32>(o + (<usize>ow << 2), 0);
          for (let ow = owHi; ow < outW; ow++) store<f32>(o + (<usize>ow << 2), 0);
          const src = base + (<usize>((oh * strideH - padTop + kh * dilationH) * inW + owLo * strideW - padLeft + kw * dilationW) << 2);
          const dst = o + (<usize>owLo << 2);
          if (strideW == 1) fcopy(dst, src, n);
          else {
            const step = <usize>strideW << 2;
            for (let i = 0; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + step * <usize>i));
          }
        }
      }
    }
  }
}

/** dx[c·inH·inW + S(t, p)] += cols[(c·taps + t)·ld + p]: the adjoint of gatherColumns. cols is not modified. */
export function scatterAddColumns(
  cols: usize, channels: i32, inH: i32, inW: i32, kH: i32, kW: i32,
  strideH: i32, strideW: i32, dilationH: i32, dilationW: i32, padTop: i32, padLeft: i32,
  outH: i32, outW: i32, ranges: usize, dx: usize, ld: i32,
): void {
  const plane = inH * inW;
  const colRanges = ranges + (<usize>(2 * kH) << 2);
  let r = cols;
  for (let c = 0; c < channels; c++) {
    const base = dx + (<usize>(c * plane) << 2);
    for (let kh = 0; kh < kH; kh++) {
      const ohLo = load<i32>(ranges + (<usize>(2 * kh) << 2));
      const ohHi = load<i32>(ranges + (<usize>(2 * kh + 1) << 2));
      for (let kw = 0; kw < kW; kw++, r += <usize>ld << 2) {
        const owLo = load<i32>(colRanges + (<usize>(2 * kw) << 2));
        const owHi = load<i32>(colRanges + (<usize>(2 * kw + 1) << 2));
        const n = owHi - owLo;
        if (n <= 0) continue;
        for (let oh = ohLo; oh < ohHi; oh++) {
          const src = r + (<usize>(oh * outW + owLo) << 2);
          const dst = base + (<usize>((oh * strideH - padTop + kh * dilationH) * inW + owLo * strideW - padLeft + kw * dilationW) << 2);
          if (strideW == 1) {
            let i = 0;
            for (; i + 4 <= n; i += 4) {
              const d = dst + (<usize>i << 2);
              v128.store(d, f32x4.add(v128.load(d), v128.load(src + (<usize>i << 2))));
            }
            for (; i < n; i++) {
              const d = dst + (<usize>i << 2);
              store<f32>(d, load<f32>(d) + load<f32>(src + (<usize>i << 2)));
            }
          } else {
            const step = <usize>strideW << 2;
            for (let i = 0; i < n; i++) {
              const d = dst + step * <usize>i;
              store<f32>(d, load<f32>(d) + load<f32>(src + (<usize>i << 2)));
            }
          }
        }
      }
    }
  }
}

/** dst[c·dstPlane + r·dstRow + j] = src[c·srcPlane + r·srcRow + j] for c < channels, r < rows, j < cols. */
export function copyPlanes(src: usize, srcPlane: i32, srcRow: i32, dst: usize, dstPlane: i32, dstRow: i32, channels: i32, rows: i32, cols: i32): void {
  for (let c = 0; c < channels; c++) {
    for (let r = 0; r < rows; r++) {
      fcopy(dst + (<usize>(c * dstPlane + r * dstRow) << 2), src + (<usize>(c * srcPlane + r * srcRow) << 2), cols);
    }
  }
}

/** Fills n floats at p with 0. */
export function zeroFloats(p: usize, n: i32): void {
  fzero(p, n);
}

/**
 * Direct stride-1 convolution on zero-padded planes of row length Wp (no im2col): with
 * q = oh·Wp + ow and the K input offsets off[k] (bytes; k = (c·kH + kh)·kW + kw,
 * off = 4·(c·xPlane + kh·dH·Wp + kw·dW)),
 *   y[co·Q + q] = bias[co] + Σ_k wt[(co/8·K + k)·8 + co%8] · xp[q + off[k]/4]
 * for co < coutPad (a multiple of 8; weights packed in blocks of 8 output channels) and
 * q < Q (a multiple of 4). Positions with ow ≥ outW are computed too (reading the next row)
 * and dropped by the caller; xp must be readable (zeros) up to every off[k]/4 + Q.
 * Register tile: 4 positions × 8 output channels, input values broadcast and weight vectors
 * loaded aligned (unaligned vector loads of the input were slower); transposed on store.
 */
export function directConv(xp: usize, off: usize, K: i32, wt: usize, coutPad: i32, bias: usize, y: usize, Q: i32): void {
  const offEnd = off + (<usize>K << 2);
  const row = <usize>Q << 2;
  for (let co = 0; co < coutPad; co += 8) {
    const b0 = v128.load(bias + (<usize>co << 2));
    const b1 = v128.load(bias + (<usize>co << 2), 16);
    const wBlock = wt + (<usize>(co * K) << 2);
    for (let q = 0; q < Q; q += 4) {
      let p00 = b0, p01 = b1, p10 = b0, p11 = b1, p20 = b0, p21 = b1, p30 = b0, p31 = b1;
      let w = wBlock;
      const xq = xp + (<usize>q << 2);
      for (let k = off; k < offEnd; k += 4, w += 32) {
        const x = xq + <usize>load<i32>(k);
        const w0 = v128.load(w);
        const w1 = v128.load(w, 16);
        let xv = v128.load32_splat(x);
        p00 = f32x4.add(p00, f32x4.mul(xv, w0));
        p01 = f32x4.add(p01, f32x4.mul(xv, w1));
        xv = v128.load32_splat(x, 4);
        p10 = f32x4.add(p10, f32x4.mul(xv, w0));
        p11 = f32x4.add(p11, f32x4.mul(xv, w1));
        xv = v128.load32_splat(x, 8);
        p20 = f32x4.add(p20, f32x4.mul(xv, w0));
        p21 = f32x4.add(p21, f32x4.mul(xv, w1));
        xv = v128.load32_splat(x, 12);
        p30 = f32x4.add(p30, f32x4.mul(xv, w0));
        p31 = f32x4.add(p31, f32x4.mul(xv, w1));
      }
      const o = y + (<usize>(co * Q + q) << 2);
      storeTransposed(o, row, p00, p10, p20, p30);
      storeTransposed(o + 4 * row, row, p01, p11, p21, p31);
    }
  }
}

/** r0..r3 hold 4 channels at positions 0..3: stores channel j's 4 positions at o + j·row. */
@inline function storeTransposed(o: usize, row: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(o, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(o + row, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(o + 2 * row, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(o + 3 * row, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}
