// Elementwise float32 kernels in WebAssembly SIMD: relu, its gradient, and the four arithmetic
// binary ops, each bit for bit the TypeScript loops of src/backend/cpu/elementwise.ts (which
// compute in float64 and round once: for +, −, ×, ÷ of two float32 values that equals the
// float32 operation). NaN operands come out quieted with their payload, as a float32 read into
// a JavaScript number and stored back does; where both operands are NaN, V8's + and × return the
// second one's and − and ÷ the first one's, so + and × are written b ⊕ a here (same value
// otherwise). Pointers are byte addresses; y may alias an input.

const QUIET: u32 = 0x00400000;

/** x with the quiet bit set in its NaN lanes (what a float32 → float64 → float32 round trip does). */
@inline
function quieted(x: v128): v128 {
  return v128.or(x, v128.and(f32x4.ne(x, x), i32x4.splat(QUIET)));
}

@inline
function quietedScalar(v: f32): f32 {
  return v != v ? reinterpret<f32>(reinterpret<u32>(v) | QUIET) : v;
}

/** y = relu(x): x where x > 0 or NaN (quieted), else +0. */
export function reluF32(x: usize, y: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const q = <usize>i << 2;
    const v = v128.load(x + q);
    const keep = v128.or(f32x4.gt(v, zero), f32x4.ne(v, v));
    v128.store(y + q, v128.and(quieted(v), keep));
  }
  for (; i < n; i++) {
    const q = <usize>i << 2;
    const v = load<f32>(x + q);
    store<f32>(y + q, v > 0 || v != v ? quietedScalar(v) : 0);
  }
}

/**
 * y = g·[x > 0] as the TypeScript loop computes it: g (quieted if NaN) where x > 0; elsewhere
 * g·0, i.e. a zero with g's sign for finite g and +0 for infinite or NaN g.
 */
export function reluGradF32(g: usize, x: usize, y: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const sign = i32x4.splat(0x80000000);
  const inf = f32x4.splat(Infinity);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const q = <usize>i << 2;
    const gv = v128.load(g + q);
    const pass = f32x4.gt(v128.load(x + q), zero);
    const signedZero = v128.and(v128.and(gv, sign), f32x4.lt(f32x4.abs(gv), inf));
    v128.store(y + q, v128.bitselect(quieted(gv), signedZero, pass));
  }
  for (; i < n; i++) {
    const q = <usize>i << 2;
    const gv = load<f32>(g + q);
    const r = gv * <f32>0;
    store<f32>(y + q, load<f32>(x + q) > 0 ? quietedScalar(gv) : r == r ? r : 0);
  }
}

// Binary op codes, as Binary in src/backend/elementwise.ts.
const ADD = 0;
const SUB = 1;
const MUL = 2;
const DIV = 3;

@inline
function apply(op: i32, a: v128, b: v128): v128 {
  if (op === ADD) return f32x4.add(b, a);
  if (op === SUB) return f32x4.sub(a, b);
  if (op === MUL) return f32x4.mul(b, a);
  return f32x4.div(a, b);
}

@inline
function applyScalar(op: i32, a: f32, b: f32): f32 {
  if (op === ADD) return b + a;
  if (op === SUB) return a - b;
  if (op === MUL) return b * a;
  return a / b;
}

/**
 * y[i] = a[i·sa] ⊕ b[i·sb] for i < n, with strides sa, sb ∈ {0, 1} (not both 0): a broadcast
 * operand is one value repeated. One loop per op so the operation is fixed inside it.
 */
@inline
function binaryLoop(op: i32, a: usize, sa: i32, b: usize, sb: i32, y: usize, n: i32): void {
  let i = 0;
  if (sa === 1 && sb === 1) {
    for (; i + 4 <= n; i += 4) {
      const q = <usize>i << 2;
      v128.store(y + q, apply(op, v128.load(a + q), v128.load(b + q)));
    }
    for (; i < n; i++) {
      const q = <usize>i << 2;
      store<f32>(y + q, applyScalar(op, load<f32>(a + q), load<f32>(b + q)));
    }
  } else if (sb === 0) {
    const bs = load<f32>(b);
    const bv = f32x4.splat(bs);
    for (; i + 4 <= n; i += 4) {
      const q = <usize>i << 2;
      v128.store(y + q, apply(op, v128.load(a + q), bv));
    }
    for (; i < n; i++) {
      const q = <usize>i << 2;
      store<f32>(y + q, applyScalar(op, load<f32>(a + q), bs));
    }
  } else {
    const as = load<f32>(a);
    const av = f32x4.splat(as);
    for (; i + 4 <= n; i += 4) {
      const q = <usize>i << 2;
      v128.store(y + q, apply(op, av, v128.load(b + q)));
    }
    for (; i < n; i++) {
      const q = <usize>i << 2;
      store<f32>(y + q, applyScalar(op, as, load<f32>(b + q)));
    }
  }
}

/** binaryLoop for op code `op` (0 add, 1 sub, 2 mul, 3 div). */
export function binaryF32(op: i32, a: usize, sa: i32, b: usize, sb: i32, y: usize, n: i32): void {
  if (op === ADD) binaryLoop(ADD, a, sa, b, sb, y, n);
  else if (op === SUB) binaryLoop(SUB, a, sa, b, sb, y, n);
  else if (op === MUL) binaryLoop(MUL, a, sa, b, sb, y, n);
  else binaryLoop(DIV, a, sa, b, sb, y, n);
}

/**
 * Per-row broadcasting (a per-channel scale or shift): for r < rows, row r of y (len floats at
 * y + r·len) = binaryF32 of the full operand's row r and the other operand's scalar r. sa = 1: a
 * is the full operand (rows × len floats) and b holds the rows scalars; sa = 0: the other way
 * round. y may alias the full operand.
 */
export function binaryRowsF32(op: i32, a: usize, sa: i32, b: usize, y: usize, rows: i32, len: i32): void {
  for (let r = 0; r < rows; r++) {
    const row = <usize>(r * len) << 2;
    const scalar = <usize>r << 2;
    if (sa === 1) binaryF32(op, a + row, 1, b + scalar, 0, y + row, len);
    else binaryF32(op, a + scalar, 0, b + row, 1, y + row, len);
  }
}
