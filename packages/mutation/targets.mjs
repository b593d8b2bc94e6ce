// What `pnpm mutation` mutates: core's ops and nn's optimizers, each tested by its own package's
// whole mocha suite (coverage per test picks the tests that reach a mutant).
export const targets = {
  core: {
    label: 'core ops and CPU kernels',
    dir: 'packages/core',
    mutate: ['src/ops/**/*.ts', 'src/backend/**/*.ts'],
    // Tests and the shared case generators only make test data; rule-table.ts is measured data
    // written by bench/conv-rule.ts (2,000 static mutants of rows); the wasm module is generated.
    exclude: ['src/**/*.test.ts', 'src/ops/**/cases.ts', 'src/backend/cpu/conv/rule-table.ts', 'src/backend/cpu/wasm/*.generated.ts'],
  },
  nn: {
    label: 'nn optimizers',
    dir: 'packages/nn',
    mutate: ['src/optim/**/*.ts'],
    exclude: ['src/optim/**/*.test.ts'],
  },
};
