// The wasm row sums give exactly the TypeScript reduction's bits (±0, ±∞, NaNs with payloads, row
// counts that are not multiples of 8, chunks of rows, blocks that add into the same outputs), both
// give plain adds' bits wherever the sum is a number, and a NaN that a sum creates (∞ + −∞) is
// +NaN on every platform while a NaN in the input keeps its bits.
import { expect } from 'chai';
import { reduceInto, sumInto } from '../reduce.js';
import { wasmAvailable } from './runtime.js';
import { bitsOf, specialFloats } from './special-floats.test-util.js';

/** Random float32 values, with special values mixed in (as raw bits) when `specials`. */
const values = (n: number, seed: number, specials: boolean): Float32Array =>
  specialFloats(n, seed, 3, specials ? 0.004 : 0, [0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc12345, 0xffc12345, 0x00000001, 0x7f7fffff]);

describe('sum over dims in WebAssembly equals the TypeScript loop bit for bit', function () {
  before(function () {
    if (!wasmAvailable()) this.skip();
  });

  it('per-channel, spatial, interleaved, long-row and innermost-kept reductions, with and without special values', () => {
    const cases: [number[], number[]][] = [
      [[6, 40, 7, 7], [0, 2, 3]], // [N, C, H·W] over N and H·W: blocks of C rows adding into the same outputs
      [[4, 9, 33, 5], [2, 3]], // [N·C, H·W] over H·W: one block of 36 rows (not a multiple of 8)
      [[3, 5, 8, 130], [1, 3]], // kept, reduced, kept, reduced
      [[2, 3000], [1]], // long rows
      [[1000, 20], [1]], // many short rows: several chunks
      [[7, 600], [1]],
      [[64, 1000], [0]], // innermost kept (a bias gradient): the TypeScript loop
    ];
    let createdNaN = 0;
    for (const [k, [shape, dims]] of cases.entries()) {
      for (const specials of [false, true]) {
        const x = values(shape.reduce((p, q) => p * q, 1), 10 * k + (specials ? 1 : 0), specials);
        const outLength = shape.filter((_, i) => !dims.includes(i)).reduce((p, q) => p * q, 1);
        const [fast, loop, plain] = [new Float32Array(outLength), new Float32Array(outLength), new Float32Array(outLength)];
        sumInto(x, shape, dims, fast);
        reduceInto(x, shape, dims, loop, 'sum');
        reduceInto(x, shape, dims, plain, (acc, v) => acc + v);
        const what = `${shape} over ${dims}${specials ? ' with special values' : ''}`;
        expect(bitsOf(fast), what).to.deep.equal(bitsOf(loop));
        // Against plain adds: the same bits wherever the sum is a number, NaN at the same places.
        const numbers = (a: Float32Array): number[] => bitsOf(a).map((b, i) => (plain[i] === plain[i] ? b : -1));
        expect(numbers(fast), what).to.deep.equal(numbers(plain));
        for (const b of bitsOf(fast)) if (b === 0x7fc00000) createdNaN++;
      }
    }
    // The special values do make sums of ∞ and −∞ (the values have no plain +NaN of their own).
    expect(createdNaN).to.be.greaterThan(0);
  });

  it('a NaN that a sum makes is +NaN in float32 and float64, on the wasm path and in the loop; a NaN in the input keeps its bits, the first of two', () => {
    for (const n of [8, 5000]) {
      for (const make of [(m: number) => new Float32Array(m), (m: number) => new Float64Array(m)]) {
        const x = make(2 * n).fill(1);
        x[3] = Infinity;
        x[5] = -Infinity; // row 0 makes a NaN
        x[n + 2] = NaN; // row 1 has one
        const out = make(2);
        sumInto(x, [2, n], [1], out);
        const bits = out instanceof Float32Array ? [...new Uint32Array(out.buffer)] : [...new Uint32Array(out.buffer)].filter((_, i) => i % 2 === 1);
        expect(bits.map((b) => b.toString(16)), `${n} ${out.constructor.name}`).to.deep.equal(out instanceof Float32Array ? ['7fc00000', '7fc00000'] : ['7ff80000', '7ff80000']);
        // A NaN with a payload keeps it; of two NaNs in a row, the first one comes through.
        const words = new Uint32Array(x.buffer);
        if (out instanceof Float32Array) [words[n + 2], words[n + 4]] = [0xffc12345, 0x7fc00abc];
        else [words[2 * (n + 2)], words[2 * (n + 2) + 1], words[2 * (n + 4)], words[2 * (n + 4) + 1]] = [0x12345, 0xfff80000, 0xabc, 0x7ff80000];
        out.fill(0);
        sumInto(x, [2, n], [1], out);
        const outWords = new Uint32Array(out.buffer);
        const second = out instanceof Float32Array ? [outWords[1]!] : [outWords[2]!, outWords[3]!];
        expect(second.map((w) => w.toString(16)), `${n} ${out.constructor.name}`).to.deep.equal(out instanceof Float32Array ? ['ffc12345'] : ['12345', 'fff80000']);
      }
    }
  });
});
