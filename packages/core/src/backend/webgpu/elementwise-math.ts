// WGSL functions shared by the elementwise shaders (elementwise.ts): float32 versions of the CPU
// kernels' elementary functions (backend/cpu/elementwise.ts, activation.ts, erf.ts), written out
// instead of WGSL's builtins because those are not correctly rounded and leave edge cases open:
// exp's error grows as 3 + 2|x| ulp, log has only 2⁻²¹ absolute accuracy near 1, tanh is inherited
// from sinh/cosh (cancels near 0, may overflow to NaN for large |x|), pow is undefined for x < 0,
// and an implementation "may assume that NaNs and infinities are not present", so NaN and ±∞ are
// tested by their bits and every special value the CPU defines is returned by an explicit branch.
// Each function here is within a few float32 ulp of the CPU's float64 result (rounded to float32)
// except where its comment says otherwise. Denormals: a GPU may flush float32 denormals to zero
// (inputs and results), where the CPU keeps them; no test relies on denormals.

/** The shared WGSL prelude (every elementwise shader includes it; unused functions cost nothing). */
export const ELEMENTWISE_WGSL = /* wgsl */ `
fn isNan(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }
fn isInfinite(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) == 0x7f800000u; }
// Read from private variables: WGSL refuses ∞ and NaN as constant expressions.
var<private> INFINITY_BITS: u32 = 0x7f800000u;
var<private> NAN_BITS: u32 = 0x7fc00000u;
fn infinity() -> f32 { return bitcast<f32>(INFINITY_BITS); }
fn nanValue() -> f32 { return bitcast<f32>(NAN_BITS); }
/** |m| with the sign bit of s. */
fn withSignOf(m: f32, s: f32) -> f32 {
  return bitcast<f32>((bitcast<u32>(m) & 0x7fffffffu) | (bitcast<u32>(s) & 0x80000000u));
}

// Comparisons of a float32 v with a float64 parameter d = hi + lo (hi = fround(d), lo's sign is
// the sign of d - hi): exact, as the CPU compares in float64. NaN compares false.
fn gtD(v: f32, hi: f32, lo: f32) -> bool { return v > hi || (v == hi && lo < 0.0); }
fn geD(v: f32, hi: f32, lo: f32) -> bool { return v > hi || (v == hi && lo <= 0.0); }
fn ltD(v: f32, hi: f32, lo: f32) -> bool { return v < hi || (v == hi && lo > 0.0); }
fn leD(v: f32, hi: f32, lo: f32) -> bool { return v < hi || (v == hi && lo >= 0.0); }
/** Math.max(v, d) rounded to float32: NaN if either is NaN, max(-0, +0) = +0. */
fn jsMaxD(v: f32, hi: f32, lo: f32) -> f32 {
  if (isNan(v) || isNan(hi)) { return nanValue(); }
  if (gtD(v, hi, lo)) { return v; }
  if (ltD(v, hi, lo)) { return hi; }
  return bitcast<f32>(bitcast<u32>(v) & bitcast<u32>(hi));
}
/** Math.min(v, d) rounded to float32: NaN if either is NaN, min(-0, +0) = -0. */
fn jsMinD(v: f32, hi: f32, lo: f32) -> f32 {
  if (isNan(v) || isNan(hi)) { return nanValue(); }
  if (ltD(v, hi, lo)) { return v; }
  if (gtD(v, hi, lo)) { return hi; }
  return bitcast<f32>(bitcast<u32>(v) | bitcast<u32>(hi));
}

/** Three-way comparison of an int32 with a float32, exact (as the CPU's float64): -1, 0, 1, or 2 when y is NaN. */
fn cmpIF(x: i32, y: f32) -> i32 {
  if (isNan(y)) { return 2; }
  // f32(x) is one of the two float32 neighbours of x, so a strict order of f32(x) and y is x's.
  let h = f32(x);
  if (h < y) { return -1; }
  if (h > y) { return 1; }
  // y = h is an integer in [-2^31, 2^31]: compare in int32.
  if (y >= 2147483648.0) { return -1; }
  let yi = i32(y);
  return select(select(0, 1, x > yi), -1, x < yi);
}
fn cmpFI(x: f32, y: i32) -> i32 {
  let c = cmpIF(y, x);
  return select(-c, 2, c == 2);
}

/** ECMAScript ToInt32 of a float32 (what storing a number into an Int32Array does): NaN, ±∞ -> 0, truncation, modulo 2^32. */
fn toInt32(v: f32) -> i32 {
  let bits = bitcast<u32>(v);
  let e = i32((bits >> 23u) & 0xffu) - 127;
  if (e < 0 || e == 128) { return 0; }
  if (e < 31) { return i32(v); }
  // |v| >= 2^31 is m·2^(e-23) with m the 24-bit significand: shift it modulo 2^32.
  let shift = u32(e - 23);
  let m = select(((bits & 0x7fffffu) | 0x800000u) << (shift & 31u), 0u, shift >= 32u);
  return bitcast<i32>(select(m, 0u - m, (bits >> 31u) != 0u));
}

// e^v: v = k·ln2 + r (Cody-Waite: ln2's high part has 16 bits, so k·LN2_HI and v - k·LN2_HI are
// exact), e^r by its degree-7 Taylor polynomial on |r| <= ln2/2 (remainder < 0.05 ulp), times 2^k
// in two exact steps (2^128 alone is not a float32).
fn expF(v: f32) -> f32 {
  if (isNan(v)) { return v; }
  if (v > 88.72283) { return infinity(); }
  if (v < -104.0) { return 0.0; }
  let k = round(v * 1.4426950408889634);
  let r = (v - k * 0.693145751953125) - k * 1.4286068203094173e-6;
  let q = 1.0 + r * (1.0 + r * (0.5 + r * (0.16666666666666666 + r * (0.041666666666666664
    + r * (0.008333333333333333 + r * (0.001388888888888889 + r * 0.0001984126984126984))))));
  let ki = i32(k);
  let h = ki / 2;
  return ldexp(ldexp(q, h), ki - h);
}

/** e^v - 1, accurate near 0 (degree-9 Taylor polynomial for |v| < 0.5; beyond, |e^v - 1| >= 0.39 and the subtraction costs < 2 bits). */
fn expm1F(v: f32) -> f32 {
  if (abs(v) < 0.5) {
    return v * (1.0 + v * (0.5 + v * (0.16666666666666666 + v * (0.041666666666666664 + v * (0.008333333333333333
      + v * (0.001388888888888889 + v * (0.0001984126984126984 + v * (2.48015873015873e-5 + v * 2.7557319223985893e-6))))))));
  }
  return expF(v) - 1.0;
}

/** 2·atanh(s) = log((1 + s)/(1 - s)) for |s| <= 0.18: its odd series (remainder < 1e-9 relative). */
fn logSeries(s: f32) -> f32 {
  let z = s * s;
  return 2.0 * s * (1.0 + z * (0.3333333333333333 + z * (0.2 + z * (0.14285714285714285 + z * (0.1111111111111111 + z * 0.09090909090909091)))));
}

// ln v: v = m·2^e with m in [√½, √2) (from the bits), ln v = e·ln2 + 2·atanh((m - 1)/(m + 1)).
// NaN and v < 0 give NaN, ±0 gives -∞, +∞ gives +∞ (the CPU's portableLog).
fn logF(v: f32) -> f32 {
  if (isNan(v)) { return v; }
  if (v < 0.0) { return nanValue(); }
  if (v == 0.0) { return -infinity(); }
  if (isInfinite(v)) { return v; }
  var x = v;
  var e = 0;
  if (x < 1.1754943508222875e-38) { x = x * 16777216.0; e = -24; }
  let bits = bitcast<u32>(x);
  e = e + i32(bits >> 23u) - 127;
  var m = bitcast<f32>((bits & 0x7fffffu) | 0x3f800000u);
  if (m > 1.4142135623730951) { m = m * 0.5; e = e + 1; }
  let fe = f32(e);
  return fe * 0.693145751953125 + (logSeries((m - 1.0) / (m + 1.0)) + fe * 1.4286068203094173e-6);
}

/** ln(1 + t), accurate near 0 (t = -0 gives -0, -1 gives -∞, t < -1 NaN, +∞ +∞). */
fn log1pF(t: f32) -> f32 {
  if (abs(t) < 0.25) { return logSeries(t / (2.0 + t)); }
  return logF(1.0 + t);
}

/** tanh v = sign(v)·e/(e + 2) with e = e^{2|v|} - 1; ±1 beyond |v| = 9.1 (where float32 tanh rounds to ±1); -0 kept. */
fn tanhF(v: f32) -> f32 {
  if (isNan(v)) { return v; }
  let a = abs(v);
  if (a > 9.1) { return withSignOf(1.0, v); }
  let e = expm1F(2.0 * a);
  return withSignOf(e / (e + 2.0), v);
}

/** σ(v) without overflow (the CPU's sigmoidOf: e^{-|v|} only). */
fn sigmoidF(v: f32) -> f32 {
  if (v >= 0.0) { return 1.0 / (1.0 + expF(-v)); }
  let e = expF(v);
  return e / (1.0 + e);
}

/** log(1 + e^v) = max(v, 0) + log1p(e^{-|v|}) (the CPU's softplusOf; NaN stays NaN). */
fn softplusF(v: f32) -> f32 {
  return select(0.0, v, v > 0.0 || isNan(v)) + log1pF(expF(-abs(v)));
}

/**
 * e^{-s·x²} for s = 1 or ½ (exact scalings), with x² split as xh² + (x - xh)(x + xh), xh = x's top
 * 12 bits (xh² exact): the rounding of x² does not reach the exponent, where it would cost up to
 * 2x²·2⁻²⁴ relative (6e-6 at x = 7).
 */
fn expNegSquare(x: f32, s: f32) -> f32 {
  if (isInfinite(x)) { return 0.0; }
  let xh = bitcast<f32>(bitcast<u32>(x) & 0xfffff000u);
  return expF(-(xh * xh) * s) * expF(-((x - xh) * (x + xh)) * s);
}

/** Σ 2ⁿ x^{2n+1} / (1·3···(2n+1)) for 0 <= x <= 2.5: erf(x) = 2/√π · e^{-x²} · this (the CPU's erfSeries: positive terms, no cancellation). */
fn erfSeriesSum(x: f32) -> f32 {
  let x2 = x * x;
  var term = x;
  var sum = x;
  for (var n = 1; n < 64; n++) {
    term = term * ((2.0 * x2) / f32(2 * n + 1));
    sum = sum + term;
    if (term < sum * 1e-8) { break; }
  }
  return sum;
}

/**
 * erfc(a) for a >= 0 given e = e^{-a²}: Numerical Recipes' erfcc (Chebyshev fit, relative error
 * < 1.1e-7 for every a >= 0, checked against the CPU's float64 erfc). The CPU's series and
 * continued fraction are not used here: 1 - erf cancels (x28 at a = 1.5) in float32, and the
 * fraction needs up to 200 terms.
 */
fn erfcPositive(a: f32, e: f32) -> f32 {
  let t = 1.0 / (1.0 + 0.5 * a);
  let poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return t * e * expF(poly);
}

fn erfF(x: f32) -> f32 {
  if (isNan(x)) { return x; }
  let a = abs(x);
  if (a <= 2.5) { return withSignOf(1.1283791670955126 * expNegSquare(a, 1.0) * erfSeriesSum(a), x); }
  return withSignOf(1.0 - erfcPositive(a, expNegSquare(a, 1.0)), x);
}

/**
 * Φ(v) = erfc(-v/√2)/2 (erfc(-x) = 2 - erfc(x)), accurate in the left tail. e^{-v²/2} is taken
 * from v itself, not from the rounded v/√2.
 */
fn normalCdfF(v: f32) -> f32 {
  if (isNan(v)) { return v; }
  let r = erfcPositive(abs(v) * 0.7071067811865476, expNegSquare(v, 0.5));
  return 0.5 * select(r, 2.0 - r, v > 0.0);
}

/** min(max(t, 0), 6) as std::min(std::max(t, 0), 6): NaN stays NaN. */
fn clamp06(t: f32) -> f32 {
  // The explicit NaN test: Mesa's compiler turns the selects into min/max, which drop NaN.
  if (isNan(t)) { return t; }
  return select(select(t, 6.0, t > 6.0), 0.0, t < 0.0);
}

/**
 * x^y as ECMAScript's Math.pow (the CPU's portablePow): y NaN -> NaN, y = ±0 -> 1, |x| = 1 with
 * y = ±∞ -> NaN, x < 0 only for integer y. integer and odd describe y's exact value (an int32
 * exponent's parity survives where its float32 rounding would lose it). Finite, non-zero results
 * come from WGSL's pow(|x|, y) = exp2(y·log2|x|), relative error ~|y·log2|x||·2⁻²³.
 */
fn powParity(x: f32, y: f32, integer: bool, odd: bool) -> f32 {
  if (isNan(y)) { return y; }
  if (y == 0.0) { return 1.0; }
  if (isNan(x)) { return x; }
  let ax = abs(x);
  if (isInfinite(y)) {
    if (ax == 1.0) { return nanValue(); }
    return select(0.0, infinity(), (ax > 1.0) == (y > 0.0));
  }
  if (ax == 0.0 || isInfinite(x)) {
    // ±0 and ±∞: 0 or ∞ by the sign of y (0^y and ∞^-y alike), the sign of x for odd y.
    let m = select(0.0, infinity(), (ax == 0.0) == (y < 0.0));
    return select(m, withSignOf(m, x), odd);
  }
  if (x < 0.0 && !integer) { return nanValue(); }
  let r = pow(ax, y);
  return select(r, -r, x < 0.0 && odd);
}

fn powF(x: f32, y: f32) -> f32 {
  let integer = floor(y) == y;
  // Float32 integers from 2^24 up are even.
  return powParity(x, y, integer, integer && abs(y) < 16777216.0 && (i32(abs(y)) & 1) == 1);
}

fn powFI(x: f32, y: i32) -> f32 { return powParity(x, f32(y), true, (y & 1) != 0); }

/** An int32 as float32 hi + lo (hi = f32(x), lo exact): sums with it cancel as the CPU's exact ones do. */
fn splitI(x: i32) -> vec2<f32> {
  let hi = f32(x);
  if (hi >= 2147483648.0) { return vec2<f32>(hi, f32(x - 2147483647) - 1.0); }
  return vec2<f32>(hi, f32(x - i32(hi)));
}

/** x / y, scaled when |y| > 2^126 (WGSL's 2.5 ulp division holds only for |y| in [2^-126, 2^126]). */
fn divF(x: f32, y: f32) -> f32 {
  if (abs(y) > 8.507059e37 && !isInfinite(y)) { return (x * 0.25) / (y * 0.25); }
  return x / y;
}
`;
