// What `pnpm mutation` mutates: core's ops and nn's optimizers, each tested by its own package's
// whole mocha suite (coverage per test picks the tests that reach a mutant).
export const targets = {
  core: {
    label: 'core ops',
    dir: 'packages/core',
    mutate: ['src/ops/**/*.ts'],
    // Tests, the conv strategy timing script and the shared case generators only make test data;
    // rule-table.ts is measured data written by bench/conv-rule.ts (2,000 static mutants of rows).
    exclude: ['src/ops/**/*.test.ts', 'src/ops/**/cases.ts', 'src/ops/conv/strategy-bench.ts', 'src/ops/conv/rule-table.ts'],
  },
  nn: {
    label: 'nn optimizers',
    dir: 'packages/nn',
    mutate: ['src/optim/**/*.ts'],
    exclude: ['src/optim/**/*.test.ts'],
  },
};
