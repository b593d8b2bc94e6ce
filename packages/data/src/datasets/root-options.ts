import { ArgumentError, checkOptions } from '@tensorgrad/core';
import { checkBoolean, checkPath } from '../check.js';

/**
 * The checked `{ root, train }` options of a dataset reader (train defaults to true). Checked
 * before any file is read, so `{ train: 'false' }` cannot load the training set silently.
 */
export function rootAndTrain(
  fn: string,
  options: { root?: string; train?: boolean } | undefined,
  accepted: readonly string[],
  rootRequired: boolean,
): { root: string | undefined; train: boolean } {
  if (options === undefined && rootRequired) throw new ArgumentError(`${fn}: options with a root directory are required, e.g. ${fn}({ root: '/data/${fn}' })`);
  checkOptions(fn, options, accepted);
  const { root, train = true } = options ?? {};
  if (root !== undefined || rootRequired) checkPath(fn, 'root', root);
  checkBoolean(fn, 'train', train);
  return { root, train };
}
