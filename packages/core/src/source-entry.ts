// The main entry as the workspace compiles and runs it (package.json's '@tensorgrad/source'
// condition): all of index.ts, plus the fast-check typing of op cases (CaseTools, CaseArbitrary)
// that '@tensorgrad/core/testing' adds. The published declarations come from index.ts alone, so
// they never need fast-check; but every program that compiles core's op sources needs the
// typing, and nn, data and the examples compile them through this entry.
import type {} from './testing/index.js';

export * from './index.js';
