// exp, expm1, log1p and tanh with the same bits in every JavaScript engine, for kernels and
// training code that must replay exactly in Node and in browsers. Math's are
// implementation-defined: Node 20's V8 uses fdlibm (ieee754.cc, compiled from C), Chromium 156's
// V8 other code that rounds some inputs the other way in the last bit (about 10% of exp, 0.01 to
// 0.07% of tanh, expm1 and log1p). These are V8's fdlibm (FreeBSD msun's e_exp.c, s_expm1.c,
// s_log1p.c, s_tanh.c) written with + − × ÷ only besides exact bit reads and writes and
// truncation, which IEEE 754 rounds the same way everywhere: within 1 ulp of the true values and
// equal to Node 20's Math.exp, Math.expm1, Math.log1p and Math.tanh for every double
// (fixtures/fdlibm-table.json; millions of random arguments when they were written).
import { highWord, pow2 } from './ieee-words.js';

// ln 2 split so that k·LN2_HI is exact for the k used here; 1/ln 2.
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.44269504088896338700;
/** exp overflows above this (ln of the largest double), and underflows to 0 below U_THRESHOLD. */
const O_THRESHOLD = 7.09782712893383973096e2;
const U_THRESHOLD = -7.45133219101941108420e2;
const TWO1023 = 8.98846567431158e307;
const TWOM1000 = 9.33263618503218878990e-302;
// Doubles whose high words are fdlibm's thresholds (low words 0): |x| ≥ 709.78, |x| > ln 2 / 2
// (high word above 0x3fd62e42), |x| < 1.5·ln 2, |x| < 2^-28, |x| ≥ 56·ln 2, |x| < 2^-54.
const EXP_BIG = 709.7822265625; // 0x40862e42
const HALF_LN2_UP = 0.3465735912322998; // 0x3fd62e43
const THREE_HALVES_LN2 = 1.0397205352783203; // 0x3ff0a2b2
const TWOM28 = 3.725290298461914e-9;
const EXPM1_BIG = 38.81622314453125; // 0x4043687a
const TWOM54 = 5.551115123125783e-17;
// Minimax polynomial of x·(e^x + 1)/(e^x − 1) on [0, 0.347] (e_exp.c's R(x²)).
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.65339022054652515390e-6;
const P5 = 4.13813679705723846039e-8;

/**
 * e^x with the same bits in every JavaScript engine: fdlibm's exp (within 1 ulp, equal to Node
 * 20's Math.exp), in + − × ÷ only. Every double: Infinity above ln(MAX_VALUE), 0 below about
 * −745.13, NaN at NaN. Use it instead of Math.exp where a result must replay bit for bit in
 * Node and in browsers.
 */
export function portableExp(x: number): number {
  // fdlibm's tests of |x|'s high word, as comparisons of |x| with the double of that high word
  // (the same outcomes; reading no word is faster).
  const a = x < 0 ? -x : x;
  if (!(a < EXP_BIG)) {
    // |x| ≥ 709.78: NaN, ±Infinity, overflow or underflow.
    if (x !== x) return x + x;
    if (a === Infinity) return x > 0 ? x : 0;
    if (x > O_THRESHOLD) return Infinity;
    if (x < U_THRESHOLD) return 0;
  }
  // x = k·ln 2 + r with |r| ≤ ln 2 / 2, r = hi − lo kept in two parts.
  let hi = 0;
  let lo = 0;
  let k = 0;
  if (a >= HALF_LN2_UP) {
    if (a < THREE_HALVES_LN2) {
      // 0.5·ln 2 < |x| < 1.5·ln 2: k = ±1. V8 returns Math.E at 1, which the formula misses by an ulp.
      if (x === 1) return Math.E;
      if (x > 0) {
        hi = x - LN2_HI;
        lo = LN2_LO;
        k = 1;
      } else {
        hi = x + LN2_HI;
        lo = -LN2_LO;
        k = -1;
      }
    } else {
      k = (INV_LN2 * x + (x < 0 ? -0.5 : 0.5)) | 0; // C's truncation toward 0
      hi = x - k * LN2_HI; // exact
      lo = k * LN2_LO;
    }
    x = hi - lo;
  } else if (a < TWOM28) {
    return 1 + x; // |x| < 2^-28
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - (lo - (x * c) / (2 - c) - hi);
  // y·2^k, in two factors where 2^k alone would overflow or be subnormal.
  if (k >= -1021) return k === 1024 ? y * 2 * TWO1023 : y * pow2(k);
  return y * pow2(k + 1000) * TWOM1000;
}

// expm1's rational approximation (s_expm1.c: Q's scaled for R(2z), z = x²/2).
const Q1 = -3.33333333333331316428e-2;
const Q2 = 1.58730158725481460165e-3;
const Q3 = -7.93650757867487942473e-5;
const Q4 = 4.00821782732936239552e-6;
const Q5 = -2.01099218183624371326e-7;

/**
 * e^x − 1 with the same bits in every JavaScript engine: fdlibm's expm1 (within 1 ulp, accurate
 * near 0 where exp(x) − 1 cancels; equal to Node 20's Math.expm1), in + − × ÷ only. Every
 * double: −1 below −56·ln 2, Infinity above ln(MAX_VALUE), −0 at −0, NaN at NaN.
 */
export function portableExpm1(x: number): number {
  const negative = x < 0;
  const a = negative ? -x : x;
  if (!(a < EXPM1_BIG)) {
    // |x| ≥ 56·ln 2, or NaN
    if (x !== x) return x + x;
    if (a >= EXP_BIG) {
      if (a === Infinity) return negative ? -1 : x;
      if (x > O_THRESHOLD) return Infinity;
    }
    if (negative) return -1; // e^x below half an ulp of 1
  }
  let c = 0;
  let k = 0;
  if (a >= HALF_LN2_UP) {
    // |x| > 0.5·ln 2: x = k·ln 2 + (hi − lo), c the rounding error of hi − lo.
    let hi: number;
    let lo: number;
    if (a < THREE_HALVES_LN2) {
      hi = negative ? x + LN2_HI : x - LN2_HI;
      lo = negative ? -LN2_LO : LN2_LO;
      k = negative ? -1 : 1;
    } else {
      k = (INV_LN2 * x + (negative ? -0.5 : 0.5)) | 0;
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    }
    x = hi - lo;
    c = hi - x - lo;
  } else if (a < TWOM54) {
    return x; // |x| < 2^-54
  }
  const hfx = 0.5 * x;
  const hxs = x * hfx;
  const r1 = 1 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
  const t = 3 - r1 * hfx;
  let e = hxs * ((r1 - t) / (6 - x * t));
  if (k === 0) return x - (x * e - hxs);
  e = x * (e - c) - c;
  e -= hxs;
  if (k === -1) return 0.5 * (x - e) - 0.5;
  if (k === 1) return x < -0.25 ? -2 * (e - (x + 0.5)) : 1 + 2 * (x - e);
  if (k <= -2 || k > 56) {
    // e^x − 1 ≈ e^x: no cancellation left to avoid.
    const y = 1 - (e - x);
    return (k === 1024 ? y * 2 * TWO1023 : y * pow2(k)) - 1;
  }
  const twopk = pow2(k);
  if (k < 20) return (1 - pow2(-k) - (e - x)) * twopk; // (1 − 2^-k) − …, 1 − 2^-k exact
  return (x - (e + pow2(-k)) + 1) * twopk;
}

// log(1 + s) − log(1 − s) − 2s ≈ s·(Lp1·s² + … + Lp7·s¹⁴) (s_log1p.c, e_log.c's coefficients).
const LP1 = 6.666666666666735130e-1;
const LP2 = 3.999999999940941908e-1;
const LP3 = 2.857142874366239149e-1;
const LP4 = 2.222219843214978396e-1;
const LP5 = 1.818357216161805012e-1;
const LP6 = 1.531383769920937332e-1;
const LP7 = 1.479819860511658591e-1;

/**
 * log(1 + x) with the same bits in every JavaScript engine: fdlibm's log1p (within 1 ulp,
 * accurate near 0 where log(1 + x) loses x's bits; equal to Node 20's Math.log1p), in + − × ÷
 * only. Every double: −Infinity at −1, NaN below −1 and at NaN, −0 at −0.
 */
export function portableLog1p(x: number): number {
  const hx = highWord(x);
  const ax = hx & 0x7fffffff;
  let k = 1;
  let f = 0;
  let hu = 0;
  let c = 0;
  if (hx < 0x3fda827a) {
    // 1 + x < √2 (negative x included)
    if (ax >= 0x3ff00000) return x === -1 ? -Infinity : NaN; // x ≤ −1
    if (ax < 0x3e200000) return ax < 0x3c900000 ? x : x - x * x * 0.5; // |x| < 2^-29
    if (hx > 0 || hx <= (0xbfd2bec4 | 0)) {
      // √2/2 ≤ 1 + x < √2: f = x itself, no correction term.
      k = 0;
      f = x;
      hu = 1;
    }
  } else if (hx >= 0x7ff00000) {
    return x + x;
  }
  if (k !== 0) {
    // 1 + x = 2^k·(1 + f), c the rounding error of 1 + x relative to it.
    let u: number;
    if (hx < 0x43400000) {
      u = 1 + x;
      hu = highWord(u);
      k = (hu >> 20) - 1023;
      c = k > 0 ? 1 - (u - x) : x - (u - 1);
      c /= u;
    } else {
      u = x;
      hu = hx;
      k = (hu >> 20) - 1023;
      c = 0;
    }
    hu &= 0x000fffff;
    if (hu >= 0x6a09e) {
      k += 1; // u/2: u ≳ √2
      hu = (0x00100000 - hu) >> 2;
    }
    f = u * pow2(-k) - 1; // u's significand (or half of it): fdlibm writes u's high word, the same double
  }
  const hfsq = 0.5 * f * f;
  if (hu === 0) {
    // |f| < 2^-20
    if (f === 0) {
      if (k === 0) return 0;
      c += k * LN2_LO;
      return k * LN2_HI + c;
    }
    const R = hfsq * (1 - 0.66666666666666666 * f);
    return k === 0 ? f - R : k * LN2_HI - (R - (k * LN2_LO + c) - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const R = z * (LP1 + z * (LP2 + z * (LP3 + z * (LP4 + z * (LP5 + z * (LP6 + z * LP7))))));
  if (k === 0) return f - (hfsq - s * (hfsq + R));
  return k * LN2_HI - (hfsq - (s * (hfsq + R) + (k * LN2_LO + c)) - f);
}

/**
 * tanh x with the same bits in every JavaScript engine: fdlibm's tanh (through portableExpm1;
 * within 1 ulp, equal to Node 20's Math.tanh), in + − × ÷ only. Every double: ±1 for |x| ≥ 22
 * and at ±Infinity, ±0 at ±0, NaN at NaN.
 */
export function portableTanh(x: number): number {
  const jx = highWord(x);
  const ix = jx & 0x7fffffff;
  if (ix >= 0x7ff00000) return jx >= 0 ? 1 / x + 1 : 1 / x - 1; // ±Infinity → ±1, NaN → NaN
  let z: number;
  if (ix < 0x40360000) {
    // |x| < 22
    if (ix < 0x3e300000) return x; // |x| < 2^-28
    if (ix >= 0x3ff00000) {
      z = 1 - 2 / (portableExpm1(2 * Math.abs(x)) + 2);
    } else {
      const t = portableExpm1(-2 * Math.abs(x));
      z = -t / (t + 2);
    }
  } else {
    z = 1; // 1 − tiny rounds to 1
  }
  return jx >= 0 ? z : -z;
}
