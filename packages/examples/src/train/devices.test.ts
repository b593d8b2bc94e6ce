// The training job on WebGPU (--device webgpu: Dawn, here on Mesa's llvmpipe) against the same
// run on the CPU: per-step losses and the test evaluation agree to float32 rounding; the adapter
// is named. A few steps of 16 synthetic images (llvmpipe trains ~10 images/s).
import { expect } from 'chai';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TextProgress } from '@tensorgrad/train';
import { compareCurves, stepLossesOf } from './compare.js';
import { DEFAULTS, type TrainOptions } from './options.js';
import { train } from './run.js';
import { writeSyntheticFashionMnist } from './synthetic-data.js';

// Gradients agree to float32 rounding (~1e-6 of their largest element: sums in other orders in
// the tiled GEMM and conv, tree reductions), but training amplifies that: Adam moves every weight
// by about ±lr whatever its gradient's size, and max pooling routes near-ties by the last bit.
// Measured on these 4 steps: 0 at steps 1-2, 6e-6 at 3, 3e-4 at 4.
const RTOL = 1e-3;

describe('training job on WebGPU (Dawn) vs the CPU', function () {
  this.timeout(120_000);
  const data = mkdtempSync(join(tmpdir(), 'tg-fmnist-gpu-'));
  writeSyntheticFashionMnist(data, 64, 32);
  const options = (device: TrainOptions['device']): TrainOptions => ({
    ...DEFAULTS, data, out: mkdtempSync(join(tmpdir(), `tg-${device}-`)), epochs: 1, batchSize: 16, threads: false, quiet: true, device,
  });

  it('trains with the CPU run\'s per-step losses and test evaluation to float32 rounding, naming the adapter', async () => {
    const lines: string[] = [];
    const progress = new TextProgress({ stream: { write: (s: string) => lines.push(s) > 0 }, mode: 'lines', logEverySeconds: Infinity });
    const quiet = new TextProgress({ stream: { write: () => true }, mode: 'lines', logEverySeconds: Infinity });
    const gpu = await train(options('webgpu'), progress);
    const cpu = await train(options('cpu'), quiet);
    expect(lines.join('')).to.match(/^WebGPU: .+, Dawn (default \(Vulkan\)|OpenGL ES) backend/m);
    expect(lines.join('')).to.match(/, on webgpu\n/);
    const [a, b] = [cpu, gpu].map((r) => stepLossesOf(readFileSync(r.checkpoint)));
    expect(a).to.have.length(4);
    expect(b).to.have.length(4);
    const c = compareCurves(a!, b!);
    console.log(`      losses CPU ${a!.map((l) => l.toFixed(6)).join(' ')}; WebGPU ${b!.map((l) => l.toFixed(6)).join(' ')}; largest relative difference ${c.maxRelative.toExponential(2)}`);
    expect(c.maxRelative, `step ${c.worstStep}`).to.be.lessThan(RTOL);
    const [vc, vg] = [cpu.final!.validation!, gpu.final!.validation!];
    expect(vg.loss).to.be.closeTo(vc.loss, RTOL * vc.loss);
    expect(vg.accuracy).to.be.closeTo(vc.accuracy!, 1e-6);
  });

  it('compareCurves finds the worst step, and counts a NaN as worse than any difference', () => {
    const c = compareCurves([2, 2, 2], [2, 2.002, 1.999]);
    expect([c.steps, c.worstStep]).to.deep.equal([3, 2]);
    expect(c.maxRelative).to.be.closeTo(0.001, 1e-12);
    expect(compareCurves([1, 1, 1], [1.5, NaN, 1])).to.deep.include({ worstStep: 2 });
    expect(compareCurves([1, 1], [1])).to.deep.include({ steps: 1, maxRelative: 0 });
  });
});
