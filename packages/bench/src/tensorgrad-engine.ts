// tensorgrad (float32, NCHW) in single-thread or 2-thread GEMM mode.
import { Generator, conv2d, crossEntropy, grad, mul, randn, setNumThreads, sum, tensor, type Tensor } from '@tensorgrad/core';
import { SGD, lenet5, resnet20, type Module } from '@tensorgrad/nn';
import { type ConvMode, type ConvShape, type ModelCase } from './cases.js';
import { type Engine, type Prepared, touch } from './engine.js';

let sink = 0;

export function tensorgradEngine(threads: number): Engine {
  const generator = new Generator(1234);
  return {
    id: `tensorgrad-${threads}t`,
    describe: () => `tensorgrad (workspace source), float32, ${threads} thread${threads > 1 ? 's' : ''} for GEMM`,
    async activate() {
      const ok = await setNumThreads(threads);
      if (!ok) throw new Error(`tensorgrad: setNumThreads(${threads}) unavailable`);
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
      const model: Module = m.name === 'lenet5' ? lenet5({ numClasses: m.classes, generator }) : resnet20({ numClasses: m.classes, generator });
      model.train();
      const opt = new SGD(model.parameters(), { lr: m.lr, momentum: m.momentum });
      const x = randn([m.batch, ...m.input], { generator });
      const labels = tensor(Array.from({ length: m.batch }, () => generator.randint(0, m.classes)), { dtype: 'int32' });
      const firstParam = model.parameters()[0]!;
      return {
        run: () => {
          opt.zeroGrad();
          const loss = crossEntropy(model.invoke(x), labels);
          loss.backward();
          opt.step();
          sink += loss.item() + touch(firstParam.data);
        },
      };
    },
  };
}

/** Keeps the checksums observable so no work can be optimised away. */
export const tensorgradSink = (): number => sink;
