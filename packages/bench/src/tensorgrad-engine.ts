// tensorgrad (float32, NCHW) in single-thread or 2-thread GEMM mode.
import { Generator, conv2d, crossEntropy, grad, matmul, mul, randn, setNumThreads, sum, tensor, type Tensor } from '@tensorgrad/core';
import { Adam, SGD, fmnistCnn, lenet5, resnet20, type Module } from '@tensorgrad/nn';
import { type ConvMode, type ConvShape, type GemmCase, type ModelCase } from './cases.js';
import { type Engine, type Prepared, touch } from './engine.js';

let sink = 0;

/** One training step of a model case, in its three parts (the per-op profile times them apart). */
export interface TrainingStep {
  /** Forward and cross-entropy loss. */
  forward(): Tensor;
  backward(loss: Tensor): void;
  /** zeroGrad-free update: the optimizer's step, then dropping the gradients for the next step. */
  update(): void;
  /** Reads the loss and a parameter, so the step's results are really there. */
  force(loss: Tensor): void;
}

export function tensorgradStep(m: ModelCase, generator: Generator): TrainingStep {
  const model: Module = m.name === 'lenet5' ? lenet5({ numClasses: m.classes, generator })
    : m.name === 'resnet20' ? resnet20({ numClasses: m.classes, generator })
    : fmnistCnn({ numClasses: m.classes, generator, dropoutGenerator: new Generator(1) });
  model.train();
  const params = model.parameters();
  const count = params.reduce((s, p) => s + p.size, 0);
  if (count !== m.params) throw new Error(`tensorgrad ${m.name} has ${count} parameters, the case ${m.params}`);
  const o = m.optimizer;
  const opt: { step(): void; zeroGrad(): void } = o.kind === 'adam' ? new Adam(params, { lr: o.lr }) : new SGD(params, { lr: o.lr, momentum: o.momentum });
  const x = randn([m.batch, ...m.input], { generator });
  const labels = tensor(Array.from({ length: m.batch }, (_, i) => i % m.classes), { dtype: 'int32' });
  return {
    forward: () => crossEntropy(model.invoke(x), labels),
    backward: (loss) => loss.backward(),
    update: () => {
      opt.step();
      opt.zeroGrad();
    },
    force: (loss) => { sink += loss.item() + touch(params[0]!.data); },
  };
}

export function tensorgradEngine(threads: number): Engine {
  const generator = new Generator(1234);
  return {
    id: `tensorgrad-${threads}t`,
    describe: () => `tensorgrad (workspace source), float32, ${threads} thread${threads > 1 ? 's' : ''} for GEMM`,
    async activate() {
      const ok = await setNumThreads(threads);
      if (!ok) throw new Error(`tensorgrad: setNumThreads(${threads}) unavailable`);
    },
    gemm(g: GemmCase): Prepared {
      const a = randn([g.m, g.k], { generator });
      const b = randn([g.k, g.n], { generator });
      return { run: () => { sink += touch(matmul(a, b).data); } };
    },
    conv(s: ConvShape, mode: ConvMode): Prepared {
      const x = randn([s.n, s.c, s.h, s.w], { generator });
      const w = randn([s.cout, s.c, s.k, s.k], { generator });
      const opts = { stride: s.stride, padding: s.pad };
      // loss 0.5·Σy², so dL/dy = y
      const loss = (xx: Tensor, ww: Tensor): Tensor => {
        const y = conv2d(xx, ww, opts);
        return mul(sum(mul(y, y)), 0.5);
      };
      if (mode === 'fwd') return { run: () => { sink += touch(conv2d(x, w, opts).data); } };
      if (mode === 'fwd+dx') {
        const gx = grad(loss, { argnums: [0] });
        return { run: () => { for (const g of gx(x, w)) sink += touch(g.data); } };
      }
      const gxw = grad(loss, { argnums: [0, 1] });
      return { run: () => { for (const g of gxw(x, w)) sink += touch(g.data); } };
    },
    train(m: ModelCase): Prepared {
      const step = tensorgradStep(m, generator);
      return {
        run: () => {
          const loss = step.forward();
          step.backward(loss);
          step.update();
          step.force(loss);
        },
      };
    },
  };
}

/** Keeps the checksums observable so no work can be optimised away (tensorgrad-worker.ts prints it at the end). */
export const tensorgradSink = (): number => sink;
