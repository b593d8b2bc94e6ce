// Runs in Chromium (a page, or a dedicated worker started by the page): setNumThreads(2) on Web
// Workers, 1- vs 2-thread matmul and conv2d forward+backward (bit-for-bit, plus a naive float64
// spot check of the matmul), timings; posts one JSON result to the server (run.mjs).
import { Generator, conv2d, matmul, randn, setNumThreads, type Tensor } from '../../src/index.ts';
import { canBlockThread } from '../../src/backend/cpu/wasm/worker-host.ts';

interface Timing { ms: number; gflops: number }

const scope = globalThis as unknown as { crossOriginIsolated?: boolean; document?: unknown; location: Location };
const mode = new URLSearchParams(scope.location.search).get('mode') ?? 'page';
const reps = 5;
const failures: string[] = [];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function time(flops: number, fn: () => void): Timing {
  fn(); // warm-up (memory growth, first touch)
  const ms: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  const m = median(ms);
  return { ms: +m.toFixed(2), gflops: +(flops / m / 1e6).toFixed(2) };
}

function sameBits(what: string, a: Tensor | null, b: Tensor | null): void {
  if (!a || !b) return void failures.push(`${what}: missing tensor`);
  const x = a.data as Float32Array, y = b.data as Float32Array;
  if (x.length !== y.length) return void failures.push(`${what}: lengths ${x.length} vs ${y.length}`);
  for (let i = 0; i < x.length; i++) {
    if (!Object.is(x[i], y[i])) return void failures.push(`${what}: element ${i} differs: ${x[i]} vs ${y[i]}`);
  }
}

const S = 512;
const gen = new Generator(7);
const A = randn([S, S], { generator: gen });
const B = randn([S, S], { generator: gen });
const matmulFlops = 2 * S * S * S;

// conv: batch 16, 32 -> 64 channels, 32×32, 3×3, padding 1
const [n, cin, cout, hw, k] = [16, 32, 64, 32, 3];
const convFlops = 3 * 2 * n * cout * hw * hw * cin * k * k; // forward, dx, dW
const X = randn([n, cin, hw, hw], { generator: gen });
const W = randn([cout, cin, k, k], { generator: gen });
const DY = randn([n, cout, hw, hw], { generator: gen });

function convStep(): { y: Tensor; dx: Tensor | null; dw: Tensor | null } {
  const x = X.detach();
  const w = W.detach();
  x.requiresGrad = true;
  w.requiresGrad = true;
  const y = conv2d(x, w, null, { padding: 1 });
  y.backward(DY);
  return { y, dx: x.grad, dw: w.grad };
}

/**
 * conv2d picks its algorithm per shape by the committed rule (ops/conv/rule.ts), the same at
 * every thread count, so results should be bit-identical; under setConvTuning('benchmark') the
 * winner can differ between thread counts and algorithms round differently. So conv results
 * must match to float32 rounding, and whether they are bit-identical is reported.
 */
function close(what: string, a: Tensor | null, b: Tensor | null): boolean {
  if (!a || !b) return void failures.push(`${what}: missing tensor`), false;
  const x = a.data as Float32Array, y = b.data as Float32Array;
  if (x.length !== y.length) return void failures.push(`${what}: lengths ${x.length} vs ${y.length}`), false;
  let scale = 0, diff = 0, identical = true;
  for (let i = 0; i < x.length; i++) {
    scale = Math.max(scale, Math.abs(y[i]!));
    diff = Math.max(diff, Math.abs(x[i]! - y[i]!));
    if (!Object.is(x[i], y[i])) identical = false;
  }
  if (!(diff <= 1e-5 * scale)) failures.push(`${what}: max difference ${diff} exceeds 1e-5 × max |value| ${scale}`);
  return identical;
}

function naiveCheck(C: Tensor): void {
  const a = A.data as Float32Array, b = B.data as Float32Array, c = C.data as Float32Array;
  let worst = 0;
  for (let t = 0; t < 64; t++) {
    const i = (t * 131 + 7) % S, j = (t * 197 + 3) % S;
    let sum = 0, abs = 0;
    for (let q = 0; q < S; q++) {
      const p = a[i * S + q]! * b[q * S + j]!;
      sum += p;
      abs += Math.abs(p);
    }
    const err = Math.abs(c[i * S + j]! - sum) / (1.2e-7 * (S + 2) * abs);
    worst = Math.max(worst, err);
  }
  if (!(worst <= 1)) failures.push(`matmul: naive spot check off by ${worst.toFixed(2)}× the float32 bound`);
}

async function main(): Promise<Record<string, unknown>> {
  const isolated = scope.crossOriginIsolated === true;
  const inPage = typeof scope.document === 'object';
  // A page's main thread may not block: the threaded GEMM's caller must spin there.
  if (canBlockThread() === inPage) failures.push(`canBlockThread() is ${canBlockThread()} in a ${inPage ? 'page' : 'worker'}`);
  const expectThreads = mode !== 'plain';
  if (isolated !== expectThreads) failures.push(`crossOriginIsolated is ${isolated}, expected ${expectThreads}`);

  if ((await setNumThreads(1)) !== true) failures.push('setNumThreads(1) did not resolve true');
  const C1 = matmul(A, B);
  naiveCheck(C1);
  const conv1 = convStep();
  const mm1 = time(matmulFlops, () => void matmul(A, B));
  const cv1 = time(convFlops, () => void convStep());

  const t0 = performance.now();
  const threaded = await setNumThreads(2);
  const startMs = +(performance.now() - t0).toFixed(1);
  if (threaded !== expectThreads) failures.push(`setNumThreads(2) resolved ${threaded}, expected ${expectThreads}`);
  const C2 = matmul(A, B);
  sameBits('matmul 2 threads vs 1', C2, C1);
  naiveCheck(C2);
  const conv2 = convStep();
  const convBitIdentical = {
    y: close('conv2d y 2 threads vs 1', conv2.y, conv1.y),
    dx: close('conv2d dx 2 threads vs 1', conv2.dx, conv1.dx),
    dW: close('conv2d dW 2 threads vs 1', conv2.dw, conv1.dw),
  };
  const mm2 = time(matmulFlops, () => void matmul(A, B));
  const cv2 = time(convFlops, () => void convStep());
  sameBits('matmul after timing', matmul(A, B), C1);
  if ((await setNumThreads(1)) !== true) failures.push('setNumThreads(1) after threads did not resolve true');
  sameBits('matmul back on 1 thread', matmul(A, B), C1);

  return {
    mode,
    context: inPage ? 'page main thread' : 'dedicated worker',
    callerWait: canBlockThread() ? 'Atomics.wait' : 'spin on Atomics.load',
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
    crossOriginIsolated: isolated,
    sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
    setNumThreads2: threaded,
    threadStartMs: startMs,
    matmul: { shape: `${S}x${S}x${S}`, oneThread: mm1, twoThreads: mm2 },
    conv: { shape: `x[${n},${cin},${hw},${hw}] w[${cout},${cin},${k},${k}] pad 1, forward+dx+dW`, oneThread: cv1, twoThreads: cv2, bitIdentical: convBitIdentical },
    failures,
  };
}

async function report(result: Record<string, unknown>): Promise<void> {
  await fetch('/result', { method: 'POST', body: JSON.stringify(result) });
}

main().then(report, (error: unknown) => report({ mode, failures: [...failures, `threw: ${error instanceof Error ? error.stack ?? error.message : String(error)}`] }));
