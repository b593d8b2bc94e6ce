// Loaded by .mocharc's "require" before any test file: every test runs with uninitialised arrays
// filled with NaN (setUninitializedPoison), so a kernel that reads an element of its output that
// it did not write fails the test instead of depending on what the memory held (fresh arrays on
// Node are not zero-filled: tensor/limits.ts).
import { setUninitializedPoison } from './index.js';

setUninitializedPoison(true);

/** Mocha root hooks: none besides the setting above, made at load. */
export const mochaHooks = {};
