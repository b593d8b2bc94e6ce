// Row sums for core's sum over dims (src/backend/cpu/reduce.ts), bit for bit its TypeScript loop:
// each row adds its floats one after the other into a float64 that starts at the row's output
// (float32) and is rounded back to float32 at the row's end. One row is a chain of dependent
// adds, so a row alone runs at the add latency; rows with different outputs are independent
// chains, so rowSumsF32 runs 8 of them side by side, two per f64x2 (each lane the same adds in
// the same order as the scalar loop). Pointers are byte addresses.
// NaNs follow the loop's rule (sumOf in src/backend/cpu/reduce.ts): the row's first NaN comes
// through with its bits (quieted), and a NaN the sum makes itself (∞ + −∞) is +NaN. Plain adds
// leave both to the machine (the default NaN is negative on x86, positive on ARM, and which of two
// NaNs an add returns depends on its operand order), so rows that end in NaN are summed again one
// element at a time with the rule (rowSum).

/** Lanes 0 and 1 of a f32x4 holding the floats at p and q. */
@inline
function pair(p: usize, q: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load32_lane(q, v128.load32_zero(p), 1));
}

@inline
function storePair(v: v128, p: usize, q: usize): void {
  const f = f32x4.demote_f64x2_zero(v);
  v128.store32_lane(p, f, 0);
  v128.store32_lane(q, f, 1);
}

/** The float64 chain of one row from `init`, its NaNs by the loop's rule: the first NaN met, else +NaN if an add makes one. */
function rowSum(x: usize, len: i32, init: f64): f64 {
  let acc = init;
  if (acc != acc) return acc;
  for (let j = 0; j < len; j++) {
    const v = <f64>load<f32>(x + (<usize>j << 2));
    if (v != v) return v;
    acc += v;
    if (acc != acc) return reinterpret<f64>(0x7ff8000000000000);
  }
  return acc;
}

/** Stores lane 0 of v at p and lane 1 at q, each row that ended in NaN summed again by rowSum. */
@inline
function storeChecked(v: v128, p: usize, q: usize, xp: usize, xq: usize, len: i32): void {
  if (v128.any_true(f64x2.ne(v, v))) {
    const a = f64x2.extract_lane(v, 0);
    const b = f64x2.extract_lane(v, 1);
    store<f32>(p, <f32>(a != a ? rowSum(xp, len, <f64>load<f32>(p)) : a));
    store<f32>(q, <f32>(b != b ? rowSum(xq, len, <f64>load<f32>(q)) : b));
  } else storePair(v, p, q);
}

/**
 * For r < rows: out[r·outStride] = float32(out[r·outStride] + x[r·len] + x[r·len + 1] + … ) with
 * the adds in float64, in order. The rows' outputs must be pairwise distinct (outStride ≠ 0).
 */
export function rowSumsF32(x: usize, rows: i32, len: i32, out: usize, outStride: i32): void {
  const rowBytes = <usize>len << 2;
  const outBytes = <usize>outStride << 2;
  let r = 0;
  for (; r + 8 <= rows; r += 8) {
    const x0 = x + <usize>r * rowBytes;
    const o0 = out + <usize>r * outBytes;
    const x1 = x0 + rowBytes, x2 = x1 + rowBytes, x3 = x2 + rowBytes, x4 = x3 + rowBytes, x5 = x4 + rowBytes, x6 = x5 + rowBytes, x7 = x6 + rowBytes;
    const o1 = o0 + outBytes, o2 = o1 + outBytes, o3 = o2 + outBytes, o4 = o3 + outBytes, o5 = o4 + outBytes, o6 = o5 + outBytes, o7 = o6 + outBytes;
    let a = pair(o0, o1);
    let b = pair(o2, o3);
    let c = pair(o4, o5);
    let d = pair(o6, o7);
    for (let j = 0; j < len; j++) {
      const q = <usize>j << 2;
      a = f64x2.add(a, pair(x0 + q, x1 + q));
      b = f64x2.add(b, pair(x2 + q, x3 + q));
      c = f64x2.add(c, pair(x4 + q, x5 + q));
      d = f64x2.add(d, pair(x6 + q, x7 + q));
    }
    storeChecked(a, o0, o1, x0, x1, len);
    storeChecked(b, o2, o3, x2, x3, len);
    storeChecked(c, o4, o5, x4, x5, len);
    storeChecked(d, o6, o7, x6, x7, len);
  }
  for (; r < rows; r++) {
    const o = out + <usize>r * outBytes;
    store<f32>(o, <f32>rowSum(x + <usize>r * rowBytes, len, <f64>load<f32>(o)));
  }
}
