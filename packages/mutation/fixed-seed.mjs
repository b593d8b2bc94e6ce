// Loaded into each Stryker test-runner process (mocha `require`): fixes fast-check's seed so the
// property tests draw the same cases for every mutant. With a fresh seed per run a property
// that fails on rare inputs would kill mutants by chance, and a mutant could survive by luck.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// The tests' own fast-check (its global settings are module state), resolved from the package
// under test. Both builds are configured: depending on how tsx compiles a test file, its
// `import * as fc from 'fast-check'` reaches the CommonJS build or the ES module build.
const packageRequire = createRequire(path.join(process.cwd(), 'package.json'));
const manifestPath = packageRequire.resolve('fast-check/package.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const esm = await import(pathToFileURL(path.join(path.dirname(manifestPath), manifest.exports['.'].import.default)).href);
const cjs = packageRequire('fast-check');

const seed = Number(process.env.MUTATION_SEED ?? 1);
if (!Number.isInteger(seed)) throw new Error(`MUTATION_SEED must be an integer; got ${process.env.MUTATION_SEED}`);
for (const fc of new Set([esm, cjs])) fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
