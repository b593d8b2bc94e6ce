// The WebGPU optimizer kernels on Dawn against the CPU kernels (backend/cpu/optimizer.ts) on the
// same float32 inputs, over three steps so the state arrays carry over: every variant of SGD
// (plain, momentum with dampening, nesterov), Adam and AdamW (with and without AMSGrad) and
// RMSprop (centered or not, momentum or not); the gradient p-norm (p = 1, 2, 3, 1.5, ∞, one array
// large enough for the grid-strided first stage) and clipping's scale (applied, and not).
import { expect } from 'chai';
import { DeviceError } from '../../errors.js';
import { cpuOptimizer } from '../cpu/optimizer.js';
import type { SgdHyper } from '../optimizer.js';
import { expectNoGpuErrors, initDawnWebGPU } from './dawn.test-util.js';
import type { GpuArray } from './gpu-array.js';
import { webgpuOptimizer } from './optimizer.js';
import type { WebGPURuntime } from './runtime.js';
import { GPU_TOLERANCE, describeMismatch } from './tolerance.js';

/** Deterministic values in [offset − 1, offset + 1). */
function values(n: number, seed: number, offset = 0): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1 + offset;
  });
}

const N = 1000;

/**
 * Runs `step` for three steps on CPU copies and on GPU uploads of the same arrays (the first
 * `nState` of which start at zero: optimizer state), then compares every array.
 */
async function compare(
  rt: WebGPURuntime, what: string, nState: number,
  step: (arrays: { cpu: Float32Array[]; gpu: GpuArray[] }, t: number) => void,
): Promise<void> {
  const w = values(N, 1);
  const state = Array.from({ length: nState }, () => new Float32Array(N));
  const cpu = [w, new Float32Array(N), ...state];
  const gpu = cpu.map((a) => rt.upload(a));
  await expectNoGpuErrors(rt, () => {
    for (let t = 1; t <= 3; t++) {
      const g = values(N, 10 + t, 0.1);
      cpu[1] = g;
      rt.write(gpu[1]!, g);
      step({ cpu, gpu }, t);
    }
  });
  for (let i = 0; i < cpu.length; i++) {
    const got = await rt.readAsync(gpu[i]!);
    expect(describeMismatch(got, cpu[i]!, GPU_TOLERANCE), `${what}: array ${i}`).to.equal(null);
  }
  // The update moved the parameter (a kernel that wrote nothing would match a CPU that wrote nothing).
  expect(describeMismatch(cpu[0]!, values(N, 1), GPU_TOLERANCE), what).to.not.equal(null);
}

describe('webgpu optimizer kernels (Dawn) vs the CPU kernels', () => {
  let rt: WebGPURuntime;
  before(async () => {
    rt = await initDawnWebGPU();
  });

  const sgdCases: [string, Omit<SgdHyper, 'firstStep'>, boolean][] = [
    ['plain, weight decay', { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0.01, nesterov: false }, false],
    ['momentum, dampening', { lr: 0.1, momentum: 0.9, dampening: 0.3, weightDecay: 0.01, nesterov: false }, true],
    ['nesterov', { lr: 0.05, momentum: 0.8, dampening: 0, weightDecay: 0.1, nesterov: true }, true],
  ];
  for (const [name, h, momentum] of sgdCases) {
    it(`sgd: ${name}`, async () => {
      await compare(rt, `sgd ${name}`, momentum ? 1 : 0, ({ cpu, gpu }, t) => {
        cpuOptimizer.sgd(cpu[0]!, cpu[1]!, momentum ? cpu[2]! : null, { ...h, firstStep: t === 1 });
        webgpuOptimizer.sgd(gpu[0]!, gpu[1]!, momentum ? gpu[2]! : null, { ...h, firstStep: t === 1 });
      });
    });
  }

  for (const decoupled of [false, true]) {
    for (const amsgrad of [false, true]) {
      const name = `${decoupled ? 'adamw' : 'adam'}${amsgrad ? ' amsgrad' : ''}`;
      it(name, async () => {
        const [beta1, beta2] = [0.8, 0.95];
        await compare(rt, name, amsgrad ? 3 : 2, ({ cpu, gpu }, t) => {
          const h = { lr: 0.01, beta1, beta2, eps: 1e-6, weightDecay: 0.1, decoupled, biasCorrection1: 1 - beta1 ** t, biasCorrection2: 1 - beta2 ** t };
          cpuOptimizer.adam(cpu[0]!, cpu[1]!, cpu[2]!, cpu[3]!, amsgrad ? cpu[4]! : null, h);
          webgpuOptimizer.adam(gpu[0]!, gpu[1]!, gpu[2]!, gpu[3]!, amsgrad ? gpu[4]! : null, h);
        });
      });
    }
  }

  for (const centered of [false, true]) {
    for (const momentum of [0, 0.9]) {
      const name = `rmsprop${centered ? ' centered' : ''}${momentum > 0 ? ' momentum' : ''}`;
      it(name, async () => {
        const nState = 1 + +centered + +(momentum > 0);
        await compare(rt, name, nState, ({ cpu, gpu }) => {
          const h = { lr: 0.01, alpha: 0.9, eps: 1e-8, weightDecay: 0.1, momentum };
          const pick = <T>(a: T[]): [T | null, T | null] => [centered ? a[3]! : null, momentum > 0 ? a[centered ? 4 : 3]! : null];
          cpuOptimizer.rmsprop(cpu[0]!, cpu[1]!, cpu[2]!, ...pick(cpu), h);
          webgpuOptimizer.rmsprop(gpu[0]!, gpu[1]!, gpu[2]!, ...pick(gpu), h);
        });
      });
    }
  }

  it('normAccumulate over several arrays and normFinish: p = 1, 2, 3, 1.5 and Infinity', async () => {
    // 70000 elements: more than the first stage's 256 workgroups of 64 cover in one pass.
    const xs = [values(70000, 3), values(5, 4, 3), new Float32Array(7), values(1, 5)];
    for (const normType of [1, 2, 3, 1.5, Infinity]) {
      const cpuAcc = new Float64Array(1);
      for (const x of xs) cpuOptimizer.normAccumulate(x, cpuAcc, normType);
      cpuOptimizer.normFinish(cpuAcc, normType);
      const gpuAcc = rt.upload(new Float32Array(1));
      await expectNoGpuErrors(rt, () => {
        for (const x of xs) webgpuOptimizer.normAccumulate(rt.upload(x), gpuAcc, normType);
        webgpuOptimizer.normFinish(gpuAcc, normType);
      });
      expect(describeMismatch(await rt.readAsync(gpuAcc), cpuAcc, GPU_TOLERANCE), `p = ${normType}`).to.equal(null);
    }
  });

  it('clipScale scales by maxNorm/(total + 1e-6) when that is below 1, and leaves x exactly as it was otherwise', async () => {
    const x = values(300, 6);
    for (const [total, maxNorm] of [[5, 2], [5, 6]] as const) {
      const want = x.slice();
      cpuOptimizer.clipScale(want, Float64Array.of(total), maxNorm);
      const gx = rt.upload(x);
      await expectNoGpuErrors(rt, () => webgpuOptimizer.clipScale(gx, rt.upload(Float32Array.of(total)), maxNorm));
      const got = await rt.readAsync(gx);
      if (maxNorm > total) expect(Array.from(got)).to.deep.equal(Array.from(x));
      else expect(describeMismatch(got, want, GPU_TOLERANCE)).to.equal(null);
    }
  });

  it('an empty parameter runs nothing; CPU arrays are refused by name', async () => {
    const e = rt.upload(new Float32Array(0));
    await expectNoGpuErrors(rt, () => webgpuOptimizer.sgd(e, e, null, { lr: 1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, firstStep: true }));
    expect(() => webgpuOptimizer.sgd(new Float32Array(2), rt.upload(new Float32Array(2)), null, { lr: 1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, firstStep: true }))
      .to.throw(DeviceError, /^optimizer\.sgd: the WebGPU backend got a CPU Float32Array as param/);
  });
});
