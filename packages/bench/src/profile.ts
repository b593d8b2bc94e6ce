// The per-op profile of tensorgrad's training steps (1 thread): core's profileOps around the
// forward (model and loss), the backward (per VJP) and the optimizer update of each step, mean
// ms per step per op; and the step's FLOPs against the GEMM rate measured in the same sitting.
import { type Generator, type OpTiming, profileOps } from '@tensorgrad/core';
import type { ModelCase } from './cases.js';
import { type StepFlops, stepFlops } from './flops.js';
import { tensorgradStep } from './tensorgrad-engine.js';

export type Phase = 'forward' | 'backward' | 'optimizer';
export const PHASES: readonly Phase[] = ['forward', 'backward', 'optimizer'];

/**
 * Mean per step: the phase's wall time, its ops by name and kind, and the rest; with worker
 * threads, what they did meanwhile (profileOps' worker time; a background program's counts task by
 * task, in the phase where each task ends).
 */
export interface PhaseProfile { ms: number; untrackedMs: number; ops: OpTiming[]; workers: WorkerTime }

/** The workers' time in a phase, summed over workers, ms per step. */
export interface WorkerTime {
  /** In the calling thread's jobs (GEMM blocks, conv tasks). */
  jobsMs: number;
  /** In background programs (filter gradients). */
  backgroundMs: number;
  /** Waiting: workers × the phase's wall time, less the two above. */
  idleMs: number;
}

export interface StepProfile {
  model: string;
  batch: number;
  engine: string;
  /** Profiled steps (after warm-up steps). */
  steps: number;
  /** Median wall time of a profiled step (the profiler's clock reads included). */
  profiledStepMs: number;
  /** Median of the unprofiled training-step case in this sitting (null if it was not run). */
  stepMs: number | null;
  flops: StepFlops;
  /** flops.total / step time (stepMs, else profiledStepMs). */
  gflops: number;
  /** The GEMM rate the step is compared with (tensorgrad 1 thread, this sitting). */
  gemmGflops: number;
  /** gflops / gemmGflops: issue 18's target is ≥ 0.7. */
  fractionOfGemm: number;
  /** Per profiled step, ms in the ops that carry the counted FLOPs (conv and matmul, forward and VJP). */
  flopOpsMs: number;
  /** flops.total / flopOpsMs: how fast those ops run by themselves (what the rest of the step costs is the gap to gflops). */
  flopOpsGflops: number;
  phases: Record<Phase, PhaseProfile>;
}

/** Runs `warmup` then `steps` training steps of m, each phase under profileOps. */
export function profileStep(m: ModelCase, generator: Generator, steps: number, warmup: number): { profiledStepMs: number; phases: Record<Phase, PhaseProfile> } {
  const step = tensorgradStep(m, generator);
  const sums = Object.fromEntries(PHASES.map((p) => [p, { ms: 0, untrackedMs: 0, ops: new Map<string, OpTiming>(), jobsMs: 0, backgroundMs: 0 }])) as Record<Phase, { ms: number; untrackedMs: number; ops: Map<string, OpTiming>; jobsMs: number; backgroundMs: number }>;
  const totals: number[] = [];
  let workers = 0;
  for (let i = 0; i < warmup + steps; i++) {
    const t0 = performance.now();
    const fwd = profileOps(() => step.forward());
    const bwd = profileOps(() => step.backward(fwd.result));
    const upd = profileOps(() => step.update());
    step.force(fwd.result);
    if (i < warmup) continue;
    totals.push(performance.now() - t0);
    for (const [phase, { profile }] of [['forward', fwd], ['backward', bwd], ['optimizer', upd]] as const) {
      const s = sums[phase];
      workers = profile.workers;
      s.ms += profile.totalMs;
      s.untrackedMs += profile.untrackedMs;
      s.jobsMs += profile.workerJobsMs ?? 0;
      s.backgroundMs += profile.workerBackgroundMs ?? 0;
      for (const t of profile.ops) {
        const key = `${t.kind}:${t.op}`;
        const e = s.ops.get(key);
        if (e === undefined) s.ops.set(key, { ...t });
        else {
          e.calls += t.calls;
          e.ms += t.ms;
          if (t.workerJobsMs !== undefined) e.workerJobsMs = (e.workerJobsMs ?? 0) + t.workerJobsMs;
          if (t.workerBackgroundMs !== undefined) e.workerBackgroundMs = (e.workerBackgroundMs ?? 0) + t.workerBackgroundMs;
        }
      }
    }
  }
  const per = (v: number): number => v / steps;
  const phases = Object.fromEntries(PHASES.map((p) => [p, {
    ms: per(sums[p].ms),
    untrackedMs: per(sums[p].untrackedMs),
    ops: [...sums[p].ops.values()].map((t) => ({
      ...t, calls: per(t.calls), ms: per(t.ms),
      ...(t.workerJobsMs !== undefined && { workerJobsMs: per(t.workerJobsMs) }),
      ...(t.workerBackgroundMs !== undefined && { workerBackgroundMs: per(t.workerBackgroundMs) }),
    })).sort((a, b) => b.ms - a.ms),
    workers: { jobsMs: per(sums[p].jobsMs), backgroundMs: per(sums[p].backgroundMs), idleMs: per(workers * sums[p].ms - sums[p].jobsMs - sums[p].backgroundMs) },
  }])) as Record<Phase, PhaseProfile>;
  totals.sort((a, b) => a - b);
  return { profiledStepMs: totals[totals.length >> 1]!, phases };
}

/** The ops that carry the FLOPs stepFlops counts (conv and linear layers), by registered name. */
const FLOP_OPS = new Set(['conv2d', 'convTranspose2d', 'conv2dFilterGrad', 'matmul']);

export function stepProfile(m: ModelCase, measured: { profiledStepMs: number; phases: Record<Phase, PhaseProfile> }, stepMs: number | null, gemmGflops: number, steps: number, engine = 'tensorgrad-1t'): StepProfile {
  const flops = stepFlops(m);
  const gflops = flops.total / ((stepMs ?? measured.profiledStepMs) * 1e6);
  const flopOpsMs = PHASES.reduce((s, p) => s + measured.phases[p].ops.filter((t) => FLOP_OPS.has(t.op)).reduce((a, t) => a + t.ms, 0), 0);
  return {
    model: m.name, batch: m.batch, engine, steps, ...measured, stepMs, flops, gflops, gemmGflops,
    fractionOfGemm: gflops / gemmGflops, flopOpsMs, flopOpsGflops: flops.total / (flopOpsMs * 1e6),
  };
}

const f1 = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const pct = (v: number): string => `${(v * 100).toFixed(0)}%`;

/** Two markdown tables: per model, the step against the GEMM rate and its phases; then the heaviest ops. */
export function profileTables(profiles: StepProfile[], top = 8): string {
  const head = '| model | step ms (1t) | GFLOP per step | GFLOP/s | of GEMM rate | profiled step ms | forward ms | backward ms | optimizer ms | conv+matmul ops: share, GFLOP/s |';
  const lines = [head, '|---|---|---|---|---|---|---|---|---|---|'];
  for (const p of profiles) {
    const ph = p.phases;
    const share = p.flopOpsMs / PHASES.reduce((s, x) => s + ph[x].ms, 0);
    lines.push(`| ${p.model} batch ${p.batch} | ${p.stepMs === null ? '—' : f1(p.stepMs)} | ${(p.flops.total / 1e9).toFixed(2)} | ${p.gflops.toFixed(1)} | ${pct(p.fractionOfGemm)} (GEMM ${p.gemmGflops.toFixed(1)}) | ${f1(p.profiledStepMs)} | ${f1(ph.forward.ms)} | ${f1(ph.backward.ms)} | ${f1(ph.optimizer.ms)} | ${pct(share)}, ${p.flopOpsGflops.toFixed(1)} |`);
  }
  const ops = ['', '| model | phase | op (kind) | calls/step | ms/step | share of profiled step |', '|---|---|---|---|---|---|'];
  for (const p of profiles) {
    const total = PHASES.reduce((s, ph) => s + p.phases[ph].ms, 0);
    const rows = PHASES.flatMap((ph) => [
      ...p.phases[ph].ops.map((t) => ({ ph, name: `${t.op} (${t.kind})`, calls: t.calls, ms: t.ms })),
      { ph, name: '(outside ops)', calls: NaN, ms: p.phases[ph].untrackedMs },
    ]).sort((a, b) => b.ms - a.ms).slice(0, top);
    for (const r of rows) ops.push(`| ${p.model} | ${r.ph} | ${r.name} | ${Number.isNaN(r.calls) ? '' : r.calls.toFixed(0)} | ${f1(r.ms)} | ${pct(r.ms / total)} |`);
  }
  return [...lines, ...ops].join('\n');
}

/**
 * Per model and phase, the 1- and 2-thread profiles side by side: the phase's wall time at each,
 * and at 2 threads what the worker did (jobs, background programs) and how long it waited for
 * the calling thread, which alone runs everything but the conv tasks and GEMM blocks; then the
 * ops during which it waited longest (one worker: its waiting is the op's time less its work).
 */
export function threadProfileTable(ones: StepProfile[], twos: StepProfile[], top = 6): string {
  const lines = [
    '| model | phase | 1 thread ms | 2 threads ms | speed-up | worker in jobs ms | worker in background ms | worker waiting ms (share of the phase) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const two of twos) {
    const one = ones.find((p) => p.model === two.model);
    const rows = PHASES.map((ph) => ({ ph: ph as string, ms1: one?.phases[ph].ms ?? NaN, ms2: two.phases[ph].ms, w: two.phases[ph].workers }));
    const sum = (f: (r: (typeof rows)[number]) => number): number => rows.reduce((s, r) => s + f(r), 0);
    rows.push({ ph: 'step', ms1: sum((r) => r.ms1), ms2: sum((r) => r.ms2), w: { jobsMs: sum((r) => r.w.jobsMs), backgroundMs: sum((r) => r.w.backgroundMs), idleMs: sum((r) => r.w.idleMs) } });
    for (const r of rows) {
      const speedUp = Number.isNaN(r.ms1) ? '—' : `${(r.ms1 / r.ms2).toFixed(2)}×`;
      lines.push(`| ${two.model} | ${r.ph} | ${Number.isNaN(r.ms1) ? '—' : f1(r.ms1)} | ${f1(r.ms2)} | ${speedUp} | ${f1(r.w.jobsMs)} | ${f1(r.w.backgroundMs)} | ${f1(r.w.idleMs)} (${pct(r.w.idleMs / r.ms2)}) |`);
    }
  }
  // The ops during which the worker waited longest (profileOps bills it each op's worker time).
  const ops = ['', '| model | phase | op (kind) | ms/step at 2 threads | worker in jobs ms | worker in background ms | worker waiting ms |', '|---|---|---|---|---|---|---|'];
  for (const two of twos) {
    const rows = PHASES.flatMap((ph) => two.phases[ph].ops.map((t) => ({ ph, t, waiting: t.ms - (t.workerJobsMs ?? 0) - (t.workerBackgroundMs ?? 0) })))
      .sort((a, b) => b.waiting - a.waiting).slice(0, top);
    for (const { ph, t, waiting } of rows) ops.push(`| ${two.model} | ${ph} | ${t.op} (${t.kind}) | ${f1(t.ms)} | ${f1(t.workerJobsMs ?? 0)} | ${f1(t.workerBackgroundMs ?? 0)} | ${f1(waiting)} |`);
  }
  return [...lines, ...ops].join('\n');
}
