// The READMEs' TypeScript compiles: every ```ts block of README.md and packages/*/README.md is
// written to a temporary directory as a module of its own and type-checked with `strict` (the
// settings a new user's project would have) against the workspace packages, resolved to their
// source through the '@tensorgrad/source' export condition (no build needed). Errors are
// reported at their README line. A block that is a fragment on purpose is skipped when the line
// before its fence is an HTML comment `<!-- not-compiled: reason -->`; keep such blocks rare.
// Usage: node scripts/check-readme-code.mjs [--keep] (--keep leaves the temporary directory)
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, existsSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ts = createRequire(join(root, 'package.json'))('typescript');
const keep = process.argv.includes('--keep');

/** { readme, line (1-based, of the first code line), code } for each checked block. */
function blocks(readme) {
  const lines = readFileSync(join(root, readme), 'utf8').split('\n');
  const found = [];
  let skipped = 0;
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i])) {
      if (/^```/.test(lines[i])) i = closingFence(lines, i); // a block in another language
      continue;
    }
    const end = closingFence(lines, i);
    const before = lines.slice(0, i).reverse().find((line) => line.trim() !== '') ?? '';
    if (/^<!--\s*not-compiled:\s*\S.*-->$/.test(before.trim())) skipped++;
    else if (/^<!--\s*not-compiled/.test(before.trim())) throw new Error(`${readme}:${i}: a not-compiled comment needs a reason`);
    else found.push({ readme, line: i + 2, code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return { found, skipped };
}

function closingFence(lines, open) {
  for (let j = open + 1; j < lines.length; j++) if (/^```\s*$/.test(lines[j])) return j;
  throw new Error(`unclosed code fence at line ${open + 1}`);
}

const readmes = ['README.md', ...readdirSync(join(root, 'packages')).sort().map((dir) => `packages/${dir}/README.md`)]
  .filter((readme) => existsSync(join(root, readme)));
const all = readmes.map(blocks);
const checked = all.flatMap((result) => result.found);
const skipped = all.reduce((n, result) => n + result.skipped, 0);

// The temporary project: each block a module (an empty export makes a block without imports one),
// ESM like the packages, and node_modules linking each workspace package by name, plus the
// root's dependencies (fast-check, @types/node) for the blocks that use them.
const dir = mkdtempSync(join(tmpdir(), 'readme-code-'));
writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
mkdirSync(join(dir, 'node_modules/@tensorgrad'), { recursive: true });
for (const pkg of readdirSync(join(root, 'packages'))) {
  const manifest = join(root, 'packages', pkg, 'package.json');
  if (!existsSync(manifest)) continue;
  const name = JSON.parse(readFileSync(manifest, 'utf8')).name;
  if (name?.startsWith('@tensorgrad/')) symlinkSync(join(root, 'packages', pkg), join(dir, 'node_modules', name), 'dir');
}
for (const dep of ['fast-check', '@types']) symlinkSync(join(root, 'node_modules', dep), join(dir, 'node_modules', dep), 'dir');

const files = checked.map((block, k) => {
  const file = join(dir, `${block.readme.replace(/[/.]/g, '_')}_L${block.line}_${k}.ts`);
  writeFileSync(file, `${block.code}\nexport {};\n`);
  return { ...block, file };
});

const program = ts.createProgram(files.map((f) => f.file), {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  types: ['node'],
  customConditions: ['@tensorgrad/source'],
  skipLibCheck: true,
});
// Only the blocks' own errors: the packages' sources are type-checked by `pnpm typecheck`.
const byFile = new Map(files.map((f) => [f.file, f]));
const errors = ts.getPreEmitDiagnostics(program).filter((d) => d.file === undefined || byFile.has(d.file.fileName));
for (const d of errors) {
  const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (d.file === undefined) {
    console.error(`error TS${d.code}: ${message}`);
    continue;
  }
  const block = byFile.get(d.file.fileName);
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
  console.error(`${block.readme}:${block.line + line}:${character + 1}: error TS${d.code}: ${message}`);
}
if (keep) console.log(`readme code: blocks kept in ${dir}`);
else rmSync(dir, { recursive: true, force: true });
if (errors.length > 0) {
  console.error(`readme code: ${errors.length} error(s) in ${checked.length} TypeScript block(s) (tsc --strict)`);
  process.exit(1);
}
console.log(`readme code: ${checked.length} TypeScript block(s) of ${[...new Set(checked.map((b) => b.readme))].join(', ')} compile under --strict` +
  (skipped > 0 ? ` (${skipped} marked not-compiled)` : ''));
