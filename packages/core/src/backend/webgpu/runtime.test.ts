// The WebGPU runtime on Dawn (llvmpipe): uploads and readbacks, kernels with u32/i32/f32
// parameters, large grids through workgroups1d, and the errors that must surface.
import { expect } from 'chai';
import { ArgumentError, DeviceError } from '../../errors.js';
import { expectNoGpuErrors, initDawnWebGPU } from './dawn.test-util.js';
import { GpuArray } from './gpu-array.js';
import { workgroups1d, type GpuKernel, type WebGPURuntime } from './runtime.js';

/** y[i] = a * x[i] + b for i < n; params (n: u32, a: f32, b: f32). */
const AXPB: GpuKernel = {
  name: 'axpb',
  paramTypes: 'u32,f32,f32',
  code: /* wgsl */ `
    @group(0) @binding(0) var<storage, read> x: array<f32>;
    @group(0) @binding(1) var<storage, read_write> y: array<f32>;
    struct Params { n: u32, a: f32, b: f32 }
    @group(0) @binding(2) var<uniform> p: Params;
    @compute @workgroup_size(64)
    fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
      if (gid.x < p.n) { y[gid.x] = p.a * x[gid.x] + p.b; }
    }`,
};

/** out[i] += i + 1 over a workgroups1d grid of 64-wide workgroups; params (n: u32). */
const COUNT: GpuKernel = {
  name: 'count',
  code: /* wgsl */ `
    @group(0) @binding(0) var<storage, read_write> out: array<u32>;
    struct Params { n: u32 }
    @group(0) @binding(1) var<uniform> p: Params;
    @compute @workgroup_size(64)
    fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
      let i = gid.x + gid.y * (nwg.x * 64u);
      if (i >= p.n) { return; }
      out[i] = out[i] + i + 1u;
    }`,
};

/** y[i] = x[i] + k for i < n; params (n: u32, k: i32). */
const ADD_I32: GpuKernel = {
  name: 'addI32',
  paramTypes: 'u32, i32',
  code: /* wgsl */ `
    @group(0) @binding(0) var<storage, read> x: array<i32>;
    @group(0) @binding(1) var<storage, read_write> y: array<i32>;
    struct Params { n: u32, k: i32 }
    @group(0) @binding(2) var<uniform> p: Params;
    @compute @workgroup_size(64)
    fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
      if (gid.x < p.n) { y[gid.x] = x[gid.x] + p.k; }
    }`,
};

describe('webgpu runtime (Dawn)', () => {
  let rt: WebGPURuntime;
  before(async () => {
    rt = await initDawnWebGPU();
  });

  it('uploads and reads back float32 and int32 of lengths 0, 1, 3, 1000 and 1e6 unchanged', async () => {
    for (const length of [0, 1, 3, 1000, 1_000_000]) {
      const f = Float32Array.from({ length }, (_, i) => i * 0.25 - 7.5 + (i % 7) * 1e-3);
      const n = Int32Array.from({ length }, (_, i) => (i * 2654435761) | 0);
      const [fa, na] = [rt.upload(f), rt.upload(n)];
      expect([fa.dtype, fa.length, na.dtype, na.length]).to.deep.equal(['float32', length, 'int32', length]);
      expect(fa.buffer.size).to.be.at.least(Math.max(16, 4 * length));
      const [fb, nb] = await Promise.all([rt.readAsync(fa), rt.readAsync(na)]);
      expect(fb).to.be.instanceOf(Float32Array);
      expect(nb).to.be.instanceOf(Int32Array);
      expect(fb).to.deep.equal(f);
      expect(nb).to.deep.equal(n);
    }
  });

  it('allocates zero-filled arrays, also from a reused buffer with stale values', async () => {
    const dirty = rt.upload(new Float32Array(100).fill(3));
    rt.release(dirty);
    const reusedBefore = rt.stats().reusedBuffers;
    const zero = rt.allocate('float32', 100, true);
    expect(rt.stats().reusedBuffers).to.equal(reusedBefore + 1);
    expect(await rt.readAsync(zero)).to.deep.equal(new Float32Array(100));
  });

  it('runs a kernel with u32 and f32 parameters, and one with an i32 parameter', async () => {
    const x = rt.upload(Float32Array.from({ length: 100 }, (_, i) => i));
    const y = rt.allocate('float32', 100, true);
    await expectNoGpuErrors(rt, () => rt.run(AXPB, [x, y], [70, 2, -0.5], [Math.ceil(70 / 64)]));
    const expected = Float32Array.from({ length: 100 }, (_, i) => (i < 70 ? 2 * i - 0.5 : 0));
    expect(await rt.readAsync(y)).to.deep.equal(expected);
    // Runs are ordered with the parameters' writeBuffer: the second run's values do not leak into the first.
    const z = rt.allocate('float32', 100, true);
    rt.run(AXPB, [x, y], [100, 1, 1], [2]);
    rt.run(AXPB, [y, z], [100, -1, 0], [2]);
    expect(await rt.readAsync(z)).to.deep.equal(Float32Array.from({ length: 100 }, (_, i) => -(i + 1)));
    const a = rt.upload(Int32Array.from([5, -6, 7]));
    const b = rt.allocate('int32', 3, false);
    await expectNoGpuErrors(rt, () => rt.run(ADD_I32, [a, b], [3, -10], [1]));
    expect(await rt.readAsync(b)).to.deep.equal(Int32Array.from([-5, -16, -3]));
  });

  it('workgroups1d covers n beyond 65535 workgroups exactly once with the documented index', async () => {
    expect(workgroups1d(1000, 64)).to.deep.equal([16, 1]);
    expect(workgroups1d(65535 * 64, 64)).to.deep.equal([65535, 1]);
    const n = 65535 * 64 + 100;
    const [x, y] = workgroups1d(n, 64);
    expect(y).to.equal(2);
    expect(x * y * 64).to.be.at.least(n);
    expect(x).to.be.at.most(65535);
    const out = rt.allocate('int32', n, true);
    await expectNoGpuErrors(rt, () => rt.run(COUNT, [out], [n], [x, y]));
    const values = await rt.readAsync(out);
    let wrong = 0;
    for (let i = 0; i < n; i++) if (values[i] !== i + 1) wrong++;
    expect(wrong).to.equal(0);
  });

  it('refuses a workgroup count above maxComputeWorkgroupsPerDimension, naming the kernel', () => {
    const out = rt.allocate('int32', 4, true);
    expect(() => rt.run(COUNT, [out], [4], [rt.limits.maxComputeWorkgroupsPerDimension + 1]))
      .to.throw(DeviceError, /count: workgroup counts .* 65535, got \[65536, 1, 1\] .*workgroups1d/);
  });

  it('refuses parameters that do not fit their types and a paramTypes of the wrong length', () => {
    const x = rt.allocate('float32', 4, true);
    const y = rt.allocate('float32', 4, true);
    expect(() => rt.run(AXPB, [x, y], [-1, 1, 1], [1])).to.throw(ArgumentError, /axpb: parameter 0 \(u32\) .* got -1/);
    expect(() => rt.run(AXPB, [x, y], [4, 1], [1])).to.throw(ArgumentError, /types 3 parameters but 2/);
    expect(() => rt.run(ADD_I32, [x, y], [4, 2 ** 31], [1])).to.throw(ArgumentError, /parameter 1 \(i32\)/);
  });

  it('binding or reading a released array throws instead of using a recycled buffer', async () => {
    const x = rt.upload(new Float32Array(8));
    const y = rt.allocate('float32', 8, true);
    rt.release(x);
    expect(x.released).to.equal(true);
    expect(() => rt.run(AXPB, [x, y], [8, 1, 0], [1])).to.throw(DeviceError, /released/);
    let error: unknown;
    await rt.readAsync(x).catch((e: unknown) => { error = e; });
    expect(error).to.be.instanceOf(DeviceError);
  });

  it('a GPU validation error (bad WGSL) surfaces: in an error scope, and at the next runtime call', async () => {
    const bad: GpuKernel = { name: 'bad', code: '@compute @workgroup_size(1) fn main() { let x: u32 = 1.5; }' };
    let scoped: unknown;
    await expectNoGpuErrors(rt, () => rt.run(bad, [], [], [1])).catch((e: unknown) => { scoped = e; });
    expect(String(scoped)).to.match(/GPU error/);
    // Dawn reports it during the run itself; other implementations later: either call throws.
    let next: unknown;
    try {
      rt.run({ ...bad, code: `${bad.code} ` }, [], [], [1]);
      await rt.readAsync(rt.upload(new Float32Array(1)));
    } catch (e) {
      next = e;
    }
    expect(next).to.be.instanceOf(DeviceError);
    expect(String(next)).to.match(/bad: .*WebGPU command failed.*WGSL/);
    expect(await rt.readAsync(rt.upload(Float32Array.of(4)))).to.deep.equal(Float32Array.of(4));
  });

  it('copy and write move values on the device (write converts and checks int32 values)', async () => {
    const src = rt.upload(Float32Array.of(1, 2, 3));
    const dst = rt.allocate('float32', 3, false);
    rt.copy(src, dst);
    expect(await rt.readAsync(dst)).to.deep.equal(Float32Array.of(1, 2, 3));
    rt.write(dst, Float64Array.of(0.5, 1.5, 2.5));
    expect(await rt.readAsync(dst)).to.deep.equal(Float32Array.of(0.5, 1.5, 2.5));
    const ints = rt.allocate('int32', 2, false);
    rt.write(ints, Float32Array.of(-2.7, 3.9));
    expect(await rt.readAsync(ints)).to.deep.equal(Int32Array.of(-2, 3));
    expect(() => rt.write(ints, Float32Array.of(1, 3e10))).to.throw(/cannot be stored as int32/);
    expect(() => rt.copy(src, ints)).to.throw(ArgumentError, /same dtype and length/);
  });

  it('exposes the device limits and the workgroup size allowed', () => {
    expect(rt.maxWorkgroupSize).to.equal(rt.limits.maxComputeInvocationsPerWorkgroup);
    expect(rt.maxWorkgroupSize).to.be.at.least(128);
    expect(new GpuArray('float32', 1, rt.allocate('float32', 1, false).buffer, {}).byteLength).to.equal(4);
  });
});
