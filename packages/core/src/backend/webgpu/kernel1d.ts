// The one way the WebGPU backend declares and launches a kernel of one invocation per element
// (elementwise maps, copies, gathers, optimizer updates, per-element pooling and normalisation).
// Every such kernel has the same entry point: a linear index over a grid that wraps into a second
// dimension past 65535 workgroups (workgroups1d), and an early return past the element count, so
// the grid and the shader cannot disagree about the workgroup size or how the index is formed.
import type { GpuArray } from './gpu-array.js';
import { type GpuKernel, webgpuRuntime, workgroups1d } from './runtime.js';

/** Invocations per workgroup of every 1-D kernel (64 fits every adapter's limits). */
export const WORKGROUP_1D = 64;

/**
 * The WGSL entry point `main` of a 1-D kernel: `let <index>` is the invocation's linear index over
 * a grid1d grid, invocations at or past `count` (a WGSL expression) return, the others run `body`.
 */
export function entry1d(index: string, count: string, body: string): string {
  return `@compute @workgroup_size(${WORKGROUP_1D})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let ${index} = gid.x + gid.y * (nwg.x * ${WORKGROUP_1D}u);
  if (${index} >= ${count}) { return; }
${body}
}`;
}

/** The workgroups for n invocations of an entry1d kernel. */
export function grid1d(n: number): [number, number] {
  return workgroups1d(n, WORKGROUP_1D);
}

/** What kernel1d makes a shader of. */
export interface Kernel1dSpec {
  /** Names the kernel in errors. */
  readonly name: string;
  /**
   * The storage bindings as WGSL declarations without their attributes and semicolon
   * ('var<storage, read> x: array<f32>'), bound in order: arrays[k] of launch1d at binding k.
   */
  readonly bindings: readonly string[];
  /** Params struct members after the element count `n: u32` ('inner: u32, eps: f32'). */
  readonly params?: string;
  /** The WGSL types of those members, comma-separated; default: all u32. */
  readonly paramTypes?: string;
  /** Module-scope WGSL the body calls (helper functions). */
  readonly functions?: string;
  /** The name of the element index in `body`; default 'i'. */
  readonly index?: string;
  /** The statements run for each index below p.n. */
  readonly body: string;
}

/** A shader made by kernel1d: only launch1d knows its grid. */
export interface Kernel1d extends GpuKernel {
  readonly grid: '1d';
}

/** A 1-D kernel: bindings, then `struct Params { n: u32, ... }` as `p` at the next binding, then `functions` and main. */
export function kernel1d(spec: Kernel1dSpec): Kernel1d {
  const declared = spec.bindings.map((b, k) => `@group(0) @binding(${k}) ${b};`).join('\n');
  const code = `${declared}
struct Params { n: u32${spec.params === undefined ? '' : `, ${spec.params}`} }
@group(0) @binding(${spec.bindings.length}) var<uniform> p: Params;
${spec.functions === undefined ? '' : `${spec.functions}\n`}${entry1d(spec.index ?? 'i', 'p.n', spec.body)}`;
  const kernel = { name: spec.name, code, grid: '1d' as const };
  return spec.paramTypes === undefined ? kernel : { ...kernel, paramTypes: `u32,${spec.paramTypes}` };
}

/** Runs `kernel` over n elements: arrays bound in order, params after n (nothing runs for n = 0). */
export function launch1d(kernel: Kernel1d, arrays: readonly GpuArray[], n: number, params: readonly number[] = []): void {
  webgpuRuntime().run(kernel, arrays, [n, ...params], grid1d(n));
}
