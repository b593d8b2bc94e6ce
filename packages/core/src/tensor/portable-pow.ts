// x^y with the same bits in every JavaScript engine, for whatever must replay exactly in Node and
// in browsers (Adam's bias corrections β^t, the step schedules' γ^k, the pow kernel, p-norms).
// Math.pow and ** are implementation-defined: Node 20's V8 uses fdlibm's e_pow.c (ieee754.cc's
// legacy::pow, compiled from C) for every exponent but 0.5 and ±1, 2 (which fdlibm itself
// special-cases), Chromium 156's V8 other code that rounds about 10% of results the other way,
// integer exponents included. This is that e_pow.c written with + − × ÷ only besides exact bit
// reads and writes, which IEEE 754 rounds the same way everywhere: within 1 ulp (fdlibm's
// bound), and equal to Node 20's Math.pow for every pair of doubles (fixtures/fdlibm-table.json;
// millions of random pairs when it was written), ECMAScript's special cases included.
import { clearLowWord, f64, fromHighWord, HI, highWord, LO, withHighWord, words } from './ieee-words.js';

const BP = [1, 1.5] as const;
const DP_H = [0, 5.84962487220764160156e-1] as const; // log2(1.5) high
const DP_L = [0, 1.35003920212974897128e-8] as const; // its tail
const TWO53 = 9007199254740992;
const TWOM64 = 5.421010862427522e-20;
// (3/2)·(log(x) − 2s − (2/3)s³) ≈ s⁴·(L1 + L2·s² + … + L6·s¹⁰), s = (x − 1)/(x + 1).
const L1 = 5.99999999999994648725e-1;
const L2 = 4.28571428578550184252e-1;
const L3 = 3.33333329818377432918e-1;
const L4 = 2.72728123808534006489e-1;
const L5 = 2.30660745775561754067e-1;
const L6 = 2.06975017800338417784e-1;
// e_exp.c's polynomial, for 2^(fraction).
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.65339022054652515390e-6;
const P5 = 4.13813679705723846039e-8;
const LG2 = 6.93147180559945286227e-1;
const LG2_H = 6.93147182464599609375e-1;
const LG2_L = -1.90465429995776804525e-9;
/** −(1024 − log2(overflow threshold + half an ulp)). */
const OVT = 8.0085662595372944372e-17;
const CP = 9.61796693925975554329e-1; // 2/(3·ln 2)
const CP_H = 9.61796700954437255859e-1;
const CP_L = -7.02846165095275826516e-9;
const IVLN2 = 1.44269504088896338700;
const IVLN2_H = 1.44269502162933349609;
const IVLN2_L = 1.92596299112661746887e-8;

/** ±Infinity (overflow) or ±0 (underflow), with the sign s. */
const overflow = (s: number): number => s * Infinity;
const underflow = (s: number): number => s * 0;

/**
 * x^y with the same bits in every JavaScript engine: fdlibm's pow (within 1 ulp, equal to Node
 * 20's Math.pow and **), in + − × ÷ only, with ECMAScript's special values: NaN if y is NaN, 1
 * if y is ±0, NaN for (±1)^±Infinity and for a negative finite x to a non-integer y, ±0 and
 * ±Infinity as Math.pow has them. Use it instead of Math.pow or ** where a result must replay
 * bit for bit in Node and in browsers.
 */
export function portablePow(x: number, y: number): number {
  f64[0] = x;
  const hx = words[HI]!;
  const lx = words[LO]! >>> 0;
  f64[0] = y;
  const hy = words[HI]!;
  const ly = words[LO]! >>> 0;
  let ix = hx & 0x7fffffff;
  const iy = hy & 0x7fffffff;

  if ((iy | ly) === 0) return 1; // x^±0 = 1, NaN included
  if (ix > 0x7ff00000 || (ix === 0x7ff00000 && lx !== 0) || iy > 0x7ff00000 || (iy === 0x7ff00000 && ly !== 0)) return x + y; // NaN

  // For x < 0: yIsInt 0 if y is not an integer, 1 if odd, 2 if even.
  let yIsInt = 0;
  if (hx < 0) {
    if (iy >= 0x43400000) {
      yIsInt = 2; // |y| ≥ 2^53: even
    } else if (iy >= 0x3ff00000) {
      const e = (iy >> 20) - 0x3ff;
      if (e > 20) {
        const j = ly >>> (52 - e);
        if ((j << (52 - e)) >>> 0 === ly) yIsInt = 2 - (j & 1);
      } else if (ly === 0) {
        const j = iy >> (20 - e);
        if (j << (20 - e) === iy) yIsInt = 2 - (j & 1);
      }
    }
  }

  if (ly === 0) {
    if (iy === 0x7ff00000) {
      // y = ±Infinity
      if (((ix - 0x3ff00000) | lx) === 0) return NaN; // (±1)^±Infinity
      if (ix >= 0x3ff00000) return hy >= 0 ? y : 0; // |x| > 1
      return hy < 0 ? -y : 0; // |x| < 1
    }
    if (iy === 0x3ff00000) return hy < 0 ? 1 / x : x; // y = ±1
    if (hy === 0x40000000) return x * x; // y = 2
    if (hy === 0x3fe00000 && hx >= 0) return Math.sqrt(x); // y = 0.5, x ≥ +0 (sqrt is correctly rounded everywhere)
  }

  let ax = Math.abs(x);
  if (lx === 0 && (ix === 0x7ff00000 || ix === 0 || ix === 0x3ff00000)) {
    // x = ±0, ±Infinity, ±1
    let z = hy < 0 ? 1 / ax : ax;
    if (hx < 0) {
      if (((ix - 0x3ff00000) | yIsInt) === 0) z = NaN; // (−1)^non-integer
      else if (yIsInt === 1) z = -z; // (x < 0)^odd = −|x|^odd
    }
    return z;
  }

  let n = (hx >> 31) + 1; // 0 for negative x
  if ((n | yIsInt) === 0) return NaN; // (x < 0)^non-integer
  const s = (n | (yIsInt - 1)) === 0 ? -1 : 1; // the sign: (x < 0)^odd

  // log2|x| = t1 + t2, t1 with its low word cleared.
  let t1: number;
  let t2: number;
  if (iy > 0x41e00000) {
    // |y| > 2^31
    if (iy > 0x43f00000) {
      // |y| > 2^64: over- or underflows
      if (ix <= 0x3fefffff) return hy < 0 ? Infinity : 0;
      if (ix >= 0x3ff00000) return hy > 0 ? Infinity : 0;
    }
    // Over- or underflows unless x is close to 1
    if (ix < 0x3fefffff) return hy < 0 ? overflow(s) : underflow(s);
    if (ix > 0x3ff00000) return hy > 0 ? overflow(s) : underflow(s);
    // |1 − x| ≤ 2^-20: log(x) by x − x²/2 + x³/3 − x⁴/4.
    const t = ax - 1;
    const w = t * t * (0.5 - t * (0.3333333333333333333333 - t * 0.25));
    const u = IVLN2_H * t;
    const v = t * IVLN2_L - w * IVLN2;
    t1 = clearLowWord(u + v);
    t2 = v - (t1 - u);
  } else {
    n = 0;
    if (ix < 0x00100000) {
      // subnormal x
      ax *= TWO53;
      n -= 53;
      ix = highWord(ax);
    }
    n += (ix >> 20) - 0x3ff;
    const j = ix & 0x000fffff;
    // ax = 2^n·m with m in [1, √3) about: compare m with 1 (k = 0) or 1.5 (k = 1).
    let k: 0 | 1;
    ix = j | 0x3ff00000;
    if (j <= 0x3988e) {
      k = 0; // m < √(3/2)
    } else if (j < 0xbb67a) {
      k = 1; // m < √3
    } else {
      k = 0;
      n += 1;
      ix -= 0x00100000;
    }
    ax = withHighWord(ax, ix);

    // ss = s_h + s_l = (m − bp)/(m + bp)
    let u = ax - BP[k];
    let v = 1 / (ax + BP[k]);
    const ss = u * v;
    const sH = clearLowWord(ss);
    // tH = m + bp, high part
    let tH = fromHighWord(((ix >> 1) | 0x20000000) + 0x00080000 + (k << 18));
    let tL = ax - (tH - BP[k]);
    const sL = v * (u - sH * tH - sH * tL);
    // log(m)
    let s2 = ss * ss;
    let r = s2 * s2 * (L1 + s2 * (L2 + s2 * (L3 + s2 * (L4 + s2 * (L5 + s2 * L6)))));
    r += sL * (sH + ss);
    s2 = sH * sH;
    tH = clearLowWord(3 + s2 + r);
    tL = r - (tH - 3 - s2);
    // u + v = ss·(1 + …)
    u = sH * tH;
    v = sL * tH + tL * ss;
    // 2/(3·ln 2)·(ss + …)
    const pH = clearLowWord(u + v);
    const pL = v - (pH - u);
    const zH = CP_H * pH;
    const zL = CP_L * pH + pL * CP + DP_L[k];
    // log2(ax) = n + dp_h + z_h + z_l
    const t = n;
    t1 = clearLowWord(zH + zL + DP_H[k] + t);
    t2 = zL - (t1 - t - DP_H[k] - zH);
  }

  // (y1 + y2)·(t1 + t2) with y1 = y's leading bits.
  const y1 = clearLowWord(y);
  let pL = (y - y1) * t1 + y * t2;
  let pH = y1 * t1;
  let z = pL + pH;
  f64[0] = z;
  const j = words[HI]!;
  const i = words[LO]!;
  if (j >= 0x40900000) {
    // z ≥ 1024
    if (((j - 0x40900000) | i) !== 0) return overflow(s);
    if (pL + OVT > z - pH) return overflow(s);
  } else if ((j & 0x7fffffff) >= 0x4090cc00) {
    // z ≤ −1075
    if (((j - 0xc090cc00) | i) !== 0) return underflow(s);
    if (pL <= z - pH) return underflow(s);
  }

  // 2^(pH + pL): n = nearest integer to z, taken out of pH.
  const iz = j & 0x7fffffff;
  let k = (iz >> 20) - 0x3ff;
  n = 0;
  if (iz > 0x3fe00000) {
    n = j + (0x00100000 >> (k + 1));
    k = ((n & 0x7fffffff) >> 20) - 0x3ff;
    const t = fromHighWord(n & ~(0x000fffff >> k));
    n = ((n & 0x000fffff) | 0x00100000) >> (20 - k);
    if (j < 0) n = -n;
    pH -= t;
  }
  const t = clearLowWord(pL + pH);
  const u = t * LG2_H;
  const v = (pL - (t - pH)) * LG2 + t * LG2_L;
  z = u + v;
  const w = v - (z - u);
  const tt = z * z;
  const r1 = z - tt * (P1 + tt * (P2 + tt * (P3 + tt * (P4 + tt * P5))));
  const r = (z * r1) / (r1 - 2 - (w + z * w));
  z = 1 - (r - z);
  const high = (highWord(z) + (n << 20)) | 0;
  if (high >> 20 <= 0) {
    // Subnormal result: scale by 2^n in two steps, the second rounding once (fdlibm's scalbn).
    z = z * fromHighWord((0x3ff + n + 64) << 20) * TWOM64;
  } else {
    z = withHighWord(z, high);
  }
  return s * z;
}
