// A Stryker ignorer: mutants inside an op's `cases` (the fast-check arbitrary that feeds the
// generic gradient test) or inside a `...Cases` helper only change test data, never the op, so
// they are left out of the score instead of surviving as noise.
import { PluginKind, declareValuePlugin } from '@stryker-mutator/api/plugin';

const CASES = /Cases$/;

function isCasesProperty(node) {
  if ((node.type !== 'ObjectProperty' && node.type !== 'ObjectMethod') || node.computed) return false;
  return (node.key.type === 'Identifier' && node.key.name === 'cases') || (node.key.type === 'StringLiteral' && node.key.value === 'cases');
}

function isCasesHelper(node) {
  if (node.type === 'FunctionDeclaration') return node.id !== null && node.id !== undefined && CASES.test(node.id.name);
  return node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && CASES.test(node.id.name);
}

export const testDataIgnorer = {
  // Stryker ignores the returned node and everything inside it.
  shouldIgnore(path) {
    if (isCasesProperty(path.node)) return 'test data: an op\'s `cases` arbitrary';
    if (isCasesHelper(path.node)) return 'test data: a `...Cases` arbitrary helper';
    return undefined;
  },
};

export const strykerPlugins = [declareValuePlugin(PluginKind.Ignore, 'test-data', testDataIgnorer)];
