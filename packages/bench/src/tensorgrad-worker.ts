// tensorgrad's cases in a Node process of their own (tensorgrad-process.ts starts it): the same
// workloads as in-process (tensorgrad-engine.ts), timed here with the bench's policy, so
// TensorFlow.js's heap and garbage in the bench's process are not billed to them (the training
// steps ran up to ~1.5× slower in a process that had run the tfjs-cpu cases). One JSON line per
// request on stdin, one answer on stdout; argv[2] is the thread count.
import { createInterface } from 'node:readline';
import { Generator, setNumThreads } from '@tensorgrad/core';
import type { ConvMode, ConvShape, GemmCase, ModelCase } from './cases.js';
import type { Prepared } from './engine.js';
import { profileStep } from './profile.js';
import { tensorgradEngine, tensorgradSink } from './tensorgrad-engine.js';
import { type TimingPolicy, timeIt } from './timing.js';

/** What the bench asks: one case timed under a policy, or the per-op profile of a model's step. */
export type WorkerRequest =
  | { id: number; kind: 'gemm'; policy: TimingPolicy; gemm: GemmCase }
  | { id: number; kind: 'conv'; policy: TimingPolicy; shape: ConvShape; mode: ConvMode }
  | { id: number; kind: 'train'; policy: TimingPolicy; model: ModelCase }
  | { id: number; kind: 'profile'; model: ModelCase; steps: number; warmup: number };

// tensorgrad-process.ts starts this process with --expose-gc.
const gc = (globalThis as { gc?: () => void }).gc!;
const mb = (b: number): number => Math.round(b / 1048576);

const threads = Number(process.argv[2]);
const engine = tensorgradEngine(threads);
const send = (msg: Record<string, unknown>): void => void process.stdout.write(JSON.stringify(msg) + '\n');

function answer(r: WorkerRequest): Record<string, unknown> {
  gc();
  if (r.kind === 'profile') return { measured: profileStep(r.model, new Generator(99), r.steps, r.warmup) };
  const prepared: Prepared = r.kind === 'gemm' ? engine.gemm(r.gemm) : r.kind === 'conv' ? engine.conv(r.shape, r.mode) : engine.train(r.model);
  if ('unsupported' in prepared) return { unsupported: prepared.unsupported };
  if (!('run' in prepared)) throw new Error('tensorgrad workloads run in this process');
  const timing = timeIt(prepared.run, r.policy);
  const m = process.memoryUsage();
  return { timing, memoryMB: { rss: mb(m.rss), heapUsed: mb(m.heapUsed), arrayBuffers: mb(m.arrayBuffers) } };
}

try {
  await engine.activate();
  send({ ready: true, execArgv: process.execArgv.filter((a) => a.startsWith('--') && !a.includes('tsx')) });
} catch (e) {
  send({ ready: false, error: (e as Error).message });
  process.exit(0);
}
for await (const line of createInterface({ input: process.stdin })) {
  const r = JSON.parse(line) as WorkerRequest;
  try {
    send({ id: r.id, ...answer(r) });
  } catch (e) {
    send({ id: r.id, error: (e as Error).message.split('\n')[0] });
  }
}
// stdin closed: stop the GEMM workers so the process can exit.
await setNumThreads(1);
// The checksum of every result read, so none of the work could be optimised away.
process.stderr.write(`  tensorgrad-${threads}t worker: checksum ${tensorgradSink()}\n`);
