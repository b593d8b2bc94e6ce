// PyTorch (Debian python3-torch 1.13 in /usr/bin/python3, or PYTHON=...) through one long-lived
// child process, torch/worker.py, shared by every thread count: each case is one JSON line out
// and one back, and the worker times the runs itself with the bench's policy. Without python or
// torch every case is reported unsupported, with the reason.
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ConvMode, ConvShape, GemmCase, ModelCase } from './cases.js';
import type { Engine, ExternalTiming, Prepared } from './engine.js';
import type { TimingPolicy } from './timing.js';

const WORKER = join(dirname(fileURLToPath(import.meta.url)), '..', 'torch', 'worker.py');
const PYTHON = process.env['PYTHON'] ?? '/usr/bin/python3';

interface Answer { id: number; timing?: ExternalTiming; memoryMB?: Record<string, number>; threads?: number; params?: number | null; error?: string }

/** The worker process: started on first use, then answers requests one at a time, in order. */
class TorchWorker {
  private child: ChildProcess | null = null;
  private ready: Promise<{ version: string; config: string[] } | { error: string }> | null = null;
  private readonly waiting = new Map<number, (a: Answer) => void>();
  private nextId = 0;

  start(): Promise<{ version: string; config: string[] } | { error: string }> {
    this.ready ??= new Promise((resolve) => {
      let child: ChildProcess;
      try {
        child = spawn(PYTHON, [WORKER], { stdio: ['pipe', 'pipe', 'inherit'] });
      } catch (e) {
        resolve({ error: `cannot start ${PYTHON}: ${(e as Error).message}` });
        return;
      }
      this.child = child;
      let first = true;
      child.on('error', (e) => {
        // A process that failed to start emits no 'exit': nothing to wait for at close.
        this.child = null;
        resolve({ error: `cannot start ${PYTHON}: ${e.message}` });
      });
      child.on('exit', (code) => {
        resolve({ error: `${PYTHON} ${WORKER} exited with code ${code}` });
        for (const [id, answer] of this.waiting) answer({ id, error: `PyTorch worker exited (code ${code})` });
        this.waiting.clear();
        this.child = null;
      });
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const msg = JSON.parse(line) as Record<string, unknown>;
        if (first) {
          first = false;
          resolve(msg['ready'] === true ? { version: String(msg['version']), config: msg['config'] as string[] } : { error: `PyTorch not available in ${PYTHON}: ${String(msg['error'])}` });
          return;
        }
        const answer = msg as unknown as Answer;
        this.waiting.get(answer.id)?.(answer);
        this.waiting.delete(answer.id);
      });
    });
    return this.ready;
  }

  request(threads: number, policy: TimingPolicy, c: Record<string, unknown>): Promise<Answer> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      if (this.child === null) {
        resolve({ id, error: 'PyTorch worker not running' });
        return;
      }
      this.waiting.set(id, resolve);
      this.child.stdin!.write(JSON.stringify({ id, threads, policy, case: c }) + '\n');
    });
  }

  async close(): Promise<void> {
    const child = this.child;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.stdin!.end();
    });
  }
}

const worker = new TorchWorker();

export function torchEngine(threads: number): Engine {
  let info: { version: string; config: string[] } | { error: string } = { error: 'not started' };
  const prepared = (c: Record<string, unknown>, expectParams?: number): Prepared => {
    if ('error' in info) return { unsupported: info.error };
    return {
      time: async (policy) => {
        const a = await worker.request(threads, policy, c);
        if (a.error !== undefined) throw new Error(`PyTorch: ${a.error}`);
        if (a.threads !== threads) throw new Error(`PyTorch: asked for ${threads} threads, got ${a.threads}`);
        if (expectParams !== undefined && a.params !== expectParams) throw new Error(`PyTorch model has ${a.params} parameters, the case ${expectParams}`);
        return { ...a.timing!, memoryMB: a.memoryMB ?? {} };
      },
    };
  };
  return {
    id: `torch-${threads}t`,
    describe: () => ('error' in info ? `PyTorch: ${info.error}` : `PyTorch ${info.version} (${PYTHON}), float32, torch.set_num_threads(${threads}); ${info.config.join('; ')}`),
    async activate() {
      info = await worker.start();
    },
    gemm: (g: GemmCase) => prepared({ kind: 'gemm', m: g.m, k: g.k, n: g.n }),
    conv: (shape: ConvShape, mode: ConvMode) => prepared({ kind: 'conv', shape, mode }),
    train: (m: ModelCase) => prepared({ kind: 'train', ...m }, m.params),
    close: () => worker.close(),
  };
}
