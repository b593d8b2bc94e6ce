// Measures the conv algorithms on a grid of geometries and writes the rule table that picks an
// algorithm without timing at run time (src/backend/cpu/conv/rule-table.ts, read by rule.ts).
// Not a test. From packages/core, on a machine as quiet as you can get:
//   npx tsx --conditions=@tensorgrad/source bench/conv-rule.ts measure 1   -> bench/results/conv-rule-1t.json
//   npx tsx --conditions=@tensorgrad/source bench/conv-rule.ts measure 2   -> bench/results/conv-rule-2t.json
//   npx tsx --conditions=@tensorgrad/source bench/conv-rule.ts table       -> src/backend/cpu/conv/rule-table.ts
//   npx tsx --conditions=@tensorgrad/source bench/conv-rule.ts quick       a few grid points, printed only
//   npx tsx --conditions=@tensorgrad/source bench/conv-rule.ts update <threads> <product> <strategy>
//       measures only the grid points of <product> where <strategy> applies (a new algorithm), as
//       rows of the new set of applicable algorithms, added to bench/results/conv-rule-<threads>t.json
//       beside the rows measured before (which stay, so every other conv's choice stays); then `table`.
// Each grid point times variants of one product on random operands the way benchmark mode does
// (one untimed run, then ROUNDS timed runs in alternating order, minimum kept). With 1 thread
// every applicable algorithm is timed: the winner is the algorithm of the rule at every thread
// count (so that results do not depend on it). With 2 threads only that winner is timed, with
// its GEMMs threaded and on the calling thread alone ('/1t': the same bits): the faster runs.
import { cpus, loadavg } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setNumThreads } from '../src/index.js';
import { withSerialGemm } from '../src/backend/cpu/wasm/runtime.js';
import { uninitialized } from '../src/tensor/creation.js';
import type { Tensor } from '../src/tensor/tensor.js';
import { fillTensor } from '../src/testing/arbitraries.js';
import { window2d } from '../src/ops/window.js';
import { convOutputShape } from '../src/backend/conv.js';
import { type ConvProduct, type ConvShape, type ConvStrategy, type RuleRow, type RuleTable, convShape } from '../src/backend/cpu/conv/types.js';
import { SERIAL, TUNE_MIN_FLOPS, convFlops, convStrategies, runStrategy, setConvTuning } from '../src/backend/cpu/conv/chooser.js';
import { settleAsyncTasks } from '../src/backend/cpu/wasm/tasks.js';
import { ruleSignature } from '../src/backend/cpu/conv/rule.js';

const here = dirname(fileURLToPath(import.meta.url));
const resultsDir = join(here, 'results');
const tablePath = join(here, '..', 'src', 'backend', 'cpu', 'conv', 'rule-table.ts');
const ROUNDS = 4;
/** Above this a grid point is skipped (time); TUNE_MIN_FLOPS is the floor, as at run time. */
const MAX_FLOPS = 1e9;
/** An alternative must beat the default by this much, as in benchmark mode. */
const DEFAULT_MARGIN = 0.05;
const products: ConvProduct[] = ['forward', 'inputGrad', 'filterGrad'];

interface Measurement {
  product: ConvProduct;
  /** Features of rule.ts: images, input and output channels (per group), output positions, taps. */
  n: number; cin: number; cout: number; positions: number; taps: number;
  kernel: number; stride: number; padding: number; side: number;
  signature: string;
  /** Best ms of each variant. */
  times: Record<string, number>;
}

// kernel, stride, padding: 1×1 (pointwise applies), 3×3 (Winograd), 5×5 (direct, flipped), 3×3 stride 2 (only the default).
interface Grid {
  families: [number, number, number][];
  batches: number[];
  inputChannels: number[];
  outputChannels: number[];
  sides: number[];
}
const fullGrid: Grid = {
  families: [[1, 1, 0], [3, 1, 1], [5, 1, 2], [3, 2, 1]], batches: [8, 32, 128], inputChannels: [1, 3, 16, 64, 256], outputChannels: [16, 64, 256], sides: [7, 14, 28, 56],
};
/** One point per family: checks that every strategy runs, in seconds (quick). */
const quickGrid: Grid = { families: fullGrid.families, batches: [8], inputChannels: [16], outputChannels: [16], sides: [14] };

function shapeOf(n: number, cin: number, cout: number, k: number, stride: number, padding: number, side: number): ConvShape {
  const inSide = side * stride;
  return convShape({ n, cin, cout, groups: 1, window: window2d('conv2d', inSide, inSide, { kernelSize: k, stride, padding }) });
}

function run(product: ConvProduct, st: ConvStrategy<ConvProduct>, serial: boolean, s: ConvShape, out: Tensor, x: Tensor, w: Tensor, dy: Tensor): void {
  withSerialGemm(serial, () => {
    if (product === 'forward') runStrategy('forward', st as ConvStrategy<'forward'>, s, out.data, x.data, w.data, null);
    else if (product === 'inputGrad') runStrategy('inputGrad', st as ConvStrategy<'inputGrad'>, s, out.data, dy.data, w.data);
    else runStrategy('filterGrad', st as ConvStrategy<'filterGrad'>, s, out.data, x.data, dy.data);
  });
  settleAsyncTasks(); // with threads a filter gradient runs in the background: time all of it
}

/** The algorithm of a 1-thread measurement: the fastest, unless it beats the default by less than the margin. */
function winner(times: Record<string, number>): string {
  const base = times.gathered!;
  let win = 'gathered';
  for (const [name, ms] of Object.entries(times)) if (ms < times[win]! && ms < base * (1 - DEFAULT_MARGIN)) win = name;
  return win;
}

const samePoint = (a: Measurement, b: Pick<Measurement, 'product' | 'n' | 'cin' | 'cout' | 'kernel' | 'stride' | 'padding' | 'side'>): boolean =>
  a.product === b.product && a.n === b.n && a.cin === b.cin && a.cout === b.cout && a.kernel === b.kernel && a.stride === b.stride && a.padding === b.padding && a.side === b.side;

/** `single`: the 1-thread measurements, whose winners the multi-thread run times (see the file comment). */
function measure(threads: number, single: Measurement[], grid = fullGrid, only?: { product: ConvProduct; strategy: string }): Measurement[] {
  const rows: Measurement[] = [];
  for (const [k, stride, padding] of grid.families) {
    for (const n of grid.batches) for (const cin of grid.inputChannels) for (const cout of grid.outputChannels) for (const side of grid.sides) {
      const s = shapeOf(n, cin, cout, k, stride, padding, side);
      const flops = convFlops(s);
      if (flops < TUNE_MIN_FLOPS || flops > MAX_FLOPS) continue;
      const x = fillTensor([n, cin, side * stride, side * stride], 1, { dtype: 'float32', min: -1, max: 1 });
      const w = fillTensor([cout, cin, k, k], 2, { dtype: 'float32', min: -1, max: 1 });
      const dy = fillTensor([n, cout, s.S.window.outH, s.S.window.outW], 3, { dtype: 'float32', min: -1, max: 1 });
      for (const product of products) {
        const usable = (convStrategies(product) as readonly ConvStrategy<ConvProduct>[]).filter((c) => c.applies(s, 'float32'));
        if (only && (product !== only.product || !usable.some((c) => c.name === only.strategy))) continue;
        const point = { product, n, cin, cout, kernel: k, stride, padding, side };
        const signature = ruleSignature(usable.map((c) => c.name));
        const own = single.find((m) => samePoint(m, point) && m.signature === signature);
        const chosen = threads > 1 ? winner(own?.times ?? { gathered: 1 }) : null;
        const variants: [ConvStrategy<ConvProduct>, boolean][] = chosen === null
          ? usable.map((st) => [st, false])
          : [[usable.find((st) => st.name === chosen)!, false], [usable.find((st) => st.name === chosen)!, true]];
        if (variants.length < 2) continue;
        const out = uninitialized(convOutputShape(product, s), 'float32', 'cpu');
        const best = variants.map(() => Infinity);
        for (let r = 0; r <= ROUNDS; r++) {
          for (let j = 0; j < variants.length; j++) {
            const i = r % 2 === 0 ? j : variants.length - 1 - j;
            const t0 = performance.now();
            run(product, variants[i]![0], variants[i]![1], s, out, x, w, dy);
            if (r > 0) best[i] = Math.min(best[i]!, performance.now() - t0);
          }
        }
        const times = Object.fromEntries(variants.map(([st, serial], i) => [st.name + (serial ? SERIAL : ''), Number(best[i]!.toPrecision(4))]));
        rows.push({
          ...point, positions: s.S.positions, taps: k * k,
          signature, times,
        });
        console.log(`${threads}t ${product.padEnd(10)} k${k}s${stride} n${n} cin${cin} cout${cout} ${side}x${side}  ${JSON.stringify(times)}  load ${loadavg()[0]!.toFixed(2)}`);
      }
    }
  }
  return rows;
}

/** A time relative to another in percent, at least 1 (the rule takes logarithms). */
const percent = (ms: number, of: number): number => Math.max(1, Math.round((100 * ms) / of));

/**
 * The table (see rule.ts): 1-thread rows hold each applicable algorithm's time relative to the
 * default; 2-thread rows the calling-thread-only time relative to the threaded one, for the
 * algorithm the point's own 1-thread timing picked.
 */
function buildTable(one: Measurement[], two: Measurement[]): RuleTable {
  const table: RuleTable = { 1: { forward: {}, inputGrad: {}, filterGrad: {} }, 2: { forward: {}, inputGrad: {}, filterGrad: {} } };
  const add = (threads: 1 | 2, m: Measurement, ratios: number[]): void => {
    (table[threads][m.product][m.signature] ??= []).push([m.n, m.cin, m.cout, m.positions, m.taps, ...ratios]);
  };
  for (const m of one) add(1, m, m.signature.split('+').slice(1).map((name) => percent(m.times[name]!, m.times.gathered!)));
  for (const m of two) {
    const [threaded, serial] = Object.values(m.times) as [number, number];
    add(2, m, [percent(serial, threaded)]);
  }
  return table;
}

function writeTable(table: RuleTable, sources: string[]): void {
  // Eight rows a line.
  const rows = (rs: RuleRow[]): string =>
    rs.map((r, i) => `${i % 8 === 0 ? '\n        ' : ' '}${JSON.stringify(r)},`).join('');
  const columns = (t: 1 | 2, sig: string): string =>
    t === 1 ? `% of gathered's time: ${sig.split('+').slice(1).join(', ')}` : "% of the threaded time on the calling thread alone ('/1t')";
  const bySignature = (t: 1 | 2, p: ConvProduct): string =>
    Object.entries(table[t][p]).map(([sig, rs]) => `      // ${columns(t, sig)}\n      '${sig}': [${rows(rs)}\n      ],`).join('\n');
  const body = ([1, 2] as const).map((t) => `  ${t}: {\n${products.map((p) => `    ${p}: {\n${bySignature(t, p)}\n    },`).join('\n')}\n  },`).join('\n');
  writeFileSync(tablePath, `// Generated by packages/core/bench/conv-rule.ts (measure 1, measure 2, table) from
// bench/results/conv-rule-1t.json and -2t.json; do not edit. Measured:
${sources.map((line) => `//   ${line}`).join('\n')}
// Rows by thread count, product and applicable algorithms: [images, input channels, output
// channels, output positions, taps, relative times in percent (named above each list)]; rule.ts
// weighs the rows nearest a conv to choose its variant.
import type { RuleTable } from './types.js';

export const RULE_TABLE: RuleTable = {
${body}
};
`);
}

const read = (t: number): { about: string; rows: Measurement[] } => JSON.parse(readFileSync(join(resultsDir, `conv-rule-${t}t.json`), 'utf8'));
/** Writes bench/results/conv-rule-<t>t.json, one row a line: small, and a new measurement diffs row by row. */
function write(t: number, about: string, rows: Measurement[]): void {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `conv-rule-${t}t.json`), `{"about": ${JSON.stringify(about)},\n"rows": [\n${rows.map((r) => JSON.stringify(r)).join(',\n')}\n]}\n`);
}
const [command, arg] = process.argv.slice(2);
if (command === 'measure') {
  const threads = Number(arg);
  if (!(await setNumThreads(threads))) throw new Error(`setNumThreads(${threads}) unavailable`);
  setConvTuning('benchmark'); // the flipped dx's inner forward conv is timed as in benchmark mode
  const started = new Date().toISOString();
  const single = threads > 1 ? read(1).rows : [];
  // Warm-up, results dropped: a strategy's first runs pay for JIT tier-up (its wasm kernels and
  // its JavaScript), which would count against whichever algorithm reaches its family first.
  measure(threads, single, quickGrid);
  const rows = measure(threads, single);
  write(threads, `${started} on ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), Node ${process.version}, ${threads} thread(s), load at end ${loadavg()[0]!.toFixed(2)}`, rows);
  await setNumThreads(1);
} else if (command === 'update') {
  const threads = Number(arg);
  const [product, strategy] = process.argv.slice(4) as [ConvProduct, string];
  if (!products.includes(product) || !convStrategies(product).some((c) => c.name === strategy)) throw new Error(`update: no strategy '${strategy}' for product '${product}'`);
  if (!(await setNumThreads(threads))) throw new Error(`setNumThreads(${threads}) unavailable`);
  setConvTuning('benchmark');
  const started = new Date().toISOString();
  const previous = read(threads);
  const single = threads > 1 ? read(1).rows : [];
  measure(threads, single, quickGrid, { product, strategy });
  const fresh = measure(threads, single, fullGrid, { product, strategy });
  // The new rows come under the new applicable set's signature; the rows measured before stay, in
  // their order, so the groups other convs consult (and their choices) do not change.
  const rows = [...previous.rows.filter((m) => !fresh.some((f) => samePoint(m, f) && m.signature === f.signature)), ...fresh];
  write(threads, `${previous.about}; ${product} points where '${strategy}' applies re-measured ${started}, load at end ${loadavg()[0]!.toFixed(2)}`, rows);
  await setNumThreads(1);
} else if (command === 'table') {
  const [one, two] = [read(1), read(2)];
  writeTable(buildTable(one.rows, two.rows), [one.about, two.about]);
} else if (command === 'quick') {
  setConvTuning('benchmark');
  measure(1, [], quickGrid);
} else {
  console.log('usage: conv-rule.ts measure <threads> | update <threads> <product> <strategy> | table | quick (see the comment at the top of bench/conv-rule.ts)');
  if (command !== '--help') process.exitCode = 1;
}
