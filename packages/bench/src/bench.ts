// tensorgrad vs PyTorch (1.13, /usr/bin/python3, when it has torch) and TensorFlow.js 4.22 (cpu and
// wasm backends), side by side in one sitting: a 512³ GEMM, conv2d forward, forward+dx,
// forward+dx+dW (loss 0.5·Σy²) on five shapes, and one training step (forward, cross-entropy,
// backward, optimizer) of fmnist-cnn (Adam), lenet5 and resnet20 (SGD with momentum); then a
// per-op profile of tensorgrad's training steps on one thread against the GEMM rate.
// Each case runs on every engine in turn, so load drift on a shared machine hits all alike.
//
//   pnpm bench                       full run (several minutes: TensorFlow.js-cpu backward is slow)
//   pnpm bench --quick               fewer runs; skips the slowest TensorFlow.js-cpu cases
//   pnpm bench --out=path.json       JSON file (default bench-results.json in the cwd)
//   pnpm bench --only=gemm,a,lenet5  a subset of cases (gemm, shape ids a–e, model names)
import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CONV_MODES, CONV_SHAPES, type ConvMode, GEMM_CASE, MODEL_CASES, PASSES, describeGemm, describeShape, gemmFlops, passFlops } from './cases.js';
import type { Engine, ExternalWorkload, Prepared } from './engine.js';
import { type StepProfile, profileTables, stepProfile, threadProfileTable } from './profile.js';
import { type CaseResult, type Comparison, type EngineResult, isMeasured, markdownTable, speedups } from './report.js';
import { tensorgradProcessEngine } from './tensorgrad-process.js';
import { tfjsEngine, tfjsSink } from './tfjs-engine.js';
import { torchEngine } from './torch-engine.js';
import { type TimingPolicy, timeIt } from './timing.js';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const a = args.find((x) => x === `--${name}` || x.startsWith(`--${name}=`));
  return a === undefined ? undefined : a.includes('=') ? a.slice(a.indexOf('=') + 1) : '';
};
const quick = flag('quick') !== undefined;
const outPath = resolve(flag('out') || 'bench-results.json');
const only = flag('only')?.split(',').filter((s) => s !== '');
const wanted = (id: string): boolean => only === undefined || only.includes(id);

const policy: TimingPolicy = quick
  ? { minReps: 3, targetMs: 300, capMs: 4000, maxReps: 50, warmupReps: 1, warmupMs: 0 }
  : { minReps: 5, targetMs: 3000, capMs: 25000, maxReps: 200, warmupReps: 3, warmupMs: 1500 };

// A full collection between cases, outside the timings, so one case's garbage is not billed to the next.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

// tensorgrad runs in processes of its own (tensorgrad-process.ts), as PyTorch does; TensorFlow.js here.
const tensorgrad1t = tensorgradProcessEngine(1);
const tensorgrad2t = tensorgradProcessEngine(2);
const engines: Engine[] = [tensorgrad1t, tensorgrad2t, torchEngine(1), torchEngine(2), tfjsEngine('wasm'), tfjsEngine('cpu')];
const COLUMNS = ['tensorgrad-1t', 'tensorgrad-2t', 'torch-1t', 'torch-2t', 'tfjs-cpu', 'tfjs-wasm'];
const against = (peer: string): [string, string][] => [['tensorgrad-1t', peer], ['tensorgrad-2t', peer]];
const COMPARISONS: Comparison[] = [
  // PyTorch at the same thread count: the issue's ratio (speed = PyTorch ms / tensorgrad ms).
  { title: 'speed vs PyTorch (1t÷1t / 2t÷2t)', pairs: [['tensorgrad-1t', 'torch-1t'], ['tensorgrad-2t', 'torch-2t']] },
  { title: 'speed-up vs tfjs-cpu (1t / 2t)', pairs: against('tfjs-cpu') },
  { title: 'speed-up vs tfjs-wasm (1t / 2t)', pairs: against('tfjs-wasm') },
];

/** Per-run seconds of TensorFlow.js-cpu backward grow to tens of seconds (anchor README): quick mode leaves those out. */
function quickSkip(engine: string, caseId: string, mode: string): string | null {
  if (!quick || engine !== 'tfjs-cpu' || caseId === GEMM_CASE.id) return null;
  if (caseId === 'resnet20' || caseId === 'fmnist-cnn') return 'skipped in --quick: tfjs-cpu resnet20 and fmnist-cnn training steps take minutes per run';
  if (mode !== 'fwd' && caseId !== 'a' && caseId !== 'lenet5') return 'skipped in --quick: tfjs-cpu conv backward takes 5–45 s per run on shapes b–e';
  return null;
}

const uptime = (): string => { try { return execSync('uptime', { encoding: 'utf8' }).trim(); } catch { return `load average ${loadavg().map((l) => l.toFixed(2)).join(', ')}`; } };
const mb = (b: number): number => Math.round(b / 1048576);

async function measure(engine: Engine, caseId: string, mode: string, flops: number | null, prepare: () => Prepared): Promise<EngineResult> {
  const skip = quickSkip(engine.id, caseId, mode);
  if (skip !== null) return { skipped: skip };
  await engine.activate();
  gc();
  let prepared: Prepared;
  try {
    prepared = prepare();
  } catch (e) {
    return { error: (e as Error).message };
  }
  if ('unsupported' in prepared) return { unsupported: prepared.unsupported };
  const gflops = (medianMs: number): number | null => (flops === null ? null : flops / (medianMs * 1e6));
  if ('time' in prepared) {
    try {
      const t = await prepared.time(policy);
      return { ...t, gflops: gflops(t.medianMs) };
    } catch (e) {
      return { error: (e as Error).message.split('\n')[0]! };
    }
  }
  try {
    const t = timeIt(prepared.run, policy);
    const m = process.memoryUsage();
    return { ...t, gflops: gflops(t.medianMs), memoryMB: { rss: mb(m.rss), heapUsed: mb(m.heapUsed), arrayBuffers: mb(m.arrayBuffers) } };
  } catch (e) {
    return { error: (e as Error).message.split('\n')[0]! };
  } finally {
    prepared.dispose?.();
  }
}

function progress(r: EngineResult, engine: string, label: string): void {
  const what = 'medianMs' in r ? `${r.medianMs.toFixed(2)} ms median of ${r.reps}${r.gflops === null ? '' : `, ${r.gflops.toFixed(2)} GFLOP/s`}`
    : 'unsupported' in r ? `unsupported: ${r.unsupported}` : 'skipped' in r ? r.skipped : `error: ${r.error}`;
  process.stderr.write(`  ${label.padEnd(36)} ${engine.padEnd(14)} ${what}\n`);
}

const started = new Date();
const loadBefore = uptime();
process.stderr.write(`tensorgrad vs PyTorch and TensorFlow.js${quick ? ' (--quick)' : ''}; ${cpus().length} CPU(s) ${cpus()[0]?.model ?? ''}; ${loadBefore}\n`);
for (const e of engines) await e.activate();
const engineInfo = Object.fromEntries(engines.map((e) => [e.id, e.describe()]));

const results: CaseResult[] = [];
async function runCase(r: Omit<CaseResult, 'engines' | 'speedups'>, prepare: (e: Engine) => Prepared): Promise<void> {
  const res: CaseResult = { ...r, engines: {}, speedups: {} };
  for (const e of engines) {
    res.engines[e.id] = await measure(e, r.id, r.mode, r.flops, () => prepare(e));
    progress(res.engines[e.id]!, e.id, `${r.label} ${r.mode}`);
  }
  res.speedups = speedups(res, COMPARISONS);
  results.push(res);
}

if (wanted(GEMM_CASE.id)) {
  await runCase({ id: GEMM_CASE.id, kind: 'gemm', label: describeGemm(GEMM_CASE), mode: 'matmul', flops: gemmFlops(GEMM_CASE) }, (e) => e.gemm(GEMM_CASE));
}
for (const s of CONV_SHAPES) {
  if (!wanted(s.id)) continue;
  for (const mode of CONV_MODES as ConvMode[]) {
    await runCase({ id: s.id, kind: 'conv', label: describeShape(s), mode, flops: PASSES[mode] * passFlops(s) }, (e) => e.conv(s, mode));
  }
}
for (const m of MODEL_CASES) {
  if (!wanted(m.name)) continue;
  await runCase({ id: m.name, kind: 'train', label: `${m.name} batch ${m.batch} ${m.input.join('×')}`, mode: 'train step', flops: null }, (e) => e.train(m));
}

// Per-op profile of the training steps, tensorgrad on one thread (its worker process), after the
// cases (so it does not warm anything up for them), against the GEMM rate of this sitting.
const profiles: StepProfile[] = [];
const threadProfiles: StepProfile[] = [];
const profileModels = MODEL_CASES.filter((m) => wanted(m.name));
if (profileModels.length > 0) {
  const gemmCase = results.find((r) => r.id === GEMM_CASE.id)?.engines['tensorgrad-1t'];
  let gemmGflops: number;
  if (isMeasured(gemmCase)) gemmGflops = gemmCase.gflops!;
  else {
    const g = tensorgrad1t.gemm(GEMM_CASE) as ExternalWorkload;
    gemmGflops = gemmFlops(GEMM_CASE) / ((await g.time(policy)).medianMs * 1e6);
  }
  // Warm-up past a fresh process's first steps, which page-fault their activations in (bench README).
  const [steps, warmup] = quick ? [5, 5] : [15, 10];
  for (const m of profileModels) {
    const measured = await tensorgrad1t.profile(m, steps, warmup);
    const stepCase = results.find((r) => r.id === m.name)?.engines['tensorgrad-1t'];
    profiles.push(stepProfile(m, measured, isMeasured(stepCase) ? stepCase.medianMs : null, gemmGflops, steps));
    process.stderr.write(`  profile ${m.name.padEnd(28)} ${measured.profiledStepMs.toFixed(1)} ms per profiled step\n`);
    // The same at 2 threads: where the worker waits for the calling thread (issue 18's second thread).
    try {
      const measured2 = await tensorgrad2t.profile(m, steps, warmup);
      threadProfiles.push(stepProfile(m, measured2, null, gemmGflops, steps, 'tensorgrad-2t'));
      process.stderr.write(`  profile ${m.name.padEnd(28)} ${measured2.profiledStepMs.toFixed(1)} ms per profiled step at 2 threads\n`);
    } catch (e) {
      process.stderr.write(`  profile ${m.name.padEnd(28)} at 2 threads skipped: ${(e as Error).message}\n`);
    }
  }
}
for (const e of engines) await e.close?.();

const { table, notes } = markdownTable(results, COLUMNS, COMPARISONS);
const profileTable = profileTables(profiles);
const threadTable = threadProfileTable(profiles, threadProfiles);
const faults = results.filter((r) => r.kind === 'train').map((r) => ({
  case: r.id,
  ...Object.fromEntries(Object.entries(r.engines).map(([e, v]) => [e, 'minorFaultsPerRun' in v ? Math.round(v.minorFaultsPerRun) : null])),
}));
const loadAfter = uptime();
const report = {
  date: started.toISOString(),
  mode: quick ? 'quick' : 'full',
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform} ${process.arch}` },
  load: { before: loadBefore, after: loadAfter },
  policy,
  engines: engineInfo,
  flopNote: 'FLOPs per conv pass = 2·N·Cout·Ho·Wo·C·K·K; fwd = 1 pass, fwd+dx = 2, fwd+dx+dW = 3; GEMM 2·M·K·N. Speed-up (and speed vs PyTorch) = peer median / tensorgrad median.',
  profileNote: 'tensorgrad 1 thread, core profileOps around forward (model + loss), backward and optimizer (step + zeroGrad); mean ms per step per op ("op": application, "vjp": VJP and its gradient thunks; inner ops billed to the outer one). Step FLOPs: conv and linear layers only, forward + dW + dx (no dx for the first layer), direct-convolution count; fractionOfGemm = (FLOPs / step ms) / GEMM rate, both tensorgrad 1 thread in this sitting; stepMs is the unprofiled training-step case.',
  results,
  profile: profiles,
  threadProfileNote: 'the same profile at 2 threads; per phase, the worker\'s time in the calling thread\'s jobs (conv tasks, GEMM blocks) and in background programs (filter gradients), from core\'s profileOps (threadActivity), and the rest of the phase\'s wall time, when it waited for the calling thread (a background program counts task by task, in the phase where each task ends).',
  threadProfile: threadProfiles,
  minorPageFaultsPerTrainingStep: faults,
  table,
  notes,
  profileTable,
  threadTable,
  checksum: tfjsSink(),
};
writeFileSync(outPath, JSON.stringify(report, null, 2) + '\n');

console.log(`\n${started.toISOString()} · ${report.machine.cpus}× ${report.machine.model} · Node ${process.version} · ${quick ? 'quick' : 'full'} mode`);
console.log(`load before: ${loadBefore}\nload after:  ${loadAfter}\n`);
for (const [id, d] of Object.entries(engineInfo)) console.log(`${id}: ${d}`);
console.log(`\nmedian ms per run (GFLOP/s); n=k marks cases timed fewer than 3 times\n\n${table}\n`);
notes.forEach((n, i) => console.log(`[${i + 1}] ${n}`));
if (profiles.length > 0) console.log(`\nper-op profile, tensorgrad 1 thread (mean per step; the step's FLOPs against the GEMM rate):\n\n${profileTable}`);
if (threadProfiles.length > 0) console.log(`\nthe same profile at 2 threads: what the worker does in each phase (mean ms per step):\n\n${threadTable}`);
console.log('\nminor page faults per training step (whole process):');
for (const f of faults) console.log(`  ${JSON.stringify(f)}`);
console.log(`\nJSON: ${outPath}`);
