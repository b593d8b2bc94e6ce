// `pnpm mutation [--core-only | --nn-only] [--concurrency N] [--seed N] [--with-static]
//                [--fresh-runner] [glob ...]`
// Runs Stryker over core's ops and nn's optimizers (targets.mjs), one package at a time in its
// own directory, then writes reports/mutation/<target>.{json,html,txt} and prints the scores.
// A glob (relative to the repository root, e.g. packages/core/src/ops/pool/**/*.ts) narrows the
// run to the matching files of its package. Not part of `pnpm test`: a full run (about 6,400
// mutants) took 23 minutes at concurrency 1 on the shared 2-core machine at load 2-4, 35 at
// load 10-13. Static mutants (code run while modules load) are skipped unless --with-static:
// each needs a fresh process and the whole suite until a test fails (~5 s each here): about an
// hour more for core's ~470, nearly all op names, input lists and whole defineOp specs that every
// test of the op would catch.
// --fresh-runner starts a new test process for every mutant (slower: modules load each time) so
// that code run once and cached per process (lazily built tables, memoised conv decisions and
// patterns) runs under the mutant; with a reused process such mutants can survive unexercised.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatSummary, score, summarize } from './summary.mjs';
import { targets } from './targets.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const reports = path.join(root, 'reports/mutation');
const stryker = path.join(path.dirname(createRequire(import.meta.url).resolve('@stryker-mutator/core/package.json')), 'bin/stryker.js');

const USAGE = 'usage: pnpm mutation [--core-only | --nn-only] [--concurrency N] [--seed N] [--with-static] [--fresh-runner] [glob ...]';

function usageError(message) {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function parseArgs(argv) {
  const options = { only: null, concurrency: '1', seed: '1', withStatic: false, freshRunner: false, globs: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') continue; // pnpm passes it through
    else if (arg === '--core-only') options.only = 'core';
    else if (arg === '--nn-only') options.only = 'nn';
    else if (arg === '--with-static') options.withStatic = true;
    else if (arg === '--fresh-runner') options.freshRunner = true;
    else if (arg === '--concurrency' || arg === '--seed') {
      const value = argv[++i];
      const valid = arg === '--seed' ? /^\d+$/ : /^[1-9]\d*$/;
      if (value === undefined || !valid.test(value)) usageError(`${arg} needs a ${arg === '--seed' ? 'non-negative' : 'positive'} integer; got ${value}`);
      options[arg.slice(2)] = value;
    } else if (arg.startsWith('-')) usageError(`unknown option ${arg}`);
    else options.globs.push(arg.replace(/^\.\//, ''));
  }
  return options;
}

/** The mutate globs of a target (relative to its package), or null when it is not selected. */
function mutateFor(name, target, options) {
  if (options.only !== null && options.only !== name) return null;
  if (options.globs.length === 0) return target.mutate;
  const mine = options.globs.filter((g) => g.startsWith(`${target.dir}/`)).map((g) => g.slice(target.dir.length + 1));
  return mine.length === 0 ? null : mine;
}

const options = parseArgs(process.argv.slice(2));
const selected = Object.entries(targets).flatMap(([name, target]) => {
  const mutate = mutateFor(name, target, options);
  return mutate === null ? [] : [{ name, target, mutate }];
});
if (selected.length === 0) usageError(`no target matches ${options.globs.join(' ')} (globs start with ${Object.values(targets).map((t) => t.dir).join(' or ')})`);

mkdirSync(reports, { recursive: true });
const results = [];
let failed = false;
for (const { name, target, mutate } of selected) {
  const dir = path.join(root, target.dir);
  console.log(`\n### Stryker: ${target.label} (${mutate.join(' ')}) in ${target.dir}`);
  const started = Date.now();
  const run = spawnSync(process.execPath, [stryker, 'run', path.join(here, 'stryker.config.mjs')], {
    cwd: dir,
    stdio: 'inherit',
    env: {
      ...process.env,
      MUTATION_TARGET: name,
      MUTATION_MUTATE: JSON.stringify(mutate),
      MUTATION_CONCURRENCY: options.concurrency,
      MUTATION_SEED: options.seed,
      MUTATION_IGNORE_STATIC: options.withStatic ? '0' : '1',
      MUTATION_FRESH_RUNNER: options.freshRunner ? '1' : '0',
      TSX_TSCONFIG_PATH: path.join(dir, 'tsconfig.json'),
    },
  });
  if (run.status !== 0) {
    console.error(`Stryker failed for ${target.label} (exit ${run.status ?? run.signal}); no report written for it.`);
    failed = true;
    continue;
  }
  const minutes = (Date.now() - started) / 60000;
  const summary = summarize(JSON.parse(readFileSync(path.join(reports, `${name}.json`), 'utf8')), `${target.dir}/`);
  const text = `${formatSummary(target.label, summary)}\n\n(${minutes.toFixed(1)} min, concurrency ${options.concurrency}, fast-check seed ${options.seed}${options.withStatic ? ', static mutants run' : ', static mutants ignored'}${options.freshRunner ? ', a fresh test process per mutant' : ''})\n`;
  writeFileSync(path.join(reports, `${name}.txt`), text);
  console.log(`\n${formatSummary(target.label, summary, { survivors: false })}\n(surviving mutants listed in reports/mutation/${name}.txt)`);
  results.push({ label: target.label, score: score(summary.total), minutes });
}
console.log('\n### Mutation scores (goal ≥ 90% killed)');
for (const r of results) console.log(`${r.label.padEnd(16)} ${r.score === null ? '-' : `${r.score.toFixed(1)}%`}  (${r.minutes.toFixed(1)} min)`);
if (failed) process.exitCode = 1;
