// '@tensorgrad/core/testing/poison-uninitialized': a mocha root-hook file ("require" in .mocharc)
// that turns setUninitializedPoison on before any test file loads, so every test runs with
// uninitialised arrays filled with NaN and a kernel that reads an element of its output that it
// did not write fails the test instead of depending on what the memory held (fresh arrays on
// Node are not zero-filled: tensor/limits.ts). Every tensorgrad package's test suite loads it.
// Imports storage directly, not the testing entry, so it needs no fast-check.
import { setUninitializedPoison } from '../tensor/storage.js';

setUninitializedPoison(true);

/** Mocha root hooks: none besides the setting above, made at load. */
export const mochaHooks = {};
