// Loaded by .mocharc's "require" before any test file: nn's tests run with core's uninitialised
// arrays filled with NaN (setUninitializedPoison), as core's do, so no kernel a model uses can
// read an output element it did not write without a test failing.
import { setUninitializedPoison } from '@tensorgrad/core/testing';

setUninitializedPoison(true);

/** Mocha root hooks: none besides the setting above, made at load. */
export const mochaHooks = {};
