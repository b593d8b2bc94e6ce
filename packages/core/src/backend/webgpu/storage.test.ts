// webgpuStorage: the StorageKernels of device 'webgpu' on the runtime initWebGPU made.
import { expect } from 'chai';
import { DTypeError, DeviceError } from '../../errors.js';
import { initDawnWebGPU } from './dawn.test-util.js';
import { GpuArray } from './gpu-array.js';
import { webgpuStorage } from './storage.js';

describe('webgpu storage (Dawn)', () => {
  before(async () => {
    await initDawnWebGPU();
  });

  it('moves float32 and int32 values to the device and back, zero-fills, copies and writes', async () => {
    const f = webgpuStorage.fromHost(Float32Array.of(1.5, -2, 3));
    const i = webgpuStorage.fromHost(Int32Array.of(7, -8));
    expect(f).to.be.instanceOf(GpuArray);
    expect(await webgpuStorage.toHostAsync(f)).to.deep.equal(Float32Array.of(1.5, -2, 3));
    expect(await webgpuStorage.toHostAsync(i)).to.deep.equal(Int32Array.of(7, -8));
    const z = webgpuStorage.allocate('int32', 5, true);
    expect(await webgpuStorage.toHostAsync(z)).to.deep.equal(new Int32Array(5));
    const g = webgpuStorage.allocate('float32', 3, false);
    webgpuStorage.copy(f, g);
    webgpuStorage.write(f, Float64Array.of(9, 8, 7));
    expect(await webgpuStorage.toHostAsync(g)).to.deep.equal(Float32Array.of(1.5, -2, 3));
    expect(await webgpuStorage.toHostAsync(f)).to.deep.equal(Float32Array.of(9, 8, 7));
  });

  it('refuses float64, naming the op, the shape and the dtypes WebGPU holds', () => {
    expect(() => webgpuStorage.allocate('float64', 6, true, [2, 3], 'zeros'))
      .to.throw(DTypeError, /^zeros: WebGPU holds float32 and int32 tensors, got float64 \(shape \[2,3\]\)/);
    expect(() => webgpuStorage.fromHost(new Float64Array(2))).to.throw(DTypeError, /^fromHost: WebGPU holds float32 and int32 tensors, got float64/);
  });

  it('release gives the buffer back; a second release and a CPU array throw DeviceErrors', async () => {
    const a = webgpuStorage.allocate('float32', 4, false) as GpuArray;
    webgpuStorage.release(a);
    expect(a.released).to.equal(true);
    expect(() => webgpuStorage.release(a)).to.throw(DeviceError, /already released/);
    expect(() => webgpuStorage.release(new Float32Array(4))).to.throw(DeviceError, /CPU Float32Array.*\.to\('webgpu'\)/);
    let error: unknown;
    await webgpuStorage.toHostAsync(a).catch((e: unknown) => { error = e; });
    expect(error).to.be.instanceOf(DeviceError);
  });
});
