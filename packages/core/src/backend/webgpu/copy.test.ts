// The WebGPU copy kernels on Dawn against the CPU kernels on the same float32 / int32 inputs:
// copies, gathers and conversions bit for bit, scatter-adds (repeated indices) within
// GPU_TOLERANCE; empty shapes; the deferred checks (firstNotInt32, firstInvalidClass) that fail
// the next readback.
import { expect } from 'chai';
import { ArgumentError, DeviceError } from '../../errors.js';
import { cpuCopy } from '../cpu/copy.js';
import { webgpuCopy } from './copy.js';
import { expectNoGpuErrors, initDawnWebGPU } from './dawn.test-util.js';
import type { GpuArray } from './gpu-array.js';
import type { WebGPURuntime } from './runtime.js';
import { GPU_TOLERANCE, describeMismatch } from './tolerance.js';

type Words = Float32Array | Int32Array;

/** n pseudo-random float32 values in (-4, 4) (a fixed LCG: the same inputs every run). */
function floats(n: number, seed = 1): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 8 - 4;
  });
}
const ints = (n: number, mod: number, seed = 7): Int32Array => Int32Array.from(floats(n, seed), (v) => Math.floor((v + 4) * 1000) % mod);
const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
/** The 32-bit words (compares NaN payloads and -0 too). */
const bitsOf = (a: Words): Int32Array => new Int32Array(a.buffer, a.byteOffset, a.length);

describe('webgpu copy kernels (Dawn) against the CPU kernels', () => {
  let rt: WebGPURuntime;
  before(async () => {
    rt = await initDawnWebGPU();
  });

  const up = (a: Words): GpuArray => rt.upload(a);
  const read = (a: GpuArray): Promise<Words> => rt.readAsync(a);
  /** A GPU copy of `init` and the CPU copy, for kernels that write into an existing array. */
  const pair = (init: Words): [GpuArray, Words] => [up(init), init.slice()];
  async function expectSame(gpu: GpuArray, cpu: Words): Promise<void> {
    expect(bitsOf(await read(gpu))).to.deep.equal(bitsOf(cpu));
  }
  async function expectClose(gpu: GpuArray, cpu: Words): Promise<void> {
    const mismatch = describeMismatch(await read(gpu), cpu, GPU_TOLERANCE);
    expect(mismatch, mismatch ?? '').to.equal(null);
  }

  it('permute: ranks 0 to 8, identity and reversals, float32 and int32, bits unchanged (NaN, -0)', async () => {
    const cases: [number[], number[]][] = [
      [[], []],
      [[5], [0]],
      [[2, 3, 4], [2, 0, 1]],
      [[3, 1, 4], [1, 2, 0]],
      [[2, 3, 2, 3, 2, 2, 3, 2], [7, 5, 3, 1, 6, 4, 2, 0]],
      [[2, 3, 4, 5], [0, 1, 2, 3]],
    ];
    await expectNoGpuErrors(rt, async () => {
      for (const [shape, perm] of cases) {
        const f = floats(sizeOf(shape));
        if (f.length > 2) {
          bitsOf(f)[1] = 0x7fc01234; // a NaN with a payload
          f[2] = -0;
        }
        for (const x of [f, ints(sizeOf(shape), 1000)]) {
          const out = rt.allocate(x instanceof Float32Array ? 'float32' : 'int32', x.length, false);
          const want = x.slice();
          cpuCopy.permute(x, shape, perm, want);
          webgpuCopy.permute(up(x), shape, perm, out);
          await expectSame(out, want);
        }
      }
    });
  });

  it('permute refuses more than 8 strided dims but merges adjacent ones and drops size-1 dims', async () => {
    const shape = [2, 2, 2, 2, 2, 2, 2, 2, 2];
    const x = up(floats(512));
    const out = rt.allocate('float32', 512, false);
    expect(() => webgpuCopy.permute(x, shape, [8, 7, 6, 5, 4, 3, 2, 1, 0], out)).to.throw(ArgumentError, /at most 8 strided dims, got 9/);
    // 9 dims, but dims 0-1 stay adjacent: 8 after merging.
    const perm = [0, 1, 8, 7, 6, 5, 4, 3, 2];
    const want = new Float32Array(512);
    cpuCopy.permute(floats(512), shape, perm, want);
    webgpuCopy.permute(x, shape, perm, out);
    await expectSame(out, want);
    const ones = [1, 1, 3, 1, 1, 1, 1, 1, 1, 1, 2];
    const want2 = new Float32Array(6);
    cpuCopy.permute(floats(6), ones, [10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0], want2);
    const out2 = rt.allocate('float32', 6, false);
    webgpuCopy.permute(up(floats(6)), ones, [10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0], out2);
    await expectSame(out2, want2);
  });

  it('broadcast: NumPy rules, from a scalar, along leading and middle dims', async () => {
    const cases: [number[], number[]][] = [[[], [2, 3]], [[3, 1], [2, 3, 4]], [[4], [3, 4]], [[2, 1, 3], [2, 5, 3]], [[1], [1]]];
    for (const [shape, outShape] of cases) {
      const x = floats(sizeOf(shape), 3);
      const want = new Float32Array(sizeOf(outShape));
      cpuCopy.broadcast(x, shape, want, outShape);
      const out = rt.allocate('float32', want.length, false);
      webgpuCopy.broadcast(up(x), shape, out, outShape);
      await expectSame(out, want);
    }
  });

  it('box: slice, pad and concat boxes leave the rest of dst as it was; an empty box copies nothing', async () => {
    const src = floats(4 * 5 * 3, 5);
    const cases: [number[], number[], number[], number[], number[]][] = [
      // srcShape, srcStart, dstShape, dstStart, box
      [[4, 5, 3], [1, 2, 0], [3, 4, 3], [0, 1, 0], [2, 3, 3]],
      [[4, 5, 3], [0, 0, 0], [6, 7, 5], [1, 1, 1], [4, 5, 3]],
      [[4, 5, 3], [3, 0, 1], [2, 5, 3], [1, 0, 2], [1, 5, 1]],
      [[4, 5, 3], [0, 0, 0], [2, 2, 2], [0, 0, 0], [2, 0, 2]],
    ];
    for (const [srcShape, srcStart, dstShape, dstStart, box] of cases) {
      const [dst, want] = pair(floats(sizeOf(dstShape), 9));
      cpuCopy.box(src, srcShape, srcStart, want, dstShape, dstStart, box);
      webgpuCopy.box(up(src), srcShape, srcStart, dst, dstShape, dstStart, box);
      await expectSame(dst, want);
    }
  });

  // x [outer 2, size 5, inner 3]; index with repeats and gaps (rows 3 never picked).
  const [outer, size, inner] = [2, 5, 3];
  const index = new Int32Array([4, 0, 4, 1, 2, 4, 0]);
  const m = index.length;

  it('gatherAlong with a host index (uploaded once) and with an index on the GPU, float32 and int32', async () => {
    for (const x of [floats(outer * size * inner), ints(outer * size * inner, 50)]) {
      const want = x instanceof Float32Array ? new Float32Array(outer * m * inner) : new Int32Array(outer * m * inner);
      cpuCopy.gatherAlong(x, outer, size, inner, index, want);
      for (const idx of [index, up(index)]) {
        const out = rt.allocate(x instanceof Float32Array ? 'float32' : 'int32', want.length, false);
        webgpuCopy.gatherAlong(up(x), outer, size, inner, idx, out);
        await expectSame(out, want);
      }
    }
  });

  it('scatterAddAlong sums repeated indices into the existing values (host CSR and GPU index), int32 exactly', async () => {
    const g = floats(outer * m * inner, 11);
    for (const idx of [index, up(index)]) {
      const [out, want] = pair(floats(outer * size * inner, 13));
      cpuCopy.scatterAddAlong(g, outer, size, inner, index, want);
      await expectNoGpuErrors(rt, () => webgpuCopy.scatterAddAlong(up(g), outer, size, inner, idx, out));
      await expectClose(out, want);
      // Without the repeats the sums would differ: row 4 gets three terms.
      expect(Math.abs(want[4 * inner]! - floats(outer * size * inner, 13)[4 * inner]!)).to.be.greaterThan(0);
    }
    const gi = ints(outer * m * inner, 100);
    const [outI, wantI] = pair(ints(outer * size * inner, 30, 3));
    cpuCopy.scatterAddAlong(gi, outer, size, inner, index, wantI);
    webgpuCopy.scatterAddAlong(up(gi), outer, size, inner, index, outI);
    await expectSame(outI, wantI);
  });

  it('scatterAddAlong: a larger index with many collisions (1000 sources onto 7 rows) matches the CPU sum', async () => {
    const big = ints(1000, 7, 21);
    const g = floats(2 * 1000 * 4, 23);
    const [out, want] = pair(new Float32Array(2 * 7 * 4));
    cpuCopy.scatterAddAlong(g, 2, 7, 4, big, want);
    webgpuCopy.scatterAddAlong(up(g), 2, 7, 4, big, out);
    await expectClose(out, want);
  });

  it('takeAlong and putAddAlong with an index per position (repeats), host and GPU index', async () => {
    const picks = 6;
    const perPosition = ints(outer * picks * inner, size, 17);
    const x = floats(outer * size * inner, 19);
    const want = new Float32Array(outer * picks * inner);
    cpuCopy.takeAlong(x, outer, size, inner, perPosition, want);
    const g = floats(outer * picks * inner, 29);
    for (const idx of [perPosition, up(perPosition)]) {
      const out = rt.allocate('float32', want.length, false);
      webgpuCopy.takeAlong(up(x), outer, size, inner, idx, out);
      await expectSame(out, want);
      const [acc, accWant] = pair(floats(outer * size * inner, 31));
      cpuCopy.putAddAlong(g, outer, size, inner, perPosition, accWant);
      webgpuCopy.putAddAlong(up(g), outer, size, inner, idx, acc);
      await expectClose(acc, accWant);
    }
    const gi = ints(outer * picks * inner, 1000, 37);
    const [acc, accWant] = pair(new Int32Array(outer * size * inner));
    cpuCopy.putAddAlong(gi, outer, size, inner, perPosition, accWant);
    webgpuCopy.putAddAlong(up(gi), outer, size, inner, perPosition, acc);
    await expectSame(acc, accWant);
  });

  it('oneHot writes 1 (in the output dtype) at each class into a zero-filled output', async () => {
    const classes = ints(9, 4, 41);
    for (const dtype of ['int32', 'float32'] as const) {
      const out = rt.allocate(dtype, 9 * 4, true);
      const want = dtype === 'int32' ? new Int32Array(36) : new Float32Array(36);
      cpuCopy.oneHot(classes, 4, want);
      webgpuCopy.oneHot(up(classes), 4, out);
      await expectSame(out, want);
    }
  });

  it('convert float32 → int32 truncates toward zero at the edges of int32, as a typed-array set', async () => {
    const src = Float32Array.from([0, -0, 1.9, -1.9, 0.5, -2.5, 1e9 + 0.5, -2147483648, 2147483520, -2147483520, 16777217, 3.99999]);
    const out = rt.allocate('int32', src.length, false);
    const want = new Int32Array(src.length);
    cpuCopy.convert(src, want);
    webgpuCopy.convert(up(src), out);
    await expectSame(out, want);
  });

  it('convert int32 → float32 rounds to nearest even above 2²⁴ as the CPU, and copies within a dtype', async () => {
    const special = [0, 1, -1, 16777216, 16777217, 16777219, -16777217, 33554435, 33554433, 2147483647, -2147483648, -2147483647, 2147483520, 2147483583, 2147483584, 123456789];
    const src = Int32Array.from([...special, ...ints(200, 2147483647, 43).map((v, i) => (i % 2 ? v : -v))]);
    const out = rt.allocate('float32', src.length, false);
    const want = new Float32Array(src.length);
    cpuCopy.convert(src, want);
    await expectNoGpuErrors(rt, () => webgpuCopy.convert(up(src), out));
    await expectSame(out, want);
    const same = rt.allocate('int32', src.length, false);
    webgpuCopy.convert(up(src), same);
    await expectSame(same, src);
  });

  it('classGather, classScatter and classWeights with ignored targets (ignoreIndex inside and outside the classes)', async () => {
    const [o, classes, inn] = [3, 4, 5];
    for (const ignore of [-100, 2]) {
      const target = Int32Array.from(ints(o * inn, classes, 47), (c, k) => (k % 4 === 1 ? ignore : c));
      const x = floats(o * classes * inn, 53);
      const want = new Float32Array(o * inn);
      cpuCopy.classGather(x, target, classes, inn, ignore, want);
      const out = rt.allocate('float32', want.length, false);
      webgpuCopy.classGather(up(x), up(target), classes, inn, ignore, out);
      await expectSame(out, want);

      const g = floats(o * inn, 59);
      const scattered = rt.allocate('float32', o * classes * inn, true);
      const scatterWant = new Float32Array(o * classes * inn);
      cpuCopy.classScatter(g, target, classes, inn, ignore, scatterWant);
      webgpuCopy.classScatter(up(g), up(target), classes, inn, ignore, scattered);
      await expectSame(scattered, scatterWant);

      for (const weight of [null, Float32Array.from([0.5, 2, 0.25, 3])]) {
        const w = rt.allocate('float32', o * inn, false);
        const wWant = new Float32Array(o * inn);
        cpuCopy.classWeights(target, weight, ignore, wWant);
        webgpuCopy.classWeights(up(target), weight === null ? null : up(weight), ignore, w);
        await expectSame(w, wWant);
      }
    }
  });

  it('empty shapes run nothing and leave outputs as they are', async () => {
    const empty = up(new Float32Array(0));
    const emptyI = up(new Int32Array(0));
    const [keep, keepWant] = pair(floats(6));
    await expectNoGpuErrors(rt, () => {
      webgpuCopy.permute(empty, [2, 0, 3], [2, 1, 0], empty);
      webgpuCopy.broadcast(empty, [0, 1], empty, [0, 4]);
      webgpuCopy.box(up(floats(6)), [2, 3], [0, 0], keep, [2, 3], [0, 0], [2, 0]);
      webgpuCopy.gatherAlong(empty, 0, 3, 2, new Int32Array([1]), empty);
      webgpuCopy.gatherAlong(up(floats(6)), 1, 3, 2, new Int32Array(0), empty);
      webgpuCopy.scatterAddAlong(empty, 1, 3, 2, new Int32Array(0), keep);
      webgpuCopy.takeAlong(empty, 0, 3, 2, emptyI, empty);
      webgpuCopy.putAddAlong(empty, 1, 3, 2, emptyI, keep);
      webgpuCopy.oneHot(emptyI, 3, empty);
      webgpuCopy.convert(empty, emptyI);
      webgpuCopy.classGather(empty, emptyI, 3, 1, -100, empty);
      webgpuCopy.classScatter(empty, emptyI, 3, 1, -100, empty);
      webgpuCopy.classWeights(emptyI, null, -100, empty);
    });
    expect(webgpuCopy.firstNotInt32(empty)).to.equal(-1);
    expect(webgpuCopy.firstInvalidClass(emptyI, 3, -100)).to.equal(-1);
    await expectSame(keep, keepWant);
    expect(await read(empty)).to.deep.equal(new Float32Array(0));
  });
});

describe('webgpu copy kernels (Dawn): the checks deferred to the next readback', () => {
  let rt: WebGPURuntime;
  before(async () => {
    rt = await initDawnWebGPU();
  });

  it('firstNotInt32 returns -1; values int32 can store let the next readback resolve', async () => {
    const x = rt.upload(Float32Array.from([0, -2147483648, 2147483520, -2147483520, 1.5, -0, 3e-40]));
    expect(webgpuCopy.firstNotInt32(x)).to.equal(-1);
    expect(webgpuCopy.firstNotInt32(rt.upload(new Int32Array([2147483647])))).to.equal(-1);
    expect(await rt.readAsync(x)).to.have.length(7);
  });

  for (const [bad, at] of [[NaN, 3], [Infinity, 0], [-Infinity, 5], [2147483648, 2], [-2147483904, 4]] as const) {
    it(`firstNotInt32: ${bad} at flat index ${at} makes the next readback of any array reject naming the check, once`, async () => {
      const values = new Float32Array(6).fill(7);
      values[at] = bad;
      values[5] = bad; // a later bad value: the first one is reported
      const x = rt.upload(values);
      const other = rt.upload(new Int32Array([1, 2, 3]));
      expect(webgpuCopy.firstNotInt32(x)).to.equal(-1);
      const out = rt.allocate('int32', 6, false);
      webgpuCopy.convert(x, out);
      let error: unknown = null;
      await rt.readAsync(other).catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(DeviceError);
      expect((error as Error).message).to.match(new RegExp(`^firstNotInt32: the float32 value at flat index ${at} of 6 cannot be stored as int32`));
      // The check is consumed: the next readback resolves.
      expect(await rt.readAsync(other)).to.deep.equal(new Int32Array([1, 2, 3]));
    });
  }

  it('firstInvalidClass: ignoreIndex and classes in range pass; the first other value fails the next readback', async () => {
    const good = rt.upload(new Int32Array([0, 2, -100, 1, -100]));
    expect(webgpuCopy.firstInvalidClass(good, 3, -100)).to.equal(-1);
    expect(webgpuCopy.firstInvalidClass(rt.upload(new Int32Array([5, 5, 0])), 3, 5)).to.equal(-1); // ignoreIndex outside the classes
    expect(await rt.readAsync(good)).to.deep.equal(new Int32Array([0, 2, -100, 1, -100]));
    for (const [target, k] of [[[0, 3, -1], 1], [[1, -1, 3], 1], [[-2147483648, 0], 0], [[0, 1, 2, 2, 3], 4]] as const) {
      const t = rt.upload(Int32Array.from(target));
      expect(webgpuCopy.firstInvalidClass(t, 3, -100)).to.equal(-1);
      await rt.readAsync(t).then(
        () => expect.fail(`target ${target.join(',')} passed`),
        (e: Error) => {
          expect(e).to.be.instanceOf(DeviceError);
          expect(e.message).to.match(new RegExp(`^firstInvalidClass: the class index at flat index ${k} of ${target.length} is neither a class in \\[0, 3\\) nor ignoreIndex -100`));
        },
      );
    }
  });

  it('several failed checks: the first deferred is reported; a host target is checked too', async () => {
    webgpuCopy.firstInvalidClass(new Int32Array([0, 9]), 3, -100);
    webgpuCopy.firstNotInt32(rt.upload(Float32Array.from([NaN])));
    await rt.readAsync(rt.upload(new Float32Array(0))).then(
      () => expect.fail('resolved'),
      (e: Error) => expect(e.message).to.match(/^firstInvalidClass: the class index at flat index 1 of 2/),
    );
    expect(await rt.readAsync(rt.upload(new Float32Array([1])))).to.deep.equal(new Float32Array([1]));
  });

  it('deferCheck takes only a 1-element int32 flag', () => {
    expect(() => rt.deferCheck('x', rt.allocate('float32', 1, true), () => '')).to.throw(ArgumentError, /1-element int32 array, got float32 of 1/);
    expect(() => rt.deferCheck('x', rt.allocate('int32', 2, true), () => '')).to.throw(ArgumentError, /got int32 of 2/);
  });
});
