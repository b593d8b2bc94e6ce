// Gradient checks as fast-check properties, reported so that the failure can be read from the
// thrown message alone. Three rules keep the report honest:
// - every case's first order is checked before any case's second order, so a first-order error
//   is reported before a second-order one, and a pass checks one order only, so shrinking
//   cannot turn a failure of one order into a failure of the other;
// - within an order, gross errors (≥ 10× the tolerance) are looked for first, on every case, and
//   only gross failures count while shrinking them: a gross error is never reported as, or
//   shrunk into, a borderline one (which may be finite-difference noise near a kink);
// - the thrown message leads with the checkGrads message (order, input, element, analytic vs
//   finite differences, input values), followed by fast-check's seed, path and counterexample.
import * as fc from 'fast-check';
import { checkNumber, checkOptions, optionKeys } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';
import { type CheckGradsOptions, GradCheckError, type GradCheckReport, checkGradsOfOrder } from './check-grads.js';

/** Options of `checkGradsProperty` and `checkRegisteredOp` that drive fast-check. */
export interface GradPropertyOptions {
  /** Cases to generate (default 12). */
  numRuns?: number;
  /** fast-check seed (default: random; the report names the one used, to replay a failure). */
  seed?: number;
}

/** Options of `checkGradsProperty`: checkGrads' options plus the number of cases and the seed. */
export type CheckGradsPropertyOptions = CheckGradsOptions & GradPropertyOptions;

const PROPERTY_OPTIONS = optionKeys<CheckGradsPropertyOptions>()(
  ['order', 'eps', 'rtol', 'atol', 'fullJacobianMax', 'directions', 'wrt', 'seed', 'numRuns'],
);

/** One generated gradient check: f at inputs, with checkGrads options other than order. */
export interface GradCase {
  /** The function whose gradients are checked. */
  f: (...xs: Tensor[]) => Tensor;
  /** Where the gradients are checked. */
  inputs: readonly Tensor[];
  /** checkGrads options for this case (tolerances, wrt...). */
  options?: Omit<CheckGradsOptions, 'order'>;
}

/** What a passing `checkGradsProperty` or `checkRegisteredOp` returns. */
export interface GradPropertyReport {
  /** Generated cases checked (per order). */
  runs: number;
  /** Scalar comparisons made over all cases and orders. */
  comparisons: number;
  /** Largest |analytic − numeric| seen. */
  maxAbsError: number;
}

/**
 * Property-tests f's gradients: for inputs drawn from `inputs` (e.g. fc.tuple(arb.tensor())),
 * runs checkGrads, first order on every case, then second order on every case (order 2).
 * options.seed seeds fast-check; the random cotangents and directions use checkGrads' default.
 */
export function checkGradsProperty(
  inputs: fc.Arbitrary<readonly Tensor[]>,
  f: (...xs: Tensor[]) => Tensor,
  options: CheckGradsPropertyOptions = {},
): GradPropertyReport {
  checkOptions('checkGradsProperty', options, PROPERTY_OPTIONS);
  const { order = 1, numRuns, seed, ...gradOptions } = options;
  return assertGradCases('checkGradsProperty', inputs, (xs) => ({ f, inputs: xs, options: gradOptions }), order, {
    ...(numRuns !== undefined && { numRuns }),
    ...(seed !== undefined && { seed }),
  });
}

/** The engine of checkGradsProperty and checkRegisteredOp; `label` names the caller in messages. */
export function assertGradCases<C>(
  label: string,
  cases: fc.Arbitrary<C>,
  toCheck: (c: C) => GradCase,
  order: 1 | 2,
  run: GradPropertyOptions,
): GradPropertyReport {
  const numRuns = run.numRuns ?? 12;
  const seed = run.seed ?? (Date.now() ^ (Math.random() * 0x100000000));
  checkNumber(label, 'numRuns', numRuns, { min: 1, integer: true });
  checkNumber(label, 'seed', seed, { integer: true });
  const totals: GradPropertyReport = { runs: numRuns, comparisons: 0, maxAbsError: 0 };
  const check = (c: C, o: 1 | 2): void => {
    const { f, inputs, options = {} } = toCheck(c);
    add(totals, checkGradsOfOrder(f, inputs, options, o));
  };
  checkOrder(label, cases, (c) => check(c, 1), numRuns, seed);
  if (order === 2) {
    // Same seed, so the same cases: all passed at first order. A candidate tried while shrinking
    // a second-order failure may fail at first order; that is reported first, after the pass.
    let firstOrder: { c: C; error: unknown } | undefined;
    const secondOnly = (c: C): void => {
      try {
        check(c, 2);
      } catch (second) {
        try {
          check(c, 1);
        } catch (first) {
          firstOrder ??= { c, error: first };
          return;
        }
        throw second;
      }
    };
    let secondFailure: unknown;
    try {
      checkOrder(label, cases, secondOnly, numRuns, seed);
    } catch (e) {
      secondFailure = e;
    }
    if (firstOrder !== undefined) {
      throw reportFailure(
        label,
        firstOrder.error,
        `Found at a case tried while shrinking a second-order failure (every generated case had passed at first order; seed ${seed}).\n` +
          `Counterexample: ${fc.stringify(firstOrder.c)}`,
      );
    }
    if (secondFailure !== undefined) throw secondFailure;
  }
  return totals;
}

/** Runs the cases through one order's check: gross failures first, then borderline ones. */
function checkOrder<C>(label: string, cases: fc.Arbitrary<C>, check: (c: C) => void, numRuns: number, seed: number): void {
  if (runPass(label, cases, check, numRuns, seed, true)) runPass(label, cases, check, numRuns, seed, false);
}

/**
 * One fc.check over the cases; a failure is rethrown with its message in front. With grossOnly,
 * borderline GradCheckErrors pass (so shrinking stays among gross failures) and the return
 * value says whether one was seen.
 */
function runPass<C>(label: string, cases: fc.Arbitrary<C>, check: (c: C) => void, numRuns: number, seed: number, grossOnly: boolean): boolean {
  let borderlineSeen = false;
  const property = fc.property(cases, (c) => {
    try {
      check(c);
    } catch (e) {
      if (!grossOnly || isGross(e)) throw e;
      borderlineSeen = true;
    }
  });
  const details = fc.check(property, { numRuns, seed });
  if (details.failed) {
    throw reportFailure(label, details.errorInstance, fc.defaultReportMessage(details) ?? 'fast-check reported a failure without details');
  }
  return borderlineSeen;
}

/** A GradCheckError off by at least 10× its tolerance (or NaN), or any other error. */
function isGross(e: unknown): boolean {
  return !(e instanceof GradCheckError) || !(Math.abs(e.analytic - e.numeric) < 10 * e.tolerance);
}

function add(totals: GradPropertyReport, r: GradCheckReport): void {
  totals.comparisons += r.comparisons;
  totals.maxAbsError = Math.max(totals.maxAbsError, r.maxAbsError);
}

/** The failure's own message first (what a test runner shows), then where fast-check found it. */
function reportFailure(label: string, error: unknown, where: string): Error {
  if (error instanceof GradCheckError) return new GradCheckError(`${label}: ${error.message}\n\n${where}`, error, error);
  const wrapped = new Error(`${label}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n\n${where}`);
  wrapped.cause = error;
  return wrapped;
}
