// Float32 SGEMM for WebAssembly SIMD: C[M×N] (+)= A[M×K] · B[K×N].
// GotoBLAS structure: the K×N operand is packed block by block (KC×NC) into NR-wide column
// panels, the M×K operand into MR-tall row panels (MC×KC), and a 4×8 register tile
// (8 f32x4 accumulators, broadcast A, multiply-add B vectors) sweeps the packed blocks.
// 4×8 keeps 8 accumulators + 2 B vectors + 1 A splat in V8's 15 usable v128 registers;
// larger tiles or an unrolled k loop spill. Panels are zero-padded, so edge tiles run the
// same kernel and only their write-back is partial.
// All pointers are byte addresses in linear memory; strides are in elements (f32) and may
// describe transposed operands (row stride 1). C is row-major with row stride ldc.
// Compiled twice (scripts/build-wasm.mjs): the default build multiplies and adds with two
// roundings; the relaxed-SIMD build (setFastMath) fuses them where the hardware can (see madd).

const MR: i32 = 4;
const NR: i32 = 8;
const MC: i32 = 120;
const KC: i32 = 256;
const NC: i32 = 4096;

const PACK_A_BYTES: usize = <usize>(MC * KC) << 2;
const PACK_B_BYTES: usize = <usize>(KC * NC) << 2;
const TILE_BYTES: usize = <usize>(MR * NR) << 2;

/** Bytes of scratch `gemm` needs at `work` (packed panels and an edge tile), 16-byte aligned. */
export function workspaceBytes(): i32 {
  return <i32>(PACK_A_BYTES + PACK_B_BYTES + TILE_BYTES);
}

/** First byte free for the host: linear memory below it may hold static data. */
export function heapBase(): i32 {
  return <i32>__heap_base;
}

@inline function addr(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}

/** Packs rows [0, mc) × columns [0, kc) of A (strides rs, cs) into MR-row panels: panel p holds,
 *  for each k, the MR values A[p·MR + r][k]; rows past mc are zero. */
function packA(src: usize, rs: i32, cs: i32, mc: i32, kc: i32, dst: usize): void {
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const rows = min(MR, mc - i0);
    if (rows == MR && rs == 1) {
      // Columns of A are contiguous (A given transposed): one vector per k.
      for (let k = 0; k < kc; k++) {
        v128.store(dst, v128.load(addr(src, i0 + k * cs)));
        dst += 16;
      }
    } else if (rows == MR) {
      const r0 = addr(src, i0 * rs);
      const r1 = addr(src, (i0 + 1) * rs);
      const r2 = addr(src, (i0 + 2) * rs);
      const r3 = addr(src, (i0 + 3) * rs);
      for (let k = 0; k < kc; k++) {
        const off = <usize>(k * cs) << 2;
        store<f32>(dst, load<f32>(r0 + off));
        store<f32>(dst, load<f32>(r1 + off), 4);
        store<f32>(dst, load<f32>(r2 + off), 8);
        store<f32>(dst, load<f32>(r3 + off), 12);
        dst += 16;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        for (let r = 0; r < MR; r++) {
          store<f32>(dst, r < rows ? load<f32>(addr(src, (i0 + r) * rs + k * cs)) : 0);
          dst += 4;
        }
      }
    }
  }
}

/** Packs rows [0, kc) × columns [0, nc) of B (strides rs, cs) into NR-column panels: panel q
 *  holds, for each k, the NR values B[k][q·NR + j]; columns past nc are zero. */
function packB(src: usize, rs: i32, cs: i32, kc: i32, nc: i32, dst: usize): void {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const cols = min(NR, nc - j0);
    if (cols == NR && cs == 1) {
      for (let k = 0; k < kc; k++) {
        const p = addr(src, k * rs + j0);
        v128.store(dst, v128.load(p));
        v128.store(dst, v128.load(p, 16), 16);
        dst += 32;
      }
    } else if (cols == NR && rs == 1) {
      // B given transposed: its columns are contiguous in k. Read 4 k at a time from each of the
      // 8 columns and transpose 4×4 blocks in registers.
      const c0 = addr(src, j0 * cs);
      const cstep = <usize>cs << 2;
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        const p = c0 + (<usize>k << 2);
        const x0 = v128.load(p);
        const x1 = v128.load(p + cstep);
        const x2 = v128.load(p + 2 * cstep);
        const x3 = v128.load(p + 3 * cstep);
        const x4 = v128.load(p + 4 * cstep);
        const x5 = v128.load(p + 5 * cstep);
        const x6 = v128.load(p + 6 * cstep);
        const x7 = v128.load(p + 7 * cstep);
        // rows of the 4×4 transposes: t_k = (x0[k], x1[k], x2[k], x3[k])
        const lo01 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5);
        const hi01 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7);
        const lo23 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
        const hi23 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
        const lo45 = v128.shuffle<f32>(x4, x5, 0, 4, 1, 5);
        const hi45 = v128.shuffle<f32>(x4, x5, 2, 6, 3, 7);
        const lo67 = v128.shuffle<f32>(x6, x7, 0, 4, 1, 5);
        const hi67 = v128.shuffle<f32>(x6, x7, 2, 6, 3, 7);
        v128.store(dst, v128.shuffle<f64>(lo01, lo23, 0, 2));
        v128.store(dst, v128.shuffle<f64>(lo45, lo67, 0, 2), 16);
        v128.store(dst, v128.shuffle<f64>(lo01, lo23, 1, 3), 32);
        v128.store(dst, v128.shuffle<f64>(lo45, lo67, 1, 3), 48);
        v128.store(dst, v128.shuffle<f64>(hi01, hi23, 0, 2), 64);
        v128.store(dst, v128.shuffle<f64>(hi45, hi67, 0, 2), 80);
        v128.store(dst, v128.shuffle<f64>(hi01, hi23, 1, 3), 96);
        v128.store(dst, v128.shuffle<f64>(hi45, hi67, 1, 3), 112);
        dst += 128;
      }
      for (; k < kc; k++) {
        const p = c0 + (<usize>k << 2);
        for (let j = 0; j < NR; j++) {
          store<f32>(dst, load<f32>(p + <usize>j * cstep));
          dst += 4;
        }
      }
    } else {
      for (let k = 0; k < kc; k++) {
        for (let j = 0; j < NR; j++) {
          store<f32>(dst, j < cols ? load<f32>(addr(src, k * rs + (j0 + j) * cs)) : 0);
          dst += 4;
        }
      }
    }
  }
}

/**
 * acc + a·b. Default build: the product is rounded, then the sum (bit-exact everywhere). Relaxed-SIMD
 * build: f32x4.relaxed_madd, one rounding where the hardware fuses (FMA), else the same two; so its
 * bits depend on the machine. ASC_FEATURE_RELAXED_SIMD is a compile-time constant: each build holds
 * only its own branch.
 */
@inline function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/** C[mr×nr] (+)= packed A panel (kc×MR) · packed B panel (kc×NR). `ldcBytes` is C's row stride. */
@inline function microKernel(a: usize, b: usize, kc: i32, c: usize, ldcBytes: usize, add: bool, mr: i32, nr: i32, tile: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let av = v128.load32_splat(a);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = v128.load32_splat(a, 4);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    av = v128.load32_splat(a, 8);
    c20 = madd(av, b0, c20);
    c21 = madd(av, b1, c21);
    av = v128.load32_splat(a, 12);
    c30 = madd(av, b0, c30);
    c31 = madd(av, b1, c31);
    a += 16;
    b += 32;
  }
  if (mr == MR && nr == NR) {
    const r1 = c + ldcBytes, r2 = r1 + ldcBytes, r3 = r2 + ldcBytes;
    if (add) {
      c00 = f32x4.add(c00, v128.load(c));
      c01 = f32x4.add(c01, v128.load(c, 16));
      c10 = f32x4.add(c10, v128.load(r1));
      c11 = f32x4.add(c11, v128.load(r1, 16));
      c20 = f32x4.add(c20, v128.load(r2));
      c21 = f32x4.add(c21, v128.load(r2, 16));
      c30 = f32x4.add(c30, v128.load(r3));
      c31 = f32x4.add(c31, v128.load(r3, 16));
    }
    v128.store(c, c00);
    v128.store(c, c01, 16);
    v128.store(r1, c10);
    v128.store(r1, c11, 16);
    v128.store(r2, c20);
    v128.store(r2, c21, 16);
    v128.store(r3, c30);
    v128.store(r3, c31, 16);
  } else {
    v128.store(tile, c00);
    v128.store(tile, c01, 16);
    v128.store(tile, c10, 32);
    v128.store(tile, c11, 48);
    v128.store(tile, c20, 64);
    v128.store(tile, c21, 80);
    v128.store(tile, c30, 96);
    v128.store(tile, c31, 112);
    for (let r = 0; r < mr; r++) {
      const row = c + <usize>r * ldcBytes;
      const t = tile + (<usize>(r * NR) << 2);
      for (let j = 0; j < nr; j++) {
        const p = row + (<usize>j << 2);
        const v = load<f32>(t + (<usize>j << 2));
        store<f32>(p, add ? load<f32>(p) + v : v);
      }
    }
  }
}

/** Splits n into ceil(n / max) nearly equal blocks, each a multiple of `unit` except the last
 *  (max must be a multiple of unit, so no block exceeds max). */
@inline function blockSize(n: i32, max: i32, unit: i32): i32 {
  const blocks = (n + max - 1) / max;
  const size = (n + blocks - 1) / blocks;
  return ((size + unit - 1) / unit) * unit;
}

/**
 * C (+)= A·B for float32 matrices in linear memory. A is M×K with element (i, k) at
 * a + 4·(i·aRs + k·aCs); B is K×N with element (k, j) at b + 4·(k·bRs + j·bCs); C is M×N at c with
 * row stride ldc (elements). accumulate = 0 overwrites C. `work` must point to
 * workspaceBytes() bytes of 16-byte-aligned scratch not overlapping the operands.
 */
export function gemm(M: i32, N: i32, K: i32, a: usize, aRs: i32, aCs: i32, b: usize, bRs: i32, bCs: i32, c: usize, ldc: i32, accumulate: i32, work: usize): void {
  gemmBlocks(M, N, K, a, aRs, aCs, false, b, bRs, bCs, c, ldc, accumulate, work);
}

/**
 * gemm with A already packed by packGemmA(M, K, …, pa): the same products and sums, so the same
 * bits, without packing A again. For many products with one A (a conv's filter against each
 * task's columns or transformed tiles), where packing A would cost as much as a small product.
 */
export function gemmPackedA(M: i32, N: i32, K: i32, pa: usize, b: usize, bRs: i32, bCs: i32, c: usize, ldc: i32, accumulate: i32, work: usize): void {
  gemmBlocks(M, N, K, pa, 0, 0, true, b, bRs, bCs, c, ldc, accumulate, work);
}

/**
 * Packs A (M×K, strides aRs, aCs) at dst the way gemm packs it block by block, all blocks one
 * after another: block (pc, ic) (the K block from column pc, the M block from row ic) at float
 * pc·roundUp(M, 4) + ic·kc. dst needs roundUp(M, 4)·K floats (packedALength).
 */
export function packGemmA(M: i32, K: i32, a: usize, aRs: i32, aCs: i32, dst: usize): void {
  if (M <= 0 || K <= 0) return;
  const kcMax = blockSize(K, KC, 1);
  const mcMax = blockSize(M, MC, MR);
  for (let pc = 0; pc < K; pc += kcMax) {
    const kc = min(kcMax, K - pc);
    for (let ic = 0; ic < M; ic += mcMax) {
      packA(addr(a, ic * aRs + pc * aCs), aRs, aCs, min(mcMax, M - ic), kc, packedABlock(dst, M, pc, ic, kc));
    }
  }
}

/** Where packGemmA puts block (pc, ic) of A (kc deep) in `packed`: the one statement of that layout. */
@inline function packedABlock(packed: usize, M: i32, pc: i32, ic: i32, kc: i32): usize {
  const mPad = (M + MR - 1) / MR * MR;
  return packed + (<usize>(pc * mPad + ic * kc) << 2);
}

@inline function gemmBlocks(M: i32, N: i32, K: i32, a: usize, aRs: i32, aCs: i32, packedA: bool, b: usize, bRs: i32, bCs: i32, c: usize, ldc: i32, accumulate: i32, work: usize): void {
  if (M <= 0 || N <= 0) return;
  const ldcBytes = <usize>ldc << 2;
  if (K <= 0) {
    if (accumulate == 0) {
      for (let i = 0; i < M; i++) memory.fill(c + <usize>i * ldcBytes, 0, <usize>N << 2);
    }
    return;
  }
  const pb = work + PACK_A_BYTES;
  const tile = pb + PACK_B_BYTES;
  const kcMax = blockSize(K, KC, 1);
  const mcMax = blockSize(M, MC, MR);
  const ncMax = blockSize(N, NC, NR);
  for (let jc = 0; jc < N; jc += ncMax) {
    const nc = min(ncMax, N - jc);
    for (let pc = 0; pc < K; pc += kcMax) {
      const kc = min(kcMax, K - pc);
      packB(addr(b, pc * bRs + jc * bCs), bRs, bCs, kc, nc, pb);
      const add = accumulate != 0 || pc > 0;
      for (let ic = 0; ic < M; ic += mcMax) {
        const mc = min(mcMax, M - ic);
        let pa = work;
        if (packedA) pa = packedABlock(a, M, pc, ic, kc);
        else packA(addr(a, ic * aRs + pc * aCs), aRs, aCs, mc, kc, pa);
        const cBlock = c + <usize>ic * ldcBytes + (<usize>jc << 2);
        const aStep = <usize>(kc * MR) << 2;
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bPanel = pb + (<usize>(jr * kc) << 2);
          let aPanel = pa;
          let cTile = cBlock + (<usize>jr << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            microKernel(aPanel, bPanel, kc, cTile, ldcBytes, add, min(MR, mc - ir), nr, tile);
            aPanel += aStep;
            cTile += ldcBytes * MR;
          }
        }
      }
    }
  }
}
