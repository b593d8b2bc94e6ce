// A double's two 32-bit halves, read and written through one buffer, for the fdlibm ports
// (portable-math.ts, portable-exp.ts, portable-pow.ts): fdlibm branches on and edits these words.
// Which index holds the high half follows the platform's byte order (typed arrays use it;
// DataView's explicit order is slower here).

/** The buffer's double; `words[HI]`, `words[LO]` are its halves as int32. */
export const f64 = new Float64Array(1);
export const words = new Int32Array(f64.buffer);
export const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
export const LO = 1 - HI;

/** The upper 32 bits of x's IEEE 754 encoding (sign, exponent, top 20 bits of the significand), as int32. */
export function highWord(x: number): number {
  f64[0] = x;
  return words[HI]!;
}

/** The lower 32 bits of x's IEEE 754 encoding, as int32. */
export function lowWord(x: number): number {
  f64[0] = x;
  return words[LO]!;
}

/** The double whose upper 32 bits are `high` and lower 32 bits are zero. */
export function fromHighWord(high: number): number {
  words[HI] = high;
  words[LO] = 0;
  return f64[0]!;
}

/** x with its lower 32 bits set to zero (fdlibm's SET_LOW_WORD(x, 0): x's leading 21 significant bits). */
export function clearLowWord(x: number): number {
  f64[0] = x;
  words[LO] = 0;
  return f64[0]!;
}

/** x with its upper 32 bits replaced by `high` (fdlibm's SET_HIGH_WORD). */
export function withHighWord(x: number, high: number): number {
  f64[0] = x;
  words[HI] = high;
  return f64[0]!;
}

// 2^k for every k with an exact double, k = −1074…1023 (built by exact doublings and halvings):
// multiplying by it scales without rounding wherever the product is normal, which is what the
// fdlibm ports' exponent edits do, without writing a word and reading the double back (a store
// the CPU cannot forward to that load: most of a port's time, measured).
const POW2 = new Float64Array(1074 + 1024);
for (let k = 0, p = 1; k <= 1023; k++, p *= 2) POW2[k + 1074] = p;
for (let k = 0, p = 1; k >= -1074; k--, p /= 2) POW2[k + 1074] = p;

/** 2^k, exactly, for integer k from −1074 to 1023. */
export function pow2(k: number): number {
  return POW2[k + 1074]!;
}
