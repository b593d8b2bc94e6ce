// The float32 conv kernels; their glue (the JavaScript side) is src/backend/cpu/wasm/conv.ts.
// Conv im2col gather and col2im scatter-add, the wasm twins of src/backend/cpu/conv/columns.ts
// gatherColumns / scatterAddColumns (which stay the reference and the fallback); planar copies;
// the direct conv (conv/direct.ts) and the Winograd transforms (conv/winograd.ts).
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

/**
 * copyPlanes for destinations with room after each row: every row but the call's last is copied
 * in whole vectors, the up to 3 lanes past `cols` stored as zeros (a padded plane's padding stays
 * zero). Only for destinations where what follows each row is zero padding or is written later by
 * this same call, rows in increasing address order (src's too: a row's tail vector reads up to 3
 * floats past it): the next row of a plane, or the next plane, written whole; never for rows that
 * sit beside data written before the call. A row of at least 3 floats then ends at least 3 floats
 * after the one before it, so no zero lands past the last row; shorter rows are copied exactly.
 */
export function copyPlanesPadded(src: usize, srcPlane: i32, srcRow: i32, dst: usize, dstPlane: i32, dstRow: i32, channels: i32, rows: i32, cols: i32): void {
  const whole = cols & ~3;
  const rem = cols - whole;
  if (rem == 0 || cols < 3 || channels <= 0 || rows <= 0) {
    copyPlanes(src, srcPlane, srcRow, dst, dstPlane, dstRow, channels, rows, cols);
    return;
  }
  let mask = i32x4.splat(-1);
  mask = i32x4.replace_lane(mask, 3, 0);
  if (rem < 3) mask = i32x4.replace_lane(mask, 2, 0);
  if (rem < 2) mask = i32x4.replace_lane(mask, 1, 0);
  const tail = <usize>whole << 2;
  for (let c = 0; c < channels; c++) {
    const last = c == channels - 1 ? rows - 1 : rows;
    for (let r = 0; r < last; r++) {
      const d = dst + (<usize>(c * dstPlane + r * dstRow) << 2);
      const s = src + (<usize>(c * srcPlane + r * srcRow) << 2);
      for (let i: usize = 0; i < tail; i += 16) v128.store(d + i, v128.load(s + i));
      v128.store(d + tail, v128.and(v128.load(s + tail), mask));
    }
  }
  const c = channels - 1;
  const r = rows - 1;
  fcopy(dst + (<usize>(c * dstPlane + r * dstRow) << 2), src + (<usize>(c * srcPlane + r * srcRow) << 2), cols);
}

/** Fills n floats at p with 0. */
export function zeroFloats(p: usize, n: i32): void {
  fzero(p, n);
}

/**
 * Direct stride-1 convolution on zero-padded planes of row length Wp (no im2col): with the K
 * input offsets off[k] (bytes; k = (c·kH + kh)·kW + kw, off = 4·(c·xPlane + kh·dH·Wp + kw·dW)),
 *   y[co·yPlane + oh·outW + ow] = bias[co] + Σ_k wt[(co/8·K + k)·8 + co%8] · xp[oh·Wp + ow + off[k]/4]
 * for co < couts, oh < outH, ow < outW: output planes written in place. Weights are packed in
 * blocks of 8 output channels (coutPad, a multiple of 8, zero-padded); xp must be readable
 * (zeros) up to every off[k]/4 + (outH − 1)·Wp + roundUp(outW, 4).
 * Register tile: 4 positions of a row × 8 output channels, input values broadcast and weight
 * vectors loaded aligned (unaligned vector loads of the input were slower); transposed on store.
 * A row's last group of positions, if partial, and a partial block of channels are stored in
 * part (lane stores). (Until session 27 the tile
 * swept the padded rows, Wp wide, into a scratch the caller compacted: the same sums, the same
 * bits, plus the outW..Wp columns and a copy.)
 */
export function directConv(xp: usize, off: usize, K: i32, wt: usize, coutPad: i32, couts: i32, bias: usize, Wp: i32, outH: i32, outW: i32, y: usize, yPlane: i32): void {
  const offEnd = off + (<usize>K << 2);
  const plane = <usize>yPlane << 2;
  for (let co = 0; co < coutPad; co += 8) {
    const b0 = v128.load(bias + (<usize>co << 2));
    const b1 = v128.load(bias + (<usize>co << 2), 16);
    const wBlock = wt + (<usize>(co * K) << 2);
    const channels = min(8, couts - co);
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow += 4) {
        let p00 = b0, p01 = b1, p10 = b0, p11 = b1, p20 = b0, p21 = b1, p30 = b0, p31 = b1;
        let w = wBlock;
        const xq = xp + (<usize>(oh * Wp + ow) << 2);
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
        const o = y + <usize>co * plane + (<usize>(oh * outW + ow) << 2);
        const positions = min(4, outW - ow);
        if (positions == 4 && channels == 8) {
          // Whole tiles (the common case): constant counts, so the partial branches fold away.
          storeTransposedPart(o, plane, p00, p10, p20, p30, 4, 4);
          storeTransposedPart(o + 4 * plane, plane, p01, p11, p21, p31, 4, 4);
        } else {
          storeTransposedPart(o, plane, p00, p10, p20, p30, min(4, channels), positions);
          if (channels > 4) storeTransposedPart(o + 4 * plane, plane, p01, p11, p21, p31, channels - 4, positions);
        }
      }
    }
  }
}

/**
 * r0..r3 hold 4 channels at positions 0..3: stores channel j's first `positions` (1-4) positions
 * at o + j·row, for the first `rows` channels.
 */
@inline function storeTransposedPart(o: usize, row: usize, r0: v128, r1: v128, r2: v128, r3: v128, rows: i32, positions: i32): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  storeRowPart(o, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5), positions);
  if (rows > 1) storeRowPart(o + row, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), positions);
  if (rows > 2) storeRowPart(o + 2 * row, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), positions);
  if (rows > 3) storeRowPart(o + 3 * row, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), positions);
}

/** The first `positions` (1-4) floats of v at o. */
@inline function storeRowPart(o: usize, v: v128, positions: i32): void {
  if (positions == 4) v128.store(o, v);
  else if (positions == 1) v128.store32_lane(o, v, 0);
  else {
    v128.store64_lane(o, v, 0);
    if (positions == 3) v128.store32_lane(o, v, 2, 8);
  }
}

// Winograd F(2×2, 3×3): a 2×2 output tile from a 4×4 input tile d with 16 multiplies per channel
// pair instead of 36: Y = Aᵀ[Σ_c (G g Gᵀ) ⊙ (Bᵀ d B)]A. The Σ_c is 16 GEMMs (one per element ξ
// of the 4×4 transformed tile) done by the host; these are the transforms, 4 tiles along x per
// SIMD vector. Tile t = ty·tilesW + tx reads padded rows 2ty..2ty+3, columns 2tx..2tx+3.

/**
 * v[(ξ·channels + c)·ldv + t] = (Bᵀ d B)[ξ] for tile t of plane c of xp (row length Wp, planes
 * xPlane apart), Bᵀ = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]. Tiles go 4 at a time: the last
 * group of a row also writes up to 3 slots past the row (the next row's, written again after,
 * or past the image: the caller leaves room); it reads columns up to 2·roundUp(tilesW, 4) + 1.
 */
export function winogradInput(xp: usize, channels: i32, xPlane: i32, Wp: i32, tilesH: i32, tilesW: i32, v: usize, ldv: i32): void {
  const xi = <usize>(channels * ldv) << 2;
  const rowBytes = <usize>Wp << 2;
  for (let c = 0; c < channels; c++) {
    const plane = xp + (<usize>(c * xPlane) << 2);
    const vc = v + (<usize>(c * ldv) << 2);
    for (let ty = 0; ty < tilesH; ty++) {
      for (let tx = 0; tx < tilesW; tx += 4) {
        const src = plane + (<usize>(2 * ty * Wp + 2 * tx) << 2);
        const dst = vc + (<usize>(ty * tilesW + tx) << 2);
        const a0 = v128.load(src + 0 * rowBytes);
        const b0 = v128.load(src + 0 * rowBytes, 16);
        const c0 = v128.load(src + 0 * rowBytes, 8);
        const e0 = v128.load(src + 0 * rowBytes, 24);
        const d00 = v128.shuffle<f32>(a0, b0, 0, 2, 4, 6);
        const d01 = v128.shuffle<f32>(a0, b0, 1, 3, 5, 7);
        const d02 = v128.shuffle<f32>(c0, e0, 0, 2, 4, 6);
        const d03 = v128.shuffle<f32>(c0, e0, 1, 3, 5, 7);
        const s00 = f32x4.sub(d00, d02);
        const s01 = f32x4.add(d01, d02);
        const s02 = f32x4.sub(d02, d01);
        const s03 = f32x4.sub(d01, d03);
        const a1 = v128.load(src + 1 * rowBytes);
        const b1 = v128.load(src + 1 * rowBytes, 16);
        const c1 = v128.load(src + 1 * rowBytes, 8);
        const e1 = v128.load(src + 1 * rowBytes, 24);
        const d10 = v128.shuffle<f32>(a1, b1, 0, 2, 4, 6);
        const d11 = v128.shuffle<f32>(a1, b1, 1, 3, 5, 7);
        const d12 = v128.shuffle<f32>(c1, e1, 0, 2, 4, 6);
        const d13 = v128.shuffle<f32>(c1, e1, 1, 3, 5, 7);
        const s10 = f32x4.sub(d10, d12);
        const s11 = f32x4.add(d11, d12);
        const s12 = f32x4.sub(d12, d11);
        const s13 = f32x4.sub(d11, d13);
        const a2 = v128.load(src + 2 * rowBytes);
        const b2 = v128.load(src + 2 * rowBytes, 16);
        const c2 = v128.load(src + 2 * rowBytes, 8);
        const e2 = v128.load(src + 2 * rowBytes, 24);
        const d20 = v128.shuffle<f32>(a2, b2, 0, 2, 4, 6);
        const d21 = v128.shuffle<f32>(a2, b2, 1, 3, 5, 7);
        const d22 = v128.shuffle<f32>(c2, e2, 0, 2, 4, 6);
        const d23 = v128.shuffle<f32>(c2, e2, 1, 3, 5, 7);
        const s20 = f32x4.sub(d20, d22);
        const s21 = f32x4.add(d21, d22);
        const s22 = f32x4.sub(d22, d21);
        const s23 = f32x4.sub(d21, d23);
        const a3 = v128.load(src + 3 * rowBytes);
        const b3 = v128.load(src + 3 * rowBytes, 16);
        const c3 = v128.load(src + 3 * rowBytes, 8);
        const e3 = v128.load(src + 3 * rowBytes, 24);
        const d30 = v128.shuffle<f32>(a3, b3, 0, 2, 4, 6);
        const d31 = v128.shuffle<f32>(a3, b3, 1, 3, 5, 7);
        const d32 = v128.shuffle<f32>(c3, e3, 0, 2, 4, 6);
        const d33 = v128.shuffle<f32>(c3, e3, 1, 3, 5, 7);
        const s30 = f32x4.sub(d30, d32);
        const s31 = f32x4.add(d31, d32);
        const s32 = f32x4.sub(d32, d31);
        const s33 = f32x4.sub(d31, d33);
        v128.store(dst + 0 * xi, f32x4.sub(s00, s20));
        v128.store(dst + 4 * xi, f32x4.add(s10, s20));
        v128.store(dst + 8 * xi, f32x4.sub(s20, s10));
        v128.store(dst + 12 * xi, f32x4.sub(s10, s30));
        v128.store(dst + 1 * xi, f32x4.sub(s01, s21));
        v128.store(dst + 5 * xi, f32x4.add(s11, s21));
        v128.store(dst + 9 * xi, f32x4.sub(s21, s11));
        v128.store(dst + 13 * xi, f32x4.sub(s11, s31));
        v128.store(dst + 2 * xi, f32x4.sub(s02, s22));
        v128.store(dst + 6 * xi, f32x4.add(s12, s22));
        v128.store(dst + 10 * xi, f32x4.sub(s22, s12));
        v128.store(dst + 14 * xi, f32x4.sub(s12, s32));
        v128.store(dst + 3 * xi, f32x4.sub(s03, s23));
        v128.store(dst + 7 * xi, f32x4.add(s13, s23));
        v128.store(dst + 11 * xi, f32x4.sub(s23, s13));
        v128.store(dst + 15 * xi, f32x4.sub(s13, s33));
      }
    }
  }
}

/**
 * For each output channel co and tile t: the 2×2 tile Aᵀ m A + bias[co], Aᵀ = [1 1 1 0; 0 1 -1 -1],
 * m[ξ] = mt[(ξ·couts + co)·ldm + t], into y (planes yPlane apart, row length Wy ≥ 2·roundUp(tilesW, 4))
 * at rows 2ty, 2ty+1, columns 2tx, 2tx+1. Columns past 2·tilesW get values of other tiles (the
 * caller drops them); mt is read up to 3 tiles past the image.
 */
export function winogradOutput(mt: usize, couts: i32, ldm: i32, tilesH: i32, tilesW: i32, bias: usize, y: usize, yPlane: i32, Wy: i32): void {
  const xi = <usize>(couts * ldm) << 2;
  const rowBytes = <usize>Wy << 2;
  for (let co = 0; co < couts; co++) {
    const bv = v128.load32_splat(bias + (<usize>co << 2));
    const mc = mt + (<usize>(co * ldm) << 2);
    const yc = y + (<usize>(co * yPlane) << 2);
    for (let ty = 0; ty < tilesH; ty++) {
      for (let tx = 0; tx < tilesW; tx += 4) {
        const src = mc + (<usize>(ty * tilesW + tx) << 2);
        const m00 = v128.load(src + 0 * xi);
        const m10 = v128.load(src + 4 * xi);
        const m20 = v128.load(src + 8 * xi);
        const m30 = v128.load(src + 12 * xi);
        const u00 = f32x4.add(f32x4.add(m00, m10), m20);
        const u10 = f32x4.sub(f32x4.sub(m10, m20), m30);
        const m01 = v128.load(src + 1 * xi);
        const m11 = v128.load(src + 5 * xi);
        const m21 = v128.load(src + 9 * xi);
        const m31 = v128.load(src + 13 * xi);
        const u01 = f32x4.add(f32x4.add(m01, m11), m21);
        const u11 = f32x4.sub(f32x4.sub(m11, m21), m31);
        const m02 = v128.load(src + 2 * xi);
        const m12 = v128.load(src + 6 * xi);
        const m22 = v128.load(src + 10 * xi);
        const m32 = v128.load(src + 14 * xi);
        const u02 = f32x4.add(f32x4.add(m02, m12), m22);
        const u12 = f32x4.sub(f32x4.sub(m12, m22), m32);
        const m03 = v128.load(src + 3 * xi);
        const m13 = v128.load(src + 7 * xi);
        const m23 = v128.load(src + 11 * xi);
        const m33 = v128.load(src + 15 * xi);
        const u03 = f32x4.add(f32x4.add(m03, m13), m23);
        const u13 = f32x4.sub(f32x4.sub(m13, m23), m33);
        const dst = yc + (<usize>(2 * ty * Wy + 2 * tx) << 2);
        const y00 = f32x4.add(bv, f32x4.add(f32x4.add(u00, u01), u02));
        const y01 = f32x4.add(bv, f32x4.sub(f32x4.sub(u01, u02), u03));
        v128.store(dst + 0 * rowBytes, v128.shuffle<f32>(y00, y01, 0, 4, 1, 5));
        v128.store(dst + 0 * rowBytes, v128.shuffle<f32>(y00, y01, 2, 6, 3, 7), 16);
        const y10 = f32x4.add(bv, f32x4.add(f32x4.add(u10, u11), u12));
        const y11 = f32x4.add(bv, f32x4.sub(f32x4.sub(u11, u12), u13));
        v128.store(dst + 1 * rowBytes, v128.shuffle<f32>(y10, y11, 0, 4, 1, 5));
        v128.store(dst + 1 * rowBytes, v128.shuffle<f32>(y10, y11, 2, 6, 3, 7), 16);
      }
    }
  }
}

/**
 * The filter gradient's transform of the output gradient: dt[(ξ·couts + co)·ldt + t] = (A g Aᵀ)[ξ]
 * for the 2×2 tile g of plane co of dyp (rows 2ty, 2ty+1, columns 2tx, 2tx+1; row length Wd,
 * planes dyPlane apart, zero outside the output), A = Aᵀᵀ = [1 0; 1 1; 1 -1; 0 -1]. Since
 * ⟨dy, Aᵀ[U ⊙ V]A⟩ = ⟨(A dy Aᵀ) ⊙ V, U⟩, dW = Gᵀ[Σ_tiles (A dy Aᵀ) ⊙ (Bᵀ d B)]G.
 * Tiles 4 at a time, writing up to 3 slots past the image as winogradInput does.
 */
export function winogradGradOutput(dyp: usize, couts: i32, dyPlane: i32, Wd: i32, tilesH: i32, tilesW: i32, dt: usize, ldt: i32): void {
  const xi = <usize>(couts * ldt) << 2;
  const rowBytes = <usize>Wd << 2;
  for (let co = 0; co < couts; co++) {
    const plane = dyp + (<usize>(co * dyPlane) << 2);
    const dc = dt + (<usize>(co * ldt) << 2);
    for (let ty = 0; ty < tilesH; ty++) {
      for (let tx = 0; tx < tilesW; tx += 4) {
        const src = plane + (<usize>(2 * ty * Wd + 2 * tx) << 2);
        const dst = dc + (<usize>(ty * tilesW + tx) << 2);
        const a0 = v128.load(src + 0 * rowBytes);
        const b0 = v128.load(src + 0 * rowBytes, 16);
        const g00 = v128.shuffle<f32>(a0, b0, 0, 2, 4, 6);
        const g01 = v128.shuffle<f32>(a0, b0, 1, 3, 5, 7);
        const a1 = v128.load(src + 1 * rowBytes);
        const b1 = v128.load(src + 1 * rowBytes, 16);
        const g10 = v128.shuffle<f32>(a1, b1, 0, 2, 4, 6);
        const g11 = v128.shuffle<f32>(a1, b1, 1, 3, 5, 7);
        const p00 = g00;
        const p10 = f32x4.add(g00, g10);
        const p20 = f32x4.sub(g00, g10);
        const p30 = f32x4.neg(g10);
        const p01 = g01;
        const p11 = f32x4.add(g01, g11);
        const p21 = f32x4.sub(g01, g11);
        const p31 = f32x4.neg(g11);
        v128.store(dst + 0 * xi, p00);
        v128.store(dst + 1 * xi, f32x4.add(p00, p01));
        v128.store(dst + 2 * xi, f32x4.sub(p00, p01));
        v128.store(dst + 3 * xi, f32x4.neg(p01));
        v128.store(dst + 4 * xi, p10);
        v128.store(dst + 5 * xi, f32x4.add(p10, p11));
        v128.store(dst + 6 * xi, f32x4.sub(p10, p11));
        v128.store(dst + 7 * xi, f32x4.neg(p11));
        v128.store(dst + 8 * xi, p20);
        v128.store(dst + 9 * xi, f32x4.add(p20, p21));
        v128.store(dst + 10 * xi, f32x4.sub(p20, p21));
        v128.store(dst + 11 * xi, f32x4.neg(p21));
        v128.store(dst + 12 * xi, p30);
        v128.store(dst + 13 * xi, f32x4.add(p30, p31));
        v128.store(dst + 14 * xi, f32x4.sub(p30, p31));
        v128.store(dst + 15 * xi, f32x4.neg(p31));
      }
    }
  }
}

// Winograd F(4×4, 3×3) (Lavin & Gray, points 0, ±1, ±2, ∞): a 4×4 output tile from a 6×6 input
// tile with 36 multiplies per channel pair instead of 144: Y = Aᵀ[Σ_c (G g Gᵀ) ⊙ (Bᵀ d B)]A. As
// above, the Σ_c is 36 GEMMs (one per element ξ = 6i + j of the 6×6 transformed tile) done by the
// host; these are the transforms, 4 tiles t..t+3 per SIMD vector: 4 along x, or, where a row has
// only 2 tiles (outputs 5-8 wide, as 7×7 and 8×8 maps), 2 along x in 2 rows, not half the lanes
// idle. Tile t = ty·tilesW + tx reads padded rows 4ty..4ty+5, columns 4tx..4tx+5. Rows of Bᵀ share
// terms pairwise (1/2 and 3/4), as do those of Aᵀ (0/2 and 1/3): the vertical pass goes a pair of
// rows at a time, few values live.
//   Bᵀ = [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0; 0 -2 -1 2 1 0; 0 2 -1 -2 1 0; 0 4 0 -5 0 1]
//   Aᵀ = [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 1]

/**
 * One row e of Bᵀd times B, for 4 tiles: a0..a3 hold columns 0..3 of tile 0..3 (lane i: tile i's
 * columns 0..3 of e), n1 and n3 the next 4 columns of tiles 1 and 3 (their columns 4, 5 in lanes
 * 0, 1; those of tiles 0 and 2 are a1's and a3's). Transposed into c0..c5 (c_k: column k of each
 * tile), then the 6 entries (e B)[k] stored at dst + k·xi.
 */
@inline function winograd4InputRow(a0: v128, a1: v128, n1: v128, a2: v128, a3: v128, n3: v128, dst: usize, xi: usize): void {
  const t0 = v128.shuffle<f32>(a0, a1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(a2, a3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(a0, a1, 2, 6, 3, 7);
  const t3 = v128.shuffle<f32>(a2, a3, 2, 6, 3, 7);
  const u0 = v128.shuffle<f32>(a1, n1, 0, 4, 1, 5);
  const u1 = v128.shuffle<f32>(a3, n3, 0, 4, 1, 5);
  const c0 = v128.shuffle<f32>(t0, t1, 0, 1, 4, 5);
  const c1 = v128.shuffle<f32>(t0, t1, 2, 3, 6, 7);
  const c2 = v128.shuffle<f32>(t2, t3, 0, 1, 4, 5);
  const c3 = v128.shuffle<f32>(t2, t3, 2, 3, 6, 7);
  const c4 = v128.shuffle<f32>(u0, u1, 0, 1, 4, 5);
  const c5 = v128.shuffle<f32>(u0, u1, 2, 3, 6, 7);
  const two = f32x4.splat(2), four = f32x4.splat(4), five = f32x4.splat(5);
  v128.store(dst, f32x4.add(f32x4.sub(f32x4.mul(four, c0), f32x4.mul(five, c2)), c4));
  const p = f32x4.sub(c4, f32x4.mul(four, c2));
  const q = f32x4.sub(c3, f32x4.mul(four, c1));
  v128.store(dst + xi, f32x4.add(p, q));
  v128.store(dst + 2 * xi, f32x4.sub(p, q));
  const r = f32x4.sub(c4, c2);
  const s = f32x4.mul(two, f32x4.sub(c3, c1));
  v128.store(dst + 3 * xi, f32x4.add(r, s));
  v128.store(dst + 4 * xi, f32x4.sub(r, s));
  v128.store(dst + 5 * xi, f32x4.add(f32x4.sub(f32x4.mul(four, c1), f32x4.mul(five, c3)), c5));
}

// The rows of Bᵀd at one column vector p of the padded plane (rows R bytes apart): row 0, rows 1
// and 2 as (d4 - 4d2) ± (d3 - 4d1), rows 3 and 4 as (d4 - d2) ± 2(d3 - d1), row 5.
@inline function bt0(p: usize, R: usize): v128 {
  return f32x4.add(f32x4.sub(f32x4.mul(f32x4.splat(4), v128.load(p)), f32x4.mul(f32x4.splat(5), v128.load(p + 2 * R))), v128.load(p + 4 * R));
}
@inline function bt12p(p: usize, R: usize): v128 {
  return f32x4.sub(v128.load(p + 4 * R), f32x4.mul(f32x4.splat(4), v128.load(p + 2 * R)));
}
@inline function bt12q(p: usize, R: usize): v128 {
  return f32x4.sub(v128.load(p + 3 * R), f32x4.mul(f32x4.splat(4), v128.load(p + R)));
}
@inline function bt34p(p: usize, R: usize): v128 {
  return f32x4.sub(v128.load(p + 4 * R), v128.load(p + 2 * R));
}
@inline function bt34q(p: usize, R: usize): v128 {
  return f32x4.mul(f32x4.splat(2), f32x4.sub(v128.load(p + 3 * R), v128.load(p + R)));
}
@inline function bt5(p: usize, R: usize): v128 {
  return f32x4.add(f32x4.sub(f32x4.mul(f32x4.splat(4), v128.load(p + R)), f32x4.mul(f32x4.splat(5), v128.load(p + 3 * R))), v128.load(p + 5 * R));
}

/**
 * v[(ξ·channels + c)·ldv + t] = (Bᵀ d B)[ξ] for tile t of plane c of xp (row length Wp, planes
 * xPlane apart). Tiles go 4 at a time, tiles t..t+3 in a vector: 4 tiles of a row (the last group
 * of a row also writes up to 3 slots past the row: the next row's, written again after, or past
 * the image: the caller leaves room), or, where tilesW is 2, 2 tiles of two rows (not half the
 * lanes wasted); it reads rows up to 4·roundUp(tilesH, tilesW == 2 ? 2 : 1) + 1 and columns up to
 * 4·roundUp(tilesW, 4) + 3 (tilesW == 2: 11).
 */
export function winograd4Input(xp: usize, channels: i32, xPlane: i32, Wp: i32, tilesH: i32, tilesW: i32, v: usize, ldv: i32): void {
  const xi = <usize>(channels * ldv) << 2;
  const R = <usize>Wp << 2;
  const paired = tilesW == 2;
  const tyStep = paired ? 2 : 1;
  for (let c = 0; c < channels; c++) {
    const plane = xp + (<usize>(c * xPlane) << 2);
    const vc = v + (<usize>(c * ldv) << 2);
    for (let ty = 0; ty < tilesH; ty += tyStep) {
      for (let tx = 0; tx < tilesW; tx += 4) {
        // Column vectors: lanes of tiles 0, 1 at k0, k1 (their next columns at kn1), tiles 2, 3 at
        // k2, k3 (next: kn3), where k2 is 4 rows down when paired, else kn1.
        const k0 = plane + (<usize>(4 * ty * Wp + 4 * tx) << 2);
        const k1 = k0 + 16, kn1 = k0 + 32;
        const k2 = paired ? k0 + 4 * R : kn1;
        const k3 = k2 + 16, kn3 = k2 + 32;
        const dst = vc + (<usize>(ty * tilesW + tx) << 2);
        let e2 = bt0(k2, R);
        winograd4InputRow(bt0(k0, R), bt0(k1, R), paired ? bt0(kn1, R) : e2, e2, bt0(k3, R), bt0(kn3, R), dst, xi);
        const p0 = bt12p(k0, R), q0 = bt12q(k0, R), p1 = bt12p(k1, R), q1 = bt12q(k1, R), p2 = bt12p(k2, R), q2 = bt12q(k2, R);
        const p3 = bt12p(k3, R), q3 = bt12q(k3, R), p4 = bt12p(kn3, R), q4 = bt12q(kn3, R);
        const pn = paired ? bt12p(kn1, R) : p2, qn = paired ? bt12q(kn1, R) : q2;
        winograd4InputRow(f32x4.add(p0, q0), f32x4.add(p1, q1), f32x4.add(pn, qn), f32x4.add(p2, q2), f32x4.add(p3, q3), f32x4.add(p4, q4), dst + 6 * xi, xi);
        winograd4InputRow(f32x4.sub(p0, q0), f32x4.sub(p1, q1), f32x4.sub(pn, qn), f32x4.sub(p2, q2), f32x4.sub(p3, q3), f32x4.sub(p4, q4), dst + 12 * xi, xi);
        const s0 = bt34p(k0, R), r0 = bt34q(k0, R), s1 = bt34p(k1, R), r1 = bt34q(k1, R), s2 = bt34p(k2, R), r2 = bt34q(k2, R);
        const s3 = bt34p(k3, R), r3 = bt34q(k3, R), s4 = bt34p(kn3, R), r4 = bt34q(kn3, R);
        const sn = paired ? bt34p(kn1, R) : s2, rn = paired ? bt34q(kn1, R) : r2;
        winograd4InputRow(f32x4.add(s0, r0), f32x4.add(s1, r1), f32x4.add(sn, rn), f32x4.add(s2, r2), f32x4.add(s3, r3), f32x4.add(s4, r4), dst + 18 * xi, xi);
        winograd4InputRow(f32x4.sub(s0, r0), f32x4.sub(s1, r1), f32x4.sub(sn, rn), f32x4.sub(s2, r2), f32x4.sub(s3, r3), f32x4.sub(s4, r4), dst + 24 * xi, xi);
        e2 = bt5(k2, R);
        winograd4InputRow(bt5(k0, R), bt5(k1, R), paired ? bt5(kn1, R) : e2, e2, bt5(k3, R), bt5(kn3, R), dst + 30 * xi, xi);
      }
    }
  }
}

/**
 * Row a of a 4×4 output tile group from u_k = (Aᵀm)[a, k] (k < 6, 4 tiles per vector): the 4
 * entries (u A)[b] + bias, stored as 4 output columns per tile: tiles 0, 1 at dst, tiles 2, 3 at
 * dst2 (dst + 32 for 4 tiles of a row; 8 contiguous floats each).
 */
@inline function winograd4OutputRow(u0: v128, u1: v128, u2: v128, u3: v128, u4: v128, u5: v128, bv: v128, dst: usize, dst2: usize): void {
  const p = f32x4.add(u1, u2), q = f32x4.sub(u1, u2);
  const r = f32x4.add(u3, u4), s = f32x4.sub(u3, u4);
  const y0 = f32x4.add(bv, f32x4.add(f32x4.add(u0, p), r));
  const y1 = f32x4.add(bv, f32x4.add(q, f32x4.mul(f32x4.splat(2), s)));
  const y2 = f32x4.add(bv, f32x4.add(p, f32x4.mul(f32x4.splat(4), r)));
  const y3 = f32x4.add(bv, f32x4.add(f32x4.add(q, f32x4.mul(f32x4.splat(8), s)), u5));
  const t0 = v128.shuffle<f32>(y0, y1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(y0, y1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(y2, y3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(y2, y3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), 16);
  v128.store(dst2, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(dst2, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), 16);
}

/**
 * For each output channel co and tile t: the 4×4 tile Aᵀ m A + bias[co], m[ξ] = mt[(ξ·couts + co)·ldm + t],
 * into y (planes yPlane apart, row length Wy ≥ 4·roundUp(tilesW, 4), or 8 where tilesW is 2) at rows
 * 4ty..4ty+3, columns 4tx..4tx+3. Tiles go 4 at a time as in winograd4Input: columns past 4·tilesW
 * (and, where tilesW is 2 and tilesH odd, rows 4·tilesH..4·tilesH+3) get values of other tiles (the
 * caller drops them); mt is read up to 3 tiles past the image.
 */
export function winograd4Output(mt: usize, couts: i32, ldm: i32, tilesH: i32, tilesW: i32, bias: usize, y: usize, yPlane: i32, Wy: i32): void {
  const xi = <usize>(couts * ldm) << 2;
  const rowBytes = <usize>Wy << 2;
  const two = f32x4.splat(2), four = f32x4.splat(4), eight = f32x4.splat(8);
  const paired = tilesW == 2;
  const tyStep = paired ? 2 : 1;
  // Where tiles 2 and 3 of a group go, from where tiles 0 and 1 do: 4 rows down, or 8 columns on.
  const second = paired ? 4 * rowBytes : 32;
  for (let co = 0; co < couts; co++) {
    const bv = v128.load32_splat(bias + (<usize>co << 2));
    const mc = mt + (<usize>(co * ldm) << 2);
    const yc = y + (<usize>(co * yPlane) << 2);
    for (let ty = 0; ty < tilesH; ty += tyStep) {
      for (let tx = 0; tx < tilesW; tx += 4) {
        const src = mc + (<usize>(ty * tilesW + tx) << 2);
        const dst = yc + (<usize>(4 * ty * Wy + 4 * tx) << 2);
        const dst2 = dst + second;
        // Rows 0 and 2 of Aᵀm: m0 + (m1 + m2) + (m3 + m4) and (m1 + m2) + 4(m3 + m4), per column j.
        let m1 = v128.load(src + 6 * xi), m2 = v128.load(src + 12 * xi), m3 = v128.load(src + 18 * xi), m4 = v128.load(src + 24 * xi);
        let p = f32x4.add(m1, m2), r = f32x4.add(m3, m4);
        const a0 = f32x4.add(f32x4.add(v128.load(src), p), r), b0 = f32x4.add(p, f32x4.mul(four, r));
        m1 = v128.load(src + 7 * xi); m2 = v128.load(src + 13 * xi); m3 = v128.load(src + 19 * xi); m4 = v128.load(src + 25 * xi);
        p = f32x4.add(m1, m2); r = f32x4.add(m3, m4);
        const a1 = f32x4.add(f32x4.add(v128.load(src + xi), p), r), b1 = f32x4.add(p, f32x4.mul(four, r));
        m1 = v128.load(src + 8 * xi); m2 = v128.load(src + 14 * xi); m3 = v128.load(src + 20 * xi); m4 = v128.load(src + 26 * xi);
        p = f32x4.add(m1, m2); r = f32x4.add(m3, m4);
        const a2 = f32x4.add(f32x4.add(v128.load(src + 2 * xi), p), r), b2 = f32x4.add(p, f32x4.mul(four, r));
        m1 = v128.load(src + 9 * xi); m2 = v128.load(src + 15 * xi); m3 = v128.load(src + 21 * xi); m4 = v128.load(src + 27 * xi);
        p = f32x4.add(m1, m2); r = f32x4.add(m3, m4);
        const a3 = f32x4.add(f32x4.add(v128.load(src + 3 * xi), p), r), b3 = f32x4.add(p, f32x4.mul(four, r));
        m1 = v128.load(src + 10 * xi); m2 = v128.load(src + 16 * xi); m3 = v128.load(src + 22 * xi); m4 = v128.load(src + 28 * xi);
        p = f32x4.add(m1, m2); r = f32x4.add(m3, m4);
        const a4 = f32x4.add(f32x4.add(v128.load(src + 4 * xi), p), r), b4 = f32x4.add(p, f32x4.mul(four, r));
        m1 = v128.load(src + 11 * xi); m2 = v128.load(src + 17 * xi); m3 = v128.load(src + 23 * xi); m4 = v128.load(src + 29 * xi);
        p = f32x4.add(m1, m2); r = f32x4.add(m3, m4);
        const a5 = f32x4.add(f32x4.add(v128.load(src + 5 * xi), p), r), b5 = f32x4.add(p, f32x4.mul(four, r));
        winograd4OutputRow(a0, a1, a2, a3, a4, a5, bv, dst, dst2);
        winograd4OutputRow(b0, b1, b2, b3, b4, b5, bv, dst + 2 * rowBytes, dst2 + 2 * rowBytes);
        // Rows 1 and 3: (m1 - m2) + 2(m3 - m4) and (m1 - m2) + 8(m3 - m4) + m5.
        m1 = v128.load(src + 6 * xi); m2 = v128.load(src + 12 * xi); m3 = v128.load(src + 18 * xi); m4 = v128.load(src + 24 * xi);
        let q = f32x4.sub(m1, m2), s = f32x4.sub(m3, m4);
        const c0 = f32x4.add(q, f32x4.mul(two, s)), d0 = f32x4.add(f32x4.add(q, f32x4.mul(eight, s)), v128.load(src + 30 * xi));
        m1 = v128.load(src + 7 * xi); m2 = v128.load(src + 13 * xi); m3 = v128.load(src + 19 * xi); m4 = v128.load(src + 25 * xi);
        q = f32x4.sub(m1, m2); s = f32x4.sub(m3, m4);
        const c1 = f32x4.add(q, f32x4.mul(two, s)), d1 = f32x4.add(f32x4.add(q, f32x4.mul(eight, s)), v128.load(src + 31 * xi));
        m1 = v128.load(src + 8 * xi); m2 = v128.load(src + 14 * xi); m3 = v128.load(src + 20 * xi); m4 = v128.load(src + 26 * xi);
        q = f32x4.sub(m1, m2); s = f32x4.sub(m3, m4);
        const c2 = f32x4.add(q, f32x4.mul(two, s)), d2 = f32x4.add(f32x4.add(q, f32x4.mul(eight, s)), v128.load(src + 32 * xi));
        m1 = v128.load(src + 9 * xi); m2 = v128.load(src + 15 * xi); m3 = v128.load(src + 21 * xi); m4 = v128.load(src + 27 * xi);
        q = f32x4.sub(m1, m2); s = f32x4.sub(m3, m4);
        const c3 = f32x4.add(q, f32x4.mul(two, s)), d3 = f32x4.add(f32x4.add(q, f32x4.mul(eight, s)), v128.load(src + 33 * xi));
        m1 = v128.load(src + 10 * xi); m2 = v128.load(src + 16 * xi); m3 = v128.load(src + 22 * xi); m4 = v128.load(src + 28 * xi);
        q = f32x4.sub(m1, m2); s = f32x4.sub(m3, m4);
        const c4 = f32x4.add(q, f32x4.mul(two, s)), d4 = f32x4.add(f32x4.add(q, f32x4.mul(eight, s)), v128.load(src + 34 * xi));
        m1 = v128.load(src + 11 * xi); m2 = v128.load(src + 17 * xi); m3 = v128.load(src + 23 * xi); m4 = v128.load(src + 29 * xi);
        q = f32x4.sub(m1, m2); s = f32x4.sub(m3, m4);
        const c5 = f32x4.add(q, f32x4.mul(two, s)), d5 = f32x4.add(f32x4.add(q, f32x4.mul(eight, s)), v128.load(src + 35 * xi));
        winograd4OutputRow(c0, c1, c2, c3, c4, c5, bv, dst + rowBytes, dst2 + rowBytes);
        winograd4OutputRow(d0, d1, d2, d3, d4, d5, bv, dst + 3 * rowBytes, dst2 + 3 * rowBytes);
      }
    }
  }
}

/**
 * Row i of A g (4 vectors: columns 4k..4k+3 of 4 side-by-side 4×4 tiles) times Aᵀ: transposed into
 * h0..h3 (h_k: column k of each tile), then the 6 entries (A g Aᵀ)[i, j] stored at dst + j·xi.
 */
@inline function winograd4GradRow(b0: v128, b1: v128, b2: v128, b3: v128, dst: usize, xi: usize): void {
  const t0 = v128.shuffle<f32>(b0, b1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(b2, b3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(b0, b1, 2, 6, 3, 7);
  const t3 = v128.shuffle<f32>(b2, b3, 2, 6, 3, 7);
  const h0 = v128.shuffle<f32>(t0, t1, 0, 1, 4, 5);
  const h1 = v128.shuffle<f32>(t0, t1, 2, 3, 6, 7);
  const h2 = v128.shuffle<f32>(t2, t3, 0, 1, 4, 5);
  const h3 = v128.shuffle<f32>(t2, t3, 2, 3, 6, 7);
  const four = f32x4.splat(4);
  const p = f32x4.add(h0, h2), q = f32x4.add(h1, h3);
  const r = f32x4.add(h0, f32x4.mul(four, h2)), s = f32x4.mul(f32x4.splat(2), f32x4.add(h1, f32x4.mul(four, h3)));
  v128.store(dst, h0);
  v128.store(dst + xi, f32x4.add(p, q));
  v128.store(dst + 2 * xi, f32x4.sub(p, q));
  v128.store(dst + 3 * xi, f32x4.add(r, s));
  v128.store(dst + 4 * xi, f32x4.sub(r, s));
  v128.store(dst + 5 * xi, h3);
}

/**
 * The F(4×4, 3×3) filter gradient's transform of the output gradient: dt[(ξ·couts + co)·ldt + t] =
 * (A g Aᵀ)[ξ] for the 4×4 tile g of plane co of dyp (rows 4ty..4ty+3, columns 4tx..4tx+3; row
 * length Wd ≥ 4·roundUp(tilesW, 4), planes dyPlane apart, zero outside the output), A = Aᵀᵀ
 * (6×4). Since ⟨dy, Aᵀ[U ⊙ V]A⟩ = ⟨(A dy Aᵀ) ⊙ V, U⟩, dW = Gᵀ[Σ_tiles (A dy Aᵀ) ⊙ (Bᵀ d B)]G.
 * Tiles 4 at a time as in winograd4Input (where tilesW is 2, 2 tiles of two rows: dyp must hold
 * zeros up to row 4·roundUp(tilesH, 2) - 1), writing up to 3 slots past the image.
 */
export function winograd4GradOutput(dyp: usize, couts: i32, dyPlane: i32, Wd: i32, tilesH: i32, tilesW: i32, dt: usize, ldt: i32): void {
  const xi = <usize>(couts * ldt) << 2;
  const rowBytes = <usize>Wd << 2;
  const two = f32x4.splat(2), four = f32x4.splat(4);
  const paired = tilesW == 2;
  const tyStep = paired ? 2 : 1;
  const second = paired ? 4 * rowBytes : 32;
  for (let co = 0; co < couts; co++) {
    const plane = dyp + (<usize>(co * dyPlane) << 2);
    const dc = dt + (<usize>(co * ldt) << 2);
    for (let ty = 0; ty < tilesH; ty += tyStep) {
      for (let tx = 0; tx < tilesW; tx += 4) {
        // Tile j's 4 columns at column vector kj (tiles 2, 3: 4 rows down where tilesW is 2).
        const k0 = plane + (<usize>(4 * ty * Wd + 4 * tx) << 2);
        const k1 = k0 + 16, k2 = k0 + second, k3 = k2 + 16;
        const dst = dc + (<usize>(ty * tilesW + tx) << 2);
        // Rows of A g: g0; (g0 + g2) ± (g1 + g3); (g0 + 4g2) ± 2(g1 + 4g3); g3.
        winograd4GradRow(v128.load(k0), v128.load(k1), v128.load(k2), v128.load(k3), dst, xi);
        const p0 = f32x4.add(v128.load(k0), v128.load(k0 + 2 * rowBytes)), q0 = f32x4.add(v128.load(k0 + 1 * rowBytes), v128.load(k0 + 3 * rowBytes));
        const p1 = f32x4.add(v128.load(k1), v128.load(k1 + 2 * rowBytes)), q1 = f32x4.add(v128.load(k1 + 1 * rowBytes), v128.load(k1 + 3 * rowBytes));
        const p2 = f32x4.add(v128.load(k2), v128.load(k2 + 2 * rowBytes)), q2 = f32x4.add(v128.load(k2 + 1 * rowBytes), v128.load(k2 + 3 * rowBytes));
        const p3 = f32x4.add(v128.load(k3), v128.load(k3 + 2 * rowBytes)), q3 = f32x4.add(v128.load(k3 + 1 * rowBytes), v128.load(k3 + 3 * rowBytes));
        winograd4GradRow(f32x4.add(p0, q0), f32x4.add(p1, q1), f32x4.add(p2, q2), f32x4.add(p3, q3), dst + 6 * xi, xi);
        winograd4GradRow(f32x4.sub(p0, q0), f32x4.sub(p1, q1), f32x4.sub(p2, q2), f32x4.sub(p3, q3), dst + 12 * xi, xi);
        const e0 = f32x4.add(v128.load(k0), f32x4.mul(four, v128.load(k0 + 2 * rowBytes))), s0 = f32x4.mul(two, f32x4.add(v128.load(k0 + 1 * rowBytes), f32x4.mul(four, v128.load(k0 + 3 * rowBytes))));
        const e1 = f32x4.add(v128.load(k1), f32x4.mul(four, v128.load(k1 + 2 * rowBytes))), s1 = f32x4.mul(two, f32x4.add(v128.load(k1 + 1 * rowBytes), f32x4.mul(four, v128.load(k1 + 3 * rowBytes))));
        const e2 = f32x4.add(v128.load(k2), f32x4.mul(four, v128.load(k2 + 2 * rowBytes))), s2 = f32x4.mul(two, f32x4.add(v128.load(k2 + 1 * rowBytes), f32x4.mul(four, v128.load(k2 + 3 * rowBytes))));
        const e3 = f32x4.add(v128.load(k3), f32x4.mul(four, v128.load(k3 + 2 * rowBytes))), s3 = f32x4.mul(two, f32x4.add(v128.load(k3 + 1 * rowBytes), f32x4.mul(four, v128.load(k3 + 3 * rowBytes))));
        winograd4GradRow(f32x4.add(e0, s0), f32x4.add(e1, s1), f32x4.add(e2, s2), f32x4.add(e3, s3), dst + 18 * xi, xi);
        winograd4GradRow(f32x4.sub(e0, s0), f32x4.sub(e1, s1), f32x4.sub(e2, s2), f32x4.sub(e3, s3), dst + 24 * xi, xi);
        winograd4GradRow(v128.load(k0 + 3 * rowBytes), v128.load(k1 + 3 * rowBytes), v128.load(k2 + 3 * rowBytes), v128.load(k3 + 3 * rowBytes), dst + 30 * xi, xi);
      }
    }
  }
}

// The float64 steps of the filter side, run on the calling thread between task programs: the
// filter gradient's sum of its image chunks' partials (conv/pipeline.ts) and the Winograd filter
// transforms G w Gᵀ and their adjoints Gᵀ M G (conv/winograd.ts, winograd4x4.ts). They were
// JavaScript loops in float64 rounded once to float32 on the store; here the same IEEE float64
// operations run in the same order in f64x2 lanes (promote_low is exact, demote rounds to
// nearest even as a Float32Array store does, x/2 and x/4 are exact products), so the bits are
// the same. Lanes hold 2 consecutive elements (filters, or positions of the sum).

/** 2 floats at p (1 where !pair: lane 1 then reads nothing) as f64x2. */
@inline function load2(p: usize, pair: bool): v128 {
  return f64x2.promote_low_f32x4(pair ? v128.load64_zero(p) : v128.load32_zero(p));
}

/** Lanes 0 and 1 of x rounded to float32 into p and p + 4 (lane 0 only where !pair). */
@inline function store2(p: usize, x: v128, pair: bool): void {
  const f = f32x4.demote_f64x2_zero(x);
  if (pair) v128.store64_lane(p, f, 0);
  else v128.store32_lane(p, f, 0);
}

/** Lane 0 of x rounded to float32 into p, lane 1 into p + step (lane 0 only where !pair). */
@inline function store2Apart(p: usize, step: usize, x: v128, pair: bool): void {
  const f = f32x4.demote_f64x2_zero(x);
  v128.store32_lane(p, f, 0);
  if (pair) v128.store32_lane(p + step, f, 1);
}

/**
 * dst[k] = Σ_c src[c·len + k] for k < len, over c < chunks in order: summed in float64 from 0 and
 * rounded once (a filter gradient's partial sums of its image chunks added in chunk order).
 */
export function sumChunks(src: usize, chunks: i32, len: i32, dst: usize): void {
  const stride = <usize>len << 2;
  let k = 0;
  for (; k + 8 <= len; k += 8) {
    let s0 = f64x2.splat(0), s1 = s0, s2 = s0, s3 = s0;
    let p = src + (<usize>k << 2);
    for (let c = 0; c < chunks; c++, p += stride) {
      // Two floats per load, converted straight from memory (no shuffle: see assembly/norm.ts promoteTwo).
      s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v128.load64_zero(p)));
      s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.load64_zero(p, 8)));
      s2 = f64x2.add(s2, f64x2.promote_low_f32x4(v128.load64_zero(p, 16)));
      s3 = f64x2.add(s3, f64x2.promote_low_f32x4(v128.load64_zero(p, 24)));
    }
    const d = dst + (<usize>k << 2);
    v128.store(d, v128.shuffle<f32>(f32x4.demote_f64x2_zero(s0), f32x4.demote_f64x2_zero(s1), 0, 1, 4, 5));
    v128.store(d, v128.shuffle<f32>(f32x4.demote_f64x2_zero(s2), f32x4.demote_f64x2_zero(s3), 0, 1, 4, 5), 16);
  }
  for (; k < len; k += 2) {
    const pair = k + 1 < len;
    let s = f64x2.splat(0);
    let p = src + (<usize>k << 2);
    for (let c = 0; c < chunks; c++, p += stride) s = f64x2.add(s, load2(p, pair));
    store2(dst + (<usize>k << 2), s, pair);
  }
}

// Winograd F(2×2, 3×3): G = [1 0 0; ½ ½ ½; ½ -½ ½; 0 0 1], Gᵀ M G for M 4×4 by Gᵀ's rows
// h0 = m0 + (m1 + m2)/2, h1 = (m1 - m2)/2, h2 = (m1 + m2)/2 + m3.

/** Row i of G times the column (a, b, d). */
@inline function g2(i: i32, a: v128, b: v128, d: v128): v128 {
  const half = f64x2.splat(0.5);
  if (i == 0) return a;
  if (i == 1) return f64x2.mul(f64x2.add(f64x2.add(a, b), d), half);
  if (i == 2) return f64x2.mul(f64x2.add(f64x2.sub(a, b), d), half);
  return d;
}

/** Row r of Gᵀ times (m0..m3). */
@inline function h2(r: i32, m0: v128, m1: v128, m2: v128, m3: v128): v128 {
  const half = f64x2.splat(0.5);
  if (r == 0) return f64x2.add(m0, f64x2.mul(f64x2.add(m1, m2), half));
  if (r == 1) return f64x2.mul(f64x2.sub(m1, m2), half);
  return f64x2.add(f64x2.mul(f64x2.add(m1, m2), half), m3);
}

/** Row i of (G w) Gᵀ for the filters of columns (a_j, b_j, d_j) of w: entries 4i..4i+3 at o + ξ·bs. */
@inline function winogradFilterRow(i: i32, a0: v128, b0: v128, d0: v128, a1: v128, b1: v128, d1: v128, a2: v128, b2: v128, d2: v128, o: usize, bs: usize, pair: bool): void {
  const x = g2(i, a0, b0, d0), y = g2(i, a1, b1, d1), z = g2(i, a2, b2, d2);
  const r = o + <usize>(4 * i) * bs;
  store2(r, g2(0, x, y, z), pair);
  store2(r + bs, g2(1, x, y, z), pair);
  store2(r + 2 * bs, g2(2, x, y, z), pair);
  store2(r + 3 * bs, g2(3, x, y, z), pair);
}

/** Row a of Gᵀ M G for filters m (lane 0) and m + 4 (lane 1), M(i, j) at m + (4i + j)·bs, into dw (filters 36 bytes apart). */
@inline function winogradFilterGradRow(a: i32, m: usize, bs: usize, dw: usize, pair: bool): void {
  const t0 = h2(a, load2(m, pair), load2(m + 4 * bs, pair), load2(m + 8 * bs, pair), load2(m + 12 * bs, pair));
  const t1 = h2(a, load2(m + bs, pair), load2(m + 5 * bs, pair), load2(m + 9 * bs, pair), load2(m + 13 * bs, pair));
  const t2 = h2(a, load2(m + 2 * bs, pair), load2(m + 6 * bs, pair), load2(m + 10 * bs, pair), load2(m + 14 * bs, pair));
  const t3 = h2(a, load2(m + 3 * bs, pair), load2(m + 7 * bs, pair), load2(m + 11 * bs, pair), load2(m + 15 * bs, pair));
  const o = dw + <usize>(12 * a);
  store2Apart(o, 36, h2(0, t0, t1, t2, t3), pair);
  store2Apart(o + 4, 36, h2(1, t0, t1, t2, t3), pair);
  store2Apart(o + 8, 36, h2(2, t0, t1, t2, t3), pair);
}

// Winograd F(4×4, 3×3): G = [¼ 0 0; -⅙ -⅙ -⅙; -⅙ ⅙ -⅙; 1/24 1/12 ⅙; 1/24 -1/12 ⅙; 0 0 1] and, for
// Gᵀ M G with M 6×6, Gᵀ's rows h0 = m0/4 - (m1 + m2)/6 + (m3 + m4)/24, h1 = (m2 - m1)/6 +
// (m3 - m4)/12, h2 = (m3 + m4 - m1 - m2)/6 + m5: true divisions, as the JavaScript had them.

/** Row i of G times the column (a, b, d). */
@inline function g4(i: i32, a: v128, b: v128, d: v128): v128 {
  const six = f64x2.splat(6), twelve = f64x2.splat(12), t24 = f64x2.splat(24);
  if (i == 0) return f64x2.mul(a, f64x2.splat(0.25));
  if (i == 1) return f64x2.div(f64x2.neg(f64x2.add(f64x2.add(a, b), d)), six);
  if (i == 2) return f64x2.div(f64x2.neg(f64x2.add(f64x2.sub(a, b), d)), six);
  if (i == 3) return f64x2.add(f64x2.add(f64x2.div(a, t24), f64x2.div(b, twelve)), f64x2.div(d, six));
  if (i == 4) return f64x2.add(f64x2.sub(f64x2.div(a, t24), f64x2.div(b, twelve)), f64x2.div(d, six));
  return d;
}

/** Row r of Gᵀ times (m0..m5). */
@inline function h4(r: i32, m0: v128, m1: v128, m2: v128, m3: v128, m4: v128, m5: v128): v128 {
  const six = f64x2.splat(6), twelve = f64x2.splat(12), t24 = f64x2.splat(24);
  if (r == 0) return f64x2.add(f64x2.sub(f64x2.mul(m0, f64x2.splat(0.25)), f64x2.div(f64x2.add(m1, m2), six)), f64x2.div(f64x2.add(m3, m4), t24));
  if (r == 1) return f64x2.add(f64x2.div(f64x2.sub(m2, m1), six), f64x2.div(f64x2.sub(m3, m4), twelve));
  return f64x2.add(f64x2.div(f64x2.sub(f64x2.sub(f64x2.add(m3, m4), m1), m2), six), m5);
}

/** Row i of (G w) Gᵀ for the filters of columns (a_j, b_j, d_j) of w: entries 6i..6i+5 at o + ξ·bs. */
@inline function winograd4FilterRow(i: i32, a0: v128, b0: v128, d0: v128, a1: v128, b1: v128, d1: v128, a2: v128, b2: v128, d2: v128, o: usize, bs: usize, pair: bool): void {
  const x = g4(i, a0, b0, d0), y = g4(i, a1, b1, d1), z = g4(i, a2, b2, d2);
  const r = o + <usize>(6 * i) * bs;
  store2(r, g4(0, x, y, z), pair);
  store2(r + bs, g4(1, x, y, z), pair);
  store2(r + 2 * bs, g4(2, x, y, z), pair);
  store2(r + 3 * bs, g4(3, x, y, z), pair);
  store2(r + 4 * bs, g4(4, x, y, z), pair);
  store2(r + 5 * bs, g4(5, x, y, z), pair);
}

/** Column b of Gᵀ M G for filters m (lane 0) and m + 4 (lane 1), M(i, j) at m + (6i + j)·bs, into dw (filters 36 bytes apart). */
@inline function winograd4FilterGradColumn(b: i32, m: usize, bs: usize, dw: usize, pair: bool): void {
  const t0 = h4(b, load2(m, pair), load2(m + bs, pair), load2(m + 2 * bs, pair), load2(m + 3 * bs, pair), load2(m + 4 * bs, pair), load2(m + 5 * bs, pair));
  const r1 = m + 6 * bs;
  const t1 = h4(b, load2(r1, pair), load2(r1 + bs, pair), load2(r1 + 2 * bs, pair), load2(r1 + 3 * bs, pair), load2(r1 + 4 * bs, pair), load2(r1 + 5 * bs, pair));
  const r2 = m + 12 * bs;
  const t2 = h4(b, load2(r2, pair), load2(r2 + bs, pair), load2(r2 + 2 * bs, pair), load2(r2 + 3 * bs, pair), load2(r2 + 4 * bs, pair), load2(r2 + 5 * bs, pair));
  const r3 = m + 18 * bs;
  const t3 = h4(b, load2(r3, pair), load2(r3 + bs, pair), load2(r3 + 2 * bs, pair), load2(r3 + 3 * bs, pair), load2(r3 + 4 * bs, pair), load2(r3 + 5 * bs, pair));
  const r4 = m + 24 * bs;
  const t4 = h4(b, load2(r4, pair), load2(r4 + bs, pair), load2(r4 + 2 * bs, pair), load2(r4 + 3 * bs, pair), load2(r4 + 4 * bs, pair), load2(r4 + 5 * bs, pair));
  const r5 = m + 30 * bs;
  const t5 = h4(b, load2(r5, pair), load2(r5 + bs, pair), load2(r5 + 2 * bs, pair), load2(r5 + 3 * bs, pair), load2(r5 + 4 * bs, pair), load2(r5 + 5 * bs, pair));
  const o = dw + <usize>(4 * b);
  store2Apart(o, 36, h4(0, t0, t1, t2, t3, t4, t5), pair);
  store2Apart(o + 12, 36, h4(1, t0, t1, t2, t3, t4, t5), pair);
  store2Apart(o + 24, 36, h4(2, t0, t1, t2, t3, t4, t5), pair);
}

// Both tile sizes share the loops over groups and over pairs of filters (a last single filter
// in lane 0 where a block is odd); f4 picks F(4×4)'s rows, else F(2×2)'s.

/** Tap k of the 3×3 filters at p (lane 0) and q (lane 1) as f64x2. */
@inline function taps(p: usize, q: usize, k: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load32_lane(q + 4 * k, v128.load32_zero(p + 4 * k), 1));
}

/** Filters p (and p + 36 bytes where pair) into lanes, transformed into o + ξ·bs (and o + 4). */
@inline function filterPair(p: usize, o: usize, bs: usize, pair: bool, f4: bool): void {
  const q = pair ? p + 36 : p;
  const a0 = taps(p, q, 0), a1 = taps(p, q, 1), a2 = taps(p, q, 2);
  const b0 = taps(p, q, 3), b1 = taps(p, q, 4), b2 = taps(p, q, 5);
  const d0 = taps(p, q, 6), d1 = taps(p, q, 7), d2 = taps(p, q, 8);
  if (f4) {
    winograd4FilterRow(0, a0, b0, d0, a1, b1, d1, a2, b2, d2, o, bs, pair);
    winograd4FilterRow(1, a0, b0, d0, a1, b1, d1, a2, b2, d2, o, bs, pair);
    winograd4FilterRow(2, a0, b0, d0, a1, b1, d1, a2, b2, d2, o, bs, pair);
    winograd4FilterRow(3, a0, b0, d0, a1, b1, d1, a2, b2, d2, o, bs, pair);
    winograd4FilterRow(4, a0, b0, d0, a1, b1, d1, a2, b2, d2, o, bs, pair);
    winograd4FilterRow(5, a0, b0, d0, a1, b1, d1, a2, b2, d2, o, bs, pair);
  } else {
    winogradFilterRow(0, a0, b0, d0, a1, b1, d1, a2, b2, d2, o, bs, pair);
    winogradFilterRow(1, a0, b0, d0, a1, b1, d1, a2, b2, d2, o, bs, pair);
    winogradFilterRow(2, a0, b0, d0, a1, b1, d1, a2, b2, d2, o, bs, pair);
    winogradFilterRow(3, a0, b0, d0, a1, b1, d1, a2, b2, d2, o, bs, pair);
  }
}

/** Filters m (and m + 4 where pair) of M back into dw (filters 36 bytes apart). */
@inline function filterGradPair(m: usize, bs: usize, dw: usize, pair: bool, f4: bool): void {
  if (f4) {
    winograd4FilterGradColumn(0, m, bs, dw, pair);
    winograd4FilterGradColumn(1, m, bs, dw, pair);
    winograd4FilterGradColumn(2, m, bs, dw, pair);
  } else {
    winogradFilterGradRow(0, m, bs, dw, pair);
    winogradFilterGradRow(1, m, bs, dw, pair);
    winogradFilterGradRow(2, m, bs, dw, pair);
  }
}

/** u[(g·xi + ξ)·block + f] = (G w_f Gᵀ)[ξ] for every group g and filter f (xi = 36 where f4, else 16). */
@inline function filterTransform(w: usize, groups: i32, block: i32, u: usize, f4: bool): void {
  const bs = <usize>block << 2;
  const xi = f4 ? 36 : 16;
  for (let g = 0; g < groups; g++) {
    const wg = w + <usize>(g * block) * 36;
    const ug = u + <usize>(g * xi) * bs;
    let f = 0;
    for (; f + 2 <= block; f += 2) filterPair(wg + <usize>f * 36, ug + (<usize>f << 2), bs, true, f4);
    if (f < block) filterPair(wg + <usize>f * 36, ug + (<usize>f << 2), bs, false, f4);
  }
}

/** dw[(g·block + f)·9 + 3a + b] = (Gᵀ M G)[a, b] for M[ξ] = m[(g·xi + ξ)·block + f] (xi = 36 where f4, else 16). */
@inline function filterGradTransform(m: usize, groups: i32, block: i32, dw: usize, f4: bool): void {
  const bs = <usize>block << 2;
  const xi = f4 ? 36 : 16;
  for (let g = 0; g < groups; g++) {
    const mg = m + <usize>(g * xi) * bs;
    const dg = dw + <usize>(g * block) * 36;
    let f = 0;
    for (; f + 2 <= block; f += 2) filterGradPair(mg + (<usize>f << 2), bs, dg + <usize>f * 36, true, f4);
    if (f < block) filterGradPair(mg + (<usize>f << 2), bs, dg + <usize>f * 36, false, f4);
  }
}

/**
 * Winograd F(2×2, 3×3)'s filter transform: u[(g·16 + ξ)·block + f] = (G w_f Gᵀ)[ξ] in float64,
 * rounded once, for the 3×3 filters w_f = w[(g·block + f)·9 ..] of each of `groups` groups of
 * `block` filters (block = coutG·cinG, f = co·cinG + c).
 */
export function winogradFilter(w: usize, groups: i32, block: i32, u: usize): void {
  filterTransform(w, groups, block, u, false);
}

/**
 * The adjoint of winogradFilter (F(2×2)'s filter gradient): dw[(g·block + f)·9 + 3a + b] =
 * (Gᵀ M G)[a, b] in float64, rounded once, for M(i, j) = m[(g·16 + 4i + j)·block + f].
 */
export function winogradFilterGrad(m: usize, groups: i32, block: i32, dw: usize): void {
  filterGradTransform(m, groups, block, dw, false);
}

/**
 * Winograd F(4×4, 3×3)'s filter transform: u[(g·36 + ξ)·block + f] = (G w_f Gᵀ)[ξ] in float64,
 * rounded once, for the 3×3 filters w_f = w[(g·block + f)·9 ..] of each of `groups` groups of
 * `block` filters.
 */
export function winograd4Filter(w: usize, groups: i32, block: i32, u: usize): void {
  filterTransform(w, groups, block, u, true);
}

/**
 * The adjoint of winograd4Filter (F(4×4)'s filter gradient): dw[(g·block + f)·9 + 3a + b] =
 * (Gᵀ M G)[a, b] in float64, rounded once, for M(i, j) = m[(g·36 + 6i + j)·block + f].
 */
export function winograd4FilterGrad(m: usize, groups: i32, block: i32, dw: usize): void {
  filterGradTransform(m, groups, block, dw, true);
}
