// Python's float formatting ('{:.4f}', '{:.4e}'), which PyTorch's tensor repr uses: the exact
// binary value rounded half to even. JavaScript's toFixed/toExponential round exact ties up
// (0.03125 → '0.0313' where Python prints '0.0312') and switch to exponents from 1e21, so the
// digits are computed here on the exact value with BigInt.

/** |x| = m · 2^e exactly, and the sign bit (so -0 is negative). */
function decompose(x: number): { negative: boolean; m: bigint; e: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  return biased === 0
    ? { negative: hi >>> 31 === 1, m: fraction, e: -1074 }
    : { negative: hi >>> 31 === 1, m: fraction | (1n << 52n), e: biased - 1075 };
}

/** num/den rounded to an integer, ties to even. */
function roundHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den;
  const twice = 2n * (num - q * den);
  return twice > den || (twice === den && (q & 1n) === 1n) ? q + 1n : q;
}

/** |x| as the fraction num/den (den a power of two). */
function fraction(m: bigint, e: number): [bigint, bigint] {
  return e >= 0 ? [m << BigInt(e), 1n] : [m, 1n << BigInt(-e)];
}

function nonFinite(x: number): string {
  return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
}

/** Python's '{:.{precision}f}'.format(x). */
export function formatFixed(x: number, precision: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  const { negative, m, e } = decompose(x);
  const [num, den] = fraction(m * 10n ** BigInt(precision), e);
  const digits = roundHalfEven(num, den).toString().padStart(precision + 1, '0');
  const body = precision === 0 ? digits : `${digits.slice(0, -precision)}.${digits.slice(-precision)}`;
  return negative ? `-${body}` : body;
}

/** Python's '{:.{precision}e}'.format(x): d.ddde±XX, at least two exponent digits. */
export function formatExponential(x: number, precision: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  const { negative, m, e } = decompose(x);
  let exponent = 0;
  let digits = 0n;
  if (m !== 0n) {
    const [num, den] = fraction(m, e);
    // exponent = floor(log10|x|), estimated in floating point and then made exact.
    exponent = Math.floor(Math.log10(Math.abs(x)));
    const atLeastPowerOfTen = (k: number): boolean => (k >= 0 ? num >= den * 10n ** BigInt(k) : num * 10n ** BigInt(-k) >= den);
    while (!atLeastPowerOfTen(exponent)) exponent--;
    while (atLeastPowerOfTen(exponent + 1)) exponent++;
    const shift = precision - exponent;
    digits = shift >= 0 ? roundHalfEven(num * 10n ** BigInt(shift), den) : roundHalfEven(num, den * 10n ** BigInt(-shift));
    // 9.99995 at precision 4 rounds to 10.0000: one more decade, mantissa 1.0000.
    if (digits === 10n ** BigInt(precision + 1)) {
      digits = 10n ** BigInt(precision);
      exponent++;
    }
  }
  const s = digits.toString().padStart(precision + 1, '0');
  const mantissa = precision === 0 ? s : `${s[0]}.${s.slice(1)}`;
  const exp = `e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  return `${negative ? '-' : ''}${mantissa}${exp}`;
}
