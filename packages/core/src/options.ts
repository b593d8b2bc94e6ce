// Strict options: every options object of the public API (core, nn, data, the training CLI) is
// checked by this one mechanism. An unknown key throws an ArgumentError naming the function,
// the key, the accepted keys and, for near misses and snake_case, the key that was meant:
// `new Adam(ps, { weight_decay: 0.1 })` must not train silently without weight decay.
import { ArgumentError } from './errors.js';

/**
 * The accepted keys of an options type, listed once beside the function that takes it. The
 * type check makes the list exhaustive: adding a key to the interface without listing it here
 * fails to compile, so an accepted option can never be rejected by mistake.
 */
export function optionKeys<T extends object>() {
  return <const K extends readonly (keyof T & string)[]>(
    keys: K & ([Exclude<keyof T & string, K[number]>] extends [never] ? unknown : { missing: Exclude<keyof T & string, K[number]> }),
  ): readonly (keyof T & string)[] => keys;
}

/**
 * Throws unless `options` is undefined or a plain object whose own keys are all in `accepted`.
 * `fn` is how the caller is named in the message (`conv2d`, `Adam`, `DataLoader`).
 */
export function checkOptions(fn: string, options: unknown, accepted: readonly string[], argument = 'options'): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ArgumentError(`${fn}: ${argument} must be an object with keys among ${listKeys(accepted)}, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (accepted.includes(key)) continue;
    const hint = suggestKey(key, accepted);
    throw new ArgumentError(
      `${fn}: unknown option '${key}' in ${argument}${hint === undefined ? '' : ` (did you mean '${hint}'?)`}; accepted: ${listKeys(accepted)}`,
    );
  }
}

/** The accepted key a user most likely meant by `key`, if any is close enough. */
export function suggestKey(key: string, accepted: readonly string[]): string | undefined {
  const folded = fold(key);
  const exact = accepted.find((a) => fold(a) === folded);
  if (exact !== undefined) return exact; // weight_decay, WeightDecay, weight-decay → weightDecay
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const a of accepted) {
    const d = editDistance(folded, fold(a));
    if (d < bestDistance) [best, bestDistance] = [a, d];
  }
  // A typo, not another word: at most 2 edits, and fewer than a third of the key's letters.
  return best !== undefined && bestDistance <= 2 && bestDistance * 3 <= Math.max(folded.length, 1) + 2 ? best : undefined;
}

const fold = (key: string): string => key.replace(/[_\-\s]/g, '').toLowerCase();
const listKeys = (keys: readonly string[]): string => (keys.length === 0 ? '(none)' : keys.join(', '));

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  return typeof v === 'object' ? (v as object).constructor?.name ?? 'object' : `${typeof v} ${String(v)}`;
}

/** Levenshtein distance with adjacent transpositions (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d = new Array<number>(rows * cols);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1]!;
}

/** What a numeric argument must satisfy; bounds are inclusive unless marked exclusive. */
export interface NumberRule {
  /** Lower bound (inclusive unless `minExclusive`). */
  min?: number;
  /** Upper bound (inclusive unless `maxExclusive`). */
  max?: number;
  /** The lower bound itself is not allowed (lr > 0). */
  minExclusive?: boolean;
  /** The upper bound itself is not allowed (dropout p < 1). */
  maxExclusive?: boolean;
  /** The value must be an integer. */
  integer?: boolean;
}

/**
 * Throws an ArgumentError unless `value` is a finite number within the rule: NaN and ±Infinity
 * hyperparameters are never accepted (`lr: Infinity` must not drive weights to -Infinity).
 */
export function checkNumber(fn: string, name: string, value: unknown, rule: NumberRule = {}): void {
  const { min, max, minExclusive = false, maxExclusive = false, integer = false } = rule;
  const ok =
    typeof value === 'number' && Number.isFinite(value) && (!integer || Number.isInteger(value)) &&
    (min === undefined || (minExclusive ? value > min : value >= min)) &&
    (max === undefined || (maxExclusive ? value < max : value <= max));
  if (ok) return;
  const bounds = [
    min === undefined ? '' : `${minExclusive ? '>' : '>='} ${min}`,
    max === undefined ? '' : `${maxExclusive ? '<' : '<='} ${max}`,
  ].filter((s) => s !== '').join(' and ');
  const kind = integer ? 'a finite integer' : 'a finite number';
  throw new ArgumentError(`${fn}: ${name} must be ${kind}${bounds === '' ? '' : ` ${bounds}`}, got ${typeof value === 'number' ? value : describe(value)}`);
}

// Names other libraries give to choices of this API (NumPy's np.pad modes, 'reflection', F.pad's
// 'constant' against nn.Conv2d's 'zeros'), for checkChoice's suggestion.
const OTHER_NAMES: ReadonlyMap<string, readonly string[]> = new Map([
  ['reflection', ['reflect']], ['replication', ['replicate']], ['edge', ['replicate']], ['wrap', ['circular']],
  ['zeros', ['constant']], ['zero', ['constant', 'zeros']], ['constant', ['zeros']],
]);

/**
 * Throws an ArgumentError unless `value` is one of `choices` (a mode, a reduction), suggesting the
 * one meant: another case, a near miss, or another library's name for it (NumPy's 'edge' →
 * 'replicate', 'constant' → 'zeros').
 */
export function checkChoice<C extends string>(fn: string, name: string, value: unknown, choices: readonly C[]): asserts value is C {
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return;
  const folded = typeof value === 'string' ? value.toLowerCase() : undefined;
  const hint =
    folded === undefined ? undefined
    : choices.find((c) => c === folded || (OTHER_NAMES.get(folded) ?? []).includes(c)) ?? suggestKey(folded, choices);
  throw new ArgumentError(
    `${fn}: ${name} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${typeof value === 'string' ? `'${value}'` : value === undefined ? 'undefined' : describe(value)}${hint === undefined ? '' : ` (did you mean '${hint}'?)`}`,
  );
}

/** Throws an ArgumentError unless a boolean option is true, false or left out (`ceilMode: 'yes'`). */
export function checkBoolean(fn: string, name: string, value: unknown): void {
  if (value === undefined || typeof value === 'boolean') return;
  throw new ArgumentError(`${fn}: ${name} must be true or false, got ${typeof value === 'number' ? value : describe(value)}`);
}
