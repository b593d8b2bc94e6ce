// Stryker options for one target of targets.mjs. run.mjs starts Stryker in the target's package
// directory with MUTATION_TARGET (core | nn), MUTATION_MUTATE (JSON list of globs relative to that
// package), MUTATION_CONCURRENCY, MUTATION_SEED (read by fixed-seed.mjs), MUTATION_IGNORE_STATIC
// and MUTATION_FRESH_RUNNER set, and TSX_TSCONFIG_PATH pointing at the package's tsconfig (the
// sandbox copy's relative `extends` would not resolve).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { targets } from './targets.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const reports = path.join(root, 'reports/mutation');
const name = process.env.MUTATION_TARGET ?? 'core';
const target = targets[name];
if (target === undefined) throw new Error(`MUTATION_TARGET must be one of ${Object.keys(targets).join(', ')}; got ${name}`);
const mutate = process.env.MUTATION_MUTATE === undefined ? target.mutate : JSON.parse(process.env.MUTATION_MUTATE);

// pnpm keeps the mocha runner out of Stryker's own node_modules, where Stryker's default
// '@stryker-mutator/*' plugin glob looks, so plugins are named by path.
const require = createRequire(import.meta.url);

export default {
  packageManager: 'pnpm',
  testRunner: 'mocha',
  plugins: [require.resolve('@stryker-mutator/mocha-runner'), path.join(here, 'test-data-ignorer.mjs')],
  ignorers: ['test-data'],
  // The package's .mocharc (spec src/**/*.test.ts) is read by the runner, but its node-option
  // lines are mocha-CLI only, so the TypeScript loading is repeated here.
  testRunnerNodeArgs: ['--conditions=@tensorgrad/source', '--import=tsx'],
  mochaOptions: { require: [path.join(here, 'fixed-seed.mjs')] },
  coverageAnalysis: 'perTest',
  mutate: [...mutate, ...target.exclude.map((glob) => `!${glob}`)],
  // Only the package's own files go into the sandbox (node_modules is linked, not copied).
  ignorePatterns: ['/dist', '/bench'],
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 1),
  // Static mutants (code run while modules load: op names, input lists, tables) each need a
  // fresh process and the whole suite; they are skipped (reported as ignored) unless asked for.
  ignoreStatic: process.env.MUTATION_IGNORE_STATIC !== '0',
  // 0: reuse a test process for any number of mutants; 1: a fresh one for each (--fresh-runner).
  maxTestRunnerReuse: process.env.MUTATION_FRESH_RUNNER === '1' ? 1 : 0,
  // The machine is shared: a slow test is not a hang. A real hang still ends as "Timeout"
  // (killed), as Stryker counts it.
  timeoutMS: 10000,
  timeoutFactor: 2,
  tempDirName: path.relative(process.cwd(), path.join(reports, 'tmp', name)),
  cleanTempDir: 'always',
  reporters: ['json', 'html', 'progress'],
  jsonReporter: { fileName: path.join(reports, `${name}.json`) },
  htmlReporter: { fileName: path.join(reports, `${name}.html`) },
  thresholds: { high: 90, low: 80, break: null },
};
