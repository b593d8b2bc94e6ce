// Bundles the page into dist/: app.js (the page) and worker.js (the training worker), both ES
// modules, plus index.html. The packages are bundled from their names with esbuild's browser
// conditions, i.e. from their published (built) browser entries, as a user's bundler would:
// run `pnpm build` first. A Node built-in reaching the bundle fails the build.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function buildPage(outdir = join(root, 'dist')) {
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    entryPoints: [join(root, 'src', 'app.ts'), join(root, 'src', 'worker.ts')],
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    sourcemap: true,
    minify: true,
    // Class names stay: error messages name them (LeNet5.call: ...) and checkpoints record the
    // optimizer's class name, which must read 'Adam' as in Node, not a minified name.
    keepNames: true,
    metafile: true,
    logLevel: 'warning',
  });
  copyFileSync(join(root, 'src', 'index.html'), join(outdir, 'index.html'));
  return { outdir, inputs: Object.keys(result.metafile.inputs) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { outdir, inputs } = await buildPage();
  const sources = inputs.filter((p) => /packages\/(core|nn|data|train)\/src\//.test(p));
  if (sources.length > 0) throw new Error(`the page bundle took package sources instead of their built entries: ${sources.slice(0, 3).join(', ')}`);
  console.log(`page built into ${outdir}`);
}
