// A cosine with the same bits in every JavaScript engine, for the learning-rate schedules.
// Math.cos is implementation-defined: Node 20's V8 uses fdlibm, Chromium's V8 a port of glibc's,
// and the two round some inputs differently in the last bit, so a schedule would give a page
// other learning rates than Node. This is fdlibm 5.3's cos (e_rem_pio2's reduction for moderate
// arguments, then __kernel_cos or __kernel_sin) written with + − × ÷ only (besides exact bit
// reads and truncation), which IEEE 754 rounds the same way everywhere; within 1 ulp of the true
// cosine, and equal to Node 20's Math.cos. Domain: |x| ≤ 2^20·π/2 ≈ 1647099 (the schedules'
// arguments are π·epoch/tMax and π·pct); beyond, the reduction would need 2/π to ~1100 bits
// (__kernel_rem_pio2), and cos throws.

const view = new DataView(new ArrayBuffer(8));

/** The upper 32 bits of x's IEEE 754 encoding (sign, exponent, top 20 bits of the significand). */
function highWord(x: number): number {
  view.setFloat64(0, x);
  return view.getInt32(0);
}

/** The double whose upper 32 bits are `high` and lower 32 bits are zero. */
function fromHighWord(high: number): number {
  view.setInt32(0, high);
  view.setInt32(4, 0);
  return view.getFloat64(0);
}

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
 * sin(x + y) for |x| ≤ π/4, y a correction below half an ulp of x: fdlibm's form with a
 * correction (iy = 1), which cos uses for every reduced argument, y = 0 included.
 */
function kernelSin(x: number, y: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix < 0x3e400000) return x; // |x| < 2^-27: sin x rounds to x
  const z = x * x;
  const v = z * x;
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
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

/**
 * cos(x) with the same bits in every engine (fdlibm's, within 1 ulp), for |x| ≤ 2^20·π/2 ≈ 1647099;
 * NaN for NaN and ±Infinity; a RangeError beyond (outside the reduction implemented here).
 */
export function cos(x: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelCos(x, 0); // |x| ≤ π/4
  if (ix >= 0x7ff00000) return NaN;
  if (ix > MEDIUM_LIMIT_HIGH) {
    throw new RangeError(`cos: |x| = ${Math.abs(x)} is past 2^20·π/2 ≈ 1647099, the domain of this deterministic cosine (a schedule's π·epoch / tMax there means epoch > 524288·tMax)`);
  }
  const n = remPio2(x, reduced);
  const [y0, y1] = reduced;
  switch (n & 3) {
    case 0:
      return kernelCos(y0, y1);
    case 1:
      return -kernelSin(y0, y1);
    case 2:
      return -kernelCos(y0, y1);
    default:
      return kernelSin(y0, y1);
  }
}
