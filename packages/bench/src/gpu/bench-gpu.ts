// tensorgrad's WebGPU backend vs TensorFlow.js's WebGPU backend (tfjs-backend-webgpu 4.22) on the
// same adapter (Dawn, the npm package 'webgpu'), side by side in one sitting: GEMMs 1024³ and
// 4096³, conv2d fwd and fwd+dx+dW on the CPU bench's shapes a–e, and one training step of lenet5,
// resnet20, fmnist-cnn (the default model) and resnet18 at 224² (batch 16).
// Each case runs on both frameworks in turn, on the same inputs; each run ends with a 1-element
// check value computed on the GPU, which is read back to wait for completion (see timing.ts) and
// compared between the frameworks (and, in the smoke test, with tensorgrad's CPU float64 result).
//
//   pnpm bench:gpu                          full run on the first adapter found (--adapter=auto)
//   pnpm bench:gpu -- --adapter=vulkan      or opengles (Mesa llvmpipe through EGL surfaceless)
//   pnpm bench:gpu -- --smoke               one run per case at reduced sizes (default on a software adapter)
//   pnpm bench:gpu -- --full                the full sizes even on a software adapter (hours)
//   pnpm bench:gpu -- --only=gemm4096,c,resnet18   a subset (gemm1024, gemm4096, a–e, model names)
//   pnpm bench:gpu -- --out=path.json       JSON path (default results/gpu-<mode>-<date>.json in packages/bench)
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Generator, type Tensor, add, conv2d, grad, matmul, mul, randn, sum, tensor } from '@tensorgrad/core';
import { type ConvShape, describeShape, passFlops } from '../cases.js';
import { type CaseResult, type Comparison, type EngineResult, markdownTable, speedups } from '../report.js';
import type { TimingPolicy } from '../timing.js';
import { type AdapterChoice, benchGpu, describeAdapter } from './adapter.js';
import { FULL_CASES, GPU_CONV_MODES, type GpuConvMode, type GpuGemmCase, SMOKE_CASES, gpuStepFlops } from './cases.js';
import type { ConvInputs, GemmInputs, GpuEngine, GpuPrepared } from './engine.js';
import { tensorgradWebGPUEngine } from './tensorgrad-engine.js';
import { tfjsWebGPUEngine } from './tfjs-engine.js';
import { GpuHangError, timeGpu } from './timing.js';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const a = args.find((x) => x === `--${name}` || x.startsWith(`--${name}=`));
  return a === undefined ? undefined : a.includes('=') ? a.slice(a.indexOf('=') + 1) : '';
};
const adapterChoice = (flag('adapter') || 'auto') as AdapterChoice;
if (!['auto', 'vulkan', 'opengles'].includes(adapterChoice)) throw new Error(`--adapter must be auto, vulkan or opengles, got ${adapterChoice}`);
const only = flag('only')?.split(',').filter((s) => s !== '');
const wanted = (id: string): boolean => only === undefined || only.includes(id);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

// Both frameworks compute their check values in float32 on the GPU; sums of up to 16M squares.
const CHECK_RTOL = 1e-3;
const POLICY: TimingPolicy = { minReps: 5, targetMs: 2000, capMs: 15000, maxReps: 100, warmupReps: 3, warmupMs: 1000 };
// One run of the slowest case takes ~10 s on llvmpipe (resnet18 at 64², compiling its pipelines).
const HANG_MS = 120_000;

const started = new Date();
const gpu = await benchGpu(adapterChoice).catch((e: Error) => {
  process.stderr.write(`GPU bench: ${e.message}\n`);
  process.exit(2);
});
const smoke = flag('full') === undefined && (flag('smoke') !== undefined || gpu.info.software);
const cases = smoke ? SMOKE_CASES : FULL_CASES;
const adapterLine = describeAdapter(gpu.info);
process.stderr.write(`GPU bench (${smoke ? 'smoke' : 'full'}): ${adapterLine}\n`);
const UNMEASURED = gpu.info.software
  ? 'software adapter: correctness smoke test, GPU figures unmeasured'
  : 'smoke test (one run per case at reduced sizes, times include pipeline compilation): GPU figures unmeasured';
if (smoke) process.stderr.write(`${UNMEASURED}\n`);

/** An engine, or why it cannot run here (every row then says so). */
type Slot = { id: string; engine: GpuEngine } | { id: string; unavailable: string };
async function slot(id: string, make: () => Promise<GpuEngine>): Promise<Slot> {
  try {
    return { id, engine: await make() };
  } catch (e) {
    return { id, unavailable: `${id}: unavailable on this adapter: ${(e as Error).message.split('\n')[0]}` };
  }
}
let slots: Slot[] = [
  await slot('tensorgrad-webgpu', () => tensorgradWebGPUEngine(gpu.tensorgrad)),
  await slot('tfjs-webgpu', () => tfjsWebGPUEngine(gpu.tfjs)),
];
const COLUMNS = slots.map((s) => s.id);
const COMPARISONS: Comparison[] = [{ title: 'speed-up vs tfjs-webgpu', pairs: [['tensorgrad-webgpu', 'tfjs-webgpu']] }];
for (const s of slots) process.stderr.write(`${s.id}: ${'engine' in s ? s.engine.describe() : s.unavailable}\n`);

interface Check { values: Record<string, number>; reference: number | null; maxRelErr: number | null; ok: boolean }
type GpuCaseResult = CaseResult & { check: Check };
const results: GpuCaseResult[] = [];

const firstLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

async function measure(s: Slot, flops: number | null, prepare: (e: GpuEngine) => GpuPrepared): Promise<{ result: EngineResult; check: number | null }> {
  if (!('engine' in s)) return { result: { unsupported: s.unavailable }, check: null };
  gc();
  let prepared: GpuPrepared;
  try {
    prepared = prepare(s.engine);
  } catch (e) {
    return { result: { error: firstLine(e) }, check: null };
  }
  if ('unsupported' in prepared) return { result: { unsupported: prepared.unsupported }, check: null };
  try {
    const t = await timeGpu(prepared, POLICY, smoke, HANG_MS);
    const { check, ...timing } = t;
    return { result: { ...timing, gflops: flops === null ? null : flops / (t.medianMs * 1e6), memoryMB: s.engine.memoryMB() }, check };
  } catch (e) {
    // Work queued behind a hung run never finishes either: the engine sits out the remaining cases.
    if (e instanceof GpuHangError) slots = slots.map((x) => (x === s ? { id: s.id, unavailable: `${s.id}: skipped after a hang: ${e.message}` } : x));
    return { result: { error: firstLine(e) }, check: null };
  } finally {
    prepared.dispose?.();
  }
}

/** Relative errors of the engines' check values against the reference (or each other) and finiteness. */
function judge(values: Record<string, number>, reference: number | null, finiteOnly: boolean): Check {
  const v = Object.values(values);
  const ok = v.every(Number.isFinite);
  if (finiteOnly || v.length === 0) return { values, reference, maxRelErr: null, ok };
  const base = reference ?? v[0]!;
  const maxRelErr = Math.max(...v.map((x) => Math.abs(x - base) / Math.max(Math.abs(base), 1e-30)));
  return { values, reference, maxRelErr, ok: ok && maxRelErr <= CHECK_RTOL };
}

async function runCase(r: Omit<CaseResult, 'engines' | 'speedups'>, prepare: (e: GpuEngine) => GpuPrepared, reference: () => number | null, finiteOnly = false): Promise<void> {
  const res: GpuCaseResult = { ...r, engines: {}, speedups: {}, check: { values: {}, reference: null, maxRelErr: null, ok: true } };
  const values: Record<string, number> = {};
  for (const s of slots) {
    const { result, check } = await measure(s, r.flops, prepare);
    res.engines[s.id] = result;
    if (check !== null) values[s.id] = check;
    const what = 'medianMs' in result ? `${result.medianMs.toFixed(2)} ms${result.reps > 1 ? ` median of ${result.reps}×${(result as { group?: number }).group ?? 1}` : ''}${result.gflops === null ? '' : `, ${result.gflops.toFixed(2)} GFLOP/s`}, check ${check}`
      : 'unsupported' in result ? result.unsupported : 'skipped' in result ? result.skipped : `error: ${result.error}`;
    process.stderr.write(`  ${`${r.label} ${r.mode}`.padEnd(40)} ${s.id.padEnd(18)} ${what}\n`);
  }
  res.speedups = speedups(res, COMPARISONS);
  res.check = judge(values, Object.keys(values).length > 0 ? reference() : null, finiteOnly);
  // An engine that runs here but failed the case fails the check (an unavailable engine does not).
  if (Object.values(res.engines).some((e) => 'error' in e)) res.check.ok = false;
  results.push(res);
}

// Inputs: standard normal float32, drawn on the host from a generator seeded by the case's id (the
// same values whatever --only selects), the same for both frameworks.
const seedOf = (id: string): number => [...id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
const drawer = (id: string): ((n: number) => Float32Array) => {
  const generator = new Generator(seedOf(id));
  return (n) => randn([n], { generator }).data as Float32Array;
};
const f64 = (a: Float32Array, shape: number[]): Tensor => tensor(Float64Array.from(a), { shape });
const sumSquares64 = (ts: Tensor[]): number => ts.reduce((s, t) => s + sum(mul(t, t)).item(), 0);

for (const g of cases.gemms) {
  if (!wanted(g.id)) continue;
  const draw = drawer(g.id);
  const inputs: GemmInputs = { a: draw(g.m * g.k), b: draw(g.k * g.n) };
  const reference = (): number | null => (smoke ? sumSquares64([matmul(f64(inputs.a, [g.m, g.k]), f64(inputs.b, [g.k, g.n]))]) : null);
  await runCase({ id: g.id, kind: 'gemm', label: `gemm ${g.m}×${g.k} · ${g.k}×${g.n}`, mode: 'matmul', flops: 2 * g.m * g.k * g.n }, (e) => e.gemm(g as GpuGemmCase, inputs), reference);
}
for (const s of cases.convs) {
  if (!wanted(s.id)) continue;
  const draw = drawer(s.id);
  const inputs: ConvInputs = { x: draw(s.n * s.c * s.h * s.w), w: draw(s.cout * s.c * s.k * s.k) };
  for (const mode of GPU_CONV_MODES) {
    const reference = (): number | null => (smoke ? convReference(s, mode, inputs) : null);
    await runCase({ id: s.id, kind: 'conv', label: describeShape(s), mode, flops: (mode === 'fwd' ? 1 : 3) * passFlops(s) }, (e) => e.conv(s, mode, inputs), reference);
  }
}
for (const m of cases.models) {
  if (!wanted(m.name)) continue;
  // The frameworks' models start from different weights: the loss is only checked to be finite.
  await runCase({ id: m.name, kind: 'train', label: `${m.name} batch ${m.batch} ${m.input.join('×')}`, mode: 'train step', flops: gpuStepFlops(m) }, (e) => e.train(m), () => null, true);
}

function convReference(s: ConvShape, mode: GpuConvMode, { x, w }: ConvInputs): number {
  const tx = f64(x, [s.n, s.c, s.h, s.w]), tw = f64(w, [s.cout, s.c, s.k, s.k]);
  const opts = { stride: s.stride, padding: s.pad };
  if (mode === 'fwd') return sumSquares64([conv2d(tx, tw, opts)]);
  const g = grad((xx: Tensor, ww: Tensor) => {
    const y = conv2d(xx, ww, opts);
    return mul(sum(mul(y, y)), 0.5);
  }, { argnums: [0, 1] });
  return sumSquares64(g(tx, tw));
}

const { table, notes } = markdownTable(results, COLUMNS, COMPARISONS);
const fmt = (v: number | undefined): string => (v === undefined ? '—' : v.toPrecision(7));
const checkTable = [
  `| case | work | ${COLUMNS.join(' | ')} | ${smoke ? 'CPU float64 reference | ' : ''}max rel. error | ok |`,
  `|---|---|${COLUMNS.map(() => '---|').join('')}${smoke ? '---|' : ''}---|---|`,
  ...results.map((r) => `| ${r.label} | ${r.mode} | ${COLUMNS.map((c) => fmt(r.check.values[c])).join(' | ')} | ${smoke ? `${r.check.reference === null ? '—' : fmt(r.check.reference)} | ` : ''}${r.check.maxRelErr === null ? (r.kind === 'train' ? 'loss finite' : '—') : r.check.maxRelErr.toExponential(1)} | ${r.check.ok ? 'yes' : 'NO'} |`),
].join('\n');
const failed = results.filter((r) => !r.check.ok).map((r) => `${r.id} ${r.mode}`);

const here = dirname(fileURLToPath(import.meta.url));
const stamp = started.toISOString().replace(/[:.]/g, '-');
const outPath = resolve(flag('out') || resolve(here, '../../results', `gpu-${smoke ? 'smoke' : 'full'}-${stamp}.json`));
const report = {
  date: started.toISOString(),
  mode: smoke ? 'smoke' : 'full',
  measured: !smoke,
  note: smoke ? UNMEASURED : 'medians per run; GFLOP/s from the counted FLOPs',
  adapter: { ...gpu.info, text: adapterLine, requested: adapterChoice },
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${process.platform} ${process.arch}` },
  policy: smoke ? 'one run per case, no warm-up' : { ...POLICY, groupNote: 'runs shorter than 10 ms are grouped (up to 64) between syncs; times are per run' },
  engines: Object.fromEntries(slots.map((s) => [s.id, 'engine' in s ? s.engine.describe() : s.unavailable])),
  sync: {
    'tensorgrad-webgpu': 'each run ends with a 1-element GPU result (Σ of squares of its outputs, or the loss); `await t.itemAsync()` of the last run\'s resolves after every kernel queued before it',
    'tfjs-webgpu': 'each run ends with a 1-element GPU result (tf.sum(tf.square(...)), or the loss from minimize); `await t.data()` of the last run\'s submits the recorded commands and resolves after they finish',
  },
  flopNote: 'GEMM 2·M·K·N; conv pass 2·N·Cout·Ho·Wo·C·K·K (fwd 1 pass, fwd+dx+dW 3); training step: conv and linear layers, forward + dW + dx (none for the first layer), as flops.ts. Speed-up = tfjs median / tensorgrad median (>1: tensorgrad faster).',
  checkNote: `check values: GEMM Σ C², conv fwd Σ y², fwd+dx+dW Σ dx² + Σ dW² (loss 0.5·Σ y²), train step the loss; within ${CHECK_RTOL} relative of ${smoke ? 'tensorgrad\'s CPU float64 result' : 'the first engine\'s'}`,
  results,
  table,
  notes,
  checkTable,
  checksFailed: failed,
};
mkdirSync(dirname(outPath), { recursive: true });
writeFileSync(outPath, JSON.stringify(report, null, 2) + '\n');

console.log(`\n${started.toISOString()} · ${smoke ? 'smoke' : 'full'} · ${adapterLine} · Node ${process.version}`);
if (smoke) console.log(UNMEASURED);
for (const s of slots) console.log(`${s.id}: ${'engine' in s ? s.engine.describe() : s.unavailable}`);
console.log(`\nmedian ms per run (GFLOP/s)\n\n${table}\n`);
notes.forEach((n, i) => console.log(`[${i + 1}] ${n}`));
console.log(`\ncheck values (${report.checkNote})\n\n${checkTable}\n`);
if (failed.length > 0) console.log(`check FAILED (a wrong value or an error): ${failed.join(', ')}`);
console.log(`JSON: ${outPath}`);
// Dawn keeps the process alive while devices exist.
process.exit(failed.length > 0 ? 1 : 0);
