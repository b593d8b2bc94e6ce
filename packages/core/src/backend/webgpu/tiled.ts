// The tiled matrix-product shader shared by the GEMM (gemm.ts) and conv (conv.ts) kernels: out =
// A·B for an M×K operand A and a K×N operand B that a kernel defines by WGSL functions reading its
// elements wherever they are (a strided view, a gathered input window: implicit GEMM, no im2col
// buffer), and a function that stores each result element.
// A workgroup of 128 invocations computes one tm×tn block of the result, each invocation a 4×4
// micro-tile held in four vec4 registers; each step of the K loop stages a tm×tk slice of A and a
// tk×tn slice of B in workgroup memory (at most 9 KiB). 128 invocations and 16 KiB are WebGPU
// compatibility mode's limits. The block is 32×64 unless M is small (an 8-channel conv, a
// matrix-vector product), where a flatter block wastes fewer rows (chooseTile).
// Each invocation stages the same A rows and B columns at every step, so a kernel splits an
// element's address into a per-row (per-column) part computed once before the loop and a per-depth
// part computed once per staged depth: a conv's window arithmetic (divisions) stays out of the
// inner loads. Every result element is one sum in a fixed order: deterministic.
import type { GpuArray } from './gpu-array.js';
import type { GpuKernel, WebGPURuntime } from './runtime.js';

/** A result block of tm×tn, its K loop staging tk depths per step. */
export interface Tile {
  readonly tm: number;
  readonly tn: number;
  readonly tk: number;
}

/** The blocks, tallest first; each has tm·tn/16 = 128 invocations. */
export const TILES: readonly Tile[] = [
  { tm: 32, tn: 64, tk: 16 },
  { tm: 16, tn: 128, tk: 16 },
  { tm: 8, tn: 256, tk: 8 },
  { tm: 4, tn: 512, tk: 4 },
];


/** WebGPU's guaranteed maxComputeWorkgroupsPerDimension: larger grids are dispatched in pieces. */
const MAX_GROUPS = 65535;

/** The block that computes the fewest padding elements of an M×N result (the tallest among equals). */
export function chooseTile(M: number, N: number): Tile {
  let best = TILES[0]!;
  let bestArea = Infinity;
  for (const tile of TILES) {
    const area = Math.ceil(M / tile.tm) * tile.tm * Math.ceil(N / tile.tn) * tile.tn;
    if (area < bestArea) [best, bestArea] = [tile, area];
  }
  return best;
}

/**
 * A product the template turns into shaders. `functions` defines, in WGSL (z is the product, k a
 * depth, r a row of A and the result, c a column of B and the result; all i32):
 * - `aRow(z, r) -> ARow`, `aDepth(z, k) -> ADepth`, `loadA(r: ARow, k: ADepth) -> f32`: A[r, k];
 * - `bDepth(z, k) -> BDepth`, `bCol(z, c) -> BCol`, `loadB(k: BDepth, c: BCol) -> f32`: B[k, c];
 * - `store(z, s, r, c, v: f32)`: result element (r, c) of product z and K split s;
 * with the four types (structs or scalars, aliased with `alias`). Loads happen only for r < M,
 * k < K, c < N; aRow, aDepth, bDepth and bCol may also be called outside (their results unused).
 */
export interface TiledProduct {
  name: string;
  /** WGSL declarations of the storage bindings 0..n-1 (the uniform struct `p` follows them). */
  bindings: string;
  /** Kernel-specific i32 members of the Params struct (after M, N, K), e.g. ['aOff', 'bOff']. */
  params: readonly string[];
  functions: string;
}

/** The shaders of one product, one per tile (made on first use). */
export class TiledShader {
  readonly #kernels = new Map<Tile, GpuKernel>();
  constructor(readonly product: TiledProduct) {}

  kernel(tile: Tile): GpuKernel {
    let kernel = this.#kernels.get(tile);
    if (kernel === undefined) {
      kernel = tiledKernel(this.product, tile);
      this.#kernels.set(tile, kernel);
    }
    return kernel;
  }
}

function tiledKernel(product: TiledProduct, { tm, tn, tk }: Tile): GpuKernel {
  const members = ['M', 'N', 'K', ...product.params, 'splits', 'kChunk', 'rowBase', 'colBase', 'zBase'];
  // Invocation (tx, ty) computes rows 4ty..4ty+3 and columns 4tx..4tx+3 of the block.
  const wx = tn / 4;
  const wy = tm / 4;
  // Staging: vec4 e of the A slice is rows 4(e % wy).. at depth e / wy; of the B slice columns
  // 4(e % wx).. at depth e / wx. Invocation t stages e = t + 128h: its rows and columns never change.
  const aVecs = (tk * tm) / 4;
  const bVecs = (tk * tn) / 4;
  const INVOCATIONS = wx * wy;
  const stage = (vecs: number, body: (h: number) => string): string =>
    Array.from({ length: Math.ceil(vecs / INVOCATIONS) }, (_, h) => (vecs >= INVOCATIONS * (h + 1) ? body(h) : `if (t < ${vecs - INVOCATIONS * h}) {${body(h)}}`)).join('\n    ');
  const code = /* wgsl */ `
${product.bindings}
struct Params { ${members.map((m) => `${m}: i32,`).join(' ')} }
@group(0) @binding(${product.bindings.split('@binding').length - 1}) var<uniform> p: Params;

// As[k·${wy} + i] holds rows 4i..4i+3 of the A slice at depth k; Bs[k·${wx} + j] columns 4j..4j+3 of B.
var<workgroup> As: array<vec4<f32>, ${aVecs}>;
var<workgroup> Bs: array<vec4<f32>, ${bVecs}>;

${product.functions}

fn storeRow(z: i32, s: i32, r: i32, c: i32, v: vec4<f32>) {
  if (r >= p.M) { return; }
  if (c < p.N) { store(z, s, r, c, v.x); }
  if (c + 1 < p.N) { store(z, s, r, c + 1, v.y); }
  if (c + 2 < p.N) { store(z, s, r, c + 2, v.z); }
  if (c + 3 < p.N) { store(z, s, r, c + 3, v.w); }
}

@compute @workgroup_size(${wx}, ${wy})
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let zs = i32(wg.z) + p.zBase;
  let z = zs / p.splits;
  let s = zs % p.splits;
  let m0 = (i32(wg.y) + p.rowBase) * ${tm};
  let n0 = (i32(wg.x) + p.colBase) * ${tn};
  let t = i32(li);
  let ar = m0 + (t % ${wy}) * 4;
  let bc = n0 + (t % ${wx}) * 4;
  ${[0, 1, 2, 3].map((j) => `let a${j} = aRow(z, ar + ${j});`).join('\n  ')}
  ${[0, 1, 2, 3].map((j) => `let b${j} = bCol(z, bc + ${j});`).join('\n  ')}
  let kBegin = s * p.kChunk;
  let kEnd = min(p.K, kBegin + p.kChunk);
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var k0 = kBegin; k0 < kEnd; k0 += ${tk}) {
    ${stage(aVecs, (h) => `{
      let k = k0 + t / ${wy} + ${(h * INVOCATIONS) / wy};
      var v = vec4<f32>(0.0);
      if (k < kEnd) {
        let d = aDepth(z, k);
        ${[0, 1, 2, 3].map((j) => `if (ar + ${j} < p.M) { v[${j}] = loadA(a${j}, d); }`).join('\n        ')}
      }
      As[t + ${h * INVOCATIONS}] = v;
    }`)}
    ${stage(bVecs, (h) => `{
      let k = k0 + t / ${wx} + ${(h * INVOCATIONS) / wx};
      var v = vec4<f32>(0.0);
      if (k < kEnd) {
        let d = bDepth(z, k);
        ${[0, 1, 2, 3].map((j) => `if (bc + ${j} < p.N) { v[${j}] = loadB(d, b${j}); }`).join('\n        ')}
      }
      Bs[t + ${h * INVOCATIONS}] = v;
    }`)}
    workgroupBarrier();
    for (var k = 0; k < ${tk}; k++) {
      let a = As[k * ${wy} + i32(lid.y)];
      let b = Bs[k * ${wx} + i32(lid.x)];
      acc0 += a.x * b;
      acc1 += a.y * b;
      acc2 += a.z * b;
      acc3 += a.w * b;
    }
    workgroupBarrier();
  }
  let r = m0 + i32(lid.y) * 4;
  let c = n0 + i32(lid.x) * 4;
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
  /** Default: chooseTile(M, N). */
  tile?: Tile;
}

/**
 * Runs `shader` over every block of `products` M×N results (and K splits), in as many dispatches
 * as gridPieces says.
 */
export function runTiled(runtime: WebGPURuntime, shader: TiledShader, arrays: readonly GpuArray[], d: TiledDispatch): void {
  const tile = d.tile ?? chooseTile(d.M, d.N);
  const kernel = shader.kernel(tile);
  const splits = d.splits ?? 1;
  const kChunk = splits === 1 ? Math.max(d.K, 1) : Math.ceil(d.K / splits / tile.tk) * tile.tk;
  for (const { first, count } of gridPieces([Math.ceil(d.N / tile.tn), Math.ceil(d.M / tile.tm), d.products * splits])) {
    runtime.run(kernel, arrays, [d.M, d.N, d.K, ...d.params, splits, kChunk, first[1], first[0], first[2]], count);
  }
}

/** One dispatch of a grid: its first workgroup and its workgroup counts, per dimension. */
export interface GridPiece {
  first: [number, number, number];
  count: [number, number, number];
}

/**
 * A grid of `size` workgroups (x, y, z) cut into dispatches of at most `max` per dimension
 * (WebGPU guarantees 65535); an empty grid is no dispatch.
 */
export function gridPieces(size: readonly [number, number, number], max = MAX_GROUPS): GridPiece[] {
  const starts = (n: number): number[] => Array.from({ length: Math.ceil(n / max) }, (_, i) => i * max);
  const pieces: GridPiece[] = [];
  for (const z of starts(size[2])) {
    for (const y of starts(size[1])) {
      for (const x of starts(size[0])) {
        pieces.push({ first: [x, y, z], count: [Math.min(max, size[0] - x), Math.min(max, size[1] - y), Math.min(max, size[2] - z)] });
      }
    }
  }
  return pieces;
}
