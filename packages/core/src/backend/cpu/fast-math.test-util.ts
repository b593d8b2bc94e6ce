// Seeded float32 products that run through the WebAssembly GEMM (directly and inside conv2d and
// matmul, forward and backward), hashed: fast-math.test.ts compares their bits in the default mode
// with hashes recorded before fast math existed, and (in a child process with relaxed SIMD) compares
// fast mode's values with the default's. Shapes cover K past one packing block, edge tiles,
// transposed operands, accumulation into C, and products large enough to split across threads.
import { createHash } from 'node:crypto';
import { fillTensor } from '../../testing/arbitraries.js';
import { conv2d, matmul, type Tensor, vjp } from '../../index.js';
import { gemmWasm } from './wasm/gemm.js';

export interface Products {
  /** Each product's values by name. */
  values: Record<string, Float32Array>;
  /** SHA-256 (first 16 hex digits) of each product's bytes. */
  hashes: Record<string, string>;
}

const seeded = (shape: number[], seed: number): Tensor => fillTensor(shape, seed, { dtype: 'float32', min: -1, max: 1 });
const floats = (length: number, seed: number): Float32Array => seeded([length], seed).data as Float32Array;

/** C (+)= A·B through gemmWasm; A or B stored transposed when asked; C starts seeded when accumulating. */
function gemmProduct(M: number, N: number, K: number, seed: number, { transA = false, transB = false, accumulate = false } = {}): Float32Array {
  const A = { data: floats(M * K, seed), offset: 0, rowStride: transA ? 1 : K, colStride: transA ? M : 1 };
  const B = { data: floats(K * N, seed + 1), offset: 0, rowStride: transB ? 1 : N, colStride: transB ? K : 1 };
  const C = accumulate ? floats(M * N, seed + 2) : new Float32Array(M * N);
  gemmWasm(M, N, K, A, B, C, 0, accumulate);
  return C;
}

/** Output and input/filter gradients of a float32 conv2d (bias-free) against a seeded dy. */
function convProducts(x: Tensor, w: Tensor, padding: number, seed: number): Float32Array[] {
  const [y, pullback] = vjp((a: Tensor, b: Tensor) => conv2d(a, b, null, { padding }), x, w);
  const [dx, dw] = pullback(seeded([...y.shape], seed));
  return [y, dx!, dw!].map((t) => t.data as Float32Array);
}

export function fastMathProducts(): Products {
  const values: Record<string, Float32Array> = {
    'gemm 64x72x300': gemmProduct(64, 72, 300, 1),
    'gemm 37x29x53 A^T accumulate': gemmProduct(37, 29, 53, 4, { transA: true, accumulate: true }),
    'gemm 96x130x40 B^T': gemmProduct(96, 130, 40, 7, { transB: true }),
    'gemm 256x256x256': gemmProduct(256, 256, 256, 10),
    'matmul 64x100x50': matmul(seeded([64, 100], 13), seeded([100, 50], 14)).data as Float32Array,
  };
  const [y3, dx3, dw3] = convProducts(seeded([8, 16, 14, 14], 20), seeded([32, 16, 3, 3], 21), 1, 22);
  const [y1, dx1, dw1] = convProducts(seeded([4, 32, 12, 12], 23), seeded([48, 32, 1, 1], 24), 0, 25);
  Object.assign(values, { 'conv3x3 y': y3, 'conv3x3 dx': dx3, 'conv3x3 dw': dw3, 'conv1x1 y': y1, 'conv1x1 dx': dx1, 'conv1x1 dw': dw1 });
  const hashes: Record<string, string> = {};
  for (const [name, v] of Object.entries(values)) {
    hashes[name] = createHash('sha256').update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)).digest('hex').slice(0, 16);
  }
  return { values, hashes };
}
