// The wasm row sums give exactly the TypeScript reduction's bits (±0, ±∞, NaNs with payloads, row
// counts that are not multiples of 8, chunks of rows, blocks that add into the same outputs), and
// a NaN that a sum creates (∞ + −∞) is +NaN (0x7fc00000) on every platform.
import { expect } from 'chai';
import { Generator } from '../../../tensor/random.js';
import { reduceInto, sumInto } from '../reduce.js';
import { wasmAvailable } from './runtime.js';

/** Random float32 values with special values mixed in (as raw bits). */
function values(n: number, seed: number, specials: boolean): Float32Array {
  const rng = new Generator(seed);
  const bits = new Uint32Array(n);
  const special = [0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc12345, 0xffc12345, 0x00000001, 0x7f7fffff];
  const f = new Float32Array(bits.buffer);
  for (let i = 0; i < n; i++) {
    if (specials && rng.uniform(0, 1) < 0.004) bits[i] = special[rng.randint(0, special.length)]!;
    else f[i] = rng.normal(0, 3);
  }
  return f;
}

const bitsOf = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

describe('sum over dims in WebAssembly equals the TypeScript loop bit for bit', function () {
  before(function () {
    if (!wasmAvailable()) this.skip();
  });

  it('per-channel, spatial, interleaved and long-row reductions, with and without special values', () => {
    const cases: [number[], number[]][] = [
      [[6, 40, 7, 7], [0, 2, 3]], // [N, C, H·W] over N and H·W: blocks of C rows adding into the same outputs
      [[4, 9, 33, 5], [2, 3]], // [N·C, H·W] over H·W: one block of 36 rows (not a multiple of 8)
      [[3, 5, 8, 130], [1, 3]], // kept, reduced, kept, reduced
      [[2, 3000], [1]], // long rows
      [[1000, 20], [1]], // many short rows: several chunks
      [[7, 600], [1]],
    ];
    let createdNaN = 0;
    for (const [k, [shape, dims]] of cases.entries()) {
      for (const specials of [false, true]) {
        const x = values(shape.reduce((p, q) => p * q, 1), 10 * k + (specials ? 1 : 0), specials);
        const outLength = shape.filter((_, i) => !dims.includes(i)).reduce((p, q) => p * q, 1);
        const [fast, loop, rule] = [new Float32Array(outLength), new Float32Array(outLength), new Float32Array(outLength)];
        sumInto(x, shape, dims, fast);
        reduceInto(x, shape, dims, loop, 'sum');
        // The loop's adds, a NaN made from two non-NaN operands being +NaN.
        reduceInto(x, shape, dims, rule, (acc, v) => {
          const r = acc + v;
          return r !== r && acc === acc && v === v ? NaN : r;
        });
        const what = `${shape} over ${dims}${specials ? ' with special values' : ''}`;
        expect(bitsOf(fast), what).to.deep.equal(bitsOf(rule));
        // Where the loop's sum is a number, the very same bits.
        const numbers = (a: Float32Array): number[] => bitsOf(a).filter((_, i) => loop[i] === loop[i]);
        expect(numbers(fast), what).to.deep.equal(numbers(loop));
        for (const b of bitsOf(fast)) if (b === 0x7fc00000) createdNaN++;
      }
    }
  });
});
