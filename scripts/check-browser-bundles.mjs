// Bundles each package's main entry for the browser as a consumer would (a one-line module that
// imports the package by name, resolved through its built dist and package.json exports with
// esbuild's browser conditions) and fails if the bundle cannot be built or reaches Node: a Node
// built-in (node:*, fs, path, zlib...), a Node-only dependency (pngjs, jpeg-js) or a Node global
// (process, Buffer, setImmediate, __dirname...). Prints minified and gzip sizes per package.
// Run after `pnpm build`. Usage: node scripts/check-browser-bundles.mjs [--compare-tfjs]
// --compare-tfjs also bundles TensorFlow.js the same way (installed in packages/bench) for the
// README's size comparison.
import { build } from 'esbuild';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES = ['core', 'nn', 'data', 'train', 'onnx'];
const NODE_ONLY_DEPENDENCIES = ['pngjs', 'jpeg-js'];
// Free references to these are replaced by a marker the output is then searched for; a property
// (x.process), a local variable or a string of the same name is left alone.
const NODE_GLOBALS = ['process', 'Buffer', 'global', 'setImmediate', 'clearImmediate', '__dirname', '__filename'];
const MARKER = '__node_global_in_browser_bundle__';
// core starts its GEMM threads with worker_threads outside browsers through a dynamic import
// that browsers never reach (worker-host.ts picks Web Workers there); bundlers leave it alone
// (it stays an import() of an external name, marked webpackIgnore / @vite-ignore).
const ALLOWED = [{ from: 'packages/core/dist/', path: 'node:worker_threads', kind: 'dynamic-import' }];
// Node globals that a dependency names only behind a guard browsers never pass, each read by hand:
// protobufjs 6 (onnx-proto's runtime, @tensorgrad/onnx) tests `typeof global !== "undefined"
// && global.process.versions.node` for isNode and uses `global` only when that holds, else window
// or self. Only that dependency's references to that name are exempt; every other file is checked.
const ALLOWED_GLOBALS = [{ dependency: 'protobufjs', name: 'global' }];

// esbuild names inputs relative to absWorkingDir (root); the stdin entry is no file.
const real = (file) => (existsSync(join(root, file)) ? realpathSync(join(root, file)) : join(root, file));
const isBuiltin = (path) => path.startsWith('node:') || builtinModules.includes(path.split('/')[0]);

/** Renames ALLOWED_GLOBALS' names in their dependency's files, so the marker does not catch them there. */
const exemptGlobals = {
  name: 'exempt-guarded-globals',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/].*\.c?js$/ }, (args) => {
      const rules = ALLOWED_GLOBALS.filter((a) => args.path.replaceAll('\\', '/').includes(`/node_modules/${a.dependency}/`));
      if (rules.length === 0) return undefined;
      let contents = readFileSync(args.path, 'utf8');
      for (const { name } of rules) contents = contents.replace(new RegExp(`(?<![.\\w$])${name}(?![\\w$])`, 'g'), `__exempt_guarded_${name}`);
      return { contents, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

/** Bundles `source` (resolved from resolveDir) for browsers; returns what the check needs. */
async function bundle(source, resolveDir, markGlobals = true) {
  const result = await build({
    stdin: { contents: source, resolveDir, sourcefile: 'consumer-entry.mjs', loader: 'js' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: root,
    define: markGlobals ? Object.fromEntries(NODE_GLOBALS.map((name) => [name, `${MARKER}.${name}`])) : {},
    plugins: markGlobals ? [exemptGlobals] : [],
  }).catch((e) => ({ errors: e.errors ?? [{ text: String(e) }] }));
  if (result.outputFiles === undefined) return { errors: result.errors.map((e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`) };
  const code = result.outputFiles[0].contents;
  return { code, metafile: result.metafile, errors: [] };
}

/** The problems of a package's bundle, as messages; none means browser-safe. */
function problems({ code, metafile }) {
  const found = [];
  for (const [file, input] of Object.entries(metafile.inputs)) {
    const path = real(file);
    const dep = NODE_ONLY_DEPENDENCIES.find((name) => path.includes(`/node_modules/${name}/`));
    if (dep !== undefined) found.push(`bundles the Node-only dependency ${dep} (${relative(root, path)})`);
    for (const record of input.imports) {
      if (!isBuiltin(record.path)) continue;
      const allowed = ALLOWED.some((a) => a.path === record.path && a.kind === record.kind && path.startsWith(join(root, a.from)));
      if (!allowed) found.push(`${relative(root, path)} imports the Node built-in '${record.path}' (${record.kind})`);
    }
  }
  const text = new TextDecoder().decode(code);
  for (const name of NODE_GLOBALS) {
    if (text.includes(`${MARKER}.${name}`)) found.push(`uses the Node global '${name}'`);
  }
  return found;
}

/** A scratch project whose node_modules links the workspace packages, as an install would. */
function consumerProject() {
  const dir = mkdtempSync(join(tmpdir(), 'tg-browser-bundle-'));
  mkdirSync(join(dir, 'node_modules', '@tensorgrad'), { recursive: true });
  for (const pkg of PACKAGES) symlinkSync(join(root, 'packages', pkg), join(dir, 'node_modules', '@tensorgrad', pkg), 'dir');
  return dir;
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const sizes = (code) => ({ min: code.length, gzip: gzipSync(code, { level: 9 }).length });
const row = (name, s, extra = '') => console.log(`${name.padEnd(44)} ${kb(s.min).padStart(10)} ${kb(s.gzip).padStart(10)}${extra}`);

const project = consumerProject();
let failed = false;
try {
  console.log(`${'browser bundle (esbuild --bundle --minify, platform browser)'.padEnd(44)} ${'minified'.padStart(10)} ${'gzip -9'.padStart(10)}`);
  for (const pkg of PACKAGES) {
    const name = `@tensorgrad/${pkg}`;
    const result = await bundle(`export * from '${name}';`, project);
    const found = result.errors.length > 0 ? result.errors.map((e) => `does not bundle: ${e}`) : problems(result);
    if (found.length > 0) {
      failed = true;
      console.log(`${name}: NOT browser-safe`);
      for (const f of found) console.log(`  - ${f}`);
      continue;
    }
    const own = Object.entries(result.metafile.outputs)[0][1].inputs;
    const ownBytes = Object.entries(own).filter(([f]) => real(f).startsWith(join(root, 'packages', pkg))).reduce((a, [, v]) => a + v.bytesInOutput, 0);
    row(name, sizes(result.code), pkg === 'core' ? '' : `   (its own code ${kb(ownBytes)} minified; the rest is core and dependencies)`);
  }
  // What a training page importing all of them ships (core is shared, so it is counted once).
  const all = await bundle(PACKAGES.map((pkg) => `export * from '@tensorgrad/${pkg}';`).join('\n'), project);
  if (all.errors.length === 0) row(`${PACKAGES.join(' + ')} together`, sizes(all.code));
  if (process.argv.includes('--compare-tfjs')) {
    const tfjsDir = dirname(realpathSync(join(root, 'packages', 'bench', 'node_modules', '@tensorflow', 'tfjs', 'package.json')));
    const cases = [
      ['@tensorflow/tfjs 4.22.0 (all backends, layers, data...)', "export * from '@tensorflow/tfjs';"],
      ['@tensorflow/tfjs-core + tfjs-backend-cpu', "export * from '@tensorflow/tfjs-core'; import '@tensorflow/tfjs-backend-cpu';"],
    ];
    for (const [label, source] of cases) {
      const result = await bundle(source, tfjsDir, false);
      if (result.errors.length > 0) console.log(`${label}: does not bundle: ${result.errors.join('; ')}`);
      else row(label, sizes(result.code));
    }
  }
} finally {
  rmSync(project, { recursive: true, force: true });
}
if (failed) {
  console.log('browser bundle check FAILED: a main entry reaches Node-only code (move it behind the package\'s node entry, src/node.ts)');
  process.exit(1);
}
console.log('browser bundle check: every main entry bundles for browsers with no Node built-in, Node-only dependency or Node global');
