// The wasm kernels of a conv's filter side (assembly/conv.ts: sumChunks and the Winograd filter
// transforms and their adjoints) against the float64 JavaScript formulas they replaced, bit for
// bit: the same IEEE float64 operations in the same order, rounded once to float32 on the store.
import { expect } from 'chai';
import { Generator } from '../../../tensor/random.js';
import { type WinogradFilterKernel, sumChunksWasm, winogradFilterWasm } from '../wasm/conv.js';
import { sumPartials } from './gathered.js';
import { wasmAvailable, wasmScratch } from '../wasm/runtime.js';

/**
 * Float32 values of every scale, so that the float64 steps round differently from float32 ones:
 * mostly in [-1, 1), some of magnitude 2^-140..2^127 (subnormals, values whose sums round to
 * infinity), exact zeros of both signs and repeated values.
 */
function values(length: number, seed: number): Float32Array {
  const rng = new Generator(seed);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const kind = rng.uniform(0, 1);
    const sign = rng.uniform(0, 1) < 0.5 ? -1 : 1;
    if (kind < 0.6) out[i] = rng.uniform(-1, 1);
    else if (kind < 0.9) out[i] = sign * rng.uniform(1, 2) * 2 ** Math.floor(rng.uniform(-140, 128));
    else if (kind < 0.95) out[i] = sign * 0;
    else out[i] = out[Math.max(0, i - 1)]!;
  }
  return out;
}

/** The bits of a float32 array, to compare with deep equality (NaN and -0 included). */
const bits = (a: Float32Array): Uint32Array => new Uint32Array(a.slice().buffer);

// The JavaScript formulas: the chunk sum is gathered.ts's (its non-wasm path); the filter transforms
// as winograd{,4x4}.ts had them before the wasm kernels.

function winogradFilterJs(w: Float32Array, groups: number, block: number): Float32Array {
  const U = new Float32Array(16 * groups * block);
  const gw = new Float64Array(12);
  for (let g = 0; g < groups; g++) {
    for (let f = 0; f < block; f++) {
      const k = (g * block + f) * 9;
      for (let j = 0; j < 3; j++) {
        const a = w[k + j]!, b = w[k + 3 + j]!, d = w[k + 6 + j]!;
        gw[j] = a;
        gw[3 + j] = (a + b + d) / 2;
        gw[6 + j] = (a - b + d) / 2;
        gw[9 + j] = d;
      }
      for (let i = 0; i < 4; i++) {
        const a = gw[3 * i]!, b = gw[3 * i + 1]!, d = gw[3 * i + 2]!;
        const o = g * 16 * block + f + 4 * i * block;
        U[o] = a;
        U[o + block] = (a + b + d) / 2;
        U[o + 2 * block] = (a - b + d) / 2;
        U[o + 3 * block] = d;
      }
    }
  }
  return U;
}

function winogradFilterGradJs(Macc: Float32Array, groups: number, block: number): Float32Array {
  const dw = new Float32Array(9 * groups * block);
  const t = new Float64Array(12);
  for (let g = 0; g < groups; g++) {
    for (let k = 0; k < block; k++) {
      const m0 = g * 16 * block + k;
      for (let j = 0; j < 4; j++) {
        const M0 = Macc[m0 + j * block]!, M1 = Macc[m0 + (4 + j) * block]!, M2 = Macc[m0 + (8 + j) * block]!, M3 = Macc[m0 + (12 + j) * block]!;
        t[j] = M0 + (M1 + M2) / 2;
        t[4 + j] = (M1 - M2) / 2;
        t[8 + j] = (M1 + M2) / 2 + M3;
      }
      const out = (g * block + k) * 9;
      for (let a = 0; a < 3; a++) {
        const t0 = t[4 * a]!, t1 = t[4 * a + 1]!, t2 = t[4 * a + 2]!, t3 = t[4 * a + 3]!;
        dw[out + 3 * a] = t0 + (t1 + t2) / 2;
        dw[out + 3 * a + 1] = (t1 - t2) / 2;
        dw[out + 3 * a + 2] = (t1 + t2) / 2 + t3;
      }
    }
  }
  return dw;
}

function winograd4FilterJs(w: Float32Array, groups: number, block: number): Float32Array {
  const U = new Float32Array(36 * groups * block);
  const gw = new Float64Array(18);
  for (let g = 0; g < groups; g++) {
    for (let f = 0; f < block; f++) {
      const k = (g * block + f) * 9;
      for (let j = 0; j < 3; j++) {
        const a = w[k + j]!, b = w[k + 3 + j]!, d = w[k + 6 + j]!;
        gw[j] = a / 4;
        gw[3 + j] = -(a + b + d) / 6;
        gw[6 + j] = -(a - b + d) / 6;
        gw[9 + j] = a / 24 + b / 12 + d / 6;
        gw[12 + j] = a / 24 - b / 12 + d / 6;
        gw[15 + j] = d;
      }
      for (let i = 0; i < 6; i++) {
        const a = gw[3 * i]!, b = gw[3 * i + 1]!, d = gw[3 * i + 2]!;
        const o = g * 36 * block + f + 6 * i * block;
        U[o] = a / 4;
        U[o + block] = -(a + b + d) / 6;
        U[o + 2 * block] = -(a - b + d) / 6;
        U[o + 3 * block] = a / 24 + b / 12 + d / 6;
        U[o + 4 * block] = a / 24 - b / 12 + d / 6;
        U[o + 5 * block] = d;
      }
    }
  }
  return U;
}

function winograd4FilterGradJs(Macc: Float32Array, groups: number, block: number): Float32Array {
  const dw = new Float32Array(9 * groups * block);
  const t = new Float64Array(18);
  for (let g = 0; g < groups; g++) {
    for (let k = 0; k < block; k++) {
      const m0 = g * 36 * block + k;
      for (let i = 0; i < 6; i++) {
        const r = m0 + 6 * i * block;
        const M0 = Macc[r]!, M1 = Macc[r + block]!, M2 = Macc[r + 2 * block]!, M3 = Macc[r + 3 * block]!, M4 = Macc[r + 4 * block]!, M5 = Macc[r + 5 * block]!;
        t[3 * i] = M0 / 4 - (M1 + M2) / 6 + (M3 + M4) / 24;
        t[3 * i + 1] = (M2 - M1) / 6 + (M3 - M4) / 12;
        t[3 * i + 2] = (M3 + M4 - M1 - M2) / 6 + M5;
      }
      const out = (g * block + k) * 9;
      for (let b = 0; b < 3; b++) {
        const T0 = t[b]!, T1 = t[3 + b]!, T2 = t[6 + b]!, T3 = t[9 + b]!, T4 = t[12 + b]!, T5 = t[15 + b]!;
        dw[out + b] = T0 / 4 - (T1 + T2) / 6 + (T3 + T4) / 24;
        dw[out + 3 + b] = (T2 - T1) / 6 + (T3 - T4) / 12;
        dw[out + 6 + b] = (T3 + T4 - T1 - T2) / 6 + T5;
      }
    }
  }
  return dw;
}

/** The kernel on wasm copies of src (the output view prefilled with NaN: every element must be written). */
function runWasm(run: (src: Float32Array, dst: Float32Array) => void, src: Float32Array, outLength: number): Float32Array {
  const [s, d] = wasmScratch([src.length, outLength]) as [Float32Array, Float32Array];
  s.set(src);
  d.fill(NaN);
  run(s, d);
  return d.slice();
}

// [groups, block]: odd blocks (a single filter left after the pairs), single filters, several
// groups, and the fmnist CNN's 3×3 layers (32·1, 64·32, 128·64 filters).
const FILTER_CASES: [number, number][] = [[1, 1], [1, 2], [1, 3], [3, 1], [2, 7], [3, 10], [4, 15], [1, 32], [1, 64 * 32], [1, 128 * 64]];

const TRANSFORMS: [WinogradFilterKernel, number, (w: Float32Array, groups: number, block: number) => Float32Array][] = [
  ['winogradFilter', 16, winogradFilterJs],
  ['winograd4Filter', 36, winograd4FilterJs],
];
const ADJOINTS: [WinogradFilterKernel, number, (m: Float32Array, groups: number, block: number) => Float32Array][] = [
  ['winogradFilterGrad', 16, winogradFilterGradJs],
  ['winograd4FilterGrad', 36, winograd4FilterGradJs],
];

describe('conv filter-side wasm kernels', function () {
  before(function () {
    if (!wasmAvailable()) this.skip();
  });

  it('sumChunks equals the float64 chunk sum bit for bit: lengths with tails of 1-7 past whole vectors, 1-8 chunks', () => {
    for (const [k, [chunks, len]] of ([[1, 1], [8, 1], [3, 2], [8, 3], [2, 7], [8, 8], [5, 9], [8, 15], [7, 17], [8, 31], [8, 1000], [8, 18432]] as const).entries()) {
      const partials = values(chunks * len, 100 + k);
      const got = runWasm((s, d) => sumChunksWasm(s, chunks, len, d), partials, len);
      const want = new Float32Array(len);
      sumPartials(partials, chunks, len, want);
      expect(bits(got), `${chunks} chunks of ${len}`).to.deep.equal(bits(want));
    }
  });

  it('the Winograd F(2×2) and F(4×4) filter transforms equal the float64 formulas bit for bit: odd blocks, several groups', () => {
    for (const [name, xi, js] of TRANSFORMS) {
      for (const [k, [groups, block]] of FILTER_CASES.entries()) {
        const w = values(9 * groups * block, 200 + k);
        const got = runWasm((s, d) => winogradFilterWasm(name, s, groups, block, d), w, xi * groups * block);
        expect(bits(got), `${name} ${groups}×${block}`).to.deep.equal(bits(js(w, groups, block)));
      }
    }
  });

  it('their adjoints (the filter gradients\' Gᵀ M G) equal the float64 formulas bit for bit: odd blocks, several groups', () => {
    for (const [name, xi, js] of ADJOINTS) {
      for (const [k, [groups, block]] of FILTER_CASES.entries()) {
        const m = values(xi * groups * block, 300 + k);
        const got = runWasm((s, d) => winogradFilterWasm(name, s, groups, block, d), m, 9 * groups * block);
        expect(bits(got), `${name} ${groups}×${block}`).to.deep.equal(bits(js(m, groups, block)));
      }
    }
  });
});
