// The per-op profile of tensorgrad's training steps (1 thread): core's profileOps around the
// forward (model and loss), the backward (per VJP) and the optimizer update of each step, mean
// ms per step per op; and the step's FLOPs against the GEMM rate measured in the same sitting.
import { type Generator, type OpTiming, profileOps } from '@tensorgrad/core';
import type { ModelCase } from './cases.js';
import { type StepFlops, stepFlops } from './flops.js';
import { tensorgradStep } from './tensorgrad-engine.js';

export type Phase = 'forward' | 'backward' | 'optimizer';
export const PHASES: readonly Phase[] = ['forward', 'backward', 'optimizer'];

/** Mean per step: the phase's wall time, its ops by name and kind, and the rest. */
export interface PhaseProfile { ms: number; untrackedMs: number; ops: OpTiming[] }

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
  const sums = Object.fromEntries(PHASES.map((p) => [p, { ms: 0, untrackedMs: 0, ops: new Map<string, OpTiming>() }])) as Record<Phase, { ms: number; untrackedMs: number; ops: Map<string, OpTiming> }>;
  const totals: number[] = [];
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
      s.ms += profile.totalMs;
      s.untrackedMs += profile.untrackedMs;
      for (const t of profile.ops) {
        const key = `${t.kind}:${t.op}`;
        const e = s.ops.get(key);
        if (e === undefined) s.ops.set(key, { ...t });
        else {
          e.calls += t.calls;
          e.ms += t.ms;
        }
      }
    }
  }
  const per = (v: number): number => v / steps;
  const phases = Object.fromEntries(PHASES.map((p) => [p, {
    ms: per(sums[p].ms),
    untrackedMs: per(sums[p].untrackedMs),
    ops: [...sums[p].ops.values()].map((t) => ({ ...t, calls: per(t.calls), ms: per(t.ms) })).sort((a, b) => b.ms - a.ms),
  }])) as Record<Phase, PhaseProfile>;
  totals.sort((a, b) => a - b);
  return { profiledStepMs: totals[totals.length >> 1]!, phases };
}

/** The ops that carry the FLOPs stepFlops counts (conv and linear layers), by registered name. */
const FLOP_OPS = new Set(['conv2d', 'convTranspose2d', 'conv2dFilterGrad', 'matmul']);

export function stepProfile(m: ModelCase, measured: { profiledStepMs: number; phases: Record<Phase, PhaseProfile> }, stepMs: number | null, gemmGflops: number, steps: number): StepProfile {
  const flops = stepFlops(m);
  const gflops = flops.total / ((stepMs ?? measured.profiledStepMs) * 1e6);
  const flopOpsMs = PHASES.reduce((s, p) => s + measured.phases[p].ops.filter((t) => FLOP_OPS.has(t.op)).reduce((a, t) => a + t.ms, 0), 0);
  return {
    model: m.name, batch: m.batch, engine: 'tensorgrad-1t', steps, ...measured, stepMs, flops, gflops, gemmGflops,
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
