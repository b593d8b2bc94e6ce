// initWebGPU: it finds Dawn's compatibility adapter, is idempotent, replaces the runtime only for
// another device, and says why when it cannot work (no WebGPU, no adapter, limits too low, no
// answer in time, a lost device) instead of hanging.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ArgumentError, DeviceError } from '../../errors.js';
import { dawnGpu, initDawnWebGPU } from './dawn.test-util.js';
import { NEEDED_LIMITS, initWebGPU, isWebGPUReady, webgpuRuntime } from './init.js';
import type { WebGPURuntime } from './runtime.js';

/** The DeviceError (or other error) a promise rejects with. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/** A stand-in adapter with `limits` whose requestDevice does `requestDevice`. */
function fakeAdapter(limits: Record<string, number>, requestDevice: () => Promise<unknown> = () => Promise.reject(new Error('no device'))): GPUAdapter {
  return { limits, features: new Set<string>(), info: { vendor: 'fake', architecture: '', description: '', device: '' }, requestDevice } as unknown as GPUAdapter;
}

describe('initWebGPU', () => {
  let rt: WebGPURuntime;
  before(async () => {
    rt = await initDawnWebGPU();
  });
  after(async () => {
    // Later test files use the process's runtime: leave it on Dawn's first device.
    await initWebGPU({ device: rt.device });
  });

  it("finds Dawn's compatibility-mode llvmpipe adapter and requests the adapter's own limits", async () => {
    const info = await initWebGPU({ gpu: await dawnGpu() });
    expect(info.compatibilityMode).to.equal(true);
    expect(info.device).to.match(/llvmpipe/);
    // Compatibility defaults would be 128 and 4; llvmpipe gives 1024 and 16.
    expect(info.limits.maxComputeInvocationsPerWorkgroup).to.equal(1024);
    expect(info.limits.maxStorageBuffersPerShaderStage).to.equal(16);
    expect(Object.keys(info.limits).sort()).to.deep.equal(Object.keys(NEEDED_LIMITS).sort());
    expect(isWebGPUReady()).to.equal(true);
  });

  it('is idempotent: a second call returns the same info and keeps the runtime', async () => {
    const first = await initWebGPU({ gpu: await dawnGpu() });
    const runtime = webgpuRuntime();
    const [a, b] = await Promise.all([initWebGPU(), initWebGPU({ gpu: await dawnGpu() })]);
    expect(a).to.equal(first);
    expect(b).to.equal(first);
    expect(webgpuRuntime()).to.equal(runtime);
  });

  it('says WebGPU is not available when there is no navigator.gpu and no options.gpu', () => {
    const script = `import { initWebGPU } from ${JSON.stringify(fileURLToPath(new URL('./init.ts', import.meta.url)))};
      initWebGPU().then(() => console.log('resolved'), (e) => console.log(e.name + ': ' + e.message));`;
    const child = spawnSync(process.execPath, ['--conditions=@tensorgrad/source', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30000 });
    expect(child.stdout).to.match(/^DeviceError: initWebGPU: WebGPU is not available: navigator\.gpu is undefined \(browsers: a secure context .*Node: pass \{ gpu: create\(\[\.\.\.\]\) \} from the 'webgpu' package\)/);
  });

  it('says so when no adapter is found, after trying core and then compatibility', async () => {
    const asked: unknown[] = [];
    const gpu = { requestAdapter: (o: unknown) => { asked.push(o); return Promise.resolve(null); } } as unknown as GPU;
    const error = await rejection(initWebGPU({ gpu, powerPreference: 'low-power' }));
    expect(error).to.be.instanceOf(DeviceError);
    expect(error.message).to.match(/^initWebGPU: no WebGPU adapter: gpu\.requestAdapter\(\) returned null for both core and compatibility/);
    expect(asked).to.deep.equal([{ powerPreference: 'low-power' }, { powerPreference: 'low-power', featureLevel: 'compatibility' }]);
  });

  it('times out instead of hanging when the adapter never answers', async () => {
    const gpu = { requestAdapter: () => new Promise(() => undefined) } as unknown as GPU;
    const start = Date.now();
    const error = await rejection(initWebGPU({ gpu, timeoutMs: 50 }));
    expect(error).to.be.instanceOf(DeviceError);
    expect(error.message).to.match(/^initWebGPU: gpu\.requestAdapter\(\) did not answer within 50 ms/);
    expect(Date.now() - start).to.be.below(2000);
  });

  it('names every limit that is too low, needed vs got', async () => {
    const limits = { ...NEEDED_LIMITS, maxStorageBuffersPerShaderStage: 4, maxComputeInvocationsPerWorkgroup: 64 };
    const error = await rejection(initWebGPU({ adapter: fakeAdapter(limits) }));
    expect(error).to.be.instanceOf(DeviceError);
    expect(error.message).to.equal("initWebGPU: the adapter's limits are too low for tensorgrad's kernels: maxComputeInvocationsPerWorkgroup 64 (needed >= 128), maxStorageBuffersPerShaderStage 4 (needed >= 8)");
  });

  it('reports a refused device, and a device request that never answers', async () => {
    const refused = await rejection(initWebGPU({ adapter: fakeAdapter({ ...NEEDED_LIMITS }) }));
    expect(refused).to.be.instanceOf(DeviceError);
    expect(refused.message).to.match(/^initWebGPU: adapter\.requestDevice\(\) .* failed: no device/);
    const hung = await rejection(initWebGPU({ adapter: fakeAdapter({ ...NEEDED_LIMITS }, () => new Promise(() => undefined)), timeoutMs: 30 }));
    expect(hung.message).to.match(/adapter\.requestDevice\(\) .* did not answer within \d+ ms/);
  });

  it('failed calls leave the working runtime in place', async () => {
    const runtime = webgpuRuntime();
    await rejection(initWebGPU({ gpu: { requestAdapter: () => Promise.resolve(null) } as unknown as GPU }));
    expect(webgpuRuntime()).to.equal(runtime);
    expect(isWebGPUReady()).to.equal(true);
  });

  it('checks its options', async () => {
    expect((await rejection(initWebGPU({ timeout: 5 } as never))).message).to.match(/unknown option 'timeout'.*timeoutMs/);
    expect(await rejection(initWebGPU({ timeoutMs: 0 }))).to.be.instanceOf(ArgumentError);
  });

  it('replaces the runtime for another device; a lost device makes every later call say so', async () => {
    const adapter = (await (await dawnGpu()).requestAdapter({ featureLevel: 'compatibility' }))!;
    await initWebGPU({ device: await adapter.requestDevice() });
    await initWebGPU({ gpu: await dawnGpu() });
    const runtime = webgpuRuntime();
    const device = runtime.device;
    expect(runtime).to.not.equal(rt);
    expect(device).to.not.equal(rt.device);
    const x = runtime.upload(Float32Array.of(1, 2));
    expect(() => rt.release(x)).to.throw(DeviceError, /another WebGPU device/);
    device.destroy();
    await device.lost;
    expect(isWebGPUReady()).to.equal(false);
    expect(() => webgpuRuntime()).to.throw(DeviceError, /device was lost \(reason 'destroyed'.*initWebGPU\(\) again/);
    expect(() => runtime.allocate('float32', 4, false)).to.throw(DeviceError, /^allocate: the WebGPU device was lost/);
    // A lost device is replaced by a call without options, from the gpu used before.
    await initWebGPU();
    expect(isWebGPUReady()).to.equal(true);
    expect(webgpuRuntime().device).to.not.equal(device);
    expect(await webgpuRuntime().readAsync(webgpuRuntime().upload(Float32Array.of(5)))).to.deep.equal(Float32Array.of(5));
  });
});
