// sin, cos, tan, log and log2 with the same bits in every JavaScript engine, for whatever must replay
// exactly in Node and in browsers (the seeded normal draws, nn's learning-rate schedules).
// Math.sin, Math.cos and Math.log are implementation-defined: Node 20's V8 uses fdlibm for all
// three, Chromium 156's V8 other code that rounds some inputs the other way in the last bit
// (measured on the normal sampler's arguments: about 3% of sines and cosines, 7% of logs), and
// Firefox and Safari use their own. These are fdlibm 5.3's sin, cos (e_rem_pio2's reduction for
// moderate arguments, then __kernel_cos / __kernel_sin) and log (e_log.c), as V8's ieee754.cc
// has them, written with + − × ÷ only (besides exact bit reads and writes and truncation), which
// IEEE 754 rounds the same way everywhere: within 1 ulp of the true values, and equal to Node
// 20's Math.sin, Math.cos and Math.log. sin and cos take |x| ≤ 2^20·π/2 ≈ 1647099; beyond, the
// reduction would need 2/π to ~1100 bits (__kernel_rem_pio2), and they throw.

import { f64, fromHighWord, HI, highWord, LO, pow2, words as i32 } from './ieee-words.js';

// Minimax polynomials on [-π/4, π/4] (fdlibm's k_cos.c and k_sin.c).
const C1 = 4.16666666666666019037e-2;
const C2 = -1.38888888888741095749e-3;
const C3 = 2.48015872894767294178e-5;
const C4 = -2.75573143513906633035e-7;
const C5 = 2.08757232129817482790e-9;
const C6 = -1.13596475577881948265e-11;
const S1 = -1.66666666666666324348e-1;
const S2 = 8.33333333332248946124e-3;
const S3 = -1.98412698298579493134e-4;
const S4 = 2.75573137070700676789e-6;
const S5 = -2.50507602534068634195e-8;
const S6 = 1.58969099521155010221e-10;

/** cos(x + y) for |x| ≤ π/4, y a correction below half an ulp of x. */
function kernelCos(x: number, y: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix < 0x3e400000) return 1; // |x| < 2^-27: cos x rounds to 1
  const z = x * x;
  const r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  if (ix < 0x3fd33333) return 1 - (0.5 * z - (z * r - x * y)); // |x| < 0.3
  // 1 − x²/2 as (1 − q) − (x²/2 − q) with q about x²/4, whose two parts are exact: less rounding.
  const q = ix > 0x3fe90000 ? 0.28125 : fromHighWord(ix - 0x00200000);
  return 1 - q - (0.5 * z - q - (z * r - x * y));
}

/**
 * sin(x + y) for |x| ≤ π/4, y a correction below half an ulp of x. `reduced`: fdlibm's iy = 1,
 * the form with the correction, for reduced arguments (y = 0 included); sin of an argument that
 * needed no reduction takes the shorter form (iy = 0), which rounds differently.
 */
function kernelSin(x: number, y: number, reduced: boolean): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix < 0x3e400000) return x; // |x| < 2^-27: sin x rounds to x
  const z = x * x;
  const v = z * x;
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  if (!reduced) return x + v * (S1 + z * r);
  return x - (z * (0.5 * y - v * r) - y - v * S1);
}

// π/2 as sums of doubles with 33 significant bits each (so n·PIO2_k is exact for n ≤ 2^20),
// and the tail after each (fdlibm's e_rem_pio2.c).
const INV_PIO2 = 6.36619772367581382433e-1;
const PIO2_1 = 1.57079632673412561417;
const PIO2_1T = 6.07710050650619224932e-11;
const PIO2_2 = 6.07710050630396597660e-11;
const PIO2_2T = 2.02226624879595063154e-21;
const PIO2_3 = 2.02226624871116645580e-21;
const PIO2_3T = 8.47842766036889956997e-32;

/** High words of n·π/2 for n = 1..32: an x sharing one may cancel badly against n·π/2. */
const NPIO2_HIGH = [
  0x3ff921fb, 0x400921fb, 0x4012d97c, 0x401921fb, 0x401f6a7a, 0x4022d97c, 0x4025fdbb, 0x402921fb,
  0x402c463a, 0x402f6a7a, 0x4031475c, 0x4032d97c, 0x40346b9c, 0x4035fdbb, 0x40378fdb, 0x403921fb,
  0x403ab41b, 0x403c463a, 0x403dd85a, 0x403f6a7a, 0x40407e4c, 0x4041475c, 0x4042106c, 0x4042d97c,
  0x4043a28c, 0x40446b9c, 0x404534ac, 0x4045fdbb, 0x4046c6cb, 0x40478fdb, 0x404858eb, 0x404921fb,
];

/** The high word of the largest |x| reduced here: 2^20·π/2 (fdlibm's comment says 2^19; its constant is this). */
const MEDIUM_LIMIT_HIGH = 0x413921fb;

/**
 * x − n·π/2 = y0 + y1 (y1 below half an ulp of y0, |y0| ≤ π/4 about) for π/4 < |x| ≤ 2^20·π/2;
 * returns n. Cody–Waite: n·π/2 is subtracted in 33-bit pieces, a second or third piece only
 * where the first cancels most of x's bits.
 */
function remPio2(x: number, out: [number, number]): number {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  const sign = hx < 0 ? -1 : 1;
  const t0 = sign * x;
  if (ix < 0x4002d97c) {
    // |x| < 3π/4: n = ±1; x next to π/2 itself needs the second piece.
    const z = t0 - PIO2_1;
    if (ix !== 0x3ff921fb) {
      out[0] = z - PIO2_1T;
      out[1] = z - out[0] - PIO2_1T;
    } else {
      const z2 = z - PIO2_2;
      out[0] = z2 - PIO2_2T;
      out[1] = z2 - out[0] - PIO2_2T;
    }
    out[0] *= sign;
    out[1] *= sign;
    return sign;
  }
  const n = Math.trunc(t0 * INV_PIO2 + 0.5);
  let r = t0 - n * PIO2_1;
  let w = n * PIO2_1T; // r − w is good to about 85 bits
  out[0] = r - w;
  if (n >= 32 || ix === NPIO2_HIGH[n - 1]) {
    const j = ix >> 20;
    if (j - ((highWord(out[0]) >> 20) & 0x7ff) > 16) {
      // Cancelled more than 16 bits: subtract the next piece (good to about 118 bits).
      let t = r;
      w = n * PIO2_2;
      r = t - w;
      w = n * PIO2_2T - (t - r - w);
      out[0] = r - w;
      if (j - ((highWord(out[0]) >> 20) & 0x7ff) > 49) {
        // And the third (about 151 bits).
        t = r;
        w = n * PIO2_3;
        r = t - w;
        w = n * PIO2_3T - (t - r - w);
        out[0] = r - w;
      }
    }
  }
  out[1] = r - out[0] - w;
  out[0] *= sign;
  out[1] *= sign;
  return sign * n;
}

const reduced: [number, number] = [0, 0];
const REDUCED_NAMES: Record<string, string> = { portableCos: 'cosine', portableTan: 'tangent' };

/** The reduction of `fn`'s argument x (|x| > π/4), or its RangeError past the domain. */
function reduce(fn: string, x: number): number {
  if ((highWord(x) & 0x7fffffff) > MEDIUM_LIMIT_HIGH) {
    throw new RangeError(`${fn}: |x| = ${Math.abs(x)} is past 2^20·π/2 ≈ 1647099, the domain of this deterministic ${REDUCED_NAMES[fn] ?? 'sine'} (its argument reduction)`);
  }
  return remPio2(x, reduced);
}

/**
 * cos(x) with the same bits in every JavaScript engine: fdlibm's cosine (within 1 ulp, equal to
 * Node 20's Math.cos), in + − × ÷ only. For |x| ≤ 2^20·π/2 ≈ 1647099; NaN for NaN and ±Infinity;
 * a RangeError beyond (outside the argument reduction implemented here). Use it instead of
 * Math.cos where a result must replay bit for bit in Node and in browsers.
 */
export function portableCos(x: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelCos(x, 0); // |x| ≤ π/4
  if (ix >= 0x7ff00000) return NaN;
  const n = reduce('portableCos', x);
  const [y0, y1] = reduced;
  switch (n & 3) {
    case 0:
      return kernelCos(y0, y1);
    case 1:
      return -kernelSin(y0, y1, true);
    case 2:
      return -kernelCos(y0, y1);
    default:
      return kernelSin(y0, y1, true);
  }
}

/**
 * sin(x) with the same bits in every JavaScript engine: fdlibm's sine (within 1 ulp, equal to
 * Node 20's Math.sin), in + − × ÷ only. For |x| ≤ 2^20·π/2 ≈ 1647099; NaN for NaN and ±Infinity;
 * a RangeError beyond. Use it instead of Math.sin where a result must replay bit for bit.
 */
export function portableSin(x: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelSin(x, 0, false); // |x| ≤ π/4
  if (ix >= 0x7ff00000) return NaN;
  const n = reduce('portableSin', x);
  const [y0, y1] = reduced;
  switch (n & 3) {
    case 0:
      return kernelSin(y0, y1, true);
    case 1:
      return kernelCos(y0, y1);
    case 2:
      return -kernelSin(y0, y1, true);
    default:
      return -kernelCos(y0, y1);
  }
}

/**
 * [portableSin(x), portableCos(x)] into `out` with one argument reduction (the normal sampler
 * needs both; this saves a third of its time). Same bits as the two calls; same domain.
 */
export function portableSinCos(x: number, out: [number, number]): void {
  const ix = highWord(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) {
    out[0] = kernelSin(x, 0, false);
    out[1] = kernelCos(x, 0);
    return;
  }
  if (ix >= 0x7ff00000) {
    out[0] = out[1] = NaN;
    return;
  }
  const n = reduce('portableSinCos', x);
  const [y0, y1] = reduced;
  const sin = kernelSin(y0, y1, true);
  const cos = kernelCos(y0, y1);
  switch (n & 3) {
    case 0:
      out[0] = sin;
      out[1] = cos;
      return;
    case 1:
      out[0] = cos;
      out[1] = -sin;
      return;
    case 2:
      out[0] = -sin;
      out[1] = -cos;
      return;
    default:
      out[0] = -cos;
      out[1] = sin;
  }
}

// e_log.c: ln 2 split so that k·LN2_HI is exact for |k| < 2000, and the minimax polynomial of
// (log(1+s) − log(1−s) − 2s)/s on s² ≤ 0.0295 (2s = f − s·f, s = f/(2+f)).
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const TWO54 = 1.80143985094819840000e16;
const LG1 = 6.666666666666735130e-1;
const LG2 = 3.999999999940941908e-1;
const LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1;
const LG5 = 1.818357216161805012e-1;
const LG6 = 1.531383769920937332e-1;
const LG7 = 1.479819860511658591e-1;

/**
 * The natural logarithm with the same bits in every JavaScript engine: fdlibm's log (within 1
 * ulp, equal to Node 20's Math.log), in + − × ÷ only. Every double: −Infinity at ±0, NaN below 0
 * and at NaN, Infinity at Infinity. Use it instead of Math.log where a result must replay bit for
 * bit in Node and in browsers.
 */
export function portableLog(x: number): number {
  f64[0] = x;
  let hx = i32[HI]!;
  let k = 0;
  if (hx < 0x00100000) {
    // Zero, subnormal or negative.
    if (((hx & 0x7fffffff) | i32[LO]!) === 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= TWO54; // subnormal: scale into the normal range (exact)
    hx = highWord(x);
  }
  if (hx >= 0x7ff00000) return x + x; // Infinity or NaN
  // x = 2^e·(1 + f) with √2/2 < 1 + f < √2: the significand, or half of it (fdlibm writes it
  // into x's high word; scaling by 2^-e gives the same double, faster).
  let e = (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  e += i >> 20;
  k += e;
  const f = x * pow2(-e) - 1;
  const dk = k;
  if ((0x000fffff & (2 + hx)) < 3) {
    // −2^-20 ≤ f < 2^-20: two terms of the series.
    if (f === 0) return k === 0 ? 0 : dk * LN2_HI + dk * LN2_LO;
    const R = f * f * (0.5 - 0.33333333333333333 * f);
    return k === 0 ? f - R : dk * LN2_HI - (R - dk * LN2_LO - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const R = t2 + t1;
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    // |f| near its largest (1 + f in [1.38, √2) or [√2/2, 0.72]): f²/2 kept apart, for accuracy.
    const hfsq = 0.5 * f * f;
    return k === 0 ? f - (hfsq - s * (hfsq + R)) : dk * LN2_HI - (hfsq - (s * (hfsq + R) + dk * LN2_LO) - f);
  }
  return k === 0 ? f - s * (f - R) : dk * LN2_HI - (s * (f - R) - dk * LN2_LO - f);
}

// k_tan.c: tan x ≈ x + T0·x³ + … + T12·x²⁷ on [−0.6744, 0.6744]; beyond, tan(π/4 − x) is used.
const T = [
  3.33333333333334091986e-1, 1.33333333333201242699e-1, 5.39682539762260521377e-2, 2.18694882948595424599e-2,
  8.86323982359930005737e-3, 3.59207910759131235356e-3, 1.45620945432529025516e-3, 5.88041240820264096874e-4,
  2.46463134818469906812e-4, 7.81794442939557092300e-5, 7.14072491382608190305e-5, -1.85586374855275456654e-5,
  2.59073051863633712884e-5,
] as const;
const PIO4 = 7.85398163397448278999e-1;
const PIO4_LO = 3.06161699786838301793e-17;

/** x with its lower 32 bits set to zero. */
function clearLow(x: number): number {
  f64[0] = x;
  i32[LO] = 0;
  return f64[0]!;
}

/** −1/(x + r) = −1/w to within an ulp, through a 21-bit split of w and of −1/w (k_tan.c). */
function minusInverse(x: number, r: number, w: number): number {
  const z = clearLow(w);
  const v = r - (z - x); // z + v = r + x
  const a = -1 / w;
  const t = clearLow(a);
  const s = 1 + t * z;
  return t + a * (s + t * v);
}

/** tan(x + y) (odd: true) or −1/tan(x + y) (false) for |x| ≤ π/4, y a correction below half an ulp of x. */
function kernelTan(x: number, y: number, odd: boolean): number {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix < 0x3e300000) {
    // |x| < 2^-28
    if (odd) return x;
    if ((ix | lowWordOf(x)) === 0) return 1 / Math.abs(x);
    return minusInverse(x, y, x + y);
  }
  const big = ix >= 0x3fe59428; // |x| ≥ 0.6744
  if (big) {
    if (hx < 0) {
      x = -x;
      y = -y;
    }
    x = PIO4 - x + (PIO4_LO - y);
    y = 0;
  }
  const z = x * x;
  const w = z * z;
  // x⁵·(T1 + x⁴·T3 + …) + x⁵·x²·(T2 + x⁴·T4 + …): two halves, for accuracy.
  let r = T[1] + w * (T[3] + w * (T[5] + w * (T[7] + w * (T[9] + w * T[11]))));
  const v = z * (T[2] + w * (T[4] + w * (T[6] + w * (T[8] + w * (T[10] + w * T[12])))));
  const s = z * x;
  r = y + z * (s * (r + v) + y);
  r += T[0] * s;
  const sum = x + r;
  if (big) {
    const iy = odd ? 1 : -1;
    return (1 - ((hx >> 30) & 2)) * (iy - 2 * (x - ((sum * sum) / (sum + iy) - r)));
  }
  return odd ? sum : minusInverse(x, r, sum);
}

/** The lower 32 bits of x's encoding. */
function lowWordOf(x: number): number {
  f64[0] = x;
  return i32[LO]!;
}

/**
 * tan x with the same bits in every JavaScript engine: fdlibm's tangent (within 1 ulp, equal to
 * Node 20's Math.tan), in + − × ÷ only. For |x| ≤ 2^20·π/2 ≈ 1647099 (degrees turned into
 * radians, shear angles); NaN for NaN and ±Infinity; a RangeError beyond.
 */
export function portableTan(x: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelTan(x, 0, true); // |x| ≤ π/4
  if (ix >= 0x7ff00000) return NaN;
  const n = reduce('portableTan', x);
  return kernelTan(reduced[0], reduced[1], (n & 1) === 0);
}

// e_log2.c: 1/ln 2 split in a 33-bit head and its tail.
const IVLN2_HI = 1.44269504072144627571;
const IVLN2_LO = 1.67517131648865118353e-10;

/**
 * log₂ x with the same bits in every JavaScript engine: FreeBSD msun's log2 as V8 has it (within
 * 1 ulp, exact at powers of 2, equal to Node 20's Math.log2), in + − × ÷ only. Every double:
 * −Infinity at ±0, NaN below 0 and at NaN, Infinity at Infinity.
 */
export function portableLog2(x: number): number {
  f64[0] = x;
  let hx = i32[HI]!;
  const lx = i32[LO]!;
  let k = 0;
  if (hx < 0x00100000) {
    // Zero, subnormal or negative.
    if (((hx & 0x7fffffff) | lx) === 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= TWO54;
    hx = highWord(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  if (hx === 0x3ff00000 && lx === 0) return 0;
  let e = (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  e += i >> 20;
  k += e;
  const f = x * pow2(-e) - 1; // x or x/2 scaled into [√2/2, √2) (portableLog's way)
  const hfsq = 0.5 * f * f;
  // k_log1p: log(1 + f) − f + f²/2 = s·(f²/2 + R(s²)).
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const r = s * (hfsq + (z * (LG1 + w * (LG3 + w * (LG5 + w * LG7))) + w * (LG2 + w * (LG4 + w * LG6))));
  // (f − f²/2) in a 21-bit head and a tail, each times 1/ln 2 in parts, then k added exactly.
  const hi = clearLow(f - hfsq);
  const lo = f - hi - hfsq + r;
  let valHi = hi * IVLN2_HI;
  let valLo = (lo + hi) * IVLN2_LO + lo * IVLN2_HI;
  const sum = k + valHi;
  valLo += k - sum + valHi;
  valHi = sum;
  return valLo + valHi;
}
