// Normalization kernels (batchNorm / layerNorm, see src/ops/norm/normalize.ts) for WebAssembly
// SIMD. x is float32 viewed as [outer, groups, inner]; per-group values (mean, scales, sums)
// are float64 arrays. Sums accumulate in float64 (four f64x2 accumulators, promoted from
// f32x4 loads), like the TypeScript kernels they replace for float32 (src/backend/cpu/norm.ts).
// Each kernel works on a range of runs (run r = (o, c) with c = r % groups: `inner` contiguous
// floats), so the caller can stream x through a small scratch a chunk of runs at a time; the
// per-group sums live in memory between calls and every group still adds its runs in increasing
// o, each run as one runSum, as one whole-array loop would. x, g and y point at run r0.
// All pointers are byte addresses in linear memory.

// The two floats at p + offset as f64x2. Loaded 8 bytes at a time rather than as a vector whose
// high half is shuffled down: V8 folds the load into the conversion (cvtps2pd xmm, m64), where a
// shuffle and a register conversion both take the one shuffle port.
@inline
function promoteTwo(p: usize, offset: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p + offset));
}

// Σ over n floats at p, and Σ (x − mu)² when `squares`.
@inline
function runSum(p: usize, n: i32, mu: f64, squares: bool): f64 {
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let a2 = f64x2.splat(0);
  let a3 = f64x2.splat(0);
  const m = f64x2.splat(mu);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const q = p + (<usize>i << 2);
    let v0 = promoteTwo(q, 0);
    let v1 = promoteTwo(q, 8);
    let w0 = promoteTwo(q, 16);
    let w1 = promoteTwo(q, 24);
    if (squares) {
      v0 = f64x2.sub(v0, m);
      v1 = f64x2.sub(v1, m);
      w0 = f64x2.sub(w0, m);
      w1 = f64x2.sub(w1, m);
      a0 = f64x2.add(a0, f64x2.mul(v0, v0));
      a1 = f64x2.add(a1, f64x2.mul(v1, v1));
      a2 = f64x2.add(a2, f64x2.mul(w0, w0));
      a3 = f64x2.add(a3, f64x2.mul(w1, w1));
    } else {
      a0 = f64x2.add(a0, v0);
      a1 = f64x2.add(a1, v1);
      a2 = f64x2.add(a2, w0);
      a3 = f64x2.add(a3, w1);
    }
  }
  const a = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
  let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  for (; i < n; i++) {
    const d = <f64>load<f32>(p + (<usize>i << 2)) - (squares ? mu : 0);
    s += squares ? d * d : d;
  }
  return s;
}

@inline
function f64At(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

/**
 * Each run's own moments, for runs = `runs` consecutive runs of `inner` floats at x:
 * out[2j] = Σ x and out[2j + 1] = Σ (x − Σx/inner)² over run j. One read of x gives both (the
 * run is in cache for the second sum); the caller adds the sums per group in run order for the
 * mean and combines the second moments about the runs' means into the group's variance.
 */
export function normRunMoments(x: usize, runs: i32, inner: i32, out: usize): void {
  for (let j = 0; j < runs; j++) {
    const p = x + (<usize>(j * inner) << 2);
    const s = runSum(p, inner, 0, false);
    const o = out + (<usize>j << 4);
    store<f64>(o, s);
    store<f64>(o, runSum(p, inner, s / <f64>inner, true), 8);
  }
}

/**
 * y = a·g + b·(x − mean) + k per group over runs [r0, r0 + runs), in float32 arithmetic.
 * Forward: g = 0 (no gradient operand; a is ignored), b the scale and k the shift. Backward:
 * dx = s·g + t·(x − μ) + k.
 */
export function normCombine(g: usize, x: usize, y: usize, r0: i32, runs: i32, groups: i32, inner: i32, mean: usize, a: usize, b: usize, k: usize): void {
  for (let j = 0; j < runs; j++) {
    const c = (r0 + j) % groups;
    const mu = <f32>f64At(mean, c);
    const av = <f32>(g === 0 ? 0 : f64At(a, c));
    const bv = <f32>f64At(b, c);
    const kv = <f32>f64At(k, c);
    const mv = f32x4.splat(mu);
    const am = f32x4.splat(av);
    const bm = f32x4.splat(bv);
    const km = f32x4.splat(kv);
    const off = <usize>(j * inner) << 2;
    const xp = x + off;
    const yp = y + off;
    const gp = g + off;
    let i = 0;
    if (g === 0) {
      for (; i + 4 <= inner; i += 4) {
        const q = <usize>i << 2;
        v128.store(yp + q, f32x4.add(f32x4.mul(bm, f32x4.sub(v128.load(xp + q), mv)), km));
      }
      for (; i < inner; i++) {
        const q = <usize>i << 2;
        store<f32>(yp + q, bv * (load<f32>(xp + q) - mu) + kv);
      }
    } else {
      for (; i + 4 <= inner; i += 4) {
        const q = <usize>i << 2;
        const t = f32x4.add(f32x4.mul(am, v128.load(gp + q)), f32x4.mul(bm, f32x4.sub(v128.load(xp + q), mv)));
        v128.store(yp + q, f32x4.add(t, km));
      }
      for (; i < inner; i++) {
        const q = <usize>i << 2;
        store<f32>(yp + q, av * load<f32>(gp + q) + bv * (load<f32>(xp + q) - mu) + kv);
      }
    }
  }
}

/** out[c] += Σ g and out[groups + c] += Σ g·(x − mean[c]) over runs [r0, r0 + runs) (float64; out starts at 0). */
export function normGradSums(g: usize, x: usize, r0: i32, runs: i32, groups: i32, inner: i32, mean: usize, out: usize): void {
  for (let j = 0; j < runs; j++) {
    const c = (r0 + j) % groups;
    const mu = f64At(mean, c);
    const m = f64x2.splat(mu);
    const sgAt = out + (<usize>c << 3);
    const sgxAt = out + (<usize>(groups + c) << 3);
    let sg = load<f64>(sgAt);
    let sgx = load<f64>(sgxAt);
    const off = <usize>(j * inner) << 2;
    const gp = g + off;
    const xp = x + off;
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let t0 = f64x2.splat(0);
    let t1 = f64x2.splat(0);
    let i = 0;
    for (; i + 4 <= inner; i += 4) {
      const q = <usize>i << 2;
      const g0 = promoteTwo(gp + q, 0);
      const g1 = promoteTwo(gp + q, 8);
      const x0 = f64x2.sub(promoteTwo(xp + q, 0), m);
      const x1 = f64x2.sub(promoteTwo(xp + q, 8), m);
      s0 = f64x2.add(s0, g0);
      s1 = f64x2.add(s1, g1);
      t0 = f64x2.add(t0, f64x2.mul(g0, x0));
      t1 = f64x2.add(t1, f64x2.mul(g1, x1));
    }
    const s = f64x2.add(s0, s1);
    const t = f64x2.add(t0, t1);
    sg += f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
    sgx += f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
    for (; i < inner; i++) {
      const q = <usize>i << 2;
      const gv = <f64>load<f32>(gp + q);
      sg += gv;
      sgx += gv * (<f64>load<f32>(xp + q) - mu);
    }
    store<f64>(sgAt, sg);
    store<f64>(sgxAt, sgx);
  }
}
