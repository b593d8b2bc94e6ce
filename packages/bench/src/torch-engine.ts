// PyTorch (Debian python3-torch 1.13 in /usr/bin/python3, or PYTHON=...) through one long-lived
// child process, torch/worker.py, shared by every thread count: each case is one JSON line out
// and one back, and the worker times the runs itself with the bench's policy. Without python or
// torch every case is reported unsupported, with the reason.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConvMode, ConvShape, GemmCase, ModelCase } from './cases.js';
import type { Engine, ExternalTiming, Prepared } from './engine.js';
import { LineWorker } from './line-worker.js';

const WORKER = join(dirname(fileURLToPath(import.meta.url)), '..', 'torch', 'worker.py');
const PYTHON = process.env['PYTHON'] ?? '/usr/bin/python3';

interface Answer { id: number; timing?: ExternalTiming; memoryMB?: Record<string, number>; threads?: number; params?: number | null; error?: string }

/** The worker process: started on first use, then answers requests one at a time, in order. */
const worker = new LineWorker<Answer>(PYTHON, [WORKER], (msg) =>
  msg['ready'] === true ? { version: String(msg['version']), config: msg['config'] as string[] } : { error: `PyTorch not available in ${PYTHON}: ${String(msg['error'])}` });

export function torchEngine(threads: number): Engine {
  let info: { version?: string; config?: string[] } | { error: string } = { error: 'not started' };
  const prepared = (c: Record<string, unknown>, expectParams?: number): Prepared => {
    if ('error' in info) return { unsupported: info.error };
    return {
      time: async (policy) => {
        const a = await worker.request({ threads, policy, case: c });
        if (a.error !== undefined) throw new Error(`PyTorch: ${a.error}`);
        if (a.threads !== threads) throw new Error(`PyTorch: asked for ${threads} threads, got ${a.threads}`);
        if (expectParams !== undefined && a.params !== expectParams) throw new Error(`PyTorch model has ${a.params} parameters, the case ${expectParams}`);
        return { ...a.timing!, memoryMB: a.memoryMB ?? {} };
      },
    };
  };
  return {
    id: `torch-${threads}t`,
    describe: () => ('error' in info ? `PyTorch: ${info.error}` : `PyTorch ${info.version} (${PYTHON}), float32, torch.set_num_threads(${threads}); ${info.config!.join('; ')}`),
    async activate() {
      info = (await worker.start()) as typeof info;
    },
    gemm: (g: GemmCase) => prepared({ kind: 'gemm', m: g.m, k: g.k, n: g.n }),
    conv: (shape: ConvShape, mode: ConvMode) => prepared({ kind: 'conv', shape, mode }),
    train: (m: ModelCase) => prepared({ kind: 'train', ...m }, m.params),
    close: () => worker.close(),
  };
}
