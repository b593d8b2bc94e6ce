// Keeps the architecture what packages/core/README.md says it is. Fails (exit 1) on:
//  1. a circular import among the files of any package's src/ (type-only imports count too:
//     a cycle of types is a sign that two files share one concern);
//  2. in core, an import that crosses the rooms' rules (ROOMS below): e.g. an op importing a CPU
//     kernel, the tensor room importing autograd, production code importing testing helpers;
//  3. a package importing another package's internals (a relative path out of the package, or a
//     subpath that the other package's package.json does not export).
// The import graph comes from madge (which parses TypeScript imports, `import type` included).
// Usage: node scripts/check-architecture.mjs
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import madge from 'madge';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packagesDir = join(root, 'packages');

/**
 * Core's rooms, first match wins (paths relative to packages/core/src; tests are not rooms: a test
 * may import what it tests). `may` lists the rooms a file of the room may import besides its own.
 */
const ROOMS = [
  { room: 'entry', match: /^(index|source-entry)\.ts$/, may: ['*'] },
  { room: 'testing', match: /^testing\//, may: ['base', 'tensor', 'backend', 'autograd', 'ops', 'dispatch'] },
  { room: 'base', match: /^(errors|options)\.ts$/, may: [] },
  { room: 'tensor', match: /^tensor\//, may: ['base'] },
  // The backend interface and the choice of backend; only backend/index.ts names an implementation.
  { room: 'backend', match: /^backend\/[^/]+\.ts$/, may: ['base', 'tensor'], except: { 'backend/index.ts': ['backend/cpu'] } },
  { room: 'backend/cpu', match: /^backend\/cpu\//, may: ['base', 'tensor', 'backend'] },
  { room: 'backend/webgpu', match: /^backend\/webgpu\//, may: ['base', 'tensor', 'backend'] },
  { room: 'autograd', match: /^autograd\//, may: ['base', 'tensor', 'backend'] },
  { room: 'ops', match: /^ops\//, may: ['base', 'tensor', 'backend', 'autograd'] },
  { room: 'dispatch', match: /^dispatch\//, may: ['base', 'tensor', 'autograd', 'ops'] },
];

function roomOf(file) {
  return ROOMS.find((r) => r.match.test(file));
}

/** The room a file belongs to, as named in `may` lists. */
function roomName(file) {
  return roomOf(file)?.room;
}

function packages() {
  return readdirSync(packagesDir)
    .map((name) => join(packagesDir, name))
    .filter((dir) => existsSync(join(dir, 'src')) && existsSync(join(dir, 'package.json')));
}

/** src-relative import graph of one package: file -> files it imports (inside src only). */
async function graphOf(dir) {
  const tsConfig = existsSync(join(dir, 'tsconfig.json')) ? join(dir, 'tsconfig.json') : undefined;
  const result = await madge(join(dir, 'src'), {
    fileExtensions: ['ts', 'mts', 'mjs', 'js'],
    tsConfig,
    excludeRegExp: [/node_modules/, /\.generated\.ts$/],
    detectiveOptions: { ts: { skipTypeImports: false }, es6: { skipTypeImports: false } },
  });
  const src = join(dir, 'src');
  const graph = new Map();
  for (const [file, deps] of Object.entries(result.obj())) {
    const inside = (f) => !relative(src, resolve(src, f)).startsWith('..');
    if (!inside(file)) continue;
    graph.set(file, deps.filter(inside));
  }
  return graph;
}

/** Every cycle's members (strongly connected components of more than one file, or a self-import). */
function cycles(graph) {
  let index = 0;
  const stack = [];
  const info = new Map();
  const found = [];
  const visit = (v) => {
    info.set(v, { index, low: index, onStack: true });
    index++;
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!info.has(w)) {
        visit(w);
        info.get(v).low = Math.min(info.get(v).low, info.get(w).low);
      } else if (info.get(w).onStack) info.get(v).low = Math.min(info.get(v).low, info.get(w).index);
    }
    if (info.get(v).low === info.get(v).index) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        info.get(w).onStack = false;
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!info.has(v)) visit(v);
  return found;
}

function roomViolations(graph) {
  const problems = [];
  for (const [file, deps] of graph) {
    // Tests and their utilities (*.test-util.ts) are test code: they may import anything.
    if (/\.test(-util)?\.ts$/.test(file)) continue;
    const from = roomOf(file);
    if (!from) {
      problems.push(`${file}: in no room of scripts/check-architecture.mjs (place it in one, or add a room)`);
      continue;
    }
    for (const dep of deps) {
      const to = roomName(dep);
      if (to === from.room || from.may.includes('*') || from.may.includes(to)) continue;
      if (from.except?.[file]?.includes(to)) continue;
      if (/\.test(-util)?\.ts$/.test(dep) || /(^|\/)cases\.ts$/.test(dep) || dep.startsWith('testing/')) {
        problems.push(`${file} imports ${dep}: production code must not import test code`);
      } else problems.push(`${file} (room ${from.room}) imports ${dep} (room ${to}); ${from.room} may import ${[from.room, ...from.may].join(', ')}`);
    }
  }
  return problems;
}

/** Imports of another workspace package's internals, found by reading the import specifiers. */
function internalImports(dir) {
  const problems = [];
  const exportsOf = new Map();
  for (const other of packages().concat([join(packagesDir, 'web')])) {
    const pkg = JSON.parse(readFileSync(join(other, 'package.json'), 'utf8'));
    exportsOf.set(pkg.name, pkg.exports ? Object.keys(pkg.exports) : ['.']);
  }
  const walk = (d) =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? (e.name === 'node_modules' ? [] : walk(join(d, e.name))) : /\.(ts|mts|mjs|js)$/.test(e.name) ? [join(d, e.name)] : [],
    );
  for (const file of walk(join(dir, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
      const spec = m[1];
      const where = relative(root, file);
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec);
        if (relative(dir, target).startsWith('..')) problems.push(`${where} imports ${spec}: outside its package (import the other package by name)`);
        continue;
      }
      const pkgMatch = /^(@tensorgrad\/[^/]+)(\/.*)?$/.exec(spec);
      if (!pkgMatch) continue;
      const [, name, sub = ''] = pkgMatch;
      const exported = exportsOf.get(name);
      if (exported && !exported.includes('.' + sub)) problems.push(`${where} imports ${spec}: not an export of ${name} (exports: ${exported.join(', ')})`);
    }
  }
  return problems;
}

const problems = [];
for (const dir of packages()) {
  const name = relative(root, dir);
  const graph = await graphOf(dir);
  for (const cycle of cycles(graph)) problems.push(`${name}: circular imports among ${cycle.join(', ')}`);
  if (name === 'packages/core') problems.push(...roomViolations(graph).map((p) => `${name}/src/${p}`));
  problems.push(...internalImports(dir));
  console.log(`check-architecture: ${name}: ${graph.size} files`);
}
if (problems.length > 0) {
  console.error(`check-architecture: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('check-architecture: no circular imports, rooms respected, no package imports another one\'s internals');
