// The wasm relu, relu gradient and arithmetic rows give exactly the TypeScript loops' bits:
// ±0, ±∞, quiet and signalling NaNs with payloads, odd lengths across chunk boundaries, broadcasts
// (rows, and per-row values on short rows).
import { expect } from 'chai';
import { Binary } from '../../elementwise.js';
import { cpuElementwise, reluGradInto, reluInto } from '../elementwise.js';
import { wasmAvailable } from './runtime.js';
import { CHUNK, useWasmElementwise } from './elementwise.js';
import { bitsOf, specialFloats } from './special-floats.test-util.js';

/** Random float32 values with every special kind of value mixed in (as raw bits). */
const values = (n: number, seed: number): Float32Array =>
  specialFloats(n, seed, 2, 0.1, [0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fc12345, 0x7f812345, 0xff800001, 0x00000001, 0x80000001]);

describe('elementwise kernels in WebAssembly equal the TypeScript loops bit for bit', function () {
  before(function () {
    if (!wasmAvailable()) this.skip();
  });
  const lengths = [1024, 1027, CHUNK, 2 * CHUNK + 13];

  it('the wasm kernels are the ones running for these float32 sizes', () => {
    for (const n of lengths) expect(useWasmElementwise(n, new Float32Array(1), new Float32Array(1))).to.equal(true);
    expect(useWasmElementwise(1023, new Float32Array(1))).to.equal(false);
    expect(useWasmElementwise(4096, new Float64Array(1))).to.equal(false);
  });

  it('relu and its gradient', () => {
    for (const [k, n] of lengths.entries()) {
      const x = values(n, k);
      const g = values(n, 100 + k);
      const [y1, y2] = [new Float32Array(n), new Float32Array(n)];
      reluInto(x, y1);
      cpuElementwise.relu(x, y2);
      expect(bitsOf(y2)).to.deep.equal(bitsOf(y1));
      reluGradInto(g, x, y1);
      cpuElementwise.reluGrad(g, x, y2);
      expect(bitsOf(y2)).to.deep.equal(bitsOf(y1));
    }
  });

  it('add, sub, mul, div on equal shapes and on rows broadcast either way', () => {
    const ops = [Binary.add, Binary.sub, Binary.mul, Binary.div];
    const shapes: [number[], number[], number[]][] = [
      [[2 * CHUNK + 13], [2 * CHUNK + 13], [2 * CHUNK + 13]],
      [[3, 1100], [3, 1], [3, 1100]],
      [[1], [5, 1030], [5, 1030]],
      [[2, 1, 1500], [1, 3, 1500], [2, 3, 1500]],
      // Per-row broadcasts in short rows (binaryRowsWasm): a per-channel value either side, a value
      // per row, several chunks with a partial last one; rows past half a chunk go one by one.
      [[6, 5, 49], [1, 5, 1], [6, 5, 49]],
      [[1, 7, 1], [9, 7, 196], [9, 7, 196]],
      [[40, 30], [40, 1], [40, 30]],
      [[20, 1000], [20, 1], [20, 1000]],
      [[3, 1, 5, 100], [1, 4, 1, 1], [3, 4, 5, 100]],
      [[3, 5000], [3, 1], [3, 5000]],
    ];
    for (const op of ops) {
      for (const [k, [sa, sb, so]] of shapes.entries()) {
        const size = (s: number[]): number => s.reduce((p, q) => p * q, 1);
        const a = values(size(sa), 200 + k);
        const b = values(size(sb), 300 + k);
        const [o1, o2] = [new Float32Array(size(so)), new Float32Array(size(so))];
        // The TypeScript loop: the same op as a callback, which never takes the wasm path.
        const scalar = [(p: number, q: number) => p + q, (p: number, q: number) => p - q, (p: number, q: number) => p * q, (p: number, q: number) => p / q][op]!;
        cpuElementwise.binary(op, a, sa, b, sb, o2, so);
        const ref = Array.from({ length: o1.length }, (_, i) => i);
        const strides = (s: number[]): number[] => s.map((d, i) => (d === 1 ? 0 : s.slice(i + 1).reduce((p, q) => p * q, 1)));
        const [as, bs] = [strides(sa.length < so.length ? [...Array<number>(so.length - sa.length).fill(1), ...sa] : sa), strides(sb.length < so.length ? [...Array<number>(so.length - sb.length).fill(1), ...sb] : sb)];
        for (const i of ref) {
          let rest = i, ia = 0, ib = 0;
          for (let d = so.length - 1; d >= 0; d--) {
            const j = rest % so[d]!;
            rest = Math.floor(rest / so[d]!);
            ia += j * as[d]!;
            ib += j * bs[d]!;
          }
          o1[i] = scalar(a[ia]!, b[ib]!);
        }
        expect(bitsOf(o2), `op ${op} ${sa} ${sb}`).to.deep.equal(bitsOf(o1));
      }
    }
  });
});
