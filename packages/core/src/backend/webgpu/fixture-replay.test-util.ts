// Replaying PyTorch 1.13 fixtures on WebGPU: fixture values as float32 (or int32) tensors on the
// GPU, results read back asynchronously and compared with PyTorch's values within GPU_VS_TORCH.
// Mismatches are collected (a fixture file's replay reports every one, not just the first).
import { expect } from 'chai';
import { tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { GPU_VS_TORCH, describeMismatch } from './tolerance.js';

/** A stored fixture number: JSON has no NaN, ±∞ or -0, so the scripts write them as strings. */
export type Num = number | string;

export function decode(v: Num): number {
  if (typeof v === 'number') return v;
  const special: Record<string, number> = { nan: NaN, inf: Infinity, '-inf': -Infinity, '-0': -0 };
  if (!(v in special)) throw new Error(`fixture value ${JSON.stringify(v)} is not a number`);
  return special[v]!;
}

/** The values as a float32 (default) or int32 tensor on WebGPU, a leaf that requires grad if asked. */
export function onGpu(data: readonly Num[], shape: number[], options: { dtype?: 'float32' | 'int32'; requiresGrad?: boolean } = {}): Tensor {
  const t = tensor(data.map(decode), { shape, dtype: options.dtype ?? 'float32' }).to('webgpu');
  return options.requiresGrad === true ? t.requiresGrad_() : t;
}

/** One fixture file's replay: counts cases and compared values, collects mismatches. */
export class Replay {
  cases = 0;
  values = 0;
  readonly mismatches: string[] = [];
  /** The compared value that used the largest fraction of its allowed difference (1 = at the limit). */
  worst = { used: 0, where: '' };

  constructor(readonly file: string) {}

  /** Compares a GPU result with PyTorch's values (and shape, when given) within GPU_VS_TORCH. */
  async check(what: string, got: Tensor | null, want: readonly Num[], shape?: number[]): Promise<void> {
    if (got === null) return void this.mismatches.push(`${what}: no tensor (expected ${want.length} values)`);
    if (got.device !== 'webgpu') return void this.mismatches.push(`${what}: computed on ${got.device}, not webgpu`);
    if (shape !== undefined && JSON.stringify(got.shape) !== JSON.stringify(shape)) {
      return void this.mismatches.push(`${what}: shape ${JSON.stringify(got.shape)}, PyTorch ${JSON.stringify(shape)}`);
    }
    const values = Float64Array.from(await got.dataAsync());
    const expected = want.map(decode);
    const problem = describeMismatch(values, expected, GPU_VS_TORCH);
    this.values += expected.length;
    if (problem !== null) this.mismatches.push(`${what}: ${problem}`);
    this.noteWorst(what, values, expected);
  }

  private noteWorst(what: string, got: Float64Array, want: number[]): void {
    let scale = 0;
    for (const w of want) if (Number.isFinite(w)) scale = Math.max(scale, Math.abs(w));
    want.forEach((w, i) => {
      if (!Number.isFinite(w)) return;
      const used = Math.abs(got[i]! - w) / (GPU_VS_TORCH.atol + (GPU_VS_TORCH.scaleTol ?? 0) * scale + GPU_VS_TORCH.rtol * Math.abs(w));
      if (used > this.worst.used) this.worst = { used, where: `${what} [${i}]: ${got[i]} vs PyTorch ${w}` };
    });
  }

  /** Integer results (indices, int32 values): exactly PyTorch's. */
  async checkExact(what: string, got: Tensor, want: readonly Num[], shape?: number[]): Promise<void> {
    if (got.device !== 'webgpu') return void this.mismatches.push(`${what}: computed on ${got.device}, not webgpu`);
    if (shape !== undefined && JSON.stringify(got.shape) !== JSON.stringify(shape)) {
      return void this.mismatches.push(`${what}: shape ${JSON.stringify(got.shape)}, PyTorch ${JSON.stringify(shape)}`);
    }
    const values = Array.from(await got.dataAsync());
    const expected = want.map(decode);
    this.values += expected.length;
    if (values.length !== expected.length) return void this.mismatches.push(`${what}: ${values.length} values, PyTorch ${expected.length}`);
    const i = expected.findIndex((w, k) => values[k] !== w);
    if (i >= 0) this.mismatches.push(`${what}: element ${i} of ${expected.length}: got ${values[i]}, PyTorch ${expected[i]}`);
  }

  /** Every compared value within tolerance, and exactly `expectedCases` (> 0) cases replayed. */
  expectMatched(expectedCases: number): void {
    expect(this.mismatches, `${this.file}: ${this.mismatches.length} mismatches`).to.deep.equal([]);
    expect(expectedCases, `${this.file}: cases to replay`).to.be.greaterThan(0);
    expect(this.cases, `${this.file}: cases replayed`).to.equal(expectedCases);
    expect(this.values, `${this.file}: values compared`).to.be.greaterThan(0);
  }
}
