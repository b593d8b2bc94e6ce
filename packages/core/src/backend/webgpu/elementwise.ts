// The WebGPU backend's elementwise kernels (ElementwiseKernels, ../elementwise.ts) in WGSL. Each
// operation is a shader generated from a template per (op code, operand and output dtypes, rank
// of the collapsed broadcast); the runtime caches pipelines by code, so each variant compiles once.
// The reference is the CPU kernel (../cpu/elementwise.ts): it computes in float64 and stores into
// the output's typed array; these compute in float32 (elementwise-math.ts says how, and where the
// results can differ beyond float32 rounding) or, when every operand and the output are int32, in
// int32 with the CPU's results:
// - add, sub wrap modulo 2^32 as ToInt32 of the exact sum does; div truncates (x/0 -> 0, since
//   ToInt32(±∞ or NaN) = 0); pow by squaring (negative exponents: 0, or ±1 for a base ±1).
// - mul wraps modulo 2^32; the CPU rounds a product (or power) above 2^53 to float64 before
//   ToInt32, so for such results the low bits differ (the only int32 differences).
// Mixed int32/float32 operands: comparisons, maximum and minimum compare exactly (as float64
// does); add and sub take an int32 as a float32 hi + lo pair (so sums that cancel stay exact);
// mul, div and pow convert it to float32 (exact below 2^24 in magnitude; above, one more
// rounding), pow keeping an int32 exponent's parity.
// A float result stored into an int32 output is converted as ToInt32 (NaN, ±∞ -> 0, modulo 2^32).
// Broadcast shapes and strides travel as scalar members of the kernel's uniform parameters (dims
// merged first as the CPU does, so a scalar, a row or a [1, C, 1, 1] broadcast becomes rank 1-2):
// nothing is uploaded or allocated per call.
import { ArgumentError, ShapeError } from '../../errors.js';
import { broadcastStrides } from '../../tensor/shape.js';
import { GELU_TANH_BETA, GELU_TANH_KAPPA, SELU_NEGATIVE, SELU_SCALE } from '../activation-constants.js';
import { Binary, type BinaryCode, type ElementwiseKernels, Unary, type UnaryCode } from '../elementwise.js';
import type { KernelArray } from '../storage.js';
import { ELEMENTWISE_WGSL } from './elementwise-math.js';
import { type GpuArray, type GpuDType, gpuArrayOf } from './gpu-array.js';
import { type Kernel1d, kernel1d, launch1d } from './kernel1d.js';

/** Ranks above this are refused (after merging dims; the uniform struct has a member per dim and stride). */
const MAX_RANK = 8;

const wgslType = (dtype: GpuDType): string => (dtype === 'float32' ? 'f32' : 'i32');

/** Float unary bodies of `fn op(v: f32) -> f32`, by code; params in `p` (see unaryParams). */
const FLOAT_UNARY: Record<UnaryCode, string> = {
  [Unary.neg]: 'return -v;',
  [Unary.exp]: 'return expF(v);',
  [Unary.log]: 'return logF(v);',
  // -0 -> -0 (IEEE sqrt), x < 0 -> NaN, +∞ -> +∞.
  [Unary.sqrt]: 'if (isNan(v) || v == 0.0 || isInfinite(v)) { return select(v, nanValue(), v < 0.0); } if (v < 0.0) { return nanValue(); } return sqrt(v);',
  [Unary.abs]: 'return bitcast<f32>(bitcast<u32>(v) & 0x7fffffffu);',
  [Unary.sign]: 'if (isNan(v) || v == 0.0) { return v; } return select(-1.0, 1.0, v > 0.0);',
  [Unary.sigmoid]: 'return sigmoidF(v);',
  [Unary.tanh]: 'return tanhF(v);',
  [Unary.silu]: 'return v * sigmoidF(v);',
  [Unary.logSigmoid]: 'return -softplusF(-v);',
  // Known difference: a·v is rounded to float32 before the comparison with the threshold (the CPU
  // multiplies in float64), so an element whose product lies within an ulp of it may take the
  // other branch (the mask below too); the two branches agree there to within float32 rounding.
  [Unary.softplus]: 'let z = v * p.a; if (gtD(z, p.b, p.bLo)) { return v; } return divF(softplusF(z), p.a);',
  [Unary.softplusLinear]: 'return select(0.0, 1.0, gtD(v * p.a, p.b, p.bLo));',
  [Unary.softplusCurved]: 'return select(1.0, 0.0, gtD(v * p.a, p.b, p.bLo));',
  [Unary.relu6]: 'if (v > 6.0) { return 6.0; } return select(0.0, v, v >= 0.0 || isNan(v));',
  [Unary.relu6Pass]: 'return select(0.0, 1.0, v > 0.0 && v < 6.0);',
  [Unary.leakyRelu]: 'return select(p.a * v, v, v > 0.0);',
  [Unary.leakyReluSlope]: 'return select(p.a, 1.0, v > 0.0);',
  [Unary.elu]: 'if (v > 0.0) { return v; } return p.a * expm1F(v);',
  [Unary.positive]: 'return select(0.0, 1.0, v > 0.0);',
  [Unary.notPositive]: 'return select(1.0, 0.0, v > 0.0);',
  [Unary.erf]: 'return erfF(v);',
  [Unary.gelu]: 'return v * normalCdfF(v);',
  [Unary.clamp]: 'return jsMinD(jsMaxD(v, p.a, p.aLo), p.b, p.bLo);',
  [Unary.clampPass]: 'return select(0.0, 1.0, geD(v, p.a, p.aLo) && leD(v, p.b, p.bLo));',
  // v < a ? a : v, then > b ? b : ·, with the bounds compared in float64 (a > b: every value is b).
  [Unary.hardtanh]:
    'if (ltD(v, p.a, p.aLo)) { return select(p.a, p.b, p.a > p.b || (p.a == p.b && p.aLo > p.bLo)); } return select(v, p.b, gtD(v, p.b, p.bLo));',
  [Unary.hardtanhPass]: 'return select(0.0, 1.0, gtD(v, p.a, p.aLo) && ltD(v, p.b, p.bLo));',
  [Unary.hardsigmoid]: 'return clamp06(v + 3.0) / 6.0;',
  // v·6/6 = v exactly (the CPU's float64 product does not overflow; a float32 one would).
  [Unary.hardswish]: 'let c = clamp06(v + 3.0); if (c == 6.0) { return v; } return (v * c) / 6.0;',
  // e^v - 1 as expm1: in float32 the subtraction would cancel near 0 (the CPU's is in float64).
  // (e^{±0} - 1)·c is +0 (the CPU's), expm1(-0)·c would be -0.
  [Unary.selu]: `if (v == 0.0) { return 0.0; } if (v < 0.0) { return expm1F(v) * ${SELU_NEGATIVE}; } return v * ${SELU_SCALE};`,
  [Unary.celu]: 'if (v == 0.0) { return withSignOf(0.0, p.a); } if (v < 0.0) { return expm1F(v * p.inverse) * p.a; } return v;',
  [Unary.mish]: 'return v * tanhF(log1pF(expF(v)));',
  [Unary.softsign]: 'return divF(v, abs(v) + 1.0);',
  // 0.5·(1 + tanh u) = σ(2u): in float32, 1 + tanh u cancels for u < 0 (to 0 beyond u = -9.1),
  // where the CPU's float64 keeps ~8 more digits; σ(2u) has no cancellation.
  [Unary.geluTanh]: `let inner = ${GELU_TANH_BETA} * (v + ${GELU_TANH_KAPPA} * (v * v * v)); if (isNan(inner)) { return v * inner; } return v * sigmoidF(2.0 * inner);`,
};

/** The unary codes computed in int32 for int32 input and output (the others go through float32). */
const INT_UNARY: Partial<Record<UnaryCode, string>> = {
  [Unary.neg]: 'return -v;',
  [Unary.abs]: 'return abs(v);',
  [Unary.sign]: 'return sign(v);',
  // The host turns the float64 bounds into integer cuts and results (intClampParams).
  [Unary.clamp]:
    'if (p.lowAll != 0u || v < p.lowCut) { return p.lowValue; } if (p.highAll != 0u || v > p.highCut) { return p.highValue; } return v;',
};

/** The float binary expressions of p (a, as f32) and q (b, as f32), by code (comparisons are done apart). */
const FLOAT_BINARY: Partial<Record<BinaryCode, string>> = {
  [Binary.add]: 'p + q',
  [Binary.sub]: 'p - q',
  [Binary.mul]: 'p * q',
  [Binary.div]: 'divF(p, q)',
  [Binary.pow]: 'powF(p, q)',
};

/** The int32 binary bodies of `fn op(p: i32, q: i32) -> i32`, for int32 operands and output. */
const INT_BINARY: Partial<Record<BinaryCode, string>> = {
  [Binary.add]: 'return p + q;',
  [Binary.sub]: 'return p - q;',
  [Binary.mul]: 'return p * q;',
  // Truncating division; ToInt32(x/0) = 0, and -2^31 / -1 = 2^31 wraps to -2^31.
  [Binary.div]: 'if (q == 0) { return 0; } if (q == -1) { return -p; } return p / q;',
  // ToInt32(p^q): by squaring (wrapping) for q >= 0; for q < 0 |p^q| < 1 truncates to 0 except
  // p = ±1 (and 0^-q = ∞ -> 0).
  [Binary.pow]: `if (q < 0) { if (p == 1) { return 1; } if (p == -1) { return select(1, -1, (q & 1) == 1); } return 0; }
    var r = 1; var b = p; var e = q;
    loop { if (e == 0) { break; } if ((e & 1) == 1) { r = r * b; } b = b * b; e = e >> 1u; }
    return r;`,
};

/** The comparison's truth from c, a three-way comparison (-1, 0, 1, or 2 unordered). */
const COMPARE_TRUTH: Partial<Record<BinaryCode, string>> = {
  [Binary.greater]: 'c == 1',
  [Binary.greaterEqual]: 'c == 1 || c == 0',
  [Binary.less]: 'c == -1',
  [Binary.lessEqual]: 'c == -1 || c == 0',
  [Binary.equal]: 'c == 0',
  [Binary.notEqual]: 'c != 0',
};

/** A WGSL expression converting `expr` of type `from` to `to` (float -> int as ToInt32). */
function convert(expr: string, from: GpuDType, to: GpuDType): string {
  if (from === to) return expr;
  return to === 'float32' ? `f32(${expr})` : `toInt32(${expr})`;
}

/** The three-way comparison of p (dtype pa) and q (dtype qb) as a WGSL expression. */
function threeWay(pa: GpuDType, qb: GpuDType): string {
  if (pa === 'int32' && qb === 'int32') return 'select(select(0, 1, p > q), -1, p < q)';
  if (pa === 'int32') return 'cmpIF(p, q)';
  if (qb === 'int32') return 'cmpFI(p, q)';
  return 'select(select(select(2, 0, p == q), 1, p > q), -1, p < q)';
}

/** `fn op(p: A, q: B) -> O` for a binary code and the dtypes of a, b and out. */
function binaryFunction(op: BinaryCode, a: GpuDType, b: GpuDType, out: GpuDType): string {
  const signature = (p: string, q: string): string => `fn op(${p}: ${wgslType(a)}, ${q}: ${wgslType(b)}) -> ${wgslType(out)}`;
  const truth = COMPARE_TRUTH[op];
  const one = out === 'float32' ? '1.0' : '1';
  const zero = out === 'float32' ? '0.0' : '0';
  if (truth !== undefined) return `${signature('p', 'q')} {\n  let c = ${threeWay(a, b)};\n  return select(${zero}, ${one}, ${truth});\n}`;
  if (op === Binary.maximum || op === Binary.minimum) {
    // p >= q || p is NaN ? p : q (maximum), p <= q || p is NaN ? p : q (minimum).
    const keep = op === Binary.maximum ? 'c == 1 || c == 0' : 'c == -1 || c == 0';
    const pNan = a === 'float32' ? ' || isNan(p)' : '';
    return `${signature('p', 'q')} {\n  let c = ${threeWay(a, b)};\n  if (${keep}${pNan}) { return ${convert('p', a, out)}; }\n  return ${convert('q', b, out)};\n}`;
  }
  const intBody = INT_BINARY[op];
  if (a === 'int32' && b === 'int32' && out === 'int32' && intBody !== undefined) return `${signature('p', 'q')} {\n  ${intBody}\n}`;
  let expr = FLOAT_BINARY[op];
  if (expr === undefined) throw new ArgumentError(`elementwise.binary: unknown operation code ${String(op)}`);
  if ((op === Binary.add || op === Binary.sub) && (a === 'int32' || b === 'int32')) {
    // int32 operands as hi + lo pairs: 16777217 + -16777216 gives 1 as the CPU's exact sum, not 0.
    const sign = op === Binary.add ? '+' : '-';
    const pair = (v: string, dtype: GpuDType): string => (dtype === 'int32' ? `splitI(${v})` : `vec2<f32>(${v}, 0.0)`);
    return `${signature('p0', 'q0')} {\n  let p = ${pair('p0', a)};\n  let q = ${pair('q0', b)};\n  return ${convert(`(p.x ${sign} q.x) + (p.y ${sign} q.y)`, 'float32', out)};\n}`;
  }
  // An int32 exponent keeps its parity (the sign of a negative base's power).
  if (op === Binary.pow && b === 'int32') expr = 'powFI(p, q0)';
  return `${signature('p0', 'q0')} {\n  let p = ${convert('p0', a, 'float32')};\n  let q = ${convert('q0', b, 'float32')};\n  return ${convert(expr, 'float32', out)};\n}`;
}

/** `fn op(v: X) -> O` for a unary code from dtype x to dtype out, and which parameters it takes. */
function unaryFunction(op: UnaryCode, x: GpuDType, out: GpuDType): { code: string; params: 'float' | 'intClamp' } {
  const intBody = INT_UNARY[op];
  if (x === 'int32' && out === 'int32' && intBody !== undefined) {
    return { code: `fn op(v: i32) -> i32 {\n  ${intBody}\n}`, params: op === Unary.clamp ? 'intClamp' : 'float' };
  }
  const body = FLOAT_UNARY[op];
  if (body === undefined) throw new ArgumentError(`elementwise.unary: unknown operation code ${String(op)}`);
  const floatOp = `fn opF(v: f32) -> f32 {\n  ${body}\n}`;
  // Other dtypes go through float32: the operand converted, the result converted back.
  const wrapper = `fn op(v: ${wgslType(x)}) -> ${wgslType(out)} { return ${convert(`opF(${convert('v', x, 'float32')})`, 'float32', out)}; }`;
  return { code: `${floatOp}\n${wrapper}`, params: 'float' };
}

const FLOAT_PARAMS = 'a: f32, aLo: f32, b: f32, bLo: f32, inverse: f32';
const FLOAT_PARAM_TYPES = 'f32,f32,f32,f32,f32';
const INT_CLAMP_PARAMS = 'lowAll: u32, lowCut: i32, lowValue: i32, highAll: u32, highCut: i32, highValue: i32';
const INT_CLAMP_PARAM_TYPES = 'u32,i32,i32,u32,i32,i32';

/** fround(d) and the sign-carrying rest d - fround(d) (0 for ±∞ and NaN). */
function split(d: number): [number, number] {
  const hi = Math.fround(d);
  return [hi, Number.isFinite(d) ? Math.fround(d - hi) : 0];
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
/** ToInt32 of a float64 (what an Int32Array store does). */
const toInt32 = (d: number): number => Int32Array.of(d)[0]!;

/** clamp(x, a, b) = ToInt32(min(max(x, a), b)) for int32 x as integer cuts: x < a iff x < ceil(a), x > b iff x > floor(b). */
function intClampParams(a: number, b: number): number[] {
  const nan = Number.isNaN(a) || Number.isNaN(b);
  const lowCut = Math.ceil(a);
  const highCut = Math.floor(b);
  return [
    nan || lowCut > INT32_MAX ? 1 : 0, Math.max(INT32_MIN, Math.min(INT32_MAX, nan ? 0 : lowCut)), toInt32(Math.min(a, b)),
    highCut < INT32_MIN ? 1 : 0, Math.max(INT32_MIN, Math.min(INT32_MAX, nan ? 0 : highCut)), toInt32(b),
  ];
}

const kernels = new Map<string, Kernel1d>();

/** The cached kernel for `key`, made by `make` on first use (one code string per key: the runtime's pipeline cache holds the compiled pipeline). */
function kernel(key: string, make: () => Kernel1d): Kernel1d {
  let k = kernels.get(key);
  if (k === undefined) {
    k = make();
    kernels.set(key, k);
  }
  return k;
}

const gpuArray = (a: KernelArray, op: string, arg: string): GpuArray => gpuArrayOf(a, `elementwise.${op}`, arg);

function unary(op: UnaryCode, xk: KernelArray, outk: KernelArray, a = 0, b = 0): void {
  const x = gpuArray(xk, 'unary', 'x');
  const out = gpuArray(outk, 'unary', 'out');
  const n = out.length;
  if (n === 0) return;
  const { code, params } = unaryFunction(op, x.dtype, out.dtype);
  const k = kernel(`unary ${op} ${x.dtype} ${out.dtype}`, () => kernel1d({
    name: `elementwise.unary(${op})`,
    bindings: [`var<storage, read> x: array<${wgslType(x.dtype)}>`, `var<storage, read_write> out: array<${wgslType(out.dtype)}>`],
    params: params === 'float' ? FLOAT_PARAMS : INT_CLAMP_PARAMS,
    paramTypes: params === 'float' ? FLOAT_PARAM_TYPES : INT_CLAMP_PARAM_TYPES,
    functions: `${ELEMENTWISE_WGSL}\n${code}`,
    body: '  out[i] = op(x[i]);',
  }));
  launch1d(k, [x, out], n, params === 'float' ? [...split(a), ...split(b), Math.fround(1 / a)] : intClampParams(a, b));
}

/**
 * The output shape with dims merged where every operand steps over them as one run (size-1 dims
 * dropped), as the CPU's collapseDims: at least one dim.
 */
function collapse(outShape: readonly number[], strides: number[][]): { shape: number[]; strides: number[][] } {
  const shape: number[] = [];
  const merged: number[][] = strides.map(() => []);
  for (let d = 0; d < outShape.length; d++) {
    const n = outShape[d]!;
    if (n === 1) continue;
    const last = shape.length - 1;
    if (last >= 0 && strides.every((s, k) => merged[k]![last] === s[d]! * n)) {
      shape[last] = shape[last]! * n;
      for (let k = 0; k < strides.length; k++) merged[k]![last] = strides[k]![d]!;
      continue;
    }
    shape.push(n);
    for (let k = 0; k < strides.length; k++) merged[k]!.push(strides[k]![d]!);
  }
  if (shape.length === 0) {
    shape.push(1);
    for (const s of merged) s.push(0);
  }
  return { shape, strides: merged };
}

/**
 * A broadcasting map over `operands` (names, arrays, shapes) into out: the shader computes each
 * operand's offset from the output index with the merged dims and strides in its parameters, and
 * stores `out[i] = <store>` where store reads the operands as `<name>[o<k>]`.
 */
function broadcastRun(
  kind: string, op: string, body: string, storeExpr: string,
  operands: readonly { name: string; array: GpuArray; shape: readonly number[] }[],
  out: GpuArray, outShape: readonly number[],
): void {
  const n = out.length;
  if (n === 0) return;
  const { shape, strides } = collapse(outShape, operands.map((o) => broadcastStrides(o.shape, outShape)));
  const rank = shape.length;
  if (rank > MAX_RANK) {
    throw new ShapeError(`elementwise.${kind}: the WebGPU kernel broadcasts up to rank ${MAX_RANK} after merging dims, got shape [${outShape.join(',')}] (rank ${rank} merged)`);
  }
  const types = operands.map((o) => o.array.dtype).join(' ');
  const k = kernel(`${kind} ${op} ${types} ${out.dtype} ${rank}`, () => {
    const members: string[] = [];
    for (let d = 0; d < rank; d++) members.push(`d${d}: u32`);
    operands.forEach((_, j) => { for (let d = 0; d < rank; d++) members.push(`s${j}_${d}: u32`); });
    // Innermost dim first: c = the coordinate along d, each operand's offset += c·stride.
    const walk: string[] = [];
    for (let d = rank - 1; d >= 0; d--) {
      walk.push(d === 0 ? '  c = rest;' : `  c = rest % p.d${d}; rest = rest / p.d${d};`);
      operands.forEach((_, j) => walk.push(`  o${j} = o${j} + c * p.s${j}_${d};`));
    }
    return kernel1d({
      name: `elementwise.${kind}(${op})`,
      bindings: [
        ...operands.map((o) => `var<storage, read> ${o.name}: array<${wgslType(o.array.dtype)}>`),
        `var<storage, read_write> out: array<${wgslType(out.dtype)}>`,
      ],
      params: members.join(', '),
      functions: `${ELEMENTWISE_WGSL}\n${body}`,
      body: `  var rest = i;
  var c = 0u;
${operands.map((_, j) => `  var o${j} = 0u;`).join('\n')}
${walk.join('\n')}
  out[i] = ${storeExpr};`,
    });
  });
  launch1d(k, [...operands.map((o) => o.array), out], n, [...shape, ...strides.flat()]);
}

function binary(
  op: BinaryCode,
  ak: KernelArray, aShape: readonly number[],
  bk: KernelArray, bShape: readonly number[],
  outk: KernelArray, outShape: readonly number[],
): void {
  const a = gpuArray(ak, 'binary', 'a');
  const b = gpuArray(bk, 'binary', 'b');
  const out = gpuArray(outk, 'binary', 'out');
  broadcastRun('binary', String(op), binaryFunction(op, a.dtype, b.dtype, out.dtype), 'op(a[o0], b[o1])',
    [{ name: 'a', array: a, shape: aShape }, { name: 'b', array: b, shape: bShape }], out, outShape);
}

function where(
  condk: KernelArray, condShape: readonly number[],
  ak: KernelArray, aShape: readonly number[],
  bk: KernelArray, bShape: readonly number[],
  outk: KernelArray, outShape: readonly number[],
): void {
  const cond = gpuArray(condk, 'where', 'cond');
  const a = gpuArray(ak, 'where', 'a');
  const b = gpuArray(bk, 'where', 'b');
  const out = gpuArray(outk, 'where', 'out');
  // The CPU tests cond's truthiness: 0, -0 and NaN select b.
  const truth = cond.dtype === 'float32' ? 'v != 0.0 && !isNan(v)' : 'v != 0';
  const body = `fn truthy(v: ${wgslType(cond.dtype)}) -> bool { return ${truth}; }`;
  broadcastRun('where', '', body, `select(${convert('b[o2]', b.dtype, out.dtype)}, ${convert('a[o1]', a.dtype, out.dtype)}, truthy(cond[o0]))`,
    [{ name: 'cond', array: cond, shape: condShape }, { name: 'a', array: a, shape: aShape }, { name: 'b', array: b, shape: bShape }], out, outShape);
}

/** out[i] = <expr of the arrays' elements at i> over arrays of one length (relu, reluGrad). */
function mapRun(name: string, inputs: readonly [string, GpuArray][], out: GpuArray, expr: string): void {
  const n = out.length;
  if (n === 0) return;
  const k = kernel(`${name} ${inputs.map(([, a]) => a.dtype).join(' ')} ${out.dtype}`, () => kernel1d({
    name: `elementwise.${name}`,
    bindings: [
      ...inputs.map(([v, a]) => `var<storage, read> ${v}s: array<${wgslType(a.dtype)}>`),
      `var<storage, read_write> out: array<${wgslType(out.dtype)}>`,
    ],
    functions: ELEMENTWISE_WGSL,
    body: `${inputs.map(([v]) => `  let ${v} = ${v}s[i];`).join('\n')}
  out[i] = ${expr};`,
  }));
  launch1d(k, [...inputs.map(([, a]) => a), out], n);
}

function relu(xk: KernelArray, outk: KernelArray): void {
  const x = gpuArray(xk, 'relu', 'x');
  const out = gpuArray(outk, 'relu', 'out');
  // x for x > 0, NaN kept, else +0 (-0 and -∞ too).
  const expr = x.dtype === 'float32' ? 'select(0.0, v, v > 0.0 || isNan(v))' : 'select(0, v, v > 0)';
  mapRun('relu', [['v', x]], out, convert(expr, x.dtype, out.dtype));
}

function reluGrad(gk: KernelArray, xk: KernelArray, outk: KernelArray): void {
  const g = gpuArray(gk, 'reluGrad', 'g');
  const x = gpuArray(xk, 'reluGrad', 'x');
  const out = gpuArray(outk, 'reluGrad', 'out');
  // g for x > 0; else g·0 as the CPU computes it (-0 for a negative g), and +0 for an infinite or NaN g.
  const off = g.dtype === 'float32' ? 'select(0.0, withSignOf(0.0, g), !isNan(g) && !isInfinite(g))' : '0';
  const positive = x.dtype === 'float32' ? 'x > 0.0' : 'x > 0';
  mapRun('reluGrad', [['g', g], ['x', x]], out, convert(`select(${off}, g, ${positive})`, g.dtype, out.dtype));
}

export const webgpuElementwise: ElementwiseKernels = { unary, binary, where, relu, reluGrad };
