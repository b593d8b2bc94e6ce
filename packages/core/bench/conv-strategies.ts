// Conv strategy choice, measured: for the bench shapes a–e, the default training model's
// three convs (L1–L3) and two ResNet-50 1×1 convs (p1, p2), the median (and min) ms of forward and of forward+dx+dW (loss ½Σy²) with every product
// forced to the gathered default versus chosen by the tuning mode given (default benchmark:
// by measurement; rule: by the committed table) ('auto'), interleaved in one
// process so load drift hits both alike; then each decision with its candidates' times (those
// exclude the output's allocation, whose fresh pages dominate the spread of the op timings).
// Not a test. From packages/core:
//   npx tsx --conditions=@tensorgrad/source bench/conv-strategies.ts [threads=1] [ids=a,b,...|all] [benchmark|rule]
import { conv2d, grad, mul, randn, setNumThreads, sum, type Tensor } from '../src/index.js';
import type { ConvProduct } from '../src/backend/conv.js';
import { type ConvTuning, convDecisions, setConvStrategy, setConvTuning } from '../src/backend/cpu/conv/chooser.js';

const threads = Number(process.argv[2] ?? 1);
const only = process.argv[3] === undefined || process.argv[3] === 'all' ? undefined : process.argv[3].split(',');
setConvTuning((process.argv[4] ?? 'benchmark') as ConvTuning);
if (!(await setNumThreads(threads))) throw new Error(`setNumThreads(${threads}) unavailable`);

// id, N, C, H=W, K, Cout, stride, padding
const shapes: [string, number, number, number, number, number, number, number][] = [
  ['a', 8, 3, 32, 3, 16, 1, 1], ['b', 8, 16, 32, 3, 32, 1, 1], ['c', 32, 64, 16, 3, 64, 1, 1],
  ['d', 1, 3, 224, 11, 96, 4, 2], ['e', 64, 1, 28, 5, 32, 1, 2],
  ['L1', 128, 1, 28, 3, 32, 1, 1], ['L2', 128, 32, 14, 3, 64, 1, 1], ['L3', 128, 64, 7, 3, 128, 1, 1],
  ['p1', 8, 256, 56, 1, 64, 1, 0], ['p2', 32, 1024, 14, 1, 256, 1, 0],
];
const products: ConvProduct[] = ['forward', 'inputGrad', 'filterGrad'];
const useStrategy = (name: string): void => products.forEach((p) => setConvStrategy(p, name));
const median = (a: number[]): number => [...a].sort((p, q) => p - q)[a.length >> 1]!;
const REPS = 20;

for (const [id, n, c, hw, k, cout, stride, padding] of shapes) {
  if (only !== undefined && !only.includes(id)) continue;
  const x = randn([n, c, hw, hw]);
  const w = randn([cout, c, k, k]);
  const loss = (xx: Tensor, ww: Tensor): Tensor => {
    const y = conv2d(xx, ww, null, { stride, padding });
    return mul(sum(mul(y, y)), 0.5);
  };
  const fwdBwd = grad(loss, { argnums: [0, 1] });
  const modes: [string, () => unknown][] = [['fwd', () => conv2d(x, w, null, { stride, padding })], ['fwd+dx+dW', () => fwdBwd(x, w).map((g) => g.data)]]; // .data: a filter gradient running in the background is waited for
  for (const [mode, run] of modes) {
    const times: Record<string, number[]> = { gathered: [], auto: [] };
    for (const v of ['gathered', 'auto']) {
      useStrategy(v);
      for (let i = 0; i < 3; i++) run(); // warm-up (and, for auto, the decisions)
    }
    for (let r = 0; r < REPS; r++) {
      for (const v of r % 2 === 0 ? ['auto', 'gathered'] : ['gathered', 'auto']) {
        useStrategy(v);
        const t0 = performance.now();
        run();
        times[v]!.push(performance.now() - t0);
      }
    }
    const show = (v: string): string => `${median(times[v]!).toFixed(2).padStart(6)} (${Math.min(...times[v]!).toFixed(2).padStart(6)})`;
    console.log(`${threads}t ${id.padEnd(2)} ${mode.padEnd(9)}  gathered ${show('gathered')}   auto ${show('auto')}`);
  }
}
useStrategy('auto');
console.log('\ndecisions (source; N,Cin,Cout,G,inH,inW,kH,kW,sH,sW,dH,dW,padT,padL,outH,outW -> winner {best ms of each candidate}):');
for (const d of convDecisions()) {
  const ms = Object.entries(d.times).map(([name, t]) => `${name} ${t.toFixed(2)}`).join(', ');
  console.log(`  ${d.source.padEnd(9)} ${d.product.padEnd(10)} ${d.key.split(',').slice(3).join(',').padEnd(44)} -> ${d.winner.padEnd(9)} {${ms}}`);
}
await setNumThreads(1);
