// Checks setNumThreads in a real browser: bundles page.ts with esbuild, serves it from a local
// HTTP server and opens it in headless Chromium three times:
//   isolated  COOP/COEP headers, page main thread (the caller spin-waits): threads must start
//   worker    COOP/COEP headers, the check runs in a dedicated worker (the caller may block)
//   plain     no headers: setNumThreads(2) must resolve false and results stay right
// Timings are medians of 5 after a warm-up; on a busy machine the 2-thread numbers suffer first.
// Each page POSTs a JSON result to /result. Not part of `pnpm test` (needs Chromium).
// Usage (from packages/core): pnpm browser-check  [env CHROMIUM=/path/to/chromium]
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const core = join(here, '..', '..');
const TIMEOUT_MS = 180_000;

function findChromium() {
  const candidates = [process.env.CHROMIUM, 'chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'].filter(Boolean);
  for (const name of candidates) {
    try {
      execFileSync(name, ['--version'], { stdio: 'ignore' });
      return name;
    } catch {}
  }
  throw new Error('browser-check: no Chromium found (apt-get install chromium, or set CHROMIUM=...)');
}

// The bundle embeds the generated wasm; make sure it exists and is current.
execFileSync(process.execPath, [join(core, 'scripts', 'build-wasm.mjs')], { stdio: 'inherit' });
const { build } = await import('esbuild');
const bundle = await build({
  entryPoints: [join(here, 'page.ts')],
  bundle: true,
  format: 'iife', // one classic script for both the page and the dedicated worker
  platform: 'browser',
  target: 'es2022',
  write: false,
  logLevel: 'warning',
});
const script = bundle.outputFiles[0].text;
if (/\brequire\s*\(|\bprocess\./.test(script.replace(/`[^`]*`/g, ''))) {
  throw new Error('browser-check: the browser bundle references require( or process. outside template strings');
}

const html = `<!doctype html><meta charset="utf-8"><title>tensorgrad browser check</title>
<script>
  const mode = new URLSearchParams(location.search).get('mode');
  const fail = (message) => fetch('/result', { method: 'POST', body: JSON.stringify({ mode, failures: [message] }) });
  if (mode === 'worker') {
    const worker = new Worker('/bundle.js?mode=worker');
    worker.onerror = (e) => fail('worker error: ' + e.message);
  } else {
    window.onerror = (message) => void fail('page error: ' + message);
    const s = document.createElement('script');
    s.src = '/bundle.js';
    document.head.append(s);
  }
</script>`;

let pending = null; // { resolve } of the run in progress
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  // The page's mode decides the headers; the bundle and worker get the same as their page.
  const isolated = (url.searchParams.get('mode') ?? req.headers.referer?.match(/mode=(\w+)/)?.[1]) !== 'plain';
  const headers = isolated ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {};
  if (req.method === 'POST' && url.pathname === '/result') {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      res.writeHead(204).end();
      pending?.resolve(JSON.parse(body));
    });
  } else if (url.pathname === '/') {
    res.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end(html);
  } else if (url.pathname === '/bundle.js') {
    res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' }).end(script);
  } else {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = server.address().port;
const chromium = findChromium();

async function run(mode) {
  const profile = mkdtempSync(join(tmpdir(), 'tg-chromium-'));
  const args = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', `--user-data-dir=${profile}`, `http://127.0.0.1:${port}/?mode=${mode}`];
  const browser = spawn(chromium, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  browser.stderr.on('data', (d) => (stderr += d));
  try {
    return await new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ mode, failures: [`no result within ${TIMEOUT_MS / 1000} s; chromium stderr:\n${stderr.slice(-2000)}`] }), TIMEOUT_MS);
      browser.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ mode, failures: [`chromium exited (${code}) before a result:\n${stderr.slice(-2000)}`] });
      });
      pending = { resolve: (r) => (clearTimeout(timer), resolve(r)) };
    });
  } finally {
    pending = null;
    browser.removeAllListeners('exit');
    if (browser.exitCode === null) {
      browser.kill('SIGKILL');
      await new Promise((r) => browser.once('exit', r));
    }
    if (existsSync(profile)) rmSync(profile, { recursive: true, force: true });
  }
}

const fmt = (t) => (t ? `${String(t.ms).padStart(8)} ms ${String(t.gflops).padStart(7)} GFLOP/s` : '-');
let failed = 0;
for (const mode of ['isolated', 'worker', 'plain']) {
  const r = await run(mode);
  console.log(`\n== ${mode}${r.context ? ` (${r.context}; caller waits by ${r.callerWait})` : ''}`);
  if (r.userAgent) {
    console.log(`   ${r.userAgent}; hardwareConcurrency ${r.hardwareConcurrency}`);
    console.log(`   crossOriginIsolated ${r.crossOriginIsolated}, SharedArrayBuffer ${r.sharedArrayBuffer}, setNumThreads(2) -> ${r.setNumThreads2} (${r.threadStartMs} ms)`);
    console.log(`   matmul ${r.matmul.shape}:  1 thread ${fmt(r.matmul.oneThread)}   2 threads ${fmt(r.matmul.twoThreads)}`);
    console.log(`   conv2d ${r.conv.shape}:\n          1 thread ${fmt(r.conv.oneThread)}   2 threads ${fmt(r.conv.twoThreads)}`);
  }
  for (const f of r.failures) console.log(`   FAIL ${f}`);
  if (r.conv) {
    const bits = Object.entries(r.conv.bitIdentical).map(([k, v]) => `${k} ${v ? 'bit-identical' : 'within rounding, not bit-identical'}`);
    console.log(`   conv2d 2 vs 1 thread: ${bits.join(', ')}`);
  }
  if (r.failures.length === 0) console.log('   ok: matmul bit-identical across thread counts and matches the float64 spot check; conv2d matches');
  failed += r.failures.length > 0 ? 1 : 0;
}
server.close();
console.log(failed ? `\nbrowser-check: ${failed} of 3 runs FAILED` : '\nbrowser-check: all 3 runs passed');
process.exit(failed ? 1 : 0);
