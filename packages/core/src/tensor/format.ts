// How a tensor prints. Two forms:
// - formatTensor (Tensor.toString, Node's util.inspect, console.log): PyTorch 1.13's repr, laid
//   out by the same rules (_tensor_str.py): one format for all values chosen from the values
//   shown (integers as '3.', fixed with `precision` decimals, or scientific when the magnitudes
//   span more than 1000× or pass 1e8 or fall below 1e-4), right-aligned columns, rows wrapped at
//   `linewidth`, and past `threshold` elements only `edgeitems` rows/values from each end of
//   each dimension. Differences, on purpose: dtype=float64 (not torch.float64),
//   requiresGrad=true, gradFn=<op name>, shape=[...] (instead of size=(...)) for empty tensors
//   and also for summarised ones, whose shape cannot be read off the values.
// - formatTensorExact (checkGrads' failure message, fast-check counterexamples): every value of
//   a small tensor, as the shortest decimal that reads back as the same value, so a failing
//   input can be rebuilt; a few values from each end of a large one.
import { ArgumentError, formatShape } from '../errors.js';
import { checkOptions, optionKeys } from '../options.js';
import { formatExponential, formatFixed } from './decimal.js';
import type { DType, TypedArray } from './dtype.js';

/** PyTorch's torch.set_printoptions, with sci_mode as sciMode. */
export interface PrintOptions {
  /** Digits after the decimal point (default 4). */
  precision?: number;
  /** More elements than this are summarised (default 1000; Infinity never summarises). */
  threshold?: number;
  /** Values/rows shown at each end of each dimension of a summarised tensor (default 3). */
  edgeitems?: number;
  /** Characters per line for wrapping rows (default 80). */
  linewidth?: number;
  /** true/false force or forbid scientific notation; null (default) lets the values decide. */
  sciMode?: boolean | null;
  /** Presets applied before the other keys: 'default', 'short' (precision 2, edgeitems 2), 'full' (no summarising). */
  profile?: 'default' | 'short' | 'full';
}

const PRINT_OPTIONS = optionKeys<PrintOptions>()(['precision', 'threshold', 'edgeitems', 'linewidth', 'sciMode', 'profile']);

type Settings = Required<Omit<PrintOptions, 'profile'>>;

const PROFILES: Record<NonNullable<PrintOptions['profile']>, Omit<Settings, 'sciMode'>> = {
  default: { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 },
  short: { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80 },
  full: { precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80 },
};

let settings: Settings = { ...PROFILES.default, sciMode: null };

/** The given keys over `base`, checked (fn names the caller in errors). */
function resolve(fn: string, base: Settings, options: PrintOptions): Settings {
  checkOptions(fn, options, PRINT_OPTIONS);
  const { profile } = options;
  if (profile !== undefined && !Object.hasOwn(PROFILES, profile)) {
    throw new ArgumentError(`${fn}: profile must be 'default', 'short' or 'full', got ${JSON.stringify(profile)}`);
  }
  const out: Settings = { ...base, ...(profile === undefined ? {} : PROFILES[profile]) };
  const count = (name: 'precision' | 'threshold' | 'edgeitems' | 'linewidth', min: number, infinite: boolean): void => {
    const v: unknown = options[name];
    if (v === undefined) return;
    if (typeof v !== 'number' || !(Number.isInteger(v) || (infinite && v === Infinity)) || v < min) {
      throw new ArgumentError(`${fn}: ${name} must be an integer ≥ ${min}${infinite ? ' or Infinity' : ''}, got ${String(v)}`);
    }
    out[name] = v;
  };
  count('precision', 0, false);
  count('threshold', 0, true);
  count('edgeitems', 1, false);
  count('linewidth', 1, false);
  if (options.sciMode !== undefined) {
    if (options.sciMode !== null && typeof options.sciMode !== 'boolean') {
      throw new ArgumentError(`${fn}: sciMode must be true, false or null, got ${String(options.sciMode)}`);
    }
    out.sciMode = options.sciMode;
  }
  return out;
}

/**
 * Sets how tensors print from now on (PyTorch's torch.set_printoptions). Only the keys given
 * change; `profile` resets precision, threshold, edgeitems and linewidth first, `sciMode: null`
 * restores the automatic choice. Tensor.toString(options) overrides them for one call.
 */
export function setPrintOptions(options: PrintOptions): void {
  settings = resolve('setPrintOptions', settings, options);
}

/** The current print options. */
export function getPrintOptions(): Required<Omit<PrintOptions, 'profile'>> {
  return { ...settings };
}

/** What formatTensor needs of a tensor (the tensor room's Tensor passes itself). */
export interface Printable {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly requiresGrad: boolean;
  /** null once backward released the storage, or for a GPU tensor (printing never reads device memory). */
  readonly values: TypedArray | null;
  /** Where the elements live; a GPU tensor prints its device instead of values. Default 'cpu'. */
  readonly device?: string | null;
  /** Name of the op that produced it, null for a leaf. */
  readonly gradFn: string | null;
}

const PREFIX = 'tensor(';

/** PyTorch's repr of a tensor (see the top of this file); `options` override the print options for this call. */
export function formatTensor(t: Printable, options?: PrintOptions): string {
  const s = options === undefined ? settings : resolve('toString', settings, options);
  const { shape, dtype, values } = t;
  const suffixes: string[] = [];
  let body: string;
  const onDevice = t.device !== undefined && t.device !== null && t.device !== 'cpu';
  if (onDevice) {
    body = '<on device: `await t.toAsync(\'cpu\')` to print values>';
    suffixes.push(`shape=${listShape(shape)}`, `device='${t.device}'`);
  } else if (values === null) {
    body = '<storage released>';
    suffixes.push(`shape=${listShape(shape)}`);
  } else if (values.length === 0) {
    body = '[]';
    if (shape.length !== 1) suffixes.push(`shape=${listShape(shape)}`);
  } else {
    const summarize = values.length > s.threshold;
    if (summarize) suffixes.push(`shape=${listShape(shape)}`);
    const formatter = makeFormatter(dtype, shownValues(shape, values, summarize, s.edgeitems), s);
    body = tensorBody(shape, values, PREFIX.length, summarize, formatter, s);
  }
  if (dtype !== 'float32') suffixes.push(`dtype=${dtype}`);
  if (t.gradFn !== null) suffixes.push(`gradFn=<${t.gradFn}>`);
  else if (t.requiresGrad) suffixes.push('requiresGrad=true');
  return addSuffixes(PREFIX + body, suffixes, PREFIX.length, s.linewidth);
}

const listShape = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

/** The values a summarised tensor shows (PyTorch's get_summarized_data), row-major. */
function shownValues(shape: readonly number[], values: TypedArray, summarize: boolean, edge: number): number[] {
  const out: number[] = [];
  const visit = (dim: number, offset: number, stride: number): void => {
    if (dim === shape.length) {
      out.push(values[offset]!);
      return;
    }
    const inner = stride / shape[dim]!;
    for (const i of shownIndices(shape[dim]!, summarize, edge)) if (i !== null) visit(dim + 1, offset + i * inner, inner);
  };
  visit(0, 0, values.length);
  return out;
}

/** Indices along a dimension of n, null where '...' stands. */
function shownIndices(n: number, summarize: boolean, edge: number): (number | null)[] {
  if (!summarize || n <= 2 * edge) return Array.from({ length: n }, (_, i) => i);
  return [...Array.from({ length: edge }, (_, i) => i), null, ...Array.from({ length: edge }, (_, i) => n - edge + i)];
}

interface Formatter {
  width: number;
  format(v: number): string;
}

/** PyTorch's _Formatter: one notation and one width for every value shown. */
function makeFormatter(dtype: DType, shown: number[], s: Settings): Formatter {
  const pad = (str: string, width: number): string => str.padStart(width, ' ');
  if (dtype === 'int32') {
    const width = shown.reduce((w, v) => Math.max(w, String(v).length), 1);
    return { width, format: (v) => pad(String(v), width) };
  }
  const finite = shown.filter((v) => Number.isFinite(v) && v !== 0);
  let intMode = true;
  let sciMode = false;
  let width = 1;
  if (finite.length > 0) {
    let min = Infinity;
    let max = 0;
    for (const v of finite) {
      min = Math.min(min, Math.abs(v));
      max = Math.max(max, Math.abs(v));
    }
    intMode = finite.every((v) => v === Math.ceil(v));
    sciMode = max / min > 1000 || max > 1e8 || (!intMode && min < 1e-4);
    for (const v of finite) {
      const len = sciMode ? formatExponential(v, s.precision).length : intMode ? formatFixed(v, 0).length + 1 : formatFixed(v, s.precision).length;
      width = Math.max(width, len);
    }
    // As PyTorch: a forced notation applies only when some value is finite and non-zero.
    if (s.sciMode !== null) sciMode = s.sciMode;
  }
  const format = (v: number): string => {
    if (sciMode) return pad(formatExponential(v, s.precision), width);
    if (intMode) return pad(formatFixed(v, 0) + (Number.isFinite(v) ? '.' : ''), width);
    return pad(formatFixed(v, s.precision), width);
  };
  return { width, format };
}

/** PyTorch's _tensor_str_with_formatter over a contiguous row-major array. */
function tensorBody(shape: readonly number[], values: TypedArray, indent: number, summarize: boolean, f: Formatter, s: Settings): string {
  const build = (dim: number, offset: number, stride: number, indent: number): string => {
    const rank = shape.length - dim;
    if (rank === 0) return f.format(values[offset]!);
    const n = shape[dim]!;
    const inner = stride / n;
    const indices = shownIndices(n, summarize, s.edgeitems);
    if (rank === 1) {
      const items = indices.map((i) => (i === null ? ' ...' : f.format(values[offset + i]!)));
      const perLine = Math.max(1, Math.floor((s.linewidth - indent) / (f.width + 2)));
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
      return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
    }
    const slices = indices.map((i) => (i === null ? '...' : build(dim + 1, offset + i * inner, inner, indent + 1)));
    return `[${slices.join(`,${'\n'.repeat(rank - 1)}${' '.repeat(indent + 1)}`)}]`;
  };
  return build(0, 0, values.length, indent);
}

/** PyTorch's _add_suffixes: ', suffix' on the last line while it fits in linewidth, else a new line. */
function addSuffixes(text: string, suffixes: string[], indent: number, linewidth: number): string {
  const parts = [text];
  // PyTorch's count: characters after the last newline, plus 2 (plus 1 more without a newline).
  let lastLineLength = text.length - text.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLineLength + suffix.length + 2 > linewidth) {
      parts.push(`,\n${' '.repeat(indent)}${suffix}`);
      lastLineLength = indent + suffix.length;
    } else {
      parts.push(`, ${suffix}`);
      lastLineLength += suffix.length + 2;
    }
  }
  return `${parts.join('')})`;
}

/** Tensors up to this many elements print every value exactly (nested like toArray). */
const ALL_VALUES_MAX = 64;
/** Values shown from each end of a larger tensor (row-major). */
const EDGE_VALUES = 3;

/** Shape, dtype and values that can be read back exactly (see the top of this file). */
export function formatTensorExact(shape: readonly number[], dtype: DType, data: TypedArray | null, requiresGrad: boolean): string {
  const head = `Tensor(shape=${formatShape(shape)}, dtype=${dtype}${requiresGrad ? ', requiresGrad' : ''}`;
  if (data === null) return `${head}, storage released)`;
  if (data.length <= ALL_VALUES_MAX) return `${head}, ${nestedExact(shape, data, dtype)})`;
  const first = Array.from(data.subarray(0, EDGE_VALUES), (v) => shortestValue(v, dtype));
  const last = Array.from(data.subarray(data.length - EDGE_VALUES), (v) => shortestValue(v, dtype));
  return `${head}, [${first.join(', ')}, ..., ${last.join(', ')}] (${data.length} values, row-major))`;
}

function nestedExact(shape: readonly number[], data: TypedArray, dtype: DType): string {
  const build = (dim: number, offset: number, stride: number): string => {
    if (dim === shape.length) return shortestValue(data[offset]!, dtype);
    const n = shape[dim]!;
    const inner = stride / Math.max(n, 1);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(build(dim + 1, offset + i * inner, inner));
    return `[${parts.join(', ')}]`;
  };
  return build(0, 0, data.length);
}

/** The shortest decimal that reads back as the same value in the tensor's dtype. */
function shortestValue(v: number, dtype: DType): string {
  if (Object.is(v, -0)) return '-0';
  if (dtype !== 'float32' || !Number.isFinite(v)) return String(v);
  for (let digits = 1; digits < 9; digits++) {
    const s = String(Number(v.toPrecision(digits)));
    if (Math.fround(Number(s)) === v) return s;
  }
  return String(Number(v.toPrecision(9)));
}
