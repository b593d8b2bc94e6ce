// The buffer pool on Dawn: size classes, reuse, the cap on pooled bytes, release errors, and the
// FinalizationRegistry path (GPU memory flat without any release call).
import { expect } from 'chai';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { AllocationError, DeviceError } from '../../errors.js';
import { BufferPool, sizeClass } from './buffer-pool.js';
import { initDawnWebGPU } from './dawn.test-util.js';
import type { WebGPURuntime } from './runtime.js';

describe('webgpu buffer pool (Dawn)', () => {
  let rt: WebGPURuntime;
  before(async () => {
    rt = await initDawnWebGPU();
  });

  /** A pool of its own on the runtime's device, so counters start at zero. */
  function freshPool(): BufferPool {
    return new BufferPool(rt.device, rt.limits);
  }

  it('size classes: powers of two from 256 bytes to 1 MiB, sixteenths of the next power above', () => {
    expect([0, 4, 256, 257, 1000, 2 ** 20].map(sizeClass)).to.deep.equal([256, 256, 256, 512, 1024, 2 ** 20]);
    expect(sizeClass(2 ** 20 + 1)).to.equal(1.125 * 2 ** 20);
    expect(sizeClass(3 * 2 ** 20 + 5)).to.equal(3.25 * 2 ** 20);
    expect(sizeClass(100e6)).to.equal(Math.ceil(100e6 / 2 ** 23) * 2 ** 23);
    for (const bytes of [1, 300, 5000, 2 ** 20 + 3, 7e6, 1e8]) {
      const size = sizeClass(bytes);
      expect(size).to.be.at.least(bytes);
      expect(size % 16).to.equal(0);
      if (bytes > 256) expect(size / bytes).to.be.below(bytes > 2 ** 20 ? 1.125 : 2);
    }
  });

  it('a released buffer is reused by the next allocation of its size class, not created again', () => {
    const pool = freshPool();
    const a = pool.acquire('float32', 1000, false);
    expect(a.buffer.size).to.equal(4096);
    pool.release(a);
    expect(pool.stats()).to.deep.equal({ liveArrays: 0, liveBytes: 0, pooledBuffers: 1, pooledBytes: 4096, createdBuffers: 1, reusedBuffers: 0 });
    const b = pool.acquire('int32', 900, false);
    expect(pool.stats()).to.deep.equal({ liveArrays: 1, liveBytes: 4096, pooledBuffers: 0, pooledBytes: 0, createdBuffers: 1, reusedBuffers: 1 });
    const c = pool.acquire('float32', 1000, false);
    expect(c.buffer).to.not.equal(b.buffer);
    expect(pool.stats().createdBuffers).to.equal(2);
  });

  it('stays flat over 2,000 allocate/release cycles of a training-like set of sizes', () => {
    const pool = freshPool();
    const sizes = [10, 1000, 1000, 4096, 50_000, 3];
    const cycle = () => {
      const arrays = sizes.map((n) => pool.acquire('float32', n, false));
      for (const a of arrays) pool.release(a);
    };
    cycle();
    const after1 = pool.stats();
    for (let i = 1; i < 2000; i++) cycle();
    const after2000 = pool.stats();
    expect(after2000.createdBuffers).to.equal(after1.createdBuffers);
    expect(after2000.createdBuffers).to.equal(sizes.length);
    expect(after2000.pooledBytes).to.equal(after1.pooledBytes);
    expect(after2000.liveArrays).to.equal(0);
    expect(after2000.reusedBuffers).to.equal(1999 * sizes.length);
  });

  it('destroys returned buffers beyond the cap on pooled bytes', () => {
    const pool = freshPool();
    pool.maxPooledBytes = 8192;
    const arrays = [1000, 1000, 1000].map((n) => pool.acquire('float32', n, false));
    for (const a of arrays) pool.release(a);
    expect(pool.stats()).to.include({ pooledBuffers: 2, pooledBytes: 8192 });
    pool.maxPooledBytes = 4096;
    expect(pool.stats()).to.include({ pooledBuffers: 1, pooledBytes: 4096 });
  });

  it('a double release, or a release into another pool, throws a DeviceError and changes nothing', () => {
    const pool = freshPool();
    const a = pool.acquire('float32', 10, false);
    pool.release(a);
    const before = pool.stats();
    expect(() => pool.release(a)).to.throw(DeviceError, /already released/);
    expect(() => a.buffer).to.throw(DeviceError, /released/);
    const other = freshPool().acquire('float32', 10, false);
    expect(() => pool.release(other)).to.throw(DeviceError, /another WebGPU device/);
    expect(pool.stats()).to.deep.equal(before);
  });

  it('refuses an array larger than one binding can hold, naming the op and the limit', () => {
    const pool = freshPool();
    const tooMany = rt.limits.maxStorageBufferBindingSize / 4 + 1;
    const limit = rt.limits.maxStorageBufferBindingSize;
    expect(() => pool.acquire('float32', tooMany, false, { op: 'zeros', shape: [tooMany] }))
      .to.throw(AllocationError, new RegExp(`^zeros: cannot allocate a float32 WebGPU array of shape \\[${tooMany}\\] .*at most ${limit} bytes per buffer \\(maxStorageBufferBindingSize ${limit}`));
  });

  it('the registry callback returns a collected array\'s buffer to the pool', () => {
    const pool = freshPool();
    const a = pool.acquire('float32', 64, false);
    pool.reclaim(a.buffer);
    expect(pool.stats()).to.include({ liveArrays: 0, liveBytes: 0, pooledBuffers: 1, pooledBytes: 256 });
  });

  it('garbage-collected arrays give their buffers back with no release call (FinalizationRegistry)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const pool = freshPool();
    const keep = pool.acquire('float32', 10, false);
    (() => {
      for (let i = 0; i < 50; i++) pool.acquire('float32', 1000, false);
    })();
    expect(pool.stats().liveArrays).to.equal(51);
    for (let i = 0; i < 20 && pool.stats().liveArrays > 1; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(pool.stats()).to.include({ liveArrays: 1, liveBytes: 256, pooledBuffers: 50, pooledBytes: 50 * 4096 });
    expect(keep.released).to.equal(false);
    for (let i = 0; i < 50; i++) pool.acquire('float32', 1000, false);
    expect(pool.stats()).to.include({ createdBuffers: 51, reusedBuffers: 50 });
  });
});
