// The committed PyTorch 1.13 fixtures of core's ops (src/ops/*/fixtures/*.json) replayed on the
// WebGPU backend in float32: the same op calls, options and upstream gradients (dy) as the CPU
// tests that read them, inputs moved to 'webgpu', outputs and gradients read back and compared
// with PyTorch's values within GPU_VS_TORCH (tolerance.ts). One test per fixture file; each
// asserts how many cases it replayed.
//
// Skipped or changed by rule (each also commented where it applies):
// - fixtures that hold the same inputs in float64 and float32 are replayed from the float32 ones
//   (the extra activations' float64 values, prelu's float64 cases): WebGPU has no float64. Every
//   other float64 case runs in float32: no replayed fixture value is outside float32's range;
// - oneHot with numClasses -1 is refused on WebGPU: checked, then replayed with PyTorch's count.
// 334 cases, ~23,000 values, ~5 s on Dawn/llvmpipe: no subsampling.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import * as tg from '../../index.js';
import { DeviceError } from '../../errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { DType } from '../../tensor/dtype.js';
import { activationFixture, activationFns } from '../../ops/activation/activation.test-util.js';
import { extraActivationFixture, extraActivationFns } from '../../ops/activation/extra-activations.test-util.js';
import { prelu } from '../../dispatch/activation.js';
import { lossFixtures, runLoss } from '../../ops/loss/loss.test-util.js';
import { pointwiseFixtures, runPointwise } from '../../ops/loss/pointwise.test-util.js';
import { crossEntropy } from '../../ops/loss/classification.js';
import type { Reduction } from '../../ops/loss/reduction.js';
import { poolFixtures, runPool } from '../../ops/pool/pool.test-util.js';
import { batchNorm } from '../../ops/norm/batch-norm.js';
import { layerNorm } from '../../ops/norm/layer-norm.js';
import { localResponseNorm } from '../../ops/norm/local-response-norm.js';
import { groupNorm } from '../../ops/norm/group-norm.js';
import { instanceNorm } from '../../ops/norm/instance-norm.js';
import { initDawnWebGPU } from './dawn.test-util.js';
import { type Num, Replay, decode, onGpu } from './fixture-replay.test-util.js';

interface Fixed {
  shape: number[];
  data: Num[];
}
const readFixture = <T>(path: string): T => JSON.parse(readFileSync(new URL(`../../ops/${path}`, import.meta.url), 'utf8')) as T;
const gpu = (f: Fixed, requiresGrad = false): Tensor => onGpu(f.data, f.shape, { requiresGrad });
const ones = (n: number): number[] => new Array<number>(n).fill(1);

/** One test per fixture file: replays it, then asserts no mismatch and the number of cases. */
function replayFile(file: string, replay: (r: Replay) => Promise<number>): void {
  it(file, async () => {
    const r = new Replay(file);
    const expectedCases = await replay(r);
    // TG_FIXTURE_DIFFS=1 prints how close each file came to GPU_VS_TORCH (to re-measure it).
    if (process.env['TG_FIXTURE_DIFFS']) console.log(`${file}: ${r.cases} cases, ${r.values} values; closest to the tolerance (fraction used ${r.worst.used.toPrecision(2)}): ${r.worst.where}`);
    r.expectMatched(expectedCases);
  });
}

describe('PyTorch 1.13 fixtures replayed on WebGPU (float32, GPU_VS_TORCH)', function () {
  this.timeout(120_000);
  before(async () => {
    await initDawnWebGPU();
  });

  replayFile('activation/fixtures/activation.json', async (r) => {
    const fixture = activationFixture;
    const n = fixture.x.length;
    for (const [name, f] of Object.entries(activationFns)) {
      const x = onGpu(fixture.x, [n], { requiresGrad: true });
      const y = f(x);
      await r.check(`${name}(x)`, y, fixture.fns[name]!.y);
      y.backward(onGpu(ones(n), [n]));
      await r.check(`${name}'(x)`, x.grad, fixture.fns[name]!.dx);
      r.cases++;
    }
    const s = fixture.softmax;
    const x = onGpu(s.x.flat(), [s.x.length, s.x[0]!.length]);
    await r.check('softmax dim 1', tg.softmax(x, 1), s.softmax.flat());
    await r.check('logSoftmax dim -1', tg.logSoftmax(x, -1), s.logSoftmax.flat());
    await r.check('softmax dim 0', tg.softmax(x, 0), s.softmax0.flat());
    r.cases++;
    return Object.keys(activationFns).length + 1;
  });

  replayFile('activation/fixtures/extra-activations.json', async (r) => {
    const fixture = extraActivationFixture;
    const n = fixture.x.length;
    for (const [name, f] of Object.entries(extraActivationFns)) {
      const ref = fixture.unary[name]!;
      // PyTorch's float32 values and gradients (the float64 ones are the same inputs: skipped).
      const x = onGpu(fixture.x, [n], { requiresGrad: true });
      const y = f(x);
      await r.check(`${name}(x)`, y, ref.float32.y);
      y.backward(onGpu(fixture.dy, [n]));
      await r.check(`${name}'(x)·dy`, x.grad, ref.float32.dx);
      // Second order as the CPU test: the gradient of Σ ∂⟨f(u), dy2⟩/∂u (PyTorch's in float64).
      const dy2 = onGpu(fixture.dy2, [fixture.dy2.length]);
      const firstOrder = (t: Tensor): Tensor => tg.grad((u: Tensor) => tg.sum(tg.mul(f(u), dy2)))(t);
      const second = tg.grad((t: Tensor) => tg.sum(firstOrder(t)))(onGpu(fixture.x2, [fixture.x2.length]));
      await r.check(`second order of ${name}`, second, ref.second);
      r.cases++;
    }
    const float32 = fixture.prelu.filter((c) => c.dtype === 'float32');
    for (const c of float32) {
      const x = onGpu(c.x, c.shape, { requiresGrad: true });
      const weight = onGpu(c.weight, c.weightShape, { requiresGrad: true });
      const y = prelu(x, weight);
      await r.check(`prelu ${c.name}: y`, y, c.y, c.shape);
      y.backward(onGpu(c.dy, c.shape));
      await r.check(`prelu ${c.name}: dx`, x.grad, c.dx, c.shape);
      await r.check(`prelu ${c.name}: dweight`, weight.grad, c.dweight, c.weightShape);
      r.cases++;
    }
    return Object.keys(extraActivationFns).length + float32.length;
  });

  replayFile('conv/fixtures/conv_fixtures.json', async (r) => {
    interface Case {
      kind: 'conv2d' | 'convTranspose2d'; name: string; options: Record<string, unknown>;
      x: Fixed; w: Fixed; b: number[] | null; y: Fixed; dy: number[]; dx: number[]; dw: number[]; db: number[] | null;
    }
    const { cases } = readFixture<{ cases: Case[] }>('conv/fixtures/conv_fixtures.json');
    for (const f of cases) {
      const [x, w] = [gpu(f.x), gpu(f.w)];
      const b = f.b === null ? null : onGpu(f.b, [f.b.length]);
      const dy = onGpu(f.dy, f.y.shape);
      const op = f.kind === 'conv2d' ? tg.conv2d : tg.convTranspose2d;
      const apply = (xx: Tensor, ww: Tensor, bb: Tensor | null): Tensor => op(xx, ww, bb, f.options);
      await r.check(`${f.kind} ${f.name}: y`, apply(x, w, b), f.y.data, f.y.shape);
      const loss = (xx: Tensor, ww: Tensor, bb: Tensor | null): Tensor => tg.sum(tg.mul(apply(xx, ww, bb), dy));
      if (b === null) {
        const [dx, dw] = tg.grad((xx: Tensor, ww: Tensor) => loss(xx, ww, null), { argnums: [0, 1] })(x, w);
        await r.check(`${f.kind} ${f.name}: dx`, dx!, f.dx);
        await r.check(`${f.kind} ${f.name}: dw`, dw!, f.dw);
      } else {
        const [dx, dw, db] = tg.grad(loss, { argnums: [0, 1, 2] })(x, w, b);
        await r.check(`${f.kind} ${f.name}: dx`, dx!, f.dx);
        await r.check(`${f.kind} ${f.name}: dw`, dw!, f.dw);
        await r.check(`${f.kind} ${f.name}: db`, db!, f.db!);
      }
      r.cases++;
    }
    return cases.length;
  });

  replayFile('conv/fixtures/padding_mode.json', async (r) => {
    interface Case {
      paddingMode: NonNullable<tg.Conv2dOptions['paddingMode']>; options: tg.Conv2dOptions;
      x: Fixed; w: Fixed; b: Fixed | null; y: Fixed; dy: Fixed; dx: Fixed; dw: Fixed; db: Fixed | null; vx: Fixed; vw: Fixed; ggx: Fixed; ggw: Fixed;
    }
    const { cases } = readFixture<{ cases: Case[] }>('conv/fixtures/padding_mode.json');
    for (const f of cases) {
      const what = `${f.paddingMode} ${JSON.stringify(f.options)}`;
      const [x, w, dy] = [gpu(f.x), gpu(f.w), gpu(f.dy)];
      const b = f.b === null ? null : gpu(f.b);
      const options: tg.Conv2dOptions = { ...f.options, paddingMode: f.paddingMode };
      await r.check(`${what}: y`, tg.conv2d(x, w, b, options), f.y.data, f.y.shape);
      const inner = (xx: Tensor, ww: Tensor, bb: Tensor | null): Tensor => tg.sum(tg.mul(tg.conv2d(xx, ww, bb, options), dy));
      if (b === null) {
        const [dx, dw] = tg.grad((xx: Tensor, ww: Tensor) => inner(xx, ww, null), { argnums: [0, 1] })(x, w);
        await r.check(`${what}: dx`, dx!, f.dx.data, f.dx.shape);
        await r.check(`${what}: dw`, dw!, f.dw.data, f.dw.shape);
      } else {
        const [dx, dw, db] = tg.grad(inner, { argnums: [0, 1, 2] })(x, w, b);
        await r.check(`${what}: dx`, dx!, f.dx.data, f.dx.shape);
        await r.check(`${what}: dw`, dw!, f.dw.data, f.dw.shape);
        await r.check(`${what}: db`, db!, f.db!.data, f.db!.shape);
      }
      const [vx, vw] = [gpu(f.vx), gpu(f.vw)];
      const second = (xx: Tensor, ww: Tensor): Tensor => {
        const [gx, gw] = tg.grad((x2: Tensor, w2: Tensor) => inner(x2, w2, b), { argnums: [0, 1] })(xx, ww);
        return tg.add(tg.sum(tg.mul(gx!, vx)), tg.sum(tg.mul(gw!, vw)));
      };
      const [ggx, ggw] = tg.grad(second, { argnums: [0, 1] })(x, w);
      await r.check(`${what}: second order in x`, ggx!, f.ggx.data, f.ggx.shape);
      await r.check(`${what}: second order in w`, ggw!, f.ggw.data, f.ggw.shape);
      r.cases++;
    }
    return cases.length;
  });

  replayFile('elementwise/fixtures/pow.json', async (r) => {
    interface Case { name: string; a: Fixed; b?: Fixed; exponent?: number; dy?: Fixed; y: Fixed; da: Fixed; db?: Fixed; second: { a: Fixed; b?: Fixed } }
    const { cases } = readFixture<{ cases: Case[] }>('elementwise/fixtures/pow.json');
    for (const c of cases) {
      if (c.b !== undefined) {
        const [a, b, dy] = [gpu(c.a), gpu(c.b), gpu(c.dy!)];
        const [y, pullback] = tg.vjp((p: Tensor, q: Tensor) => tg.pow(p, q), a, b);
        await r.check(`${c.name}: y`, y, c.y.data, c.y.shape);
        const [da, db] = pullback(dy);
        await r.check(`${c.name}: da`, da!, c.da.data, c.da.shape);
        await r.check(`${c.name}: db`, db!, c.db!.data, c.db!.shape);
        const [dda, ddb] = tg.grad((p: Tensor, q: Tensor) => {
          const [g1, g2] = tg.vjp((s: Tensor, t: Tensor) => tg.pow(s, t), p, q)[1](dy);
          return tg.sum(tg.add(g1!, g2!));
        }, { argnums: [0, 1] })(a, b);
        await r.check(`${c.name}: second order, a`, dda!, c.second.a.data);
        await r.check(`${c.name}: second order, b`, ddb!, c.second.b!.data);
      } else {
        const x = gpu(c.a);
        const f = (t: Tensor): Tensor => tg.sum(tg.pow(t, c.exponent!));
        await r.check(`${c.name}: y`, tg.pow(x, c.exponent!), c.y.data, c.y.shape);
        await r.check(`${c.name}: dx`, tg.grad(f)(x), c.da.data, c.da.shape);
        // Exponent 0: the op's constant-zero gradient (higher orders 0, as PyTorch) holds on WebGPU
        // too, since the exponent's value is known on the host (knownScalar).
        await r.check(`${c.name}: second order`, tg.grad((t: Tensor) => tg.sum(tg.grad(f)(t)))(x), c.second.a.data);
      }
      r.cases++;
    }
    return cases.length;
  });

  replayFile('loss/fixtures/loss.json', async (r) => {
    const load = (f: { shape: number[]; data: number[] }, dtype: 'float' | 'int32'): Tensor => onGpu(f.data, f.shape, { dtype: dtype === 'int32' ? 'int32' : 'float32' });
    for (const c of lossFixtures.cases) {
      const what = `${c.loss} ${c.name} reduction=${c.reduction}`;
      const x = gpu(c.input, true);
      const y = runLoss(c, x, load);
      await r.check(`${what}: y`, y, c.y.data, c.y.shape);
      y.backward(gpu(c.dy));
      await r.check(`${what}: dx`, x.grad, c.dx.data, c.dx.shape);
      r.cases++;
    }
    return lossFixtures.cases.length;
  });

  replayFile('loss/fixtures/ignored.json', async (r) => {
    interface Case { name: string; reduction: Reduction; labelSmoothing: number; ignoreIndex: number; input: Fixed; target: Fixed; weight: Fixed | null; y: Fixed; dy: Fixed; dx: Fixed }
    const { cases } = readFixture<{ cases: Case[] }>('loss/fixtures/ignored.json');
    for (const c of cases) {
      const what = `${c.name}, ${c.reduction}, labelSmoothing ${c.labelSmoothing}${c.weight === null ? '' : ', class weights'}`;
      const x = gpu(c.input, true);
      const y = crossEntropy(x, onGpu(c.target.data, c.target.shape, { dtype: 'int32' }), {
        reduction: c.reduction, labelSmoothing: c.labelSmoothing, ignoreIndex: c.ignoreIndex, weight: c.weight === null ? null : gpu(c.weight),
      });
      await r.check(`${what}: y`, y, c.y.data, c.y.shape);
      y.backward(gpu(c.dy));
      await r.check(`${what}: dx`, x.grad, c.dx.data, c.dx.shape);
      r.cases++;
    }
    return cases.length;
  });

  replayFile('loss/fixtures/pointwise.json', async (r) => {
    // float64 cases run in float32 like the rest (their float32 twins, where present, as well).
    // binaryCrossEntropy's probability check runs on the GPU (deferred to the readback).
    const replayed = pointwiseFixtures.cases;
    for (const c of replayed) {
      const what = `${c.loss} ${c.name} ${c.dtype} ${JSON.stringify(c.options)}`;
      const x = gpu(c.input, true);
      const t = gpu(c.target, c.dt !== null);
      const y = runPointwise(c, x, t, (f) => gpu(f));
      await r.check(`${what}: y`, y, c.y.data, c.y.shape);
      y.backward(gpu(c.dy));
      await r.check(`${what}: dx`, x.grad, c.dx.data, c.dx.shape);
      if (c.dt !== null) await r.check(`${what}: dtarget`, t.grad, c.dt.data, c.dt.shape);
      r.cases++;
    }
    return replayed.length;
  });

  replayFile('norm/fixtures/norm.json', async (r) => {
    interface Fixture {
      batchNorm: { training: boolean; affine: boolean; x: Fixed; weight: Fixed; bias: Fixed; runningMean: Fixed; runningVar: Fixed; y: Fixed; runningMeanAfter: Fixed; runningVarAfter: Fixed; dy: Fixed; grads: Fixed[] }[];
      layerNorm: { normalizedShape: number[]; x: Fixed; weight: Fixed; bias: Fixed; y: Fixed; dy: Fixed; grads: Fixed[] }[];
      localResponseNorm: { size: number; alpha: number; beta: number; k: number; x: Fixed; y: Fixed; dy: Fixed; grads: Fixed[] }[];
    }
    const fixture = readFixture<Fixture>('norm/fixtures/norm.json');
    for (const c of fixture.batchNorm) {
      const what = `batchNorm ${c.training ? 'training' : 'eval'}${c.affine ? ' affine' : ''} ${JSON.stringify(c.x.shape)}`;
      const [x, w, b] = [gpu(c.x, true), gpu(c.weight, true), gpu(c.bias, true)];
      const [rm, rv] = [gpu(c.runningMean), gpu(c.runningVar)];
      const y = batchNorm(x, rm, rv, c.affine ? w : null, c.affine ? b : null, { training: c.training, momentum: 0.3, eps: 1e-4 });
      await r.check(`${what}: y`, y, c.y.data, c.y.shape);
      await r.check(`${what}: runningMean after`, rm, c.runningMeanAfter.data, c.runningMeanAfter.shape);
      await r.check(`${what}: runningVar after`, rv, c.runningVarAfter.data, c.runningVarAfter.shape);
      y.backward(gpu(c.dy));
      for (const [i, t] of [x, w, b].slice(0, c.grads.length).entries()) await r.check(`${what}: gradient ${i}`, t.grad, c.grads[i]!.data, c.grads[i]!.shape);
      r.cases++;
    }
    for (const c of fixture.layerNorm) {
      const what = `layerNorm ${JSON.stringify(c.normalizedShape)} on ${JSON.stringify(c.x.shape)}`;
      const [x, w, b] = [gpu(c.x, true), gpu(c.weight, true), gpu(c.bias, true)];
      const y = layerNorm(x, c.normalizedShape, w, b);
      await r.check(`${what}: y`, y, c.y.data, c.y.shape);
      y.backward(gpu(c.dy));
      for (const [i, t] of [x, w, b].entries()) await r.check(`${what}: gradient ${i}`, t.grad, c.grads[i]!.data, c.grads[i]!.shape);
      r.cases++;
    }
    for (const c of fixture.localResponseNorm) {
      const what = `localResponseNorm size ${c.size}, alpha ${c.alpha}, beta ${c.beta}, k ${c.k}`;
      const x = gpu(c.x, true);
      const y = localResponseNorm(x, c.size, { alpha: c.alpha, beta: c.beta, k: c.k });
      await r.check(`${what}: y`, y, c.y.data, c.y.shape);
      y.backward(gpu(c.dy));
      await r.check(`${what}: dx`, x.grad, c.grads[0]!.data, c.grads[0]!.shape);
      r.cases++;
    }
    return fixture.batchNorm.length + fixture.layerNorm.length + fixture.localResponseNorm.length;
  });

  replayFile('norm/fixtures/group_norm.json', async (r) => {
    interface Fixture {
      groupNorm: { numGroups: number; eps: number; x: Fixed; weight: Fixed | null; bias: Fixed | null; y: Fixed; dy: Fixed; grads: (Fixed | null)[] }[];
      instanceNorm: {
        useInputStats: boolean; running: boolean; affine: boolean; x: Fixed; weight: Fixed; bias: Fixed;
        runningMean: Fixed; runningVar: Fixed; runningMeanAfter: Fixed; runningVarAfter: Fixed; y: Fixed; dy: Fixed; grads: (Fixed | null)[];
      }[];
    }
    const fixture = readFixture<Fixture>('norm/fixtures/group_norm.json');
    const optional = (f: Fixed | null): Tensor | null => (f === null ? null : gpu(f, true));
    for (const c of fixture.groupNorm) {
      const what = `groupNorm ${JSON.stringify(c.x.shape)} in ${c.numGroups} groups${c.weight ? ' weight' : ''}${c.bias ? ' bias' : ''}`;
      const [x, w, b] = [gpu(c.x, true), optional(c.weight), optional(c.bias)];
      const y = groupNorm(x, c.numGroups, w, b, { eps: c.eps });
      await r.check(`${what}: y`, y, c.y.data, c.y.shape);
      y.backward(gpu(c.dy));
      for (const [i, t] of [x, w, b].entries()) if (t !== null) await r.check(`${what}: gradient ${i}`, t.grad, c.grads[i]!.data, c.grads[i]!.shape);
      r.cases++;
    }
    for (const c of fixture.instanceNorm) {
      const what = `instanceNorm ${c.useInputStats ? 'input' : 'running'} statistics${c.running ? ', running' : ''}${c.affine ? ', affine' : ''}`;
      const [x, w, b] = [gpu(c.x, true), gpu(c.weight, true), gpu(c.bias, true)];
      const [rm, rv] = [gpu(c.runningMean), gpu(c.runningVar)];
      const y = instanceNorm(x, {
        runningMean: c.running ? rm : null, runningVar: c.running ? rv : null,
        weight: c.affine ? w : null, bias: c.affine ? b : null, useInputStats: c.useInputStats, momentum: 0.3, eps: 1e-4,
      });
      await r.check(`${what}: y`, y, c.y.data, c.y.shape);
      await r.check(`${what}: runningMean after`, rm, c.runningMeanAfter.data, c.runningMeanAfter.shape);
      await r.check(`${what}: runningVar after`, rv, c.runningVarAfter.data, c.runningVarAfter.shape);
      y.backward(gpu(c.dy));
      for (const [i, t] of [x, w, b].entries()) {
        const want = c.grads[i];
        if (want) await r.check(`${what}: gradient ${i}`, t.grad, want.data, want.shape);
        else if (t.grad !== null) r.mismatches.push(`${what}: gradient ${i} should be absent`);
      }
      r.cases++;
    }
    return fixture.groupNorm.length + fixture.instanceNorm.length;
  });

  replayFile('pool/fixtures/pool.json', async (r) => {
    for (const c of poolFixtures.cases) {
      const what = `${c.name} ${JSON.stringify(c.args)} on ${JSON.stringify(c.x.shape)}`;
      const x = gpu(c.x, true);
      const [y, indices] = runPool(c, x);
      await r.check(`${what}: y`, y, c.y.data, c.y.shape);
      if (c.indices) {
        expect(indices!.dtype).to.equal('int32');
        await r.checkExact(`${what}: indices`, indices!, c.indices.data, c.indices.shape);
      }
      y.backward(gpu(c.dy));
      await r.check(`${what}: dx`, x.grad, c.dx.data, c.dx.shape);
      r.cases++;
    }
    return poolFixtures.cases.length;
  });

  replayFile('reduce/fixtures/tensor_ops.json', async (r) => {
    interface Typed extends Fixed { dtype: DType }
    interface SecondOrder { v?: Typed; ddx?: Typed }
    interface Fixture {
      clamp: { name: string; x: Typed; min: Typed | null; max: Typed | null; y: Typed; dy: Typed; dx: Typed; dmin: Typed | null; dmax: Typed | null }[];
      logsumexp: (SecondOrder & { name: string; dim: number | number[]; keepdim: boolean; x: Typed; y: Typed; dy: Typed; dx: Typed })[];
      variance: (SecondOrder & { fn: 'var' | 'std'; name: string; dim: number | number[] | null; options: { correction?: number; unbiased?: boolean; keepdim?: boolean }; x: Typed; y: Typed; dy: Typed; dx: Typed })[];
      arg: { fn: 'argmax' | 'argmin'; dim: number | null; keepdim: boolean; x: Typed; y: Typed }[];
      topk: { name: string; k: number; options: { dim?: number; largest?: boolean; sorted?: boolean }; tied: boolean; x: Typed; values: Typed; indices: Typed; dy?: Typed; dx?: Typed }[];
      oneHot: { indices: Typed; numClasses: number; y: Typed }[];
    }
    const fixture = readFixture<Fixture>('reduce/fixtures/tensor_ops.json');
    // float64 fixtures run in float32; int32 ones stay int32 (and are compared exactly).
    const load = (f: Typed, requiresGrad = false): Tensor => onGpu(f.data, f.shape, { dtype: f.dtype === 'int32' ? 'int32' : 'float32', requiresGrad });
    const compare = async (what: string, got: Tensor | null, want: Typed): Promise<void> => {
      const dtype = want.dtype === 'int32' ? 'int32' : 'float32';
      if (got !== null && got.dtype !== dtype) r.mismatches.push(`${what}: dtype ${got.dtype}, expected ${dtype}`);
      if (dtype === 'int32' && got !== null) await r.checkExact(what, got, want.data, want.shape);
      else await r.check(what, got, want.data, want.shape);
    };
    /** ⟨f(x), dy⟩'s gradients flow into the inputs; returns f(x). */
    const withGradients = (f: () => Tensor, dy: Tensor): Tensor => {
      const y = f();
      tg.sum(tg.mul(y, dy)).backward();
      return y;
    };
    const secondOrder = async (what: string, c: SecondOrder & { x: Typed; dy: Typed }, f: (x: Tensor) => Tensor): Promise<void> => {
      if (c.v === undefined || c.ddx === undefined) return;
      const [dy, v] = [load(c.dy), load(c.v)];
      const dx = (z: Tensor): Tensor => tg.grad((w: Tensor) => tg.sum(tg.mul(f(w), dy)))(z);
      await compare(`${what}: second order`, tg.grad((z: Tensor) => tg.sum(tg.mul(dx(z), v)))(load(c.x)), c.ddx);
    };
    for (const c of fixture.clamp) {
      const x = load(c.x, true);
      const lo = c.min === null ? null : load(c.min, true);
      const hi = c.max === null ? null : load(c.max, true);
      await compare(`clamp ${c.name}: y`, withGradients(() => tg.clamp(x, lo, hi), load(c.dy)), c.y);
      await compare(`clamp ${c.name}: dx`, x.grad, c.dx);
      if (lo !== null) await compare(`clamp ${c.name}: dmin`, lo.grad, c.dmin!);
      if (hi !== null) await compare(`clamp ${c.name}: dmax`, hi.grad, c.dmax!);
      r.cases++;
    }
    for (const c of fixture.logsumexp) {
      const f = (x: Tensor): Tensor => tg.logsumexp(x, c.dim, c.keepdim);
      const x = load(c.x, true);
      await compare(`logsumexp ${c.name}: y`, withGradients(() => f(x), load(c.dy)), c.y);
      await compare(`logsumexp ${c.name}: dx`, x.grad, c.dx);
      await secondOrder(`logsumexp ${c.name}`, c, f);
      r.cases++;
    }
    for (const c of fixture.variance) {
      const op = c.fn === 'var' ? tg.variance : tg.std;
      const f = (x: Tensor): Tensor => op(x, c.dim, c.options);
      const x = load(c.x, true);
      await compare(`${c.fn} ${c.name} (${c.x.dtype}): y`, withGradients(() => f(x), load(c.dy)), c.y);
      await compare(`${c.fn} ${c.name} (${c.x.dtype}): dx`, x.grad, c.dx);
      await secondOrder(`${c.fn} ${c.name} (${c.x.dtype})`, c, f);
      r.cases++;
    }
    for (const c of fixture.arg) {
      await compare(`${c.fn} dim ${c.dim} keepdim ${c.keepdim} of ${JSON.stringify(c.x.data)}`, tg[c.fn](load(c.x), c.dim, { keepdim: c.keepdim }), c.y);
      r.cases++;
    }
    for (const c of fixture.topk) {
      const x = load(c.x, c.dy !== undefined);
      const { values, indices } = tg.topk(x, c.k, c.options);
      await compare(`topk ${c.name}: values`, values, c.values);
      if (c.tied) {
        // PyTorch orders ties its own way: x at our indices must be PyTorch's values, and each
        // value's gradient lands at our own index.
        const at = Array.from(await indices.dataAsync());
        const xs = Array.from(await x.dataAsync());
        await compare(`topk ${c.name}: x at the indices`, onGpu(at.map((i) => xs[i]!), c.values.shape), c.values);
        if (c.dy) {
          tg.sum(tg.mul(values, load(c.dy))).backward();
          const expected = new Array<number>(x.size).fill(0);
          at.forEach((i, k) => { expected[i] = decode(c.dy!.data[k]!); });
          await r.check(`topk ${c.name}: dx`, x.grad, expected, c.x.shape);
        }
      } else {
        await compare(`topk ${c.name}: indices`, indices, c.indices);
        if (c.dy) {
          tg.sum(tg.mul(values, load(c.dy))).backward();
          await compare(`topk ${c.name}: dx`, x.grad, c.dx!);
        }
      }
      r.cases++;
    }
    for (const c of fixture.oneHot) {
      // numClasses -1 (inferred from the largest index) is refused on WebGPU (it would read the
      // indices back): checked, then replayed with PyTorch's inferred count (its output's last dim).
      if (c.numClasses === -1) expect(() => tg.oneHot(load(c.indices), -1)).to.throw(DeviceError, /pass numClasses/);
      const numClasses = c.numClasses === -1 ? c.y.shape[c.y.shape.length - 1]! : c.numClasses;
      await compare(`oneHot ${JSON.stringify(c.indices.data)} numClasses ${c.numClasses}`, tg.oneHot(load(c.indices), numClasses), c.y);
      r.cases++;
    }
    const { clamp, logsumexp, variance, arg, topk, oneHot } = fixture;
    return clamp.length + logsumexp.length + variance.length + arg.length + topk.length + oneHot.length;
  });

  replayFile('shape/fixtures/pad_slice.json', async (r) => {
    interface Case { x: Fixed; y: Fixed; dy: Fixed; dx: Fixed }
    interface PadCase extends Case { mode: tg.PadMode; pads: number[] }
    interface SliceCase extends Case { dim: number; start: number | null; end: number | null; step: number }
    const fixture = readFixture<{ pads: PadCase[]; slices: SliceCase[] }>('shape/fixtures/pad_slice.json');
    const replay = async (what: string, c: Case, f: (x: Tensor) => Tensor): Promise<void> => {
      const x = gpu(c.x, true);
      const y = f(x);
      await r.check(`${what}: y`, y, c.y.data, c.y.shape);
      tg.sum(tg.mul(y, gpu(c.dy))).backward();
      await r.check(`${what}: dx`, x.grad, c.dx.data, c.dx.shape);
      r.cases++;
    };
    for (const c of fixture.pads) await replay(`pad ${c.mode} [${c.pads.join(',')}] on ${JSON.stringify(c.x.shape)}`, c, (x) => tg.pad(x, c.pads, c.mode));
    for (const c of fixture.slices) {
      await replay(`x[${c.start ?? ''}:${c.end ?? ''}:${c.step}] along dim ${c.dim}`, c, (x) => tg.slice(x, c.dim, c.start ?? undefined, c.end ?? undefined, c.step));
    }
    return fixture.pads.length + fixture.slices.length;
  });
});
