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
