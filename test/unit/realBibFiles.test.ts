import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BibEntry, BibFile, ParseResult, Range } from '../../server/src/service/model';
import { parseBibtex, resolveInheritance } from '../../server/src/service/parsers/bibtex';
import { LineIndex } from '../../server/src/service/text';

/**
 * The real files in shared/data/bib (see its ORIGINS.md), beside the project folder. Tests are
 * compiled to out/test/unit (or out-NAME/...), so walk up to the folder holding package.json first.
 */
function dataFolder(): string | undefined {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  const data = path.resolve(dir, '../shared/data/bib');
  return fs.existsSync(data) ? data : undefined;
}

const data = dataFolder();

function bibFiles(folder: string): string[] {
  return fs.readdirSync(folder).filter((f) => f.endsWith('.bib')).map((f) => path.join(folder, f));
}

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
  'bbt-unabbrev-1436-3.bib': { entries: 7166, errors: 0 },
  'biber-definitions.bib': { entries: 0, errors: 0 },
  'biber-papers.bib': { entries: 2157, errors: 0 },
  'biber-tdata-examples.bib': { entries: 132, errors: 0 },
  'biblatex-apa-test-references.bib': { entries: 283, errors: 0 },
  'biblatex-examples.bib': { entries: 92, errors: 0 },
  'cryptobib-abbrev0.bib': { entries: 0, errors: 0 },
  'cryptobib-conf-list.bib': { entries: 1411, errors: 0 },
  'cryptobib-misc.bib': { entries: 503, errors: 0 },
  'jabref-authors.bib': { entries: 212, errors: 0 },
  'jabref-complex.bib': { entries: 20, errors: 0 },
  'jabref-testjabref.bib': { entries: 156, errors: 0 },
  'tugboat.bib': { entries: 3644, errors: 0 },
};

describe('real .bib files', function () {
  this.timeout(60000);

  before(() => {
    // CI has ../shared beside the project, as every developer does: its absence is a failure, not a skip.
    assert.ok(data, 'shared/data/bib not found beside the project (expected at ../shared/data/bib)');
  });

  for (const sub of ['.', 'biber-tdata', 'tidy-tests']) {
    it(`parses every file in ${sub === '.' ? 'the top folder' : sub} without throwing, keys at their ranges`, () => {
      const files = bibFiles(path.join(data as string, sub));
      assert.ok(files.length > 0);
      assert.deepEqual(files.flatMap(problems), []);
    });
  }

  it('finds the expected number of entries and syntax errors in each main file', () => {
    const actual: Record<string, { entries: number; errors: number }> = {};
    for (const file of bibFiles(data as string)) {
      const { result } = parseFile(file);
      actual[path.basename(file)] = {
        entries: result.value.entries.length,
        errors: result.errors.filter((e) => e.severity === 'error').length,
      };
    }
    assert.deepEqual(actual, expected);
  });

  it('expands every macro of cryptobib with the strings of its abbreviation file', () => {
    const abbrev = parseFile(path.join(data as string, 'cryptobib-abbrev0.bib')).result.value.strings ?? {};
    assert.ok(Object.keys(abbrev).length > 10000);
    for (const name of ['cryptobib-conf-list.bib', 'cryptobib-misc.bib']) {
      const { result } = parseFile(path.join(data as string, name), abbrev);
      assert.deepEqual(result.errors.map((e) => e.message), [], name);
    }
    const { result } = parseFile(path.join(data as string, 'cryptobib-conf-list.bib'), abbrev);
    const unexpanded = result.value.entries.filter((e) => /^[a-z0-9-]+$/.test(e.fields.booktitle ?? 'Title'));
    assert.deepEqual(unexpanded.map((e) => e.key), []);
  });

  it("expands every macro of biber's papers with its definitions file", () => {
    const definitions = parseFile(path.join(data as string, 'biber-definitions.bib')).result.value.strings;
    const { result } = parseFile(path.join(data as string, 'biber-papers.bib'), definitions);
    assert.deepEqual(result.errors.map((e) => e.message), []);
    assert.ok(result.value.entries.every((e) => !/^[a-z]+$/.test(e.fields.journal ?? 'Journal')), 'a journal is still a macro name');
  });

  it("resolves biber's crossref and xdata test files, cycles included, with ids as aliases", () => {
    for (const name of ['crossrefs.bib', 'xdata.bib']) {
      const entries = parseFile(path.join(data as string, 'biber-tdata', name)).result.value.entries;
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

  it('reads a month macro inside a macro as a month name', () => {
    const abbrev = parseFile(path.join(data as string, 'cryptobib-abbrev0.bib')).result.value.strings;
    const { result } = parseFile(path.join(data as string, 'cryptobib-conf-list.bib'), abbrev);
    const months = new Set(result.value.entries.map((e) => e.fields.month?.split(' ')[0]).filter((m) => m));
    assert.ok([...months].every((m) => /^[A-Z][a-z]+$/.test(m as string)), [...months].join(', '));
  });
});
