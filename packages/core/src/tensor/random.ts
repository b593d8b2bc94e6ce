// A small, fast, seedable generator (xoshiro128**, seeded through splitmix32) so runs replay
// exactly across machines and JavaScript engines: Math.random cannot be seeded.
import { ArgumentError } from '../errors.js';
import { portableLog, portableSinCos } from './portable-math.js';

function splitmix32(state: number): [number, number] {
  state = (state + 0x9e3779b9) | 0;
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [state, (z ^ (z >>> 16)) >>> 0];
}

/**
 * A seedable random number generator (xoshiro128**, as `torch.Generator`): the same seed gives the
 * same stream on every machine and JavaScript engine. `rand`, `randn`, dropout and the data
 * loader draw from one (`defaultGenerator` unless given).
 */
export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal: number | null = null;

  /** `seed`: an integer with |seed| <= 2^53-1 (see manualSeed). */
  constructor(seed = 0) {
    checkSeed('Generator', seed);
    this.manualSeed(seed);
  }

  /**
   * Restarts the stream from `seed`: any integer with |seed| <= 2^53-1 (negative ones too, as
   * PyTorch's manual_seed accepts). NaN, ±Infinity, fractions and larger magnitudes throw: they
   * used to be floored or wrapped silently, so `NaN` drew the stream of 0 and 1.5 that of 1.
   */
  manualSeed(seed: number): this {
    checkSeed('Generator.manualSeed', seed);
    let st = Math.floor(seed) | 0;
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [next, out] = splitmix32(st ^ Math.floor(seed / 4294967296));
      st = next;
      words.push(out);
    }
    [this.s0, this.s1, this.s2, this.s3] = words as [number, number, number, number];
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    this.spareNormal = null;
    return this;
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /**
   * Fills `out` with uniform 32-bit unsigned integers: the same stream as repeated nextUint32,
   * with the state held in locals for the loop.
   */
  fillUint32(out: Uint32Array): Uint32Array {
    let s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    for (let i = 0; i < out.length; i++) {
      out[i] = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    return out;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [low, high). */
  uniform(low = 0, high = 1): number {
    if (!(Number.isFinite(low) && Number.isFinite(high) && low <= high)) {
      throw new ArgumentError(`Generator.uniform: need finite low <= high, got low ${low}, high ${high}`);
    }
    return low + (high - low) * this.random();
  }

  /** Uniform integer in [low, high). */
  randint(low: number, high: number): number {
    if (!(Number.isSafeInteger(low) && Number.isSafeInteger(high) && low < high)) {
      throw new ArgumentError(`Generator.randint: need integers low < high, got low ${low}, high ${high}`);
    }
    return low + Math.floor(this.random() * (high - low));
  }

  /**
   * Normal (Box-Muller; the second value is kept for the next call). Its log, sin and cos are
   * portableLog and portableSinCos, not Math's, whose last bits differ between engines (with
   * Math's, Chromium 156 and Node 20 drew other bits for about 6% of values); they equal Node's
   * Math.log, Math.sin and Math.cos, so the stream is the one it always was in Node.
   */
  normal(mean = 0, std = 1): number {
    // Compared only when given, so randn's per-element draws with the defaults skip it.
    if ((mean !== 0 || std !== 1) && !(Number.isFinite(mean) && Number.isFinite(std) && std >= 0)) {
      throw new ArgumentError(`Generator.normal: need a finite mean and a finite std >= 0, got mean ${mean}, std ${std}`);
    }
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + std * z;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * portableLog(u)); // engines use the CPU's IEEE 754 square root: correctly rounded
    portableSinCos(2 * Math.PI * v, sinCos);
    this.spareNormal = r * sinCos[0];
    return mean + std * r * sinCos[1];
  }

  /** In-place Fisher-Yates shuffle. */
  shuffle<T>(items: T[] | Int32Array | Uint32Array): typeof items {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    if (!(Number.isInteger(n) && n >= 0 && n <= 2 ** 31 - 1)) throw new ArgumentError(`Generator.permutation: n must be an integer from 0 to 2^31-1, got ${n}`);
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p) as Int32Array;
  }

  /**
   * Snapshot of the full state, for checkpoints that must resume exactly: the 4 state words,
   * then the cached second normal draw when there is one. Plain finite numbers, so JSON keeps it.
   */
  getState(): number[] {
    const words = [this.s0, this.s1, this.s2, this.s3];
    return this.spareNormal === null ? words : [...words, this.spareNormal];
  }

  /**
   * Restores getState(). Also takes the 5-entry form of earlier versions, whose last entry was
   * NaN (null after JSON) when no normal draw was cached.
   */
  setState(state: readonly (number | null)[]): this {
    const spare = state?.[4];
    if (
      !Array.isArray(state) || (state.length !== 4 && state.length !== 5) || !state.slice(0, 4).every(Number.isInteger) ||
      state.slice(0, 4).every((v) => v === 0) || !(spare === undefined || typeof spare === 'number' || spare === null)
    ) {
      throw new ArgumentError(
        `Generator.setState: state must be what getState() returned (4 integers, not all 0, then optionally a number), got ${JSON.stringify(state)}`,
      );
    }
    [this.s0, this.s1, this.s2, this.s3] = (state as number[]).slice(0, 4).map((v) => v | 0) as [number, number, number, number];
    this.spareNormal = spare === undefined || spare === null || Number.isNaN(spare) ? null : spare;
    return this;
  }
}

/** normal()'s [sin, cos] of its angle. */
const sinCos: [number, number] = [0, 0];

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The generator used when a creation function is not given one. */
export const defaultGenerator = new Generator(0);

/** Seeds the default generator (PyTorch's torch.manual_seed); seed as in Generator.manualSeed. */
export function manualSeed(seed: number): void {
  checkSeed('manualSeed', seed);
  defaultGenerator.manualSeed(seed);
}

function checkSeed(fn: string, seed: unknown): void {
  if (typeof seed === 'number' && Number.isSafeInteger(seed)) return;
  const got = typeof seed === 'number' ? String(seed) : typeof seed === 'bigint' ? `the bigint ${seed}n (pass a number)` : typeof seed;
  throw new ArgumentError(`${fn}: seed must be an integer from -(2^53-1) to 2^53-1, got ${got}`);
}
