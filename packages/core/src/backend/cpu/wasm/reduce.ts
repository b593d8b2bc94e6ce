// Sums over dims whose innermost run is reduced (sum over H·W of [N, C, H, W], or over N and
// H·W), with assembly/reduce.ts's rowSumsF32: bit for bit ../reduce.ts's loop (each row one
// float64 chain into its float32 output), 8 rows with different outputs at a time instead of one
// chain after the other. Streamed: the outputs are staged once, x goes through wasm scratch a
// chunk of whole rows at a time (on stream.ts's plain memory while threads are on).
import { streamScratch } from './stream.js';

/** assembly/reduce.ts. */
interface ReduceExports {
  rowSumsF32(x: number, rows: number, len: number, out: number, outStride: number): void;
}

/** Floats of x per chunk (64 KiB). */
const CHUNK = 16384;

/**
 * For each block b < blocks (x's rows [b·rows, (b + 1)·rows), rows of len floats, contiguous):
 * out[base(b) + r·outStride] += row r's sum, as ../reduce.ts's reduceRow adds it (float64 chain,
 * rounded to float32 at the row's end). base(b) is blockBase[b]. Rows of one block must have
 * distinct outputs (outStride ≠ 0); blocks run in order, so rows of later blocks that share an
 * output add after earlier ones, as in the loop.
 */
export function rowSumsWasm(x: Float32Array, blocks: number, rows: number, len: number, out: Float32Array, blockBase: ArrayLike<number>, outStride: number): void {
  const per = Math.max(1, Math.floor(CHUNK / len));
  const { exports: k, views } = streamScratch<ReduceExports>('sum', [Math.min(per, rows) * len, out.length]);
  const [xs, os] = views as [Float32Array, Float32Array];
  os.set(out);
  for (let b = 0; b < blocks; b++) {
    const base = blockBase[b]!;
    for (let r = 0; r < rows; r += per) {
      const n = Math.min(per, rows - r);
      const from = (b * rows + r) * len;
      xs.set(x.subarray(from, from + n * len));
      k.rowSumsF32(xs.byteOffset, n, len, os.byteOffset + 4 * (base + r * outStride), outStride);
    }
  }
  out.set(os);
}
