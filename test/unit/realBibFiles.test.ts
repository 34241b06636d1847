import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BibEntry, BibFile, ParseResult, Range } from '../../server/src/service/model';
import { parseBibtex, resolveInheritance } from '../../server/src/service/parsers/bibliography/bibtex';
import { LineIndex } from '../../server/src/service/text';
import { projectRoot, realBibDir, realBibFiles as bibFiles } from '../paths';

function parseFile(file: string, strings?: Record<string, string>): { text: string; result: ParseResult<BibFile> } {
  const text = fs.readFileSync(file, 'utf8');
  return { text, result: parseBibtex(text, strings ? { strings } : undefined) };
}

/** What must hold of any parse: keys at their ranges, entries starting at `@`, errors coded. */
function problems(file: string): string[] {
  const { text, result } = parseFile(file);
  const lines = new LineIndex(text);
  const slice = (r: Range): string => text.slice(lines.offsetAt(r.start), lines.offsetAt(r.end));
  const name = path.basename(file);
  const out: string[] = [];
  for (const e of result.value.entries) {
    if (e.key === '' || slice(e.keyRange) !== e.key) out.push(`${name}: key '${e.key}' is not at its keyRange`);
    if (!slice(e.range).startsWith('@')) out.push(`${name}: entry '${e.key}' does not start with '@'`);
    if (!slice(e.range).includes(e.key)) out.push(`${name}: entry '${e.key}' range does not hold its key`);
  }
  for (const e of result.errors) if (e.code !== 'bib.syntax') out.push(`${name}: error code ${e.code}`);
  return out;
}

/**
 * Entries (and syntax errors, not warnings) in the main files. The counts were checked against
 * an independent count of `@type{` / `@type(` headers that are not @string/@preamble/@comment
 * (with grep and a Python regex); where they first disagreed, the parser was right:
 * - bbt-mendeley-idiocy.bib has 512 headers, but 37 are `@article{,` with an empty key: each is an
 *   error, not an entry (512 - 37 = 475). A `[A-Za-z]+` grep also misses types like `@web_page{`.
 * - bbt-jabref-groups-97.bib: a count of `@word{` anywhere gives 913, but two of them are
 *   `\@ifundefined{...}` inside the @preamble.
 */
const expected: Record<string, { entries: number; errors: number }> = {
  'bbt-discarded-873.bib': { entries: 988, errors: 0 },
  'bbt-jabref-groups-97.bib': { entries: 911, errors: 0 },
  'bbt-mendeley-idiocy.bib': { entries: 475, errors: 37 },
  'bbt-unabbrev-1436-2.bib': { entries: 1053, errors: 0 },
  'biber-definitions.bib': { entries: 0, errors: 0 },
  'biber-papers.bib': { entries: 2157, errors: 0 },
  'biblatex-apa-test-references.bib': { entries: 283, errors: 0 },
  'biblatex-examples.bib': { entries: 92, errors: 0 },
  'jabref-authors.bib': { entries: 212, errors: 0 },
  'jabref-complex.bib': { entries: 20, errors: 0 },
  'jabref-testjabref.bib': { entries: 156, errors: 0 },
  'tugboat-1980-1987.bib': { entries: 551, errors: 0 },
};

describe('real .bib files', function () {
  this.timeout(60000);

  for (const sub of ['.', 'biber-tdata', 'tidy-tests']) {
    it(`parses every file in ${sub === '.' ? 'the top folder' : sub} without throwing, keys at their ranges`, () => {
      const files = bibFiles(path.join(realBibDir, sub));
      assert.ok(files.length > 0);
      assert.deepEqual(files.flatMap(problems), []);
    });
  }

  it('finds the expected number of entries and syntax errors in each main file', () => {
    const actual: Record<string, { entries: number; errors: number }> = {};
    for (const file of bibFiles()) {
      const { result } = parseFile(file);
      actual[path.basename(file)] = {
        entries: result.value.entries.length,
        errors: result.errors.filter((e) => e.severity === 'error').length,
      };
    }
    assert.deepEqual(actual, expected);
  });

  it("expands every macro of biber's papers with its definitions file", () => {
    const definitions = parseFile(path.join(realBibDir, 'biber-definitions.bib')).result.value.strings;
    const { result } = parseFile(path.join(realBibDir, 'biber-papers.bib'), definitions);
    assert.deepEqual(result.errors.map((e) => e.message), []);
    assert.ok(result.value.entries.every((e) => !/^[a-z]+$/.test(e.fields.journal ?? 'Journal')), 'a journal is still a macro name');
  });

  it("resolves biber's crossref and xdata test files, cycles included, with ids as aliases", () => {
    for (const name of ['crossrefs.bib', 'xdata.bib']) {
      const entries = parseFile(path.join(realBibDir, 'biber-tdata', name)).result.value.entries;
      const byKey = new Map<string, BibEntry>();
      for (const e of entries) {
        byKey.set(e.key, e);
        for (const alias of (e.fields.ids ?? '').split(',')) if (alias.trim()) byKey.set(alias.trim(), e);
      }
      resolveInheritance(entries, (key) => byKey.get(key));
      if (name === 'xdata.bib') {
        const xd1 = byKey.get('xd1') as BibEntry;
        assert.equal(xd1.fields.publisher, 'Macmillan');
        assert.equal(xd1.fields.location, 'New York and London');
        assert.equal(xd1.fields.ids, undefined, 'ids is never inherited');
      } else {
        assert.equal(byKey.get('circ1')?.year, '1911');
      }
    }
  });

  it("expands TUGboat's own @string macros (journal, acknowledgement) and keeps its months as month names", () => {
    const { result } = parseFile(path.join(realBibDir, 'tugboat-1980-1987.bib'));
    const entries = result.value.entries;
    assert.ok(entries.every((e) => e.fields.journal === undefined || e.fields.journal === 'TUGboat'), 'a journal is not TUGboat');
    assert.ok(entries.some((e) => /Beebe/.test(e.fields.acknowledgement ?? '')));
    const months = new Set(entries.map((e) => e.fields.month).filter((m): m is string => !!m));
    assert.ok([...months].every((m) => /^[A-Z][a-z]+(?:[–-][A-Z][a-z]+)?$/.test(m)), [...months].join(', '));
  });
});

describe("the benchmark's large-library generator", () => {
  it('writes exactly N entries of the vendored files, the same bytes each time, with every inheritance target renamed along', function () {
    this.timeout(60000);
    const generator = path.join(projectRoot, 'bench', 'make-large-bib.mjs');
    const run = (): string => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'entente-large-'));
      try {
        execFileSync(process.execPath, [generator, out, '12500'], { stdio: 'ignore' });
        return fs.readFileSync(path.join(out, 'large-12500.bib'), 'utf8');
      } finally {
        fs.rmSync(out, { recursive: true, force: true });
      }
    };
    const text = run();
    assert.equal(text, run());
    const { value, errors } = parseBibtex(text);
    assert.equal(value.entries.length, 12500);
    assert.deepEqual(errors.filter((e) => e.severity === 'error').map((e) => e.message).slice(0, 5), []);
    // 12,500 entries need a second copy of the real ones: its keys are new, and its crossrefs point at its own parents.
    const keys = new Set(value.entries.map((e) => e.key));
    assert.ok([...keys].some((k) => k.endsWith('-c1')));
    const parents = value.entries.filter((e) => e.key.endsWith('-c1') && e.crossref);
    assert.ok(parents.length >= 1, `${parents.length} entries of the second copy with a crossref`);
    const elsewhere = parents.filter((e) => !(e.crossref as string).endsWith('-c1') || !keys.has(e.crossref as string));
    assert.deepEqual(elsewhere.map((e) => `${e.key} -> ${e.crossref}`), []);
  });
});
