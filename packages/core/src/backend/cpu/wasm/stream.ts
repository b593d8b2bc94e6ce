// Where the streamed kernels (pool.ts, elementwise.ts, norm.ts: copy a chunk in, run the kernel, copy it
// out, on the calling thread) run: on the runtime's memory while it is a plain one. While threads
// are on, that memory is a SharedArrayBuffer, and TypedArray.set copies out of a shared buffer
// ~1.7-2× slower than out of a plain one (12.8 MB: 0.9-1.0 vs 0.5-0.6 ms), which these copy-bound
// kernels feel (relu's gradient on 3.2M elements: 4.1 ms on the shared memory, 3.2 ms on a plain
// one). So they then run on a private instance of the same module on a plain memory of its own
// (built at the first such call and kept; it holds the module's static data, one GEMM workspace
// that stays untouched, and a few chunks of scratch). Same kernels, so the same bits.
// Staging whole operands in the shared memory as task programs over the threads (tasks.ts) did
// not pay for these kernels: the calling thread alone must copy every operand in and every result
// out, which costs about as much as streaming them (2 threads, medians on this project's loaded
// 2-core machine: 2×2 max pooling of 128×32×28×28 forward 5.1 → 6.9 ms, backward 2.0 → 2.9;
// relu's gradient on 3.2M elements 3.9 → 10.5 ms).
import { roundUp } from '../align.js';
import { type WasmRuntime, compileWasmModule, createWasmRuntime, requireWasmRuntime, wasmScratch } from './runtime.js';

const PAGE = 65536;
const ALIGN = 64;

let plain: WasmRuntime | null = null;

/**
 * Scratch for a streamed kernel of `what`: views of consecutive 64-byte-aligned regions, one per
 * length (valid until the next call here or of wasmScratch), and the exports to run on them.
 */
export function streamScratch<T>(what: string, lengths: readonly number[]): { exports: T; views: Float32Array[] } {
  const runtime = requireWasmRuntime(what);
  if (typeof SharedArrayBuffer === 'undefined' || !(runtime.memory.buffer instanceof SharedArrayBuffer)) {
    return { exports: runtime.exports as unknown as T, views: wasmScratch(lengths) };
  }
  if (!plain) {
    const module = compileWasmModule(false);
    // The shared variant compiled, so the plain one (the same kernels) does too.
    if (!module) throw new Error(`${what}: WebAssembly SIMD is not available in this runtime`);
    plain = createWasmRuntime(module, new WebAssembly.Memory({ initial: 1 }), 1);
  }
  const starts: number[] = [];
  let end = plain.scratchBase;
  for (const n of lengths) {
    starts.push(end);
    end = roundUp(end + 4 * n, ALIGN);
  }
  const have = plain.memory.buffer.byteLength;
  if (end > have) plain.memory.grow(Math.ceil((end - have) / PAGE));
  const buffer = plain.memory.buffer;
  return { exports: plain.exports as unknown as T, views: lengths.map((n, i) => new Float32Array(buffer, starts[i]!, n)) };
}
