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
// host; these are the transforms, 4 tiles along x per SIMD vector. Tile t = ty·tilesW + tx reads
// padded rows 4ty..4ty+5, columns 4tx..4tx+5. Rows of Bᵀ share terms pairwise (1/2 and 3/4), as do
// those of Aᵀ (0/2 and 1/3): the vertical pass goes a pair of rows at a time, few values live.
//   Bᵀ = [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0; 0 -2 -1 2 1 0; 0 2 -1 -2 1 0; 0 4 0 -5 0 1]
//   Aᵀ = [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 1]

@inline function ld4(row: usize, j: i32): v128 {
  return v128.load(row + (<usize>j << 4));
}

/**
 * One row e of Bᵀd, as 5 vectors holding columns 4k..4k+3 (k < 5) of 4 side-by-side tiles, times B:
 * transposed into c0..c5 (c_k: column k of each of the 4 tiles), then the 6 entries (e B)[k]
 * stored at dst + k·xi.
 */
@inline function winograd4InputRow(a0: v128, a1: v128, a2: v128, a3: v128, a4: v128, dst: usize, xi: usize): void {
  const t0 = v128.shuffle<f32>(a0, a1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(a2, a3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(a0, a1, 2, 6, 3, 7);
  const t3 = v128.shuffle<f32>(a2, a3, 2, 6, 3, 7);
  const u0 = v128.shuffle<f32>(a1, a2, 0, 4, 1, 5);
  const u1 = v128.shuffle<f32>(a3, a4, 0, 4, 1, 5);
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

/**
 * v[(ξ·channels + c)·ldv + t] = (Bᵀ d B)[ξ] for tile t of plane c of xp (row length Wp, planes
 * xPlane apart). Tiles go 4 at a time: the last group of a row also writes up to 3 slots past the
 * row (the next row's, written again after, or past the image: the caller leaves room); it reads
 * rows up to 4·tilesH + 1 and columns up to 4·roundUp(tilesW, 4) + 3.
 */
export function winograd4Input(xp: usize, channels: i32, xPlane: i32, Wp: i32, tilesH: i32, tilesW: i32, v: usize, ldv: i32): void {
  const xi = <usize>(channels * ldv) << 2;
  const rowBytes = <usize>Wp << 2;
  const two = f32x4.splat(2), four = f32x4.splat(4), five = f32x4.splat(5);
  for (let c = 0; c < channels; c++) {
    const plane = xp + (<usize>(c * xPlane) << 2);
    const vc = v + (<usize>(c * ldv) << 2);
    for (let ty = 0; ty < tilesH; ty++) {
      for (let tx = 0; tx < tilesW; tx += 4) {
        const r0 = plane + (<usize>(4 * ty * Wp + 4 * tx) << 2);
        const r1 = r0 + rowBytes, r2 = r1 + rowBytes, r3 = r2 + rowBytes, r4 = r3 + rowBytes, r5 = r4 + rowBytes;
        const dst = vc + (<usize>(ty * tilesW + tx) << 2);
        // Row 0 of Bᵀd: 4d0 - 5d2 + d4.
        winograd4InputRow(
          f32x4.add(f32x4.sub(f32x4.mul(four, ld4(r0, 0)), f32x4.mul(five, ld4(r2, 0))), ld4(r4, 0)),
          f32x4.add(f32x4.sub(f32x4.mul(four, ld4(r0, 1)), f32x4.mul(five, ld4(r2, 1))), ld4(r4, 1)),
          f32x4.add(f32x4.sub(f32x4.mul(four, ld4(r0, 2)), f32x4.mul(five, ld4(r2, 2))), ld4(r4, 2)),
          f32x4.add(f32x4.sub(f32x4.mul(four, ld4(r0, 3)), f32x4.mul(five, ld4(r2, 3))), ld4(r4, 3)),
          f32x4.add(f32x4.sub(f32x4.mul(four, ld4(r0, 4)), f32x4.mul(five, ld4(r2, 4))), ld4(r4, 4)),
          dst, xi);
        // Rows 1, 2: (d4 - 4d2) ± (d3 - 4d1).
        const p0 = f32x4.sub(ld4(r4, 0), f32x4.mul(four, ld4(r2, 0))), q0 = f32x4.sub(ld4(r3, 0), f32x4.mul(four, ld4(r1, 0)));
        const p1 = f32x4.sub(ld4(r4, 1), f32x4.mul(four, ld4(r2, 1))), q1 = f32x4.sub(ld4(r3, 1), f32x4.mul(four, ld4(r1, 1)));
        const p2 = f32x4.sub(ld4(r4, 2), f32x4.mul(four, ld4(r2, 2))), q2 = f32x4.sub(ld4(r3, 2), f32x4.mul(four, ld4(r1, 2)));
        const p3 = f32x4.sub(ld4(r4, 3), f32x4.mul(four, ld4(r2, 3))), q3 = f32x4.sub(ld4(r3, 3), f32x4.mul(four, ld4(r1, 3)));
        const p4 = f32x4.sub(ld4(r4, 4), f32x4.mul(four, ld4(r2, 4))), q4 = f32x4.sub(ld4(r3, 4), f32x4.mul(four, ld4(r1, 4)));
        winograd4InputRow(f32x4.add(p0, q0), f32x4.add(p1, q1), f32x4.add(p2, q2), f32x4.add(p3, q3), f32x4.add(p4, q4), dst + 6 * xi, xi);
        winograd4InputRow(f32x4.sub(p0, q0), f32x4.sub(p1, q1), f32x4.sub(p2, q2), f32x4.sub(p3, q3), f32x4.sub(p4, q4), dst + 12 * xi, xi);
        // Rows 3, 4: (d4 - d2) ± 2(d3 - d1).
        const s0 = f32x4.sub(ld4(r4, 0), ld4(r2, 0)), e0 = f32x4.mul(two, f32x4.sub(ld4(r3, 0), ld4(r1, 0)));
        const s1 = f32x4.sub(ld4(r4, 1), ld4(r2, 1)), e1 = f32x4.mul(two, f32x4.sub(ld4(r3, 1), ld4(r1, 1)));
        const s2 = f32x4.sub(ld4(r4, 2), ld4(r2, 2)), e2 = f32x4.mul(two, f32x4.sub(ld4(r3, 2), ld4(r1, 2)));
        const s3 = f32x4.sub(ld4(r4, 3), ld4(r2, 3)), e3 = f32x4.mul(two, f32x4.sub(ld4(r3, 3), ld4(r1, 3)));
        const s4 = f32x4.sub(ld4(r4, 4), ld4(r2, 4)), e4 = f32x4.mul(two, f32x4.sub(ld4(r3, 4), ld4(r1, 4)));
        winograd4InputRow(f32x4.add(s0, e0), f32x4.add(s1, e1), f32x4.add(s2, e2), f32x4.add(s3, e3), f32x4.add(s4, e4), dst + 18 * xi, xi);
        winograd4InputRow(f32x4.sub(s0, e0), f32x4.sub(s1, e1), f32x4.sub(s2, e2), f32x4.sub(s3, e3), f32x4.sub(s4, e4), dst + 24 * xi, xi);
        // Row 5: 4d1 - 5d3 + d5.
        winograd4InputRow(
          f32x4.add(f32x4.sub(f32x4.mul(four, ld4(r1, 0)), f32x4.mul(five, ld4(r3, 0))), ld4(r5, 0)),
          f32x4.add(f32x4.sub(f32x4.mul(four, ld4(r1, 1)), f32x4.mul(five, ld4(r3, 1))), ld4(r5, 1)),
          f32x4.add(f32x4.sub(f32x4.mul(four, ld4(r1, 2)), f32x4.mul(five, ld4(r3, 2))), ld4(r5, 2)),
          f32x4.add(f32x4.sub(f32x4.mul(four, ld4(r1, 3)), f32x4.mul(five, ld4(r3, 3))), ld4(r5, 3)),
          f32x4.add(f32x4.sub(f32x4.mul(four, ld4(r1, 4)), f32x4.mul(five, ld4(r3, 4))), ld4(r5, 4)),
          dst + 30 * xi, xi);
      }
    }
  }
}

/**
 * Row a of a 4×4 output tile group from u_k = (Aᵀm)[a, k] (k < 6, 4 tiles per vector): the 4
 * entries (u A)[b] + bias, stored as output columns 4 tiles × 4 at dst (16 contiguous floats).
 */
@inline function winograd4OutputRow(u0: v128, u1: v128, u2: v128, u3: v128, u4: v128, u5: v128, bv: v128, dst: usize): void {
  const p = f32x4.add(u1, u2), q = f32x4.sub(u1, u2);
  const r = f32x4.add(u3, u4), s = f32x4.sub(u3, u4);
  const y0 = f32x4.add(bv, f32x4.add(f32x4.add(u0, p), r));
  const y1 = f32x4.add(bv, f32x4.add(q, f32x4.mul(f32x4.splat(2), s)));
  const y2 = f32x4.add(bv, f32x4.add(p, f32x4.mul(f32x4.splat(4), r)));
  const y3 = f32x4.add(bv, f32x4.add(f32x4.add(q, f32x4.mul(f32x4.splat(8), s)), u5));
  storeTransposed(dst, 16, y0, y1, y2, y3);
}

/**
 * For each output channel co and tile t: the 4×4 tile Aᵀ m A + bias[co], m[ξ] = mt[(ξ·couts + co)·ldm + t],
 * into y (planes yPlane apart, row length Wy ≥ 4·roundUp(tilesW, 4)) at rows 4ty..4ty+3, columns
 * 4tx..4tx+3. Columns past 4·tilesW get values of other tiles (the caller drops them); mt is read
 * up to 3 tiles past the image.
 */
export function winograd4Output(mt: usize, couts: i32, ldm: i32, tilesH: i32, tilesW: i32, bias: usize, y: usize, yPlane: i32, Wy: i32): void {
  const xi = <usize>(couts * ldm) << 2;
  const rowBytes = <usize>Wy << 2;
  const two = f32x4.splat(2), four = f32x4.splat(4), eight = f32x4.splat(8);
  for (let co = 0; co < couts; co++) {
    const bv = v128.load32_splat(bias + (<usize>co << 2));
    const mc = mt + (<usize>(co * ldm) << 2);
    const yc = y + (<usize>(co * yPlane) << 2);
    for (let ty = 0; ty < tilesH; ty++) {
      for (let tx = 0; tx < tilesW; tx += 4) {
        const src = mc + (<usize>(ty * tilesW + tx) << 2);
        const dst = yc + (<usize>(4 * ty * Wy + 4 * tx) << 2);
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
        winograd4OutputRow(a0, a1, a2, a3, a4, a5, bv, dst);
        winograd4OutputRow(b0, b1, b2, b3, b4, b5, bv, dst + 2 * rowBytes);
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
        winograd4OutputRow(c0, c1, c2, c3, c4, c5, bv, dst + rowBytes);
        winograd4OutputRow(d0, d1, d2, d3, d4, d5, bv, dst + 3 * rowBytes);
      }
    }
  }
}
