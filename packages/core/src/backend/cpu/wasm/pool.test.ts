// The wasm max-pool kernels give exactly the JavaScript kernels' results: values, argmax (ties to
// the first, NaN wins) and the scattered gradient, on odd sizes and many ties; any windows
// (padding, dilation, adaptive, windows entirely outside the input) through the tap-list kernel.
import { expect } from 'chai';
import fc from 'fast-check';
import { Generator } from '../../../tensor/random.js';
import { wasmAvailable } from './runtime.js';
import { adaptiveWindows, slidingTaps } from '../../window.js';
import { maxPool2x2Backward, maxPool2x2Forward, maxPoolForward } from '../pool.js';
import { maxPool2x2BackwardWasm, maxPool2x2ForwardWasm, maxPoolWasm } from './pool.js';

describe('max pooling in WebAssembly equals the JavaScript kernels', function () {
  before(function () {
    if (!wasmAvailable()) this.skip();
  });

  it('forward values and argmax, backward dx: bit for bit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }), fc.integer({ min: 2, max: 23 }), fc.integer({ min: 2, max: 37 }), fc.integer({ min: 1, max: 1e6 }),
        (planes, inH, inW, seed) => {
          const outH = inH >> 1;
          const outW = inW >> 1;
          const rng = new Generator(seed);
          // Few distinct values (ties everywhere), some NaN.
          const x = Float32Array.from({ length: planes * inH * inW }, () => (rng.uniform(0, 1) < 0.05 ? NaN : rng.randint(0, 4)));
          const n = planes * outH * outW;
          const [y1, y2] = [new Float32Array(n), new Float32Array(n)];
          const [a1, a2] = [new Int32Array(n), new Int32Array(n)];
          maxPool2x2Forward(x, planes, inH, inW, outH, outW, y1, a1);
          maxPool2x2ForwardWasm(x, planes, inH, inW, outH, outW, y2, a2);
          expect(Array.from(a2)).to.deep.equal(Array.from(a1));
          expect(Array.from(y2)).to.deep.equal(Array.from(y1)); // deep.equal treats NaN as equal to NaN
          const dy = Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
          const [d1, d2] = [new Float32Array(x.length).fill(7), new Float32Array(x.length).fill(-7)];
          maxPool2x2Backward(dy, planes, inH, inW, outH, outW, a1, d1);
          maxPool2x2BackwardWasm(dy, planes, inH, inW, outH, outW, a1, d2);
          expect(Array.from(d2)).to.deep.equal(Array.from(d1));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('any windows: values (NaN payloads included) and argmax, bit for bit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 19 }), fc.integer({ min: 1, max: 23 }),
        fc.record({ k: fc.integer({ min: 1, max: 4 }), stride: fc.integer({ min: 1, max: 3 }), pad: fc.integer({ min: 0, max: 3 }), dilation: fc.integer({ min: 1, max: 2 }), extra: fc.integer({ min: 0, max: 2 }) }),
        fc.boolean(), fc.integer({ min: 1, max: 1e6 }),
        (planes, inH, inW, g, adaptive, seed) => {
          const out = (len: number): number => Math.max(1, Math.floor((len + 2 * g.pad - g.dilation * (g.k - 1) - 1) / g.stride) + 1 + g.extra);
          const [outH, outW] = [out(inH), out(inW)];
          const windows = adaptive
            ? adaptiveWindows(inH, inW, 1 + (seed % inH), 1 + (seed % inW))
            : { inH, inW, outH, outW, rows: slidingTaps(inH, outH, g.k, g.stride, g.pad, g.dilation), cols: slidingTaps(inW, outW, g.k, g.stride, g.pad, g.dilation) };
          const rng = new Generator(seed);
          const bits = Uint32Array.from({ length: planes * inH * inW }, () => {
            const u = rng.uniform(0, 1);
            return u < 0.03 ? 0x7f812345 : u < 0.06 ? 0xffc00000 : u < 0.08 ? 0xff800000 : new Uint32Array(Float32Array.of(rng.randint(-3, 4)).buffer)[0]!;
          });
          const x = new Float32Array(bits.buffer);
          const n = planes * windows.outH * windows.outW;
          const [y1, y2] = [new Float32Array(n), new Float32Array(n)];
          const [a1, a2] = [new Int32Array(n), new Int32Array(n)];
          maxPoolForward(x, planes, windows, y1, a1);
          maxPoolWasm(x, planes, windows, y2, a2);
          expect(Array.from(a2)).to.deep.equal(Array.from(a1));
          expect(Array.from(new Uint32Array(y2.buffer))).to.deep.equal(Array.from(new Uint32Array(y1.buffer)));
        },
      ),
      { numRuns: 60 },
    );
  });
});
