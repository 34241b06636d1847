import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as fc from 'fast-check';
import type { BibEntry, BibFile, ParseResult } from '../../server/src/service/model';
import { parseBibtex, resolveInheritance, type BibtexState } from '../../server/src/service/parsers/bibliography/bibtex';
import { LineIndex } from '../../server/src/service/text';
import { commonPrefix, commonSuffix, reparseBibtex } from '../../server/src/service/parsers/bibliography/bibtexIncremental';
import { realBibDir } from '../paths';

/** A full parse as the bibliography store does it: entries, then crossref/xdata inheritance. */
function full(text: string): { result: ParseResult<BibFile>; state: BibtexState } {
  const parsed = parseBibtex(text);
  const byKey = new Map<string, BibEntry>();
  for (const e of parsed.value.entries) if (!byKey.has(e.key)) byKey.set(e.key, e);
  resolveInheritance(parsed.value.entries, (k) => byKey.get(k));
  assert.ok(parsed.state, 'a parse without internal errors keeps its state');
  return { result: parsed, state: parsed.state };
}

/** Everything a parse shows of its entries and errors, as one comparable value. */
function observable(result: ParseResult<BibFile>): unknown {
  return {
    entries: result.value.entries.map((e) => ({
      key: e.key, type: e.type, keyRange: e.keyRange, range: e.range, fields: e.fields, rawFields: e.rawFields,
      authors: e.authors, editors: e.editors, year: e.year, title: e.title, crossref: e.crossref, xdata: e.xdata,
    })),
    errors: result.errors,
    strings: result.value.strings,
  };
}

const reasons: Record<string, number> = {};

/** Re-parses `next` from `state`; when the re-parse applies, checks it against a full parse. Returns the state to go on from. */
function step(state: BibtexState, next: string): { state: BibtexState; incremental: boolean } {
  const expected = full(next);
  const reparse = reparseBibtex(state, next);
  if (!('result' in reparse)) {
    reasons[reparse.fullParse] = (reasons[reparse.fullParse] ?? 0) + 1;
    return { state: expected.state, incremental: false };
  }
  assert.deepEqual(observable(reparse.result), observable(expected.result));
  return { state: reparse.state, incremental: true };
}

const refs = fs.readFileSync(path.join(__dirname, '../../../examples/nfm-paper/refs.bib'), 'utf8');

/** A vendored real file, cut after the entry that reaches 150 kB (every step parses it whole twice). */
function realFile(name: string): string {
  const text = fs.readFileSync(path.join(realBibDir, name), 'utf8');
  const cut = text.indexOf('\n@', 150_000);
  return cut < 0 ? text : text.slice(0, cut + 1);
}

describe('incremental BibTeX re-parse', () => {
  it('reads again only the entry whose title changed, and keeps the other entry objects', () => {
    const { result, state } = full(refs);
    const target = result.value.entries[8];
    const at = refs.indexOf('title', refs.indexOf(target.key)) + 'title'.length;
    const next = refs.slice(0, at) + refs.slice(at).replace('{', '{Revised ');
    const reparse = reparseBibtex(state, next);
    assert.ok('result' in reparse);
    assert.deepEqual(reparse.removed.map((e) => e.key), [target.key]);
    assert.deepEqual(reparse.added.map((e) => e.key), [target.key]);
    assert.match(reparse.added[0].title ?? '', /^Revised /);
    assert.equal(reparse.result.value.entries[0], result.value.entries[0]);
    assert.equal(reparse.result.value.entries[18], result.value.entries[18]);
    assert.deepEqual(observable(reparse.result), observable(full(next).result));
  });

  it('lets the replaced entries go of the old text, keeping their positions, and copies what the new ones read', () => {
    const { result, state } = full(refs);
    void state.source.lines; // built: the replaced entry can keep its real positions
    const target = result.value.entries[8];
    const before = { keyRange: target.keyRange, range: target.range, title: target.title };
    const at = refs.indexOf('title', refs.indexOf(target.key)) + 'title'.length;
    const next = refs.slice(0, at) + refs.slice(at).replace('{', '{Again ');
    const reparse = reparseBibtex(state, next);
    assert.ok('result' in reparse);
    assert.deepEqual(reparse.removed, [target]);
    assert.deepEqual({ keyRange: target.keyRange, range: target.range, title: target.title }, before);
    assert.notEqual(reparse.removed[0].source, state.source);
    assert.equal(reparse.state.entries[0].source, reparse.state.source, 'kept entries move to the new text');
    assert.deepEqual(reparse.added[0].rawFields, full(next).result.value.entries[8].rawFields);
  });

  it('shifts the ranges and errors after a change that adds lines', () => {
    const text = '@book{a, title = {A}}\n@book{b, title = {B}, publisher = later}\n@book{c, title = {C}}\n';
    const { state } = full(text);
    const next = text.replace('{A}', '{A\n\nmore}');
    const out = step(state, next);
    assert.ok(out.incremental);
    assert.equal(out.state.errors.length, 1); // the unknown macro, two lines further down
  });

  it('reads an entry added at the end, and one whose closing brace was removed', () => {
    const { state } = full(refs);
    const added = step(state, `${refs}\n@misc{new2025, title = {New}, year = 2025}\n`);
    assert.ok(added.incremental);
    const unclosed = refs.replace(/\}\s*$/, '\n');
    assert.ok(step(added.state, unclosed).state);
  });

  it('reads again the entry before the change when its scan looked ahead into it (a value not closed)', () => {
    // `{A` never closes: it stops at the next entry line. Once that line is no entry line, `a` takes it in.
    const text = '@book{a, title = {A\n@book{b, title = {B}}\n@book{c, title = {C}}\n';
    const out = step(full(text).state, text.replace('@book{b', '@bo ok{b'));
    assert.equal(out.state.entries.length, 2);
  });

  it('does not keep an entry whose line the change reaches (here, commented out)', () => {
    const text = '@book{a, title = {A}}\n  @book{b, title = {B}}\n@book{c, title = {C}}\n';
    const out = step(full(text).state, text.replace('}}\n  @book{b', '}} %  @book{b'));
    assert.deepEqual(out.state.entries.map((e) => e.key), ['a', 'c']);
  });

  it('expands only the macros defined before the changed entry, as BibTeX does', () => {
    const text = '@string{early = {Early}}\n@book{a, publisher = early # later, title = {A}}\n@book{b, title = {B}}\n@string{later = {Later}}\n';
    const out = step(full(text).state, text.replace('{A}', '{AA}'));
    assert.ok(out.incremental);
    assert.deepEqual(out.state.entries[0].rawFields, { publisher: 'Earlylater', title: 'AA' });
  });

  it('does not start after an @string that comes after an entry it must read again', () => {
    // `b` is not closed (its value stops at the @string line): a change in `c` reads `b` again, so the region starts before `b`.
    const text = '@book{a, title = {A}}\n@book{b, title = {B\n@string{s = {S}}\n@book{c, title = {C}}\n';
    const out = step(full(text).state, text.replace('{C}', '{Cee}'));
    assert.deepEqual(out.state.entries.map((e) => e.key), ['a', 'b', 'c']);
  });

  it('moves the @string items after the change with the text, with their error counts', () => {
    const text = '@book{a, title = {A}, publisher = nope}\n@book{b, title = {B}}\n@string{s = {S}}\n@book{c, title = {C}, publisher = s}\n';
    let { state } = full(text);
    // Two lines longer, and one more error, before the @string.
    const first = text.replace('{A}', '{A\n\n}, note = other');
    state = step(state, first).state;
    // Now a change in the @string must be seen as one (its old offsets would miss it), and one after it
    // must count the errors before it right.
    assert.equal(step(state, first.replace('{S}', '{Ess}')).incremental, false);
    const after = step(state, first.replace('{C}', '{Cee}'));
    assert.ok(after.incremental);
    assert.equal(after.state.errors.length, 2);
  });

  it('keeps the errors between the @string that ends the region and the next entry', () => {
    const text = '@book{a, title = {A}}\n@string{s = {S}}\n@m\n@book{c, title = {C}}\n';
    const out = step(full(text).state, text.replace('{A}', '{Ay}'));
    assert.ok(out.incremental);
    assert.deepEqual(out.state.errors.map((e) => e.message), ["Expected '{' or '(' after '@m'"]);
  });

  it('starts after an @string only when it is closed (else its scan looked ahead into the change)', () => {
    // The unclosed quote stops at the next entry line; once that line is no entry line, the quote runs on.
    const text = '@preamble{"x\n@book{b, title = {B}}\n@book{c, title = {C}}\n';
    step(full(text).state, text.replace('@book{b', '@bo ok{b'));
  });

  it('reads the whole file when an @string, a crossref parent or an @comment is involved', () => {
    const text = '@string{pub = {Press}}\n@book{p, title = {Parent}}\n@incollection{c, crossref = {p}, title = {Child}}\n@book{d, title = {D}}\n@comment{x}\n';
    const { state } = full(text);
    assert.ok('fullParse' in reparseBibtex(state, text.replace('{Press}', '{Presses}')));
    assert.ok('fullParse' in reparseBibtex(state, text.replace('{Parent}', '{Parents}')));
    assert.ok('fullParse' in reparseBibtex(state, text.replace('{Child}', '{Children}')));
    assert.ok('fullParse' in reparseBibtex(state, text.replace('{D}', '@string{q = {Q}} {D}')));
    assert.ok('fullParse' in reparseBibtex(state, text.replace('@comment{x}', '@comment{y}')));
    assert.ok('result' in reparseBibtex(state, text.replace('{D}', '{Dee}')));
  });

  it('updates the line index of an edited text as building it anew does', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '\n', '\r', 'é') }), fc.nat(), fc.nat(), fc.string({ unit: fc.constantFrom('b', '\n') }), (text, p, q, inserted) => {
        const start = p % (text.length + 1);
        const end = start + (q % (text.length - start + 1));
        const next = text.slice(0, start) + inserted + text.slice(end);
        const edited = LineIndex.afterEdit(new LineIndex(text), next, start, end, start + inserted.length);
        const fresh = new LineIndex(next);
        assert.equal(edited.lineCount, fresh.lineCount);
        for (let i = 0; i <= next.length; i++) assert.deepEqual(edited.positionAt(i), fresh.positionAt(i));
      }),
      { seed: 20251125, numRuns: 500 },
    );
  });

  it('finds the common prefix and suffix in whole chunks and character by character', () => {
    const a = 'x'.repeat(40_000) + 'abc' + 'y'.repeat(40_000);
    const b = 'x'.repeat(40_000) + 'aXbc' + 'y'.repeat(40_000);
    const p = commonPrefix(a, b);
    assert.equal(p, 40_001);
    assert.equal(commonSuffix(a, b, p), 40_002);
    assert.equal(commonSuffix('aa', 'aaa', commonPrefix('aa', 'aaa')), 0);
  });

  // Random edits, each checked against a full parse of the result. Characters that matter to the
  // scanner are over-represented; whole entries are duplicated and removed; edits chain.
  const pieces = ['{', '}', '"', '@', ',', '=', '%', '\n', ' ', '#', 'a', '@misc{', '@string{m = {M}}', '\\', 'é', '\r\n', '}\n@book{k', 'and ', '\n@string{q = {Q}}\n', '\n@comment{c}\n', '\n@preamble{"p"}\n', '\n@m\n'];
  const edit = (text: string, [kind, p, len, piece]: [number, number, number, number]): string => {
    const at = Math.floor(p * text.length);
    if (kind === 0) return text.slice(0, at) + pieces[piece % pieces.length] + text.slice(at);
    if (kind === 1) return text.slice(0, at) + text.slice(at + len);
    const start = text.lastIndexOf('\n@', at) + 1;
    const end = text.indexOf('\n@', at + 1) + 1 || text.length;
    return kind === 2 ? text.slice(0, end) + text.slice(start, end) + text.slice(end) : text.slice(0, start) + text.slice(end);
  };
  const edits = fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 999_999 }).map((n) => n / 1e6), fc.integer({ min: 0, max: 20 }), fc.nat()), { minLength: 1, maxLength: 12 });
  const sources: [string, string][] = [
    ['the example bibliography', refs],
    ['the example bibliography with an @string before every third entry', refs.replace(/\n@(?=[a-z]+\{[a-z])/g, (m, i: number) => (i % 3 === 0 ? `\n@string{i${i} = {I}}\n@` : m))],
    ['biblatex-examples.bib', realFile('biblatex-examples.bib')],
    ['a Better BibTeX export', realFile('bbt-unabbrev-1436-2.bib')],
  ];
  for (const [name, text] of sources) {
    it(`gives what a full parse gives after random chains of edits to ${name}`, () => {
      let incremental = 0;
      let total = 0;
      fc.assert(
        fc.property(edits, (list) => {
          let state = full(text).state; // a re-parse moves the entries of the state it starts from
          let current = text;
          for (const e of list) {
            current = edit(current, e);
            const out = step(state, current);
            state = out.state;
            total++;
            if (out.incremental) incremental++;
          }
        }),
        { seed: 20251125, numRuns: 60 },
      );
      // Most edits touch one entry away from macros and comments: the re-parse must apply to many.
      assert.ok(incremental > total / 4, `incremental ${incremental} of ${total}; full parses: ${JSON.stringify(reasons)}`);
    });
  }
});
