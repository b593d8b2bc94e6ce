// tensorgrad in a Node process of its own per thread count (tensorgrad-worker.ts), started with
// the flags a training script on this machine would use: at 2 threads on 2 cores
// --single-threaded-gc (V8's collector threads otherwise compete with the GEMM workers; core
// README, "Threads"). The environment (the malloc tunables of `pnpm bench`) is inherited.
import { dirname, join } from 'node:path';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ConvMode, ConvShape, GemmCase, ModelCase } from './cases.js';
import type { Engine, ExternalTiming, Prepared } from './engine.js';
import { LineWorker } from './line-worker.js';
import type { Phase, PhaseProfile } from './profile.js';
import type { TimingPolicy } from './timing.js';

const WORKER = join(dirname(fileURLToPath(import.meta.url)), 'tensorgrad-worker.ts');

interface Answer { id: number; timing?: ExternalTiming; memoryMB?: Record<string, number>; unsupported?: string; measured?: MeasuredProfile; error?: string }

/** profileStep's result, measured in the worker. */
export interface MeasuredProfile { profiledStepMs: number; phases: Record<Phase, PhaseProfile> }

export interface ProcessEngine extends Engine {
  /** The per-op profile of m's training step (profile.ts's profileStep), in the worker. */
  profile(m: ModelCase, steps: number, warmup: number): Promise<MeasuredProfile>;
}

/** Node flags of the worker for `threads` threads: the collector on the JavaScript threads once the threads take every core. */
export const workerFlags = (threads: number): string[] => ['--expose-gc', ...(threads >= cpus().length ? ['--single-threaded-gc'] : [])];

export function tensorgradProcessEngine(threads: number): ProcessEngine {
  // process.execArgv carries tsx's loader and the source condition the bench itself runs with.
  const flags = workerFlags(threads);
  const worker = new LineWorker<Answer>(process.execPath, [...process.execArgv, ...flags, WORKER, String(threads)], (msg) =>
    msg['ready'] === true ? {} : { error: `tensorgrad worker: ${String(msg['error'])}` });
  let info: Record<string, unknown> | { error: string } = { error: 'not started' };
  const prepared = (request: Record<string, unknown>): Prepared => {
    if ('error' in info) return { unsupported: String(info.error) };
    return {
      time: async (policy: TimingPolicy) => {
        const a = await worker.request({ ...request, policy });
        if (a.error !== undefined) throw new Error(`tensorgrad worker: ${a.error}`);
        if (a.unsupported !== undefined) throw new Error(`tensorgrad worker: unsupported: ${a.unsupported}`);
        return { ...a.timing!, memoryMB: a.memoryMB ?? {} };
      },
    };
  };
  return {
    id: `tensorgrad-${threads}t`,
    describe: () => `tensorgrad (workspace source), float32, ${threads} thread${threads > 1 ? 's' : ''}, in its own Node process (${flags.join(' ')})`,
    async activate() {
      info = await worker.start();
      if ('error' in info) throw new Error(String(info.error));
    },
    gemm: (gemm: GemmCase) => prepared({ kind: 'gemm', gemm }),
    conv: (shape: ConvShape, mode: ConvMode) => prepared({ kind: 'conv', shape, mode }),
    train: (model: ModelCase) => prepared({ kind: 'train', model }),
    async profile(model, steps, warmup) {
      const a = await worker.request({ kind: 'profile', model, steps, warmup });
      if (a.error !== undefined || a.measured === undefined) throw new Error(`tensorgrad worker: ${a.error ?? 'no profile'}`);
      return a.measured;
    },
    close: () => worker.close(),
  };
}
