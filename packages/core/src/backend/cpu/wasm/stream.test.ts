// The streamed wasm kernels (max pooling, relu, its gradient, arithmetic rows, normalization) give the same bits
// on 1 and 2 threads: with threads on they run on a private plain memory (stream.ts), beside the
// shared one. Sizes span several chunks with a ragged last one, odd planes (scalar tails, rows
// and columns no window reads), ties (the first maximum wins), NaNs with payloads, ±∞, ±0.
import { expect } from 'chai';
import { setNumThreads } from '../../../index.js';
import { Binary } from '../../elementwise.js';
import { slidingTaps } from '../../window.js';
import { Generator } from '../../../tensor/random.js';
import { cpuElementwise } from '../elementwise.js';
import { gradSumsWasm, normalizeBackwardWasm, normalizeForwardWasm } from './norm.js';
import { maxPool2x2BackwardWasm, maxPool2x2ForwardWasm, maxPoolWasm } from './pool.js';
import { wasmAvailable } from './runtime.js';
import { streamScratch } from './stream.js';

/** Random float32 bits: small integers (ties), and NaNs with payloads, ±∞, ±0 mixed in. */
function values(n: number, seed: number): Float32Array {
  const rng = new Generator(seed);
  const special = [0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fc12345, 0x7f812345];
  const bits = new Uint32Array(n);
  const f = new Float32Array(bits.buffer);
  for (let i = 0; i < n; i++) {
    if (rng.uniform(0, 1) < 0.03) bits[i] = special[rng.randint(0, special.length)]!;
    else f[i] = rng.randint(-4, 5) + (rng.uniform(0, 1) < 0.5 ? 0 : rng.normal(0, 1));
  }
  return f;
}

/** Every output of every case, as bytes (int32 argmax included). */
function run(): Uint8Array[] {
  const out: ArrayBufferView[] = [];
  // [planes, inH, inW]: many chunks of whole planes with a ragged last one; odd sizes.
  for (const [k, [planes, inH, inW]] of ([[301, 15, 17], [37, 45, 47], [130, 28, 28], [257, 7, 7]] as const).entries()) {
    const [outH, outW] = [inH >> 1, inW >> 1];
    const x = values(planes * inH * inW, 10 + k);
    const y = new Float32Array(planes * outH * outW);
    const argmax = new Int32Array(y.length);
    maxPool2x2ForwardWasm(x, planes, inH, inW, outH, outW, y, argmax);
    const dx = new Float32Array(x.length).fill(7);
    maxPool2x2BackwardWasm(values(y.length, 20 + k), planes, inH, inW, outH, outW, argmax, dx);
    // 3×3 windows, stride 2, padding 1, as tap lists.
    const [h3, w3] = [((inH + 1) >> 1), ((inW + 1) >> 1)];
    const windows = { inH, inW, outH: h3, outW: w3, rows: slidingTaps(inH, h3, 3, 2, 1, 1), cols: slidingTaps(inW, w3, 3, 2, 1, 1) };
    const y3 = new Float32Array(planes * h3 * w3);
    const a3 = new Int32Array(y3.length);
    maxPoolWasm(x, planes, windows, y3, a3);
    out.push(y, argmax, dx, y3, a3);
  }
  for (const [k, n] of [70001, 1 << 18, 3 * 8192 + 5].entries()) {
    const [x, g] = [values(n, 30 + k), values(n, 40 + k)];
    const r = new Float32Array(n);
    cpuElementwise.relu(x, r);
    const dr = new Float32Array(n);
    cpuElementwise.reluGrad(g, x, dr);
    out.push(r, dr);
    for (const op of [Binary.add, Binary.sub, Binary.mul, Binary.div]) {
      // Same shapes (one row), a scalar on either side, per-channel rows.
      for (const [as, bs] of [[[n], [n]], [[n], []], [[], [n]]] as const) {
        const [a, b] = [as.length ? x : x.subarray(5, 6), bs.length ? g : g.subarray(7, 8)];
        const y = new Float32Array(n);
        cpuElementwise.binary(op, a, as, b, bs, y, [n]);
        out.push(y);
      }
    }
  }
  const [c, hw] = [16, 32 * 32];
  const [big, channel] = [values(8 * c * hw, 50), values(c, 51)];
  const y = new Float32Array(big.length);
  cpuElementwise.binary(Binary.add, big, [8, c, 32, 32], channel, [1, c, 1, 1], y, [8, c, 32, 32]);
  out.push(y);
  // Normalization: y, the float64 statistics, the gradient sums and dx, over many chunks, runs
  // longer than a chunk, runs with scalar tails (inner % 4 ≠ 0). Wide-range finite data, so a
  // reassociated float64 sum would change the bits.
  for (const [k, [outer, groups, inner]] of ([[6, 5, 1001], [150, 48, 49], [9, 3, 8191], [130, 32, 257]] as const).entries()) {
    const n = outer * groups * inner;
    const rng = new Generator(60 + k);
    const [x, g] = [new Float32Array(n), new Float32Array(n)];
    for (let i = 0; i < n; i++) {
      x[i] = rng.normal(0, 1) * 10 ** rng.randint(-4, 5);
      g[i] = rng.normal(0, 1) * 10 ** rng.randint(-4, 5);
    }
    const [y, mean, variance] = [new Float32Array(n), new Float64Array(groups), new Float64Array(groups)];
    normalizeForwardWasm(x, y, outer, groups, inner, mean, variance, (m, v) => ({
      scale: Array.from(v, (q) => 1 / Math.sqrt(q + 1e-5)),
      shift: Array.from(m, (q, c) => -q / Math.sqrt(v[c]! + 1e-5)),
    }));
    const sums = gradSumsWasm(g, x, outer, groups, inner, mean);
    const dx = new Float32Array(n);
    const perGroup = (f: number): number[] => Array.from(sums.subarray(0, groups), (q) => q * f);
    normalizeBackwardWasm(g, x, dx, outer, groups, inner, mean, perGroup(0.5), perGroup(-0.25), perGroup(1e-3));
    out.push(y, mean, variance, sums, dx);
  }
  return out.map((v) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
}

describe('streamed wasm kernels on 1 and 2 threads', function () {
  before(function () {
    if (!wasmAvailable()) this.skip();
  });
  after(() => setNumThreads(1));

  it('give the same bits (pooling values, argmax and gradients; relu; +, −, ×, ÷ rows)', async () => {
    await setNumThreads(1);
    const one = run();
    expect(await setNumThreads(2)).to.equal(true);
    const two = run();
    expect(two.length).to.equal(one.length);
    one.forEach((bytes, i) => expect(Buffer.compare(Buffer.from(two[i]!), Buffer.from(bytes)), `output ${i}`).to.equal(0));
  });

  it('run on a plain (unshared) memory while threads share theirs', async () => {
    expect(await setNumThreads(2)).to.equal(true);
    expect(streamScratch('test', [16]).views[0]!.buffer).not.to.be.instanceOf(SharedArrayBuffer);
    await setNumThreads(1);
    expect(streamScratch('test', [16]).views[0]!.buffer).not.to.be.instanceOf(SharedArrayBuffer);
  });
});
