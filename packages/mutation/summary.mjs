// Turns a Stryker JSON report (mutation-testing-report-schema) into per-file and per-folder
// counts, the score, and the list of surviving mutants with the code they replace.

// Stryker's mutation score: killed (timeouts count as killed: a mutant that hangs a test is
// detected) over all mutants that ran or had no test; ignored mutants and mutants that do not
// run (compile/runtime errors) are left out.
export function score(c) {
  const detected = c.killed + c.timeout;
  const total = detected + c.survived + c.noCoverage;
  return total === 0 ? null : (100 * detected) / total;
}

const STATUS_KEYS = {
  Killed: 'killed',
  Timeout: 'timeout',
  Survived: 'survived',
  NoCoverage: 'noCoverage',
  Ignored: 'ignored',
  CompileError: 'errors',
  RuntimeError: 'errors',
  Pending: 'pending',
};

const empty = () => ({ killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 0, static: 0, errors: 0, pending: 0 });

// An ignored static mutant was skipped for its cost (ignoreStatic), not excluded as test data.
function count(counts, { status, static: isStatic }) {
  const key = STATUS_KEYS[status];
  if (key === undefined) throw new Error(`unknown mutant status ${status}`);
  counts[key === 'ignored' && isStatic === true ? 'static' : key]++;
}

function snippet(source, { start, end }) {
  const lines = source.split('\n');
  if (start.line !== end.line) return `${lines[start.line - 1].slice(start.column - 1).trim()} …`;
  return lines[start.line - 1].slice(start.column - 1, end.column - 1);
}

/** { files: [{ path, counts }], folders: [{ path, counts }], total, survivors } for one report. */
export function summarize(report, prefix = '') {
  const files = [];
  const folders = new Map();
  const total = empty();
  const survivors = [];
  for (const [file, { source, mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
    const path = prefix + file;
    const folder = path.slice(0, path.lastIndexOf('/'));
    const counts = empty();
    if (!folders.has(folder)) folders.set(folder, empty());
    for (const m of mutants) {
      for (const c of [counts, folders.get(folder), total]) count(c, m);
      if (m.status === 'Survived' || m.status === 'NoCoverage') {
        const { line, column } = m.location.start;
        survivors.push({ path, line, column, status: m.status, static: m.static === true, mutator: m.mutatorName, original: snippet(source, m.location), replacement: m.replacement ?? '' });
      }
    }
    files.push({ path, counts });
  }
  survivors.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line || a.column - b.column);
  return { files, folders: [...folders].map(([path, counts]) => ({ path, counts })), total, survivors };
}

const pct = (s) => (s === null ? '   -  ' : `${s.toFixed(1).padStart(5)}%`);
const row = (name, c) =>
  `${name.padEnd(58)} ${[c.killed, c.timeout, c.survived, c.noCoverage, c.ignored, c.static, c.errors].map((n) => String(n).padStart(6)).join(' ')}  ${pct(score(c))}`;
const HEADER = `${'where'.padEnd(58)}   kill   tout   surv  nocov    ign   stat    err   score`;

/** Text tables: per folder, per file, the target's total, then the surviving mutants. */
export function formatSummary(label, s, { survivors = true } = {}) {
  const out = [`== ${label}: mutation score ${pct(score(s.total)).trim()} (kill = killed, tout = timeout (counts as killed), nocov = no test reaches it, ign = test data, stat = static, skipped, err = invalid mutant)`, HEADER];
  for (const f of s.folders) out.push(row(f.path + '/', f.counts));
  out.push(row(`TOTAL ${label}`, s.total), '', HEADER);
  for (const f of s.files) out.push(row(f.path, f.counts));
  if (survivors && s.survivors.length > 0) {
    out.push('', `surviving mutants (${s.survivors.length}):`);
    for (const m of s.survivors) {
      const tags = `${m.status === 'NoCoverage' ? '[no coverage] ' : ''}${m.static ? '[static] ' : ''}`;
      out.push(`${m.path}:${m.line}:${m.column} ${tags}${m.mutator}: ${m.original.trim()}  ->  ${m.replacement.trim()}`);
    }
  }
  return out.join('\n');
}
