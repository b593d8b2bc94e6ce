// setFastMath: the default keeps the bit-exact GEMM (hashes recorded from the kernels before fast
// math existed, commit 910bb1c); opting in needs relaxed SIMD, which Node 20 has only behind
// --experimental-wasm-relaxed-simd, so the opted-in checks run in a child process with that flag.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError } from '../../errors.js';
import { fastMath, setFastMath } from './fast-math.js';
import { fastMathProducts } from './fast-math.test-util.js';
import { relaxedSimdAvailable } from './wasm/relaxed-simd.js';

/**
 * fastMathProducts' hashes from the default kernels before fast math existed; the filter
 * gradients (dw) since the conv task pipelines (conv/pipeline.ts): their sum over images is now
 * FILTER_CHUNKS partial sums added in order, the same on every thread count. The 3×3 conv's since
 * the rule table that has Winograd F(4×4, 3×3) (conv/winograd4x4.ts): its rule now picks F(4×4)
 * for y and dx (flipped) and F(2×2) for dw, instead of F(2×2) and gathered; forcing those
 * (setConvStrategy) still gives 2f96013e546ab6d0, c865cffdbe858d53, fc1507bd3769324c.
 */
const DEFAULT_HASHES = {
  'gemm 64x72x300': '4a1139986631b1c1',
  'gemm 37x29x53 A^T accumulate': '65383d673c8eb2df',
  'gemm 96x130x40 B^T': '4e6867d24c3e462e',
  'gemm 256x256x256': 'd8fcd4d6ca5ee78e',
  'matmul 64x100x50': '7c4140f99e15a2ba',
  'conv3x3 y': 'e98fbe403fe514bd',
  'conv3x3 dx': '72a2715e0ab4356f',
  'conv3x3 dw': '8ec89c7ec677c79c',
  'conv1x1 y': '45ffd62198c30523',
  'conv1x1 dx': '7cda8d3ea4664f80',
  'conv1x1 dw': '96fce7276420274b',
};

// Runs in the child: default products, then fast mode on 1 and 2 threads (switched in both
// orders), then back to the default; prints hashes and fast mode's largest deviation per product.
const childScript = (src: string): string => `
const { fastMathProducts } = await import(${JSON.stringify(new URL('backend/cpu/fast-math.test-util.ts', src).href)});
const { relaxedMaddFuses } = await import(${JSON.stringify(new URL('backend/cpu/wasm/relaxed-simd.ts', src).href)});
const { fastMath, setFastMath, setNumThreads } = await import(${JSON.stringify(new URL('index.ts', src).href)});
const before = fastMathProducts();
const enabled = await setFastMath(true);
const mode = fastMath();
const fast = fastMathProducts();
const deviation = {};
for (const [name, d] of Object.entries(before.values)) {
  const f = fast.values[name];
  let diff = 0, scale = 0;
  for (let i = 0; i < d.length; i++) { diff = Math.max(diff, Math.abs(f[i] - d[i])); scale = Math.max(scale, Math.abs(d[i])); }
  deviation[name] = diff / scale;
}
await setNumThreads(2);
const fastThreaded = fastMathProducts().hashes;
await setFastMath(false);
const defaultThreaded = fastMathProducts().hashes;
await setFastMath(true);
const fastSwitchedWhileThreaded = fastMathProducts().hashes;
await setNumThreads(1);
await setFastMath(false);
const after = fastMathProducts().hashes;
console.log(JSON.stringify({ enabled, mode, fuses: relaxedMaddFuses(), before: before.hashes, fast: fast.hashes, deviation, fastThreaded, defaultThreaded, fastSwitchedWhileThreaded, after }));
`;

describe('setFastMath (relaxed-SIMD GEMM, opt-in)', () => {
  it('default: GEMM, matmul and conv2d forward/backward products keep the bits of the kernels before fast math', () => {
    expect(fastMath()).to.equal(false);
    expect(fastMathProducts().hashes).to.deep.equal(DEFAULT_HASHES);
  });

  it('resolves false where relaxed SIMD is missing (Node 20 without the flag) and changes nothing', async () => {
    const enabled = await setFastMath(true);
    try {
      expect(enabled).to.equal(relaxedSimdAvailable());
      if (!enabled) {
        expect(fastMath()).to.equal(false);
        expect(fastMathProducts().hashes).to.deep.equal(DEFAULT_HASHES);
      }
    } finally {
      await setFastMath(false);
    }
  });

  it('refuses a non-boolean', async () => {
    for (const bad of [1, 'true', undefined]) {
      const error = await setFastMath(bad as unknown as boolean).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ArgumentError);
      expect((error as Error).message).to.match(/^setFastMath: enabled must be true or false/);
    }
  });

  it('with relaxed SIMD (child process): fused results within float32 rounding of the default, other bits, the same on 2 threads; off restores the default bits', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fast-math-'));
    try {
      const script = join(dir, 'child.mjs');
      writeFileSync(script, childScript(new URL('../../', import.meta.url).href));
      const out = execFileSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--conditions=@tensorgrad/source', '--import', 'tsx', script], { encoding: 'utf8' });
      const r = JSON.parse(out.trim().split('\n').pop()!);
      expect(r.enabled).to.equal(true);
      expect(r.mode).to.equal(true);
      expect(r.before).to.deep.equal(DEFAULT_HASHES);
      for (const [name, hash] of Object.entries(DEFAULT_HASHES)) {
        // FMA rounds once per multiply-add: other bits where this CPU fuses, the same where it does not.
        if (r.fuses) expect(r.fast[name], name).to.not.equal(hash);
        else expect(r.fast[name], name).to.equal(hash);
        // The 3×3 conv runs Winograd F(4×4, 3×3) by the rule, whose transforms scale the GEMMs'
        // rounding by up to ~20× (its own error is a few 1e-6 of the largest |y|): there fused and
        // unfused GEMMs differ by ~3e-6, within 1e-5 (the bound of the conv strategy tests).
        expect(r.deviation[name], name).to.be.below(name.startsWith('conv3x3') ? 1e-5 : 2e-6);
      }
      expect(r.fastThreaded).to.deep.equal(r.fast);
      expect(r.fastSwitchedWhileThreaded).to.deep.equal(r.fast);
      expect(r.defaultThreaded).to.deep.equal(DEFAULT_HASHES);
      expect(r.after).to.deep.equal(DEFAULT_HASHES);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
