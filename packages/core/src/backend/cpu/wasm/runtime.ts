// Float32 GEMM in WebAssembly SIMD (assembly/gemm.ts), with the same contract as backend/cpu/gemm.ts.
// One linear memory is kept for the process and reused across calls (first touch of fresh pages
// is slow); it grows on demand. Layout: [static data][per-thread packing workspaces][scratch].
// Two entry points:
//  - gemmWasm: drop-in for `gemm` on Float32Arrays; copies the operands into scratch (one memcpy
//    of each operand's span: transposed/strided views keep their strides and are packed by the
//    wasm code), runs, copies C back.
//  - wasmScratch + gemmInMemory: operands already in wasm memory (e.g. gathered there by a conv),
//    no copies.
// If WebAssembly SIMD is unavailable, wasmGemmAvailable() is false and the TS kernel is the one.
import { AllocationError } from '../../../errors.js';
import type { TypedArray } from '../../../tensor/dtype.js';
import { formatBytes } from '../../../tensor/limits.js';
import type { MatrixView } from '../gemm.js';
import { gemmWasmBase64, gemmWasmSharedBase64 } from './module.generated.js';

export interface GemmExports {
  gemm(M: number, N: number, K: number, a: number, aRs: number, aCs: number, b: number, bRs: number, bCs: number, c: number, ldc: number, accumulate: number, work: number): void;
  workspaceBytes(): number;
  heapBase(): number;
  /** assembly/conv.ts: the float32 im2col gather / col2im scatter-add (see backend/cpu/conv/kernels.ts). */
  gatherColumns(x: number, channels: number, inH: number, inW: number, kH: number, kW: number, strideH: number, strideW: number, dilationH: number, dilationW: number, padTop: number, padLeft: number, outH: number, outW: number, ranges: number, cols: number, ld: number): void;
  scatterAddColumns(cols: number, channels: number, inH: number, inW: number, kH: number, kW: number, strideH: number, strideW: number, dilationH: number, dilationW: number, padTop: number, padLeft: number, outH: number, outW: number, ranges: number, dx: number, ld: number): void;
  /** assembly/conv.ts: planar copies, zeroing, the direct conv and the Winograd transforms (see ops/conv). */
  copyPlanes(src: number, srcPlane: number, srcRow: number, dst: number, dstPlane: number, dstRow: number, channels: number, rows: number, cols: number): void;
  zeroFloats(p: number, n: number): void;
  directConv(xp: number, off: number, K: number, wt: number, coutPad: number, bias: number, y: number, Q: number): void;
  winogradInput(xp: number, channels: number, xPlane: number, Wp: number, tilesH: number, tilesW: number, v: number, ldv: number): void;
  winogradOutput(mt: number, couts: number, ldm: number, tilesH: number, tilesW: number, bias: number, y: number, yPlane: number, Wy: number): void;
  winogradGradOutput(dyp: number, couts: number, dyPlane: number, Wd: number, tilesH: number, tilesW: number, dt: number, ldt: number): void;
  /** assembly/norm.ts (see backend/cpu/norm.ts). */
  normStats(x: number, outer: number, groups: number, inner: number, mean: number, variance: number): void;
  normCombine(g: number, x: number, y: number, outer: number, groups: number, inner: number, mean: number, a: number, b: number, k: number): void;
  normGradSums(g: number, x: number, outer: number, groups: number, inner: number, mean: number, out: number): void;
  /** assembly/pool.ts (see backend/cpu/wasm/pool.ts). */
  maxPool2x2Forward(x: number, planes: number, inH: number, inW: number, outH: number, outW: number, y: number, argmax: number): void;
  maxPool2x2Backward(dy: number, planes: number, inH: number, inW: number, outH: number, outW: number, argmax: number, dx: number): void;
}

/** The wasm instance, its memory, and the layout of that memory. */
export interface GemmEngine {
  memory: WebAssembly.Memory;
  exports: GemmExports;
  /** Byte address of each thread's packing workspace (index 0: the calling thread). */
  workspaces: number[];
  /** Set by withSerialGemm: the threaded engine then runs every product on the calling thread. */
  serial: boolean;
  /** First byte of the region handed out by wasmScratch. */
  scratchBase: number;
  /**
   * Runs C (+)= A·B on pointers in this memory; set by the threaded engine to split work,
   * otherwise a direct call on workspace 0.
   */
  run(M: number, N: number, K: number, a: number, aRs: number, aCs: number, b: number, bRs: number, bCs: number, c: number, ldc: number, accumulate: boolean): void;
  /**
   * `count` independent products of one shape, product i on operands displaced by i·aStride,
   * i·bStride and i·cStride elements (a strided batch); the threaded engine hands whole products
   * to its threads, which pays where each product is too small to split.
   */
  runBatched(
    count: number, M: number, N: number, K: number, a: number, aRs: number, aCs: number, aStride: number, b: number, bRs: number, bCs: number, bStride: number,
    c: number, ldc: number, cStride: number, accumulate: boolean,
  ): void;
}

const PAGE = 65536;
const ALIGN = 64;

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text);
  const bytes = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** The compiled module (plain or shared-memory variant), or null if this runtime cannot compile it. */
export function compileGemmModule(shared: boolean): WebAssembly.Module | null {
  if (typeof WebAssembly !== 'object' || typeof atob !== 'function') return null;
  try {
    return new WebAssembly.Module(decodeBase64(shared ? gemmWasmSharedBase64 : gemmWasmBase64));
  } catch {
    return null; // no SIMD (or no threads for the shared variant)
  }
}

/** Instantiates `module` on `memory` and lays out `threads` workspaces after its static data. */
export function createEngine(module: WebAssembly.Module, memory: WebAssembly.Memory, threads: number): GemmEngine {
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as GemmExports;
  const base = alignUp(Math.max(exports.heapBase(), 1024), ALIGN);
  const wsBytes = alignUp(exports.workspaceBytes(), ALIGN);
  const workspaces = Array.from({ length: threads }, (_, t) => base + t * wsBytes);
  const engine: GemmEngine = {
    memory,
    exports,
    workspaces,
    serial: false,
    scratchBase: base + threads * wsBytes,
    run(M, N, K, a, aRs, aCs, b, bRs, bCs, c, ldc, accumulate) {
      exports.gemm(M, N, K, a, aRs, aCs, b, bRs, bCs, c, ldc, accumulate ? 1 : 0, workspaces[0]!);
    },
    runBatched(...batch) {
      runEach(engine, ...batch);
    },
  };
  ensureBytes(engine, engine.scratchBase);
  return engine;
}

/** A strided batch as one engine.run per product (each may still split itself across threads). */
export function runEach(engine: GemmEngine, ...[count, M, N, K, a, aRs, aCs, aStride, b, bRs, bCs, bStride, c, ldc, cStride, accumulate]: Parameters<GemmEngine['runBatched']>): void {
  for (let i = 0; i < count; i++) engine.run(M, N, K, a + 4 * i * aStride, aRs, aCs, b + 4 * i * bStride, bRs, bCs, c + 4 * i * cStride, ldc, accumulate);
}

let current: GemmEngine | null | undefined;

/** The engine in use (created on first use), or null without WebAssembly SIMD. */
export function gemmEngine(): GemmEngine | null {
  if (current === undefined) {
    const module = compileGemmModule(false);
    current = module && createEngine(module, new WebAssembly.Memory({ initial: 1 }), 1);
  }
  return current;
}

/** Replaces the engine (the threaded variant installs itself here); null restores the default. */
export function setGemmEngine(engine: GemmEngine | null): void {
  current = engine ?? undefined;
}

/**
 * Runs fn with every GEMM on the calling thread when `serial` (a threaded engine's workers stay
 * parked): small or memory-bound products can lose more to the hand-off than they gain.
 */
export function withSerialGemm<T>(serial: boolean, fn: () => T): T {
  const engine = serial ? gemmEngine() : null;
  if (!engine || engine.serial) return fn();
  engine.serial = true;
  try {
    return fn();
  } finally {
    engine.serial = false;
  }
}

/**
 * How many threads the wasm GEMM splits large products over: 1 single-threaded, n after
 * setNumThreads(n), 0 where WebAssembly SIMD is unavailable (no GEMM runs in wasm). withSerialGemm
 * does not change it (it restricts one call, not the runtime).
 */
export function gemmThreads(): number {
  return gemmEngine()?.workspaces.length ?? 0;
}

/** Whether the WebAssembly SIMD GEMM can run here. */
export function wasmGemmAvailable(): boolean {
  return gemmEngine() !== null;
}

/** The module's kernels for `what` (a caller's name for the error where WebAssembly SIMD is missing). */
export function wasmKernels(what: string): GemmExports {
  const engine = gemmEngine();
  if (!engine) throw new Error(`${what}: WebAssembly SIMD is not available in this runtime`);
  return engine.exports;
}

function requireEngine(): GemmEngine {
  const engine = gemmEngine();
  if (!engine) throw new Error('gemmWasm: WebAssembly SIMD is not available in this runtime; use the TypeScript gemm');
  return engine;
}

/** Grows the memory to at least `bytes`, by at least a quarter each time (growing copies). */
function ensureBytes(engine: GemmEngine, bytes: number): void {
  const have = engine.memory.buffer.byteLength;
  if (bytes <= have) return;
  try {
    engine.memory.grow(Math.ceil(Math.max(bytes - have, have / 4) / PAGE));
  } catch (e) {
    // Past the module's 4 GB (or the engine's refusal): the op's public entry names it.
    if (!(e instanceof RangeError)) throw e;
    throw new AllocationError(`cannot allocate ${formatBytes(bytes)} of WebAssembly memory for the operands of a float32 GEMM (${e.message})`);
  }
}

/**
 * Float32Array views of consecutive, 16-byte-aligned regions of wasm memory, one per requested
 * length (elements). The regions are reused by the next call (and by gemmWasm): the views are
 * valid until then. Contents are not cleared.
 */
export function wasmScratch(lengths: readonly number[]): Float32Array[] {
  const engine = requireEngine();
  const starts: number[] = [];
  let end = engine.scratchBase;
  for (const n of lengths) {
    starts.push(end);
    end = alignUp(end + 4 * n, ALIGN);
  }
  ensureBytes(engine, end);
  const buffer = engine.memory.buffer;
  return lengths.map((n, i) => new Float32Array(buffer, starts[i]!, n));
}

function pointerOf(engine: GemmEngine, what: string, data: TypedArray, offset: number): number {
  if (!(data instanceof Float32Array) || data.buffer !== engine.memory.buffer) {
    throw new Error(`gemmInMemory: ${what} must be a Float32Array view from wasmScratch (called since the last wasmScratch)`);
  }
  return data.byteOffset + 4 * offset;
}

/**
 * C (+)= A·B where A, B and C are views returned by wasmScratch (no copies). A is M×K, B is K×N
 * with any non-negative strides (transposed operands are fine); C is row-major at cOffset with
 * row stride ldc (default N).
 */
export function gemmInMemory(M: number, N: number, K: number, A: MatrixView, B: MatrixView, C: Float32Array, cOffset: number, accumulate: boolean, ldc = N): void {
  if (M === 0 || N === 0) return;
  const engine = requireEngine();
  const a = pointerOf(engine, 'A', A.data, A.offset);
  const b = pointerOf(engine, 'B', B.data, B.offset);
  const c = pointerOf(engine, 'C', C, cOffset);
  engine.run(M, N, K, a, A.rowStride, A.colStride, b, B.rowStride, B.colStride, c, ldc, accumulate);
}

/**
 * gemmInMemory for `count` products of one shape: product i reads A and B displaced by
 * i·aStride and i·bStride elements and writes C displaced by i·cStride (all wasmScratch views).
 */
export function gemmBatchedInMemory(
  count: number, M: number, N: number, K: number, A: MatrixView, aStride: number, B: MatrixView, bStride: number, C: Float32Array, cOffset: number, cStride: number,
  accumulate: boolean, ldc = N,
): void {
  if (count === 0 || M === 0 || N === 0) return;
  const engine = requireEngine();
  const a = pointerOf(engine, 'A', A.data, A.offset);
  const b = pointerOf(engine, 'B', B.data, B.offset);
  const c = pointerOf(engine, 'C', C, cOffset);
  engine.runBatched(count, M, N, K, a, A.rowStride, A.colStride, aStride, b, B.rowStride, B.colStride, bStride, c, ldc, cStride, accumulate);
}

/** The elements [lo, hi) of `data` a rows×cols view reads, or null if not a compact span. */
function spanOf(v: MatrixView, rows: number, cols: number): { lo: number; hi: number } | null {
  if (v.rowStride < 0 || v.colStride < 0) return null;
  const hi = v.offset + (rows - 1) * v.rowStride + (cols - 1) * v.colStride + 1;
  // A span much larger than the matrix (e.g. a column of a wide matrix) is compacted instead.
  return hi - v.offset <= 2 * rows * cols + 64 ? { lo: v.offset, hi } : null;
}

/** Space an operand occupies in scratch: its span, or rows×cols when compacted. */
function stagedLength(v: MatrixView, rows: number, cols: number): number {
  const span = spanOf(v, rows, cols);
  return span ? span.hi - span.lo : rows * cols;
}

/** Copies a rows×cols operand into `dst` (a scratch view) and returns its view there. */
function stage(v: MatrixView, rows: number, cols: number, dst: Float32Array): MatrixView {
  const src = v.data as Float32Array;
  const span = spanOf(v, rows, cols);
  if (span) {
    dst.set(src.subarray(span.lo, span.hi));
    return { data: dst, offset: 0, rowStride: v.rowStride, colStride: v.colStride };
  }
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) dst[i * cols + j] = src[v.offset + i * v.rowStride + j * v.colStride]!;
  }
  return { data: dst, offset: 0, rowStride: cols, colStride: 1 };
}

/**
 * Drop-in for backend/cpu/gemm.ts `gemm` on float32: C[cOffset.., row-major M×N] (+)= A·B.
 * Throws if an operand is not a Float32Array or WebAssembly SIMD is unavailable. Operands that
 * are all wasmScratch views go straight to gemmInMemory.
 */
export function gemmWasm(M: number, N: number, K: number, A: MatrixView, B: MatrixView, C: TypedArray, cOffset: number, accumulate: boolean): void {
  if (!(A.data instanceof Float32Array && B.data instanceof Float32Array && C instanceof Float32Array)) {
    throw new TypeError('gemmWasm: A, B and C must be Float32Arrays');
  }
  if (M === 0 || N === 0) return;
  if (K === 0) {
    if (!accumulate) C.fill(0, cOffset, cOffset + M * N);
    return;
  }
  const buffer = requireEngine().memory.buffer;
  const inMemory = [A.data, B.data, C].filter((x) => x.buffer === buffer).length;
  if (inMemory === 3) return gemmInMemory(M, N, K, A, B, C, cOffset, accumulate);
  if (inMemory > 0) throw new Error('gemmWasm: operands must all live in wasm memory (use gemmInMemory) or none of them');
  const [sa, sb, sc] = wasmScratch([stagedLength(A, M, K), stagedLength(B, K, N), M * N]) as [Float32Array, Float32Array, Float32Array];
  const a = stage(A, M, K, sa);
  const b = stage(B, K, N, sb);
  if (accumulate) sc.set(C.subarray(cOffset, cOffset + M * N));
  gemmInMemory(M, N, K, a, b, sc, 0, accumulate);
  C.set(sc, cOffset);
}
