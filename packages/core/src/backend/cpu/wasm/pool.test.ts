// The wasm 2×2 max-pool kernels give exactly the JavaScript kernels' results: values, argmax
// (ties to the first, NaN wins) and the scattered gradient, on odd sizes and many ties.
import { expect } from 'chai';
import fc from 'fast-check';
import { Generator } from '../../../tensor/random.js';
import { wasmAvailable } from './runtime.js';
import { maxPool2x2Backward, maxPool2x2Forward } from '../pool.js';
import { maxPool2x2BackwardWasm, maxPool2x2ForwardWasm } from './pool.js';

describe('2×2 max pooling in WebAssembly equals the JavaScript kernels', function () {
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
});
