// Detects WebAssembly relaxed SIMD (Chromium has it on by default; Node 20 only behind
// --experimental-wasm-relaxed-simd) with a hand-assembled module of one function:
//   (func (export "madd") (param f32 f32 f32) (result f32)
//     (f32x4.extract_lane 0 (f32x4.relaxed_madd (f32x4.splat a) (f32x4.splat b) (f32x4.splat c))))
// An engine without the feature rejects it in WebAssembly.validate; one with it can also run it,
// which shows whether this machine fuses (one rounding) or multiplies and adds (two).

// prettier-ignore
const MADD_MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x08, 0x01, 0x60, 0x03, 0x7d, 0x7d, 0x7d, 0x01, 0x7d, // type section: (f32 f32 f32) -> f32
  0x03, 0x02, 0x01, 0x00, // function section: function 0 has type 0
  0x07, 0x08, 0x01, 0x04, 0x6d, 0x61, 0x64, 0x64, 0x00, 0x00, // export section: "madd" = function 0
  0x0a, 0x16, 0x01, 0x14, 0x00, // code section: one body of 20 bytes, no locals
  0x20, 0x00, 0xfd, 0x13, // local.get 0, f32x4.splat
  0x20, 0x01, 0xfd, 0x13, // local.get 1, f32x4.splat
  0x20, 0x02, 0xfd, 0x13, // local.get 2, f32x4.splat
  0xfd, 0x85, 0x02, // f32x4.relaxed_madd (0xfd 0x105)
  0xfd, 0x1f, 0x00, // f32x4.extract_lane 0
  0x0b, // end
]);

let available: boolean | undefined;

/** Whether this engine has WebAssembly relaxed SIMD (validated once). */
export function relaxedSimdAvailable(): boolean {
  available ??= typeof WebAssembly === 'object' && WebAssembly.validate(MADD_MODULE);
  return available;
}

/**
 * Whether f32x4.relaxed_madd rounds once here (fused multiply-add in hardware): with a = b = 1 + 2⁻¹²
 * the product 1 + 2⁻¹¹ + 2⁻²⁴ rounds to 1 + 2⁻¹¹ in float32, so a·b − (1 + 2⁻¹¹) is 2⁻²⁴ fused and 0
 * unfused. False where relaxed SIMD is unavailable.
 */
export function relaxedMaddFuses(): boolean {
  if (!relaxedSimdAvailable()) return false;
  const { madd } = new WebAssembly.Instance(new WebAssembly.Module(MADD_MODULE)).exports as { madd: (a: number, b: number, c: number) => number };
  const a = 1 + 2 ** -12;
  return madd(a, a, -(1 + 2 ** -11)) !== 0;
}
