// deviceArrayOf on Dawn: host attributes are uploaded once per array and dtype, converted to the
// kernel's dtype; GpuArrays pass through; values int32 cannot hold are refused.
import { expect } from 'chai';
import { DTypeError } from '../../errors.js';
import { initDawnWebGPU } from './dawn.test-util.js';
import { deviceArrayOf } from './host-arrays.js';
import type { WebGPURuntime } from './runtime.js';

describe('webgpu deviceArrayOf (Dawn)', () => {
  let rt: WebGPURuntime;
  before(async () => {
    rt = await initDawnWebGPU();
  });

  it('uploads a host array once (the same GpuArray on every later call) with its values', async () => {
    const index = new Int32Array([3, -1, 7]);
    const before = rt.stats().liveArrays;
    const a = deviceArrayOf(index, 'int32');
    expect(deviceArrayOf(index, 'int32')).to.equal(a);
    expect(rt.stats().liveArrays).to.equal(before + 1);
    expect([a.dtype, a.length]).to.deep.equal(['int32', 3]);
    expect(await rt.readAsync(a)).to.deep.equal(index);
    // Another array with equal values is another upload (the cache is by identity).
    expect(deviceArrayOf(new Int32Array([3, -1, 7]), 'int32')).to.not.equal(a);
  });

  it('converts to the requested dtype: float64 divisors to float32, integral floats to int32', async () => {
    const divisors = new Float64Array([1, 0.1, 9]);
    const f = deviceArrayOf(divisors, 'float32');
    expect(f.dtype).to.equal('float32');
    expect(await rt.readAsync(f)).to.deep.equal(Float32Array.from(divisors));
    const i = deviceArrayOf(divisors.subarray(0, 1), 'int32');
    expect(await rt.readAsync(i)).to.deep.equal(new Int32Array([1]));
    // One host array may be wanted as both dtypes: two uploads, each cached.
    const both = new Float32Array([2, 5]);
    const asInt = deviceArrayOf(both, 'int32');
    const asFloat = deviceArrayOf(both, 'float32');
    expect([asInt.dtype, asFloat.dtype]).to.deep.equal(['int32', 'float32']);
    expect(deviceArrayOf(both, 'int32')).to.equal(asInt);
    expect(await rt.readAsync(asInt)).to.deep.equal(new Int32Array([2, 5]));
  });

  it('uploads empty arrays', async () => {
    const e = deviceArrayOf(new Int32Array(0), 'int32');
    expect(e.length).to.equal(0);
    expect(await rt.readAsync(e)).to.deep.equal(new Int32Array(0));
  });

  it('returns a GpuArray unchanged, and refuses one of the other dtype', () => {
    const g = rt.upload(new Float32Array([1, 2]));
    expect(deviceArrayOf(g, 'float32')).to.equal(g);
    expect(() => deviceArrayOf(g, 'int32')).to.throw(DTypeError, /^deviceArrayOf: a host or device array must be int32 on WebGPU, got float32/);
  });

  it('refuses int32 attributes with fractions, NaN or values outside int32', () => {
    expect(() => deviceArrayOf(new Float64Array([1, 2.5]), 'int32')).to.throw(DTypeError, /\[1\] = 2.5 is not an integer/);
    expect(() => deviceArrayOf(new Float64Array([NaN]), 'int32')).to.throw(DTypeError, /cannot be stored as int32/);
    expect(() => deviceArrayOf(new Float64Array([2 ** 31]), 'int32')).to.throw(DTypeError, /cannot be stored as int32/);
  });

  it('uploads again after the cached upload was released', async () => {
    const index = new Int32Array([4, 5]);
    const a = deviceArrayOf(index, 'int32');
    rt.release(a);
    const b = deviceArrayOf(index, 'int32');
    expect(b).to.not.equal(a);
    expect(await rt.readAsync(b)).to.deep.equal(index);
  });
});
