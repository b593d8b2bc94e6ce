import assert from 'node:assert/strict';
import { formatSummary, score, summarize } from './summary.mjs';
import { testDataIgnorer } from './test-data-ignorer.mjs';

const at = (line, column, endColumn) => ({ start: { line, column }, end: { line, column: endColumn } });
const report = {
  files: {
    'src/ops/b/two.ts': {
      source: 'const a = x > 0;\nreturn a;\n',
      mutants: [
        // Listed out of order: the summary sorts survivors by place.
        { status: 'Survived', mutatorName: 'Identifier', replacement: 'b', location: at(2, 8, 9) },
        { status: 'Survived', mutatorName: 'EqualityOperator', replacement: 'x >= 0', location: at(1, 11, 16) },
        { status: 'Killed', mutatorName: 'BooleanLiteral', replacement: 'true', location: at(1, 11, 16) },
      ],
    },
    'src/ops/a/one.ts': {
      source: "f('name');\n",
      mutants: [
        { status: 'Killed', location: at(1, 3, 9) },
        { status: 'Timeout', location: at(1, 3, 9) },
        { status: 'NoCoverage', static: true, mutatorName: 'StringLiteral', replacement: '""', location: at(1, 3, 9) },
        { status: 'Ignored', location: at(1, 3, 9) },
        { status: 'Ignored', static: true, location: at(1, 3, 9) },
        { status: 'RuntimeError', location: at(1, 3, 9) },
        { status: 'CompileError', location: at(1, 3, 9) },
      ],
    },
  },
};

describe('mutation summary', () => {
  it('counts per file, per folder and in total; timeouts count as killed, invalid, test-data and skipped static mutants not at all', () => {
    const s = summarize(report, 'packages/core/');
    assert.deepEqual(s.files.map((f) => f.path), ['packages/core/src/ops/a/one.ts', 'packages/core/src/ops/b/two.ts']);
    assert.deepEqual(s.folders[0], { path: 'packages/core/src/ops/a', counts: { killed: 1, timeout: 1, survived: 0, noCoverage: 1, ignored: 1, static: 1, errors: 2, pending: 0 } });
    assert.deepEqual(s.total, { killed: 2, timeout: 1, survived: 2, noCoverage: 1, ignored: 1, static: 1, errors: 2, pending: 0 });
    assert.equal(score(s.total), 50); // (2 killed + 1 timeout) / (3 + 2 survived + 1 no coverage)
    assert.equal(score(s.folders[0].counts), (100 * 2) / 3);
    assert.equal(score({ killed: 0, timeout: 0, survived: 0, noCoverage: 0 }), null);
  });

  it('lists survivors and uncovered mutants by place, with the code they replace', () => {
    const s = summarize(report, 'packages/core/');
    assert.deepEqual(
      s.survivors.map((m) => [m.path, m.line, m.column, m.status, m.static, m.original, m.replacement]),
      [
        ['packages/core/src/ops/a/one.ts', 1, 3, 'NoCoverage', true, "'name'", '""'],
        ['packages/core/src/ops/b/two.ts', 1, 11, 'Survived', false, 'x > 0', 'x >= 0'],
        ['packages/core/src/ops/b/two.ts', 2, 8, 'Survived', false, 'a', 'b'],
      ],
    );
    const text = formatSummary('core ops', s);
    assert.match(text, /^== core ops: mutation score 50\.0%/);
    assert.match(text, /packages\/core\/src\/ops\/b\/two\.ts:1:11 EqualityOperator: x > 0 {2}-> {2}x >= 0/);
    assert.match(text, /one\.ts:1:3 \[no coverage\] \[static\] StringLiteral/);
  });

  it('rejects a status it does not know instead of miscounting', () => {
    const bad = { files: { 'x.ts': { source: '', mutants: [{ status: 'Exploded', location: at(1, 1, 1) }] } } };
    assert.throws(() => summarize(bad), /unknown mutant status Exploded/);
  });
});

describe('test-data ignorer', () => {
  const ignored = (node) => testDataIgnorer.shouldIgnore({ node });
  const id = (name) => ({ type: 'Identifier', name });
  it('ignores an op\'s `cases` property and `...Cases` helpers', () => {
    assert.match(ignored({ type: 'ObjectProperty', computed: false, key: id('cases') }), /test data/);
    assert.match(ignored({ type: 'ObjectMethod', computed: false, key: id('cases') }), /test data/);
    assert.match(ignored({ type: 'FunctionDeclaration', id: id('convCases') }), /test data/);
    assert.match(ignored({ type: 'VariableDeclarator', id: id('dimCases') }), /test data/);
  });
  it('keeps everything else, including forward and vjp', () => {
    assert.equal(ignored({ type: 'ObjectProperty', computed: false, key: id('forward') }), undefined);
    assert.equal(ignored({ type: 'ObjectProperty', computed: true, key: id('cases') }), undefined);
    assert.equal(ignored({ type: 'FunctionDeclaration', id: id('casesFor') }), undefined);
    assert.equal(ignored({ type: 'VariableDeclarator', id: id('showcase') }), undefined);
    assert.equal(ignored({ type: 'FunctionDeclaration', id: null }), undefined);
  });
});
