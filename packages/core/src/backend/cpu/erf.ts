// erf and erfc in float64 to a few ulp: a series of positive terms near 0 (no cancellation)
// and a continued fraction for the tail (erfc stays accurate where erf rounds to ±1).

import { portableExp } from '../../tensor/portable-exp.js';

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const ONE_OVER_SQRT_PI = 0.5641895835477563;
const SERIES_LIMIT = 2.5;
/** erfc switches to the continued fraction earlier: 1 − erf would cancel. */
const ERFC_FRACTION_FROM = 1.5;

/** erf(x) = 2/√π · e^{-x²} · Σ 2ⁿ x^{2n+1} / (1·3···(2n+1)) for |x| ≤ 2.5. */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * portableExp(-x2) * sum;
}

/** erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) for x ≥ 1.5, evaluated bottom-up. */
function erfcFraction(x: number): number {
  const terms = Math.ceil(20 + 400 / (x * x));
  let t = x;
  for (let n = terms; n >= 1; n--) t = x + n / 2 / t;
  return (portableExp(-x * x) * ONE_OVER_SQRT_PI) / t;
}

export function erf(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  if (a <= SERIES_LIMIT) return Math.sign(x) * erfSeries(a);
  const r = 1 - erfcFraction(a);
  return x < 0 ? -r : r;
}

export function erfc(x: number): number {
  if (x !== x) return x;
  if (x < 0) return 2 - erfc(-x);
  return x < ERFC_FRACTION_FROM ? 1 - erfSeries(x) : erfcFraction(x);
}
