// Max pooling in WebAssembly (float32): 2×2 stride-2 windows in SIMD, the kernels of
// src/backend/cpu/pool.ts maxPool2x2Forward / maxPool2x2Backward, and any other windows as
// tap lists (maxPoolForward there), with the same rules: the
// window's winner is the greatest value, ties go to the first, and a NaN wins (the first NaN).
// Four windows per step: a row pair's 8 + 8 values are split into the windows' four corners.
// argmax holds indices within each plane (int32). All pointers are byte addresses.

// Lane masks of "take the second": greater, or the first NaN.
@inline
function takeSecond(first: v128, second: v128): v128 {
  return v128.or(f32x4.gt(second, first), v128.and(f32x4.ne(second, second), f32x4.eq(first, first)));
}

@inline
function better(first: f32, second: f32): bool {
  return second > first || (second != second && first == first);
}

export function maxPool2x2Forward(x: usize, planes: i32, inH: i32, inW: i32, outH: i32, outW: i32, y: usize, argmax: usize): void {
  const inPlane = inH * inW;
  const step = i32x4(0, 2, 4, 6);
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = x + (<usize>(p * inPlane) << 2);
    for (let oh = 0; oh < outH; oh++) {
      const top = 2 * oh * inW;
      let ow = 0;
      for (; ow + 4 <= outW; ow += 4, o += 4) {
        const t = base + (<usize>(top + 2 * ow) << 2);
        const b = t + (<usize>inW << 2);
        const t0 = v128.load(t);
        const t1 = v128.load(t, 16);
        const b0 = v128.load(b);
        const b1 = v128.load(b, 16);
        const va = v128.shuffle<f32>(t0, t1, 0, 2, 4, 6);
        const vb = v128.shuffle<f32>(t0, t1, 1, 3, 5, 7);
        const vc = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6);
        const vd = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
        const ia = i32x4.add(i32x4.splat(top + 2 * ow), step);
        const ic = i32x4.add(ia, i32x4.splat(inW));
        const one = i32x4.splat(1);
        const k1 = takeSecond(va, vb);
        const m1 = v128.bitselect(vb, va, k1);
        const i1 = v128.bitselect(i32x4.add(ia, one), ia, k1);
        const k2 = takeSecond(vc, vd);
        const m2 = v128.bitselect(vd, vc, k2);
        const i2 = v128.bitselect(i32x4.add(ic, one), ic, k2);
        const k = takeSecond(m1, m2);
        v128.store(y + (<usize>o << 2), v128.bitselect(m2, m1, k));
        v128.store(argmax + (<usize>o << 2), v128.bitselect(i2, i1, k));
      }
      for (; ow < outW; ow++, o++) {
        const i0 = top + 2 * ow;
        const a = load<f32>(base + (<usize>i0 << 2));
        const bv = load<f32>(base + (<usize>(i0 + 1) << 2));
        const c = load<f32>(base + (<usize>(i0 + inW) << 2));
        const d = load<f32>(base + (<usize>(i0 + inW + 1) << 2));
        let i1 = i0;
        let m1 = a;
        if (better(a, bv)) { i1 = i0 + 1; m1 = bv; }
        let i2 = i0 + inW;
        let m2 = c;
        if (better(c, d)) { i2 = i0 + inW + 1; m2 = d; }
        if (better(m1, m2)) { i1 = i2; m1 = m2; }
        store<f32>(y + (<usize>o << 2), m1);
        store<i32>(argmax + (<usize>o << 2), i1);
      }
    }
  }
}

/**
 * dx = the scatter of dy to the argmax of each window; every element of dx is written once
 * (zeros elsewhere, including columns past 2·outW and a last odd row, which no window reads).
 */
export function maxPool2x2Backward(dy: usize, planes: i32, inH: i32, inW: i32, outH: i32, outW: i32, argmax: usize, dx: usize): void {
  const inPlane = inH * inW;
  const step = i32x4(0, 2, 4, 6);
  const zero = f32x4.splat(0);
  const one = i32x4.splat(1);
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = dx + (<usize>(p * inPlane) << 2);
    for (let oh = 0; oh < outH; oh++) {
      const top = 2 * oh * inW;
      let ow = 0;
      for (; ow + 4 <= outW; ow += 4, o += 4) {
        const g = v128.load(dy + (<usize>o << 2));
        const at = v128.load(argmax + (<usize>o << 2));
        const ia = i32x4.add(i32x4.splat(top + 2 * ow), step);
        const ic = i32x4.add(ia, i32x4.splat(inW));
        const ga = v128.bitselect(g, zero, i32x4.eq(at, ia));
        const gb = v128.bitselect(g, zero, i32x4.eq(at, i32x4.add(ia, one)));
        const gc = v128.bitselect(g, zero, i32x4.eq(at, ic));
        const gd = v128.bitselect(g, zero, i32x4.eq(at, i32x4.add(ic, one)));
        const t = base + (<usize>(top + 2 * ow) << 2);
        const b = t + (<usize>inW << 2);
        v128.store(t, v128.shuffle<f32>(ga, gb, 0, 4, 1, 5));
        v128.store(t, v128.shuffle<f32>(ga, gb, 2, 6, 3, 7), 16);
        v128.store(b, v128.shuffle<f32>(gc, gd, 0, 4, 1, 5));
        v128.store(b, v128.shuffle<f32>(gc, gd, 2, 6, 3, 7), 16);
      }
      for (; ow < outW; ow++, o++) {
        const i0 = top + 2 * ow;
        store<f32>(base + (<usize>i0 << 2), 0);
        store<f32>(base + (<usize>(i0 + 1) << 2), 0);
        store<f32>(base + (<usize>(i0 + inW) << 2), 0);
        store<f32>(base + (<usize>(i0 + inW + 1) << 2), 0);
        store<f32>(base + (<usize>load<i32>(argmax + (<usize>o << 2)) << 2), load<f32>(dy + (<usize>o << 2)));
      }
      for (let c = 2 * outW; c < inW; c++) {
        store<f32>(base + (<usize>(top + c) << 2), 0);
        store<f32>(base + (<usize>(top + inW + c) << 2), 0);
      }
    }
    if (2 * outH < inH) memory.fill(base + (<usize>(2 * outH * inW) << 2), 0, <usize>((inH - 2 * outH) * inW) << 2);
  }
}

/**
 * maxPoolForward of src/backend/cpu/pool.ts: windows as separable tap lists (int32 arrays:
 * rowOff[outH + 1] and rowIdx, colOff[outW + 1] and colIdx; output (oh, ow) reads rows
 * rowIdx[rowOff[oh]..rowOff[oh + 1]) crossed with its columns). The running maximum moves by
 * select (no branch, no reload); a NaN maximum is stored quieted, as a JavaScript number would
 * be; an empty window gives −∞ and argmax −1.
 */
export function maxPoolTaps(x: usize, planes: i32, inH: i32, inW: i32, outH: i32, outW: i32, rowOff: usize, rowIdx: usize, colOff: usize, colIdx: usize, y: usize, argmax: usize): void {
  const inPlane = inH * inW;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = x + (<usize>(p * inPlane) << 2);
    for (let oh = 0; oh < outH; oh++) {
      const r0 = load<i32>(rowOff + (<usize>oh << 2));
      const r1 = load<i32>(rowOff + (<usize>(oh + 1) << 2));
      for (let ow = 0; ow < outW; ow++, o++) {
        const c0 = load<i32>(colOff + (<usize>ow << 2));
        const c1 = load<i32>(colOff + (<usize>(ow + 1) << 2));
        let best: f32 = -Infinity;
        let at: i32 = -1;
        if (r1 > r0 && c1 > c0) {
          at = load<i32>(rowIdx + (<usize>r0 << 2)) * inW + load<i32>(colIdx + (<usize>c0 << 2));
          best = load<f32>(base + (<usize>at << 2));
          for (let r = r0; r < r1; r++) {
            const row = load<i32>(rowIdx + (<usize>r << 2)) * inW;
            for (let c = c0; c < c1; c++) {
              const i = row + load<i32>(colIdx + (<usize>c << 2));
              const v = load<f32>(base + (<usize>i << 2));
              const take = (<i32>(v > best)) | ((<i32>(v != v)) & (<i32>(best == best)));
              at = select<i32>(i, at, take);
              best = select<f32>(v, best, take);
            }
          }
        }
        store<f32>(y + (<usize>o << 2), best != best ? reinterpret<f32>(reinterpret<u32>(best) | 0x00400000) : best);
        store<i32>(argmax + (<usize>o << 2), at);
      }
    }
  }
}
