// Tensors on the 'webgpu' device: moving, reading back (only asynchronously), printing, copying,
// and the errors that name what to do instead (Dawn on llvmpipe).
import { expect } from 'chai';
import { AutogradError, DTypeError, DeviceError, ShapeError } from '../../errors.js';
import { Generator, binaryCrossEntropy, crossEntropy, mul, onesLike, randn, tensor, zeros, zerosLike } from '../../index.js';
import { cpuCopy } from '../cpu/copy.js';
import { initDawnWebGPU } from './dawn.test-util.js';

describe('tensors on webgpu', () => {
  before(async () => {
    await initDawnWebGPU();
  });

  it('to("webgpu") copies float32 and int32 values there; toAsync("cpu"), dataAsync, itemAsync, toArrayAsync read them back', async () => {
    const x = tensor([[1.5, -2], [3, 4.25]]);
    const g = x.to('webgpu');
    expect(g.device).to.equal('webgpu');
    expect(g.shape).to.deep.equal([2, 2]);
    expect(g.dtype).to.equal('float32');
    expect(x.to('cpu')).to.equal(x);
    expect(g.to('webgpu')).to.equal(g);
    expect(Array.from(await g.dataAsync())).to.deep.equal([1.5, -2, 3, 4.25]);
    expect(await g.toArrayAsync()).to.deep.equal([[1.5, -2], [3, 4.25]]);
    const back = await g.toAsync('cpu');
    expect(back.device).to.equal('cpu');
    expect(Array.from(back.data)).to.deep.equal([1.5, -2, 3, 4.25]);
    expect(await tensor(7, { dtype: 'int32' }).to('webgpu').itemAsync()).to.equal(7);
    const labels = tensor([3, -1, 2147483647], { dtype: 'int32' }).to('webgpu');
    expect(labels.dtype).to.equal('int32');
    expect(Array.from(await labels.dataAsync())).to.deep.equal([3, -1, 2147483647]);
  });

  it('synchronous reads of a GPU tensor throw a DeviceError naming the async method', () => {
    const g = tensor([1, 2, 3]).to('webgpu');
    expect(() => g.data).to.throw(DeviceError, /on 'webgpu'.*dataAsync/);
    expect(() => g.item()).to.throw(ShapeError); // three elements: the shape is checked first
    expect(() => tensor(1).to('webgpu').item()).to.throw(DeviceError, /dataAsync/);
    expect(() => g.toArray()).to.throw(DeviceError, /dataAsync/);
    expect(() => g.to('cpu')).to.throw(DeviceError, /await t\.toAsync\('cpu'\)/);
  });

  it('float64 is refused by name (WGSL has no 64-bit floats)', () => {
    expect(() => tensor([1, 2], { dtype: 'float64' }).to('webgpu')).to.throw(DTypeError, /float32 and int32.*float64/);
  });

  it('requiresGrad moves with a leaf; a tensor inside a recorded graph must be detached first', () => {
    const w = zeros([3]).requiresGrad_();
    const g = w.to('webgpu');
    expect(g.requiresGrad).to.equal(true);
    expect(g.isLeaf).to.equal(true);
    const y = mul(w, w);
    expect(() => y.to('webgpu')).to.throw(AutogradError, /detach\(\) first/);
    expect(y.detach().to('webgpu').requiresGrad).to.equal(false);
  });

  it('clone, copy_ and printing stay on the device', async () => {
    const g = tensor([1, 2, 3]).to('webgpu');
    const c = g.clone();
    expect(c.device).to.equal('webgpu');
    expect(c.storage).not.to.equal(g.storage);
    expect(Array.from(await c.dataAsync())).to.deep.equal([1, 2, 3]);
    c.copy_(tensor([4, 5, 6]));
    expect(Array.from(await c.dataAsync())).to.deep.equal([4, 5, 6]);
    expect(Array.from(await g.dataAsync())).to.deep.equal([1, 2, 3]);
    g.copy_(c);
    expect(Array.from(await g.dataAsync())).to.deep.equal([4, 5, 6]);
    const cpu = zeros([3]);
    expect(() => cpu.copy_(g)).to.throw(DeviceError, /toAsync\('cpu'\)/);
    expect(String(g)).to.match(/^tensor\(<on device[^]*device='webgpu'/);
  });

  it('argument checks that read values run on the GPU and reject the next readback (binaryCrossEntropy, cast to int32, class targets)', async () => {
    const bad = binaryCrossEntropy(tensor([0.5, 1.5]).to('webgpu'), tensor([1, 0]).to('webgpu'));
    let message = '';
    await bad.itemAsync().catch((e: Error) => { message = e.message; });
    expect(message).to.match(/firstOutside: the value at flat index 1 of 2 is not in \[0, 1\]/);
    expect(await binaryCrossEntropy(tensor([0.5, 0]).to('webgpu'), tensor([1, 0]).to('webgpu')).itemAsync()).to.be.closeTo(0.3465736, 1e-6);
    expect(cpuCopy.firstOutside(Float32Array.of(0, 1, 0.5), 0, 1)).to.equal(-1);
    expect(cpuCopy.firstOutside(Float32Array.of(0, NaN, 2), 0, 1)).to.equal(1);
    const cross = crossEntropy(tensor([[1, 2, 3]]).to('webgpu'), tensor([3], { dtype: 'int32' }).to('webgpu'));
    await cross.itemAsync().then(() => expect.fail('a class 3 of 3 must be refused'), (e: Error) => expect(e.message).to.match(/firstInvalidClass/));
  });

  it('creation functions take a device (values made on the host, so a seed gives the same values there); *Like follow their tensor', async () => {
    const a = randn([3, 4], { generator: new Generator(5), device: 'webgpu' });
    const b = randn([3, 4], { generator: new Generator(5) });
    expect(a.device).to.equal('webgpu');
    expect(Array.from(await a.dataAsync())).to.deep.equal(Array.from(b.data));
    expect(Array.from(await zeros([2], { device: 'webgpu' }).dataAsync())).to.deep.equal([0, 0]);
    expect(Array.from(await tensor([[1, 2]], { device: 'webgpu', dtype: 'int32' }).dataAsync())).to.deep.equal([1, 2]);
    const z = zerosLike(a);
    expect(z.device).to.equal('webgpu');
    expect(onesLike(a, { device: 'cpu' }).device).to.equal('cpu');
    expect(() => zeros([2], { device: 'webgpu', dtype: 'float64' })).to.throw(DTypeError, /float32 and int32/);
    expect(() => zeros([2], { device: 'tpu' as 'cpu' })).to.throw(DeviceError, /device must be one of 'cpu', 'webgpu', got 'tpu'/);
  });
});
