// The tiled matrix-product shader shared by the GEMM (gemm.ts) and conv (conv.ts) kernels: out =
// A·B for an M×K operand A and a K×N operand B that a kernel defines by WGSL functions reading its
// elements wherever they are (a strided view, a gathered input window: implicit GEMM, no im2col
// buffer), and a function that stores each result element. One workgroup of 16×8 invocations
// computes a 32×64 block of the result, each invocation a 4×4 micro-tile held in four vec4
// registers; the K loop stages a 32×16 slice of A and a 16×64 slice of B in workgroup memory (6 KiB)
// per step. 128 invocations and 6 KiB stay within WebGPU compatibility mode's limits (128
// invocations, 16 KiB). Every element of a product is one sum in a fixed order: deterministic.
import { DTypeError, DeviceError } from '../../errors.js';
import type { KernelArray } from '../storage.js';
import { GpuArray } from './gpu-array.js';
import type { GpuKernel, WebGPURuntime } from './runtime.js';

/** Rows and columns of the result block of one workgroup, and the depth of a staged K slice. */
export const TILE_M = 32;
export const TILE_N = 64;
export const TILE_K = 16;

/** WebGPU's guaranteed maxComputeWorkgroupsPerDimension: larger grids are dispatched in pieces. */
const MAX_GROUPS = 65535;

/** A product the template turns into a shader. */
export interface TiledProduct {
  name: string;
  /** WGSL declarations of the storage bindings 0..n-1 (the uniform struct `p` follows them). */
  bindings: string;
  /** Kernel-specific i32 members of the Params struct (after M, N, K), e.g. ['aOff', 'bOff']. */
  params: readonly string[];
  /**
   * WGSL functions `loadA(z: i32, r: i32, k: i32) -> f32`, `loadB(z: i32, k: i32, c: i32) -> f32`
   * (called only for r < M, k < K, c < N) and `store(z: i32, s: i32, r: i32, c: i32, v: f32)`
   * (for each r < M, c < N of product z and K split s), plus any helpers they use.
   */
  functions: string;
}

/** The WGSL of a tiled product: dispatched as [column blocks, row blocks, products·splits]. */
export function tiledKernel(product: TiledProduct): GpuKernel {
  const members = ['M', 'N', 'K', ...product.params, 'splits', 'kChunk', 'rowBase', 'colBase', 'zBase'];
  const code = /* wgsl */ `
${product.bindings}
struct Params { ${members.map((m) => `${m}: i32,`).join(' ')} }
@group(0) @binding(${product.bindings.split('@binding').length - 1}) var<uniform> p: Params;

// As[k·8 + i] holds rows 4i..4i+3 of the A slice at depth k; Bs[k·16 + j] columns 4j..4j+3 of B.
var<workgroup> As: array<vec4<f32>, ${(TILE_K * TILE_M) / 4}>;
var<workgroup> Bs: array<vec4<f32>, ${(TILE_K * TILE_N) / 4}>;

${product.functions}

fn aAt(z: i32, r: i32, k: i32, kEnd: i32) -> f32 {
  if (r < p.M && k < kEnd) { return loadA(z, r, k); }
  return 0.0;
}

fn bAt(z: i32, k: i32, c: i32, kEnd: i32) -> f32 {
  if (c < p.N && k < kEnd) { return loadB(z, k, c); }
  return 0.0;
}

fn storeRow(z: i32, s: i32, r: i32, c: i32, v: vec4<f32>) {
  if (r >= p.M) { return; }
  if (c < p.N) { store(z, s, r, c, v.x); }
  if (c + 1 < p.N) { store(z, s, r, c + 1, v.y); }
  if (c + 2 < p.N) { store(z, s, r, c + 2, v.z); }
  if (c + 3 < p.N) { store(z, s, r, c + 3, v.w); }
}

@compute @workgroup_size(16, 8)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let zs = i32(wg.z) + p.zBase;
  let z = zs / p.splits;
  let s = zs % p.splits;
  let m0 = (i32(wg.y) + p.rowBase) * ${TILE_M};
  let n0 = (i32(wg.x) + p.colBase) * ${TILE_N};
  let t = i32(li);
  let tx = i32(lid.x);
  let ty = i32(lid.y);
  // What this invocation stages: 4 rows of A at one depth, 4 columns of B at two depths.
  let ar = m0 + (t & 7) * 4;
  let ak = t >> 3;
  let bc = n0 + (t & 15) * 4;
  let bk = t >> 4;
  let kBegin = s * p.kChunk;
  let kEnd = min(p.K, kBegin + p.kChunk);
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var k0 = kBegin; k0 < kEnd; k0 += ${TILE_K}) {
    let ka = k0 + ak;
    As[t] = vec4<f32>(aAt(z, ar, ka, kEnd), aAt(z, ar + 1, ka, kEnd), aAt(z, ar + 2, ka, kEnd), aAt(z, ar + 3, ka, kEnd));
    for (var h = 0; h < 2; h++) {
      let kb = k0 + bk + 8 * h;
      Bs[t + 128 * h] = vec4<f32>(bAt(z, kb, bc, kEnd), bAt(z, kb, bc + 1, kEnd), bAt(z, kb, bc + 2, kEnd), bAt(z, kb, bc + 3, kEnd));
    }
    workgroupBarrier();
    for (var k = 0; k < ${TILE_K}; k++) {
      let a = As[k * 8 + ty];
      let b = Bs[k * 16 + tx];
      acc0 += a.x * b;
      acc1 += a.y * b;
      acc2 += a.z * b;
      acc3 += a.w * b;
    }
    workgroupBarrier();
  }
  let r = m0 + ty * 4;
  let c = n0 + tx * 4;
  storeRow(z, s, r, c, acc0);
  storeRow(z, s, r + 1, c, acc1);
  storeRow(z, s, r + 2, c, acc2);
  storeRow(z, s, r + 3, c, acc3);
}
`;
  return { name: product.name, code, paramTypes: members.map(() => 'i32').join(',') };
}

/** The shape of one dispatch of a tiled kernel. */
export interface TiledDispatch {
  M: number;
  N: number;
  K: number;
  /** Values of the kernel's own params, in order. */
  params: readonly number[];
  /** Independent products (batch entries, groups). */
  products: number;
  /** K is cut into this many consecutive chunks, product z's chunk s stored as split s (default 1). */
  splits?: number;
}

/**
 * Runs `kernel` over every 32×64 block of `products` M×N results (and K splits); grids beyond
 * 65535 workgroups in a dimension are dispatched in pieces, each told its first block.
 */
export function runTiled(runtime: WebGPURuntime, kernel: GpuKernel, arrays: readonly GpuArray[], d: TiledDispatch): void {
  const splits = d.splits ?? 1;
  const kChunk = splits === 1 ? Math.max(d.K, 1) : Math.ceil(d.K / splits / TILE_K) * TILE_K;
  const rows = Math.ceil(d.M / TILE_M);
  const cols = Math.ceil(d.N / TILE_N);
  const zs = d.products * splits;
  for (let z0 = 0; z0 < zs; z0 += MAX_GROUPS) {
    for (let r0 = 0; r0 < rows; r0 += MAX_GROUPS) {
      for (let c0 = 0; c0 < cols; c0 += MAX_GROUPS) {
        const params = [d.M, d.N, d.K, ...d.params, splits, kChunk, r0, c0, z0];
        runtime.run(kernel, arrays, params, [Math.min(MAX_GROUPS, cols - c0), Math.min(MAX_GROUPS, rows - r0), Math.min(MAX_GROUPS, zs - z0)]);
      }
    }
  }
}

/** A float32 GpuArray operand or output of `op`, else a DeviceError or DTypeError naming `name`. */
export function float32Array(op: string, name: string, a: KernelArray): GpuArray {
  if (!(a instanceof GpuArray)) {
    const what = ArrayBuffer.isView(a) ? `a CPU ${a.constructor.name}` : `a '${a.device}' array`;
    throw new DeviceError(`${op}: the WebGPU backend got ${what} as ${name}; move the tensor with .to('webgpu') first`);
  }
  if (a.dtype !== 'float32') throw new DTypeError(`${op}: ${name} must be float32 on WebGPU, got ${a.dtype}`);
  return a;
}
