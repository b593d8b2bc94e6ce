// The registry-wide check of the WebGPU backend: every registered op, on cases from its own
// arbitraries, runs forward, first-order VJP and second-order VJP (the gradient of ⟨VJP, w⟩) on
// WebGPU in float32, and the results are compared with the same computation on the CPU in float64
// (whose gradients the registry's finite-difference test proves). So a WebGPU kernel that is
// wrong in any op's forward or in any VJP the op's gradients use fails here, op by op.
// Runs on Dawn (the npm package webgpu) over Mesa llvmpipe: a compatibility-mode software adapter.
import { expect } from 'chai';
import { DTypeError } from '../../errors.js';
import * as fc from 'fast-check';
import '../../index.js';
import { listOps } from '../../autograd/registry.js';
import { applyOpInPlace } from '../../autograd/op-table.js';
import { fitsInPlace } from '../../testing/check-op.js';
import type { OpDef } from '../../autograd/types.js';
import { vjp } from '../../autograd/grad.js';
import { tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Generator } from '../../tensor/random.js';
import * as arb from '../../testing/arbitraries.js';
import { add, mul } from '../../ops/elementwise/arithmetic.js';
import { sum } from '../../ops/reduce/sum.js';
import { initDawnWebGPU } from './dawn.test-util.js';
import { GPU_VS_FLOAT64, describeMismatch } from './tolerance.js';

/** Cases per op (each runs three passes on a software GPU). */
const CASES = 4;

interface Named {
  inputs: Record<string, Tensor | Tensor[] | null>;
  attrs: unknown;
}

/** Applies `def` to a copy of the case's inputs made by `move` (a tensor per flattened input). */
function applier(def: OpDef, c: Named): { tensors: Tensor[]; f: (...xs: Tensor[]) => Tensor; wrt: number[] } {
  const slots: { name: string; index: number | null }[] = [];
  const tensors: Tensor[] = [];
  for (const spec of def.inputs) {
    const value = c.inputs[spec.name];
    if (value === null || value === undefined) continue;
    const list = Array.isArray(value) ? value : [value];
    list.forEach((t, index) => {
      slots.push({ name: spec.name, index: Array.isArray(value) ? index : null });
      tensors.push(t);
    });
  }
  const wrt = tensors.flatMap((t, i) => (def.inputs.find((s) => s.name === slots[i]!.name)!.differentiable && t.dtype !== 'int32' ? [i] : []));
  const f = (...xs: Tensor[]): Tensor => {
    const named: Record<string, Tensor | Tensor[] | null> = {};
    for (const spec of def.inputs) named[spec.name] = Array.isArray(c.inputs[spec.name]) ? [] : (c.inputs[spec.name] ?? null);
    xs.forEach((x, i) => {
      const slot = slots[i]!;
      if (slot.index === null) named[slot.name] = x;
      else (named[slot.name] as Tensor[])[slot.index] = x;
    });
    return def.apply(named as Record<string, Tensor | null>, c.attrs);
  };
  return { tensors, f, wrt };
}

/** The float32 values of t (int32 kept), as a CPU tensor of dtype `dtype` (float inputs only). */
function asDtype(t: Tensor, dtype: 'float32' | 'float64'): Tensor {
  if (t.dtype === 'int32') return tensor(t.data, { shape: t.shape, dtype: 'int32' });
  return tensor(Float32Array.from(t.data), { shape: t.shape, dtype });
}

interface Results {
  y: Float64Array;
  first: Float64Array[];
  second: Float64Array[];
}

/** Forward, the VJP at dy, and the gradient of ⟨VJP, w⟩ (second order), on the inputs' device. */
async function run(def: OpDef, c: Named, inputs: Tensor[], dyHost: Tensor | null, wHost: Tensor[], device: 'cpu' | 'webgpu', order: number): Promise<Results> {
  const { f, wrt } = applier(def, c);
  const xs = inputs.map((t, i) => {
    const moved = device === 'cpu' ? t : t.to('webgpu');
    return wrt.includes(i) ? moved.detach().requiresGrad_() : moved;
  });
  const read = async (t: Tensor): Promise<Float64Array> => {
    expect(t.device, `${def.name} computed on ${t.device}`).to.equal(device);
    return Float64Array.from(await t.dataAsync());
  };
  // Only the differentiated inputs are vjp's arguments (vjp tracks every argument it gets).
  const [y, pullback] = vjp((...ws: Tensor[]) => f(...xs.map((x, i) => (wrt.includes(i) ? ws[wrt.indexOf(i)]! : x))), ...wrt.map((i) => xs[i]!));
  const results: Results = { y: await read(y), first: [], second: [] };
  if (dyHost === null || wrt.length === 0) return results;
  const dy = device === 'cpu' ? dyHost : dyHost.to('webgpu');
  const grads = pullback(dy, { retainGraph: true });
  for (const g of grads) results.first.push(await read(g));
  if (order < 2) return results;
  // Second order: ∂⟨VJP(dy), w⟩/∂x for every differentiable x (a Hessian-vector product in x).
  const ws = wHost.map((w) => (device === 'cpu' ? w : w.to('webgpu')));
  let inner: Tensor | null = null;
  grads.forEach((g, k) => {
    const term = sum(mul(g, ws[k]!));
    inner = inner === null ? term : add(inner, term);
  });
  if (inner === null || !(inner as Tensor).requiresGrad) return results;
  (inner as Tensor).backward();
  for (const i of wrt) results.second.push(xs[i]!.grad === null ? new Float64Array(inputs[i]!.size) : await read(xs[i]!.grad!));
  return results;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function randomLike(g: Generator, t: Tensor, dtype: 'float32' | 'float64'): Tensor {
  const values = new Float32Array(t.size);
  for (let i = 0; i < values.length; i++) values[i] = g.uniform() * 2 - 1;
  return tensor(values, { shape: t.shape, dtype });
}

describe('WebGPU backend: every registered op matches the CPU (float64) forward, VJP and second-order VJP', function () {
  this.timeout(120_000);
  /** Values compared over all ops, per pass: a run that compares nothing must not pass. */
  const compared = { forward: 0, first: 0, second: 0 };
  before(async () => {
    await initDawnWebGPU();
  });
  after(() => {
    expect(compared.forward).to.be.greaterThan(1000);
    expect(compared.first).to.be.greaterThan(1000);
    expect(compared.second).to.be.greaterThan(1000);
  });
  // Ops that other test files register at load time are named test_… (fixtures of those tests).
  for (const def of listOps().filter((d) => !d.name.startsWith('test_'))) {
    it(def.name, async () => {
      const cases = fc.sample(def.cases({ fc, arb }), { numRuns: CASES, seed: 20261130 });
      let checked = 0;
      const order = def.gradCheck.order ?? 2;
      for (const [k, raw] of cases.entries()) {
        const c = raw as Named;
        const { tensors } = applier(def, c);
        const g = new Generator(k + 1);
        const f32 = tensors.map((t) => asDtype(t, 'float32'));
        const f64 = tensors.map((t) => asDtype(t, 'float64'));
        // The output's shape and dtype, from one CPU run, for dy.
        const probe = applier(def, c).f(...f64);
        const dy32 = probe.dtype === 'int32' ? null : randomLike(g, probe, 'float32');
        const dy64 = dy32 === null ? null : tensor(Float64Array.from(dy32.data), { shape: dy32.shape, dtype: 'float64' });
        const { wrt } = applier(def, c);
        const w32 = wrt.map((i) => randomLike(g, tensors[i]!, 'float32'));
        const w64 = w32.map((w) => tensor(Float64Array.from(w.data), { shape: w.shape, dtype: 'float64' }));
        let gpuCase = c;
        if (isObject(c.attrs) && c.attrs['dtype'] === 'float64') {
          // An op asked for float64 output (cast): WebGPU refuses it by name; its float type is float32.
          expect(() => applier(def, c).f(...f32.map((t) => t.to('webgpu')))).to.throw(DTypeError, /float32 and int32/);
          gpuCase = { ...c, attrs: { ...c.attrs, dtype: 'float32' } };
        }
        const gpu = await run(def, gpuCase, f32, dy32, w32, 'webgpu', order);
        const cpu = await run(def, c, f64, dy64, w64, 'cpu', order);
        const where = (what: string) => `${def.name} case ${k} ${what}`;
        const check = (what: string, got: Float64Array, want: Float64Array) => {
          const problem = describeMismatch(got, want, GPU_VS_FLOAT64);
          if (problem !== null) expect.fail(`${where(what)}: ${problem}`);
        };
        check('forward', gpu.y, cpu.y);
        gpu.first.forEach((gr, i) => check(`VJP of input ${wrt[i]}`, gr, cpu.first[i]!));
        gpu.second.forEach((gr, i) => check(`second-order VJP of input ${wrt[i]}`, gr, cpu.second[i]!));
        expect(gpu.first.length).to.equal(cpu.first.length);
        expect(gpu.second.length).to.equal(cpu.second.length);
        checked++;
        compared.forward += cpu.y.length;
        for (const g of cpu.first) compared.first += g.length;
        for (const g of cpu.second) compared.second += g.length;
      }
      expect(checked, `${def.name}: no case ran on the GPU`).to.be.greaterThan(0);
    });
  }

  it('ops applied in place (relu_, add_) give on WebGPU what they give out of place on the CPU, values and gradients', async () => {
    const inPlaceOps = listOps().filter((d) => d.inPlace !== null && !d.name.startsWith('test_'));
    expect(inPlaceOps.length).to.be.greaterThan(0);
    for (const def of inPlaceOps) {
      const fitting = def.cases({ fc, arb }).filter((c) => fitsInPlace(def, c));
      for (const [k, raw] of fc.sample(fitting, { numRuns: CASES, seed: 20261201 }).entries()) {
        const c = raw as Named;
        const runOn = async (device: 'cpu' | 'webgpu'): Promise<Float64Array[]> => {
          const move = (t: Tensor): Tensor => (device === 'cpu' ? asDtype(t, 'float64') : asDtype(t, 'float32').to('webgpu'));
          const named: Record<string, Tensor | Tensor[] | null> = {};
          for (const spec of def.inputs) {
            const v = c.inputs[spec.name] ?? null;
            named[spec.name] = v === null ? null : Array.isArray(v) ? v.map(move) : move(v);
          }
          const leaf = (named[def.inPlace!] as Tensor).requiresGrad_();
          // A recorded copy to write over, on WebGPU in place; on the CPU the op out of place.
          named[def.inPlace!] = add(leaf, tensor(0, { dtype: leaf.dtype }).to(leaf.device));
          const y = device === 'webgpu' ? applyOpInPlace(def, named, c.attrs) : def.apply(named, c.attrs);
          if (device === 'webgpu') expect(y).to.equal(named[def.inPlace!]);
          sum(mul(y, y)).backward();
          return [Float64Array.from(await y.dataAsync()), Float64Array.from(await leaf.grad!.dataAsync())];
        };
        const [gpu, cpu] = [await runOn('webgpu'), await runOn('cpu')];
        ['forward', 'gradient'].forEach((what, i) => {
          const problem = describeMismatch(gpu[i]!, cpu[i]!, GPU_VS_FLOAT64);
          if (problem !== null) expect.fail(`${def.name} in place, case ${k} ${what}: ${problem}`);
        });
      }
    }
  });
});
