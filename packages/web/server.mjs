// Serves the training page on 127.0.0.1: the built page (dist/: run `pnpm build` first, or
// `pnpm web` from the repository root, which builds and then starts this), and the four
// Fashion-MNIST files under /data/. Every response carries COOP/COEP headers, so the page is
// cross-origin isolated and can train on 2 threads; --no-isolation leaves them out (1 thread).
// Usage: node server.mjs [--port N] [--no-isolation] [--data DIR]
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';
const DATA_FILES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];
const PAGE_FILES = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/index.html': ['index.html', 'text/html; charset=utf-8'],
  '/app.js': ['app.js', 'text/javascript'],
  '/app.js.map': ['app.js.map', 'application/json'],
  '/worker.js': ['worker.js', 'text/javascript'],
  '/worker.js.map': ['worker.js.map', 'application/json'],
};

/**
 * Starts the server; resolves to { url, close } once it listens. port 0 picks a free one.
 * The data files are sent as stored (gzip bytes, no Content-Encoding): the page gunzips them.
 */
export async function startServer({ port = 8080, isolation = true, dataDir = FASHION_MNIST_DIR, pageDir = join(here, 'dist') } = {}) {
  if (!existsSync(join(pageDir, 'index.html'))) throw new Error(`no built page in ${pageDir}: run \`pnpm web\` from the repository root (it builds first), or \`pnpm --filter @tensorgrad/web... run build\``);
  const missing = DATA_FILES.filter((f) => !existsSync(join(dataDir, f)));
  if (missing.length > 0) throw new Error(`${dataDir} lacks ${missing.join(', ')} (bash scripts/setup.sh installs the Debian package dataset-fashion-mnist, or pass --data DIR)`);
  const isolationHeaders = isolation ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {};
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const send = (file, type) => {
      res.writeHead(200, { ...isolationHeaders, 'Content-Type': type, 'Content-Length': statSync(file).size, 'Cache-Control': 'no-cache' });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...isolationHeaders, Allow: 'GET, HEAD' }).end();
    } else if (Object.hasOwn(PAGE_FILES, path)) {
      const [name, type] = PAGE_FILES[path];
      send(join(pageDir, name), type);
    } else if (path.startsWith('/data/') && DATA_FILES.includes(path.slice('/data/'.length))) {
      send(join(dataDir, path.slice('/data/'.length)), 'application/octet-stream');
    } else {
      res.writeHead(404, { ...isolationHeaders, 'Content-Type': 'text/plain' }).end(`not found: ${path}\n`);
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${server.address().port}/`;
  return { url, server, close: () => new Promise((resolve) => server.close(resolve)) };
}

const USAGE = 'usage: pnpm web [--port N] [--no-isolation] [--data DIR]\n  --port N         listen on 127.0.0.1:N (default 8080; 0: any free port)\n  --no-isolation   no COOP/COEP headers: the page is not cross-origin isolated and trains on 1 thread\n  --data DIR       the directory holding the four Fashion-MNIST .gz files (default ' + FASHION_MNIST_DIR + ')';

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${arg} needs a value\n${USAGE}`);
      return v;
    };
    if (arg === '--') continue;
    else if (arg === '--help' || arg === '-h') return null;
    else if (arg === '--no-isolation') options.isolation = false;
    else if (arg === '--data') options.dataDir = value();
    else if (arg === '--port') {
      const text = value();
      const port = Number(text);
      if (!/^\d+$/.test(text) || port > 65535) throw new Error(`--port must be an integer from 0 to 65535, got '${text}'\n${USAGE}`);
      options.port = port;
    } else throw new Error(`unknown option '${arg}'\n${USAGE}`);
  }
  return options;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const options = parseArgs(process.argv.slice(2));
    if (options === null) {
      console.log(USAGE);
    } else {
      const { url } = await startServer(options);
      console.log(`training page: ${url}  (${options.isolation === false ? 'not cross-origin isolated: 1 thread' : 'cross-origin isolated: 1 or 2 threads'}; Ctrl-C stops)`);
    }
  } catch (e) {
    console.error(`error: ${e.message}`);
    process.exit(2);
  }
}
