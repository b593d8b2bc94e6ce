// The WebAssembly runtime of the CPU backend. assembly/gemm.ts, conv.ts, norm.ts, pool.ts and
// elementwise.ts are compiled into one module (scripts/build-wasm.mjs); this file compiles it, instantiates it on one
// linear memory kept for the process and reused across calls (first touch of fresh pages is
// slow), grows that memory on demand and hands out scratch regions of it. Layout:
// [static data][per-thread GEMM packing workspaces][scratch].
// One glue file per assembly file (gemm.ts, conv.ts, norm.ts, pool.ts, elementwise.ts beside this one) declares
// the exports it calls and reaches them through wasmKernels. With threads on (threads.ts), the
// installed runtime lives on shared memory and carries a GemmExecutor that splits GEMMs across
// workers. Where WebAssembly SIMD is missing, wasmAvailable() is false and the TypeScript kernels run.
// The module has a relaxed-SIMD build (GEMM with fused multiply-add) that runtimes are created from
// while setFusedGemm(true) (the opt-in setFastMath, ../fast-math.ts); threads.ts's too.
import { AllocationError } from '../../../errors.js';
import { formatBytes } from '../../../tensor/limits.js';
import { roundUp } from '../align.js';
import { moduleBase64, moduleFusedBase64, moduleFusedSharedBase64, moduleSharedBase64 } from './module.generated.js';

/** The exports that lay out the memory (assembly/gemm.ts). */
interface LayoutExports {
  heapBase(): number;
  workspaceBytes(): number;
}

/**
 * Runs GEMMs and task programs on a runtime's memory across threads (set by threads.ts); the gemm
 * glue hands it every product while threads are on, tasks.ts every program. Pointers are byte
 * addresses, strides in elements.
 */
export interface GemmExecutor {
  /** C (+)= A·B, split across the threads when large enough. */
  run(M: number, N: number, K: number, a: number, aRs: number, aCs: number, b: number, bRs: number, bCs: number, c: number, ldc: number, accumulate: boolean): void;
  /**
   * `count` products of one shape, product i on operands displaced by i·aStride, i·bStride and
   * i·cStride elements (a strided batch): whole products go to threads where each is too small to split.
   */
  runBatched(
    count: number, M: number, N: number, K: number, a: number, aRs: number, aCs: number, aStride: number, b: number, bRs: number, bCs: number, bStride: number,
    c: number, ldc: number, cStride: number, accumulate: boolean,
  ): void;
  /**
   * Runs every task of an encoded task program (tasks.ts) on all threads, the caller included,
   * which first stages the tasks' inputs in order (tasks.ts TasksStage; a task waits for its own),
   * and calls onDone for consecutive ranges of finished tasks, in order (tasks.ts TasksDone).
   */
  runTasks(program: Int32Array, onDone?: (first: number, end: number) => void, stage?: (first: number, end: number) => void): void;
  /**
   * Starts an encoded task program on one worker and returns at once (false, running nothing,
   * where it cannot: a program too long, or one already in the background). Until finishAsync,
   * the other jobs run without that worker.
   */
  runTasksAsync(program: Int32Array): boolean;
  /** Runs what is left of the background program on the calling thread too, and returns when all of it is done. */
  finishAsync(): void;
}

/** The wasm instance, its memory, and the layout of that memory. */
export interface WasmRuntime {
  readonly memory: WebAssembly.Memory;
  /** The instance's exports; glue files reach them, typed, through wasmKernels. */
  readonly exports: WebAssembly.Exports;
  /** Byte address of each thread's GEMM packing workspace (index 0: the calling thread). */
  readonly workspaces: readonly number[];
  /** First byte of the region handed out by wasmScratch. */
  readonly scratchBase: number;
  /** First byte wasmScratch hands out now: above scratchBase while reserveScratch holds a region for a background job. */
  scratchFloor: number;
  /** Set by threads.ts while its workers share this memory; null: GEMMs run on the calling thread. */
  executor: GemmExecutor | null;
}

const PAGE = 65536;
const ALIGN = 64;

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text);
  const bytes = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

let fusedGemm = false;

/** Makes compileWasmModule pick the relaxed-SIMD build (true) or the default, bit-exact one; the caller replaces the runtime. */
export function setFusedGemm(on: boolean): void {
  fusedGemm = on;
}

/** Whether compileWasmModule picks the relaxed-SIMD build (GEMM with fused multiply-add). */
export function fusedGemmSelected(): boolean {
  return fusedGemm;
}

/**
 * The compiled module (plain or shared-memory variant; the relaxed-SIMD build after
 * setFusedGemm(true)), or null if this runtime cannot compile it.
 */
export function compileWasmModule(shared: boolean): WebAssembly.Module | null {
  if (typeof WebAssembly !== 'object' || typeof atob !== 'function') return null;
  try {
    const base64 = fusedGemm ? (shared ? moduleFusedSharedBase64 : moduleFusedBase64) : shared ? moduleSharedBase64 : moduleBase64;
    return new WebAssembly.Module(decodeBase64(base64));
  } catch {
    return null; // no SIMD (or no threads for the shared variant, no relaxed SIMD for the fused one)
  }
}

/** Instantiates `module` on `memory` and lays out `threads` GEMM workspaces after its static data. */
export function createWasmRuntime(module: WebAssembly.Module, memory: WebAssembly.Memory, threads: number): WasmRuntime {
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const layout = exports as unknown as LayoutExports;
  const base = roundUp(Math.max(layout.heapBase(), 1024), ALIGN);
  const wsBytes = roundUp(layout.workspaceBytes(), ALIGN);
  const runtime: WasmRuntime = {
    memory,
    exports,
    workspaces: Array.from({ length: threads }, (_, t) => base + t * wsBytes),
    scratchBase: base + threads * wsBytes,
    scratchFloor: base + threads * wsBytes,
    executor: null,
  };
  ensureBytes(runtime, runtime.scratchBase);
  return runtime;
}

let current: WasmRuntime | null | undefined;

/** The runtime in use (the single-threaded one is created on first use), or null without WebAssembly SIMD. */
export function wasmRuntime(): WasmRuntime | null {
  if (current === undefined) {
    const module = compileWasmModule(false);
    current = module && createWasmRuntime(module, new WebAssembly.Memory({ initial: 1 }), 1);
  }
  return current;
}

/** Replaces the runtime (threads.ts installs its shared one here); null restores the default. */
export function installWasmRuntime(runtime: WasmRuntime | null): void {
  current = runtime ?? undefined;
}

/** Whether the WebAssembly SIMD kernels can run here. */
export function wasmAvailable(): boolean {
  return wasmRuntime() !== null;
}

/** The runtime, or an error naming `what` (a caller's name) where WebAssembly SIMD is missing. */
export function requireWasmRuntime(what: string): WasmRuntime {
  const runtime = wasmRuntime();
  if (!runtime) throw new Error(`${what}: WebAssembly SIMD is not available in this runtime`);
  return runtime;
}

/** The module's exports as the glue file of `what` declares them (T: the exports it calls). */
export function wasmKernels<T>(what: string): T {
  return requireWasmRuntime(what).exports as unknown as T;
}

/** Whether `view` lives in the runtime's memory (a wasmScratch view, valid until the memory grows). */
export function isWasmView(view: ArrayBufferView): boolean {
  return view.buffer === wasmRuntime()?.memory.buffer;
}

/**
 * How many threads the wasm GEMM splits large products over: 1 single-threaded, n after
 * setNumThreads(n), 0 where WebAssembly SIMD is unavailable (no GEMM runs in wasm). withSerialGemm
 * does not change it (it restricts one call, not the runtime).
 */
export function gemmThreads(): number {
  return wasmRuntime()?.workspaces.length ?? 0;
}

let serial = false;

/**
 * Runs fn with every GEMM on the calling thread when `serial` (the workers stay parked): small or
 * memory-bound products can lose more to the hand-off than they gain.
 */
export function withSerialGemm<T>(serialGemm: boolean, fn: () => T): T {
  if (!serialGemm || serial) return fn();
  serial = true;
  try {
    return fn();
  } finally {
    serial = false;
  }
}

/** The executor that splits GEMMs across threads, or null where they run on the calling thread (one thread, or withSerialGemm). */
export function gemmExecutor(runtime: WasmRuntime): GemmExecutor | null {
  return serial ? null : runtime.executor;
}

/** Grows the memory to at least `bytes`, by at least a quarter each time (growing copies). */
function ensureBytes(runtime: WasmRuntime, bytes: number): void {
  const have = runtime.memory.buffer.byteLength;
  if (bytes <= have) return;
  try {
    runtime.memory.grow(Math.ceil(Math.max(bytes - have, have / 4) / PAGE));
  } catch (e) {
    // Past the module's 4 GB (or the engine's refusal): the op's public entry names it.
    if (!(e instanceof RangeError)) throw e;
    throw new AllocationError(`cannot allocate ${formatBytes(bytes)} of WebAssembly memory for the operands of a float32 GEMM (${e.message})`);
  }
}

/**
 * Float32Array views of consecutive, 64-byte-aligned regions of wasm memory, one per requested
 * length (elements). The regions are reused by the next call (and by gemmWasm): the views are
 * valid until then. Contents are not cleared.
 */
export function wasmScratch(lengths: readonly number[]): Float32Array[] {
  const runtime = requireWasmRuntime('wasmScratch');
  return scratchViews(runtime, lengths).views;
}

/** Views of consecutive aligned regions from the scratch floor (the memory grown to hold them), and where they end. */
function scratchViews(runtime: WasmRuntime, lengths: readonly number[]): { views: Float32Array[]; end: number } {
  const starts: number[] = [];
  let end = runtime.scratchFloor;
  for (const n of lengths) {
    starts.push(end);
    end = roundUp(end + 4 * n, ALIGN);
  }
  ensureBytes(runtime, end);
  const buffer = runtime.memory.buffer;
  return { views: lengths.map((n, i) => new Float32Array(buffer, starts[i]!, n)), end };
}

/**
 * wasmScratch for a background job (tasks.ts runTasksAsync): the regions stay its own until
 * releaseScratch, and wasmScratch hands out memory above them meanwhile. One reservation at a time.
 */
export function reserveScratch(lengths: readonly number[]): Float32Array[] {
  const runtime = requireWasmRuntime('reserveScratch');
  if (runtime.scratchFloor !== runtime.scratchBase) throw new Error('reserveScratch: a region is already reserved (release it first)');
  const { views, end } = scratchViews(runtime, lengths);
  runtime.scratchFloor = end;
  return views;
}

/**
 * `view` over the memory's current buffer. A shared memory that grew hands out a new, longer
 * SharedArrayBuffer over the same bytes; views made before still read and write them, but the
 * glue's checks (isWasmView) want the current one, so a reservation read after later growth is
 * re-viewed here.
 */
export function currentView(view: Float32Array): Float32Array {
  const buffer = requireWasmRuntime('currentView').memory.buffer;
  return view.buffer === buffer ? view : new Float32Array(buffer, view.byteOffset, view.length);
}

/** Ends reserveScratch's reservation: wasmScratch hands out that memory again. */
export function releaseScratch(): void {
  const runtime = requireWasmRuntime('releaseScratch');
  runtime.scratchFloor = runtime.scratchBase;
}
