import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BibEntry } from '../../server/src/service/model';
import type { LoadedBibliography } from '../../server/src/service/index/bibliographies';
import { keyMap } from '../../server/src/service/index/bibliographies';
import { parseBibtex, resolveInheritance, type BibtexEntry } from '../../server/src/service/parsers/bibliography/bibtex';
import { previewBibtex } from '../../server/src/service/parsers/bibliography/bibtexPreview';
import { LibraryPreview, ScopePreview } from '../../server/src/service/index/libraryPreview';
import { ScopeIndex } from '../../server/src/service/index/scopeIndex';
import { searchRecord, words } from '../../server/src/service/index/search';
import { shortAuthors } from '../../server/src/service/render/csl';
import { realBibFiles } from '../paths';

/** A library as the store loads it: parsed, keyed, parents' fields inherited. */
function loaded(uri: string, text: string): LoadedBibliography {
  const result = parseBibtex(text);
  const entries = result.value.entries;
  const byKey = keyMap(entries);
  resolveInheritance(entries, (key) => byKey.get(key)?.[0]);
  return { uri, format: 'bibtex', entries, byKey, errors: result.errors, generation: 1, parseMs: 0 };
}

/** Everything a completion item is made of (`features/completion.ts` `citationItem`), and the entry's fields. */
function itemText(entry: BibEntry, uri: string): string {
  const r = searchRecord(entry, uri);
  return JSON.stringify({ key: r.key, type: entry.type, who: shortAuthors(entry) || entry.fields.editor || '', year: r.year, title: r.title, authors: r.authors, fields: entry.fields });
}

/** The preview's entries against the full parse's: each one it is sure of equals the full parse's entry starting there. */
function compareEntries(text: string): { sure: number; leftOut: number; total: number; wrong: string[] } {
  const full = loaded('file:///refs.bib', text);
  const byStart = new Map((full.entries as BibtexEntry[]).map((e) => [e.start, e]));
  const lib = new LibraryPreview('file:///refs.bib', text);
  new ScopePreview([lib]).usable; // sets what the scope tells a library
  const q = lib.quick;
  assert.ok(q, 'the quick pass reads the file');
  const wrong: string[] = [];
  let sure = 0;
  for (let i = 0; i < q.starts.length; i++) {
    const mine = lib.entry(i);
    if (!mine) continue;
    sure++;
    const theirs = byStart.get(q.starts[i]);
    if (!theirs) wrong.push(`entry at ${q.starts[i]} (${mine.key}) is not an entry of the full parse`);
    else if (itemText(mine, 'u') !== itemText(theirs, 'u')) wrong.push(`${mine.key}: ${itemText(mine, 'u')} != ${itemText(theirs, 'u')}`);
  }
  return { sure, leftOut: full.entries.length - sure, total: full.entries.length, wrong };
}

/** Queries a writer types: key starts, family names, title words, years, two words, a stop word being typed. */
function queriesOf(entries: readonly BibEntry[], every: number): string[] {
  const out = new Set<string>(['', 'a', 'the']);
  for (let i = 0; i < entries.length; i += every) {
    const e = entries[i];
    const family = e.authors[0]?.family;
    const titleWord = words(e.title ?? '').find((w) => w.length >= 4);
    out.add(e.key.slice(0, 4));
    if (family) out.add(family);
    if (titleWord) out.add(titleWord.slice(0, 5));
    if (e.year) out.add(e.year);
    if (family && e.year) out.add(`${family} ${e.year}`);
    if (titleWord) out.add(`${titleWord} of`);
  }
  return [...out];
}

/**
 * The preview's answers against the index's, for every query it answers: its items are the index's, in the
 * index's order, less the entries it left out (those it is not sure of until the full parse). When it left some
 * out and more than 50 entries match, the index ranks only the 50 best by word score and breaks ties among them
 * by the order it met them in, which the left-out entries change: such lists are not compared (each item is, above).
 */
function compareSearches(text: string, every: number): { answered: number; asked: number; differ: string[]; entries: number } {
  const full = loaded('file:///refs.bib', text);
  const index = new ScopeIndex([full]);
  const lib = new LibraryPreview('file:///refs.bib', text);
  const preview = new ScopePreview([lib]);
  const q = preview.usable ? lib.quick! : undefined;
  const sure = new Set(q ? q.starts.filter((_, i) => lib.entry(i)) : []);
  const leftOut = full.entries.length - sure.size;
  const differ: string[] = [];
  let answered = 0;
  const queries = queriesOf(full.entries, every);
  const keys = (list: string[]) => list.map((g) => JSON.parse(g).key).join(' ');
  for (const query of queries) {
    const hits = preview.find(query, 40);
    if (!hits) continue;
    answered++;
    const all = index.find(query, 40 + leftOut);
    if (leftOut > 0 && all.total > 50) continue;
    const expected = all.hits.filter((h) => sure.has((h.record.entry as BibtexEntry).start))
      .slice(0, 40)
      .map((h) => itemText(h.record.entry, h.record.uri));
    const got = hits.map((h) => itemText(h.record.entry, h.record.uri));
    if (JSON.stringify(got) !== JSON.stringify(expected)) differ.push(`"${query}": ${keys(got)} != ${keys(expected)}`);
  }
  return { answered, asked: queries.length, differ, entries: full.entries.length };
}

describe('the preview of a library being parsed (issue 17)', () => {
  for (const file of realBibFiles()) {
    const name = path.basename(file);
    const text = fs.readFileSync(file, 'utf8');

    it(`${name}: every entry it is sure of reads as the full parse reads it, and most are`, () => {
      const { sure, total, wrong } = compareEntries(text);
      assert.deepEqual(wrong, []);
      assert.ok(sure >= 0.75 * total, `${sure} of ${total} entries`);
    });

    it(`${name}: each completion it answers lists the items the index lists`, () => {
      const { answered, asked, differ, entries } = compareSearches(text, Math.max(7, Math.ceil(text.length / 25000)));
      assert.deepEqual(differ, []);
      // A file of macros alone has no entry to find: the index answers those queries.
      if (entries > 0) assert.ok(answered >= 0.5 * asked, `answered ${answered} of ${asked} queries`);
    });
  }

  const item = (key: string, fields: string) => `@article{${key},\n${fields}\n}\n`;

  it('reads macros the file defines before an entry, and leaves out one a macro of an earlier file may define', () => {
    const text = `@string{ieee = "IEEE Press"}\n@string{pub = ieee # " Inc."}\n${item('a', '  author = {Ada Lovelace},\n  publisher = pub,\n  year = 1843')}${item('b', '  author = {Bo Bell}, journal = jacm, year = 2000')}`;
    const lib = new LibraryPreview('file:///b.bib', text);
    assert.ok(new ScopePreview([lib]).usable);
    assert.equal(lib.entry(0)?.fields.publisher, 'IEEE Press Inc.');
    // Undefined in the file and no file before it: the full parse keeps `jacm` as written too.
    assert.equal(lib.entry(1)?.fields.journal, 'jacm');
    const first = new LibraryPreview('file:///a.bib', '@string{jacm = "J. ACM"}\n');
    const second = new LibraryPreview('file:///b.bib', text);
    assert.ok(new ScopePreview([first, second]).usable);
    assert.equal(second.entry(1), undefined);
    assert.ok(second.entry(0));
  });

  it('gives an entry the fields of its parent, and leaves out one whose parent or own text the parser reports a problem in', () => {
    const text = `${item('child', '  crossref = {parent}, title = {Part}')}${item('parent', '  title = {Whole}, year = 2001')}@article{broken,\n  title = {Open brace,\n  year = 2002\n}\n${item('after', '  title = {Fine}, year = 2003')}${item('orphan', '  crossref = {broken}, title = {Lost}')}`;
    const lib = new LibraryPreview('file:///b.bib', text);
    assert.deepEqual([0, 1, 2, 3, 4].map((i) => lib.entry(i)?.key), ['child', 'parent', undefined, 'after', undefined]);
    assert.equal(lib.entry(0)?.year, '2001');
    assert.equal(lib.entry(0)?.fields.booktitle, undefined);
  });

  it('skips an @comment as the parser does, entries and all, and gives up on one it cannot place', () => {
    const jabref = `${item('a', '  title = {A}')}@Comment{jabref-meta: databaseType:bibtex;}\n@comment{\n${item('hidden', '  title = {H}')}}\n${item('b', '  title = {B}')}`;
    assert.deepEqual(previewBibtex(jabref)?.starts.map((s) => jabref.slice(s, s + 12)), ['@article{a,\n', '@article{b,\n']);
    const midLine = `${item('a', '  title = {A}')}see @comment{\n${item('hidden', '  title = {H}')}}\n${item('b', '  title = {B}')}`;
    assert.equal(previewBibtex(midLine), undefined);
  });

  it('reads an @ the parser reads as an item between entries as one (an address in a header, a type with an underscore)', () => {
    const text = `Contact: \\path|beebe@math.utah.edu| (Internet)\n\n${item('a', '  author = {Ann Ames}, title = {Alpha}, year = 1999')}@newspaper_article{n,\n  title = {News}\n}\n`;
    assert.deepEqual(loaded('file:///b.bib', text).entries.map((e) => e.key), ['Internet', 'a', 'n']);
    const preview = new ScopePreview([new LibraryPreview('file:///b.bib', text)]);
    assert.deepEqual(preview.find('', 10)?.map((h) => h.record.key), ['Internet', 'a', 'n']);
  });

  it('counts an @ it cannot place (in an entry with a problem) as an item it may lack: an empty query is left to the index', () => {
    const text = `@article{broken,\n  title = {Open, see x@misc{hidden, title = {H}}\n${item('a', '  author = {Ann Ames}, title = {Alpha}, year = 1999')}`;
    assert.equal(previewBibtex(text)?.extras.length, 1);
    const preview = new ScopePreview([new LibraryPreview('file:///b.bib', text)]);
    assert.equal(preview.find('', 10), undefined);
    assert.deepEqual(preview.find('ames', 10)?.map((h) => h.record.key), ['a']);
  });

  it('finds an entry whatever accents or LaTeX markup its words have in the file', () => {
    const text = `${item('g', '  author = {G{\\"o}del, Kurt and Lozano-P{\\\'e}rez, Tom\\\'as}, title = {{\\"U}ber formal unentscheidbare S\u00e4tze}, year = 1931')}`;
    const preview = new ScopePreview([new LibraryPreview('file:///b.bib', text)]);
    for (const q of ['godel', 'perez', 'uber', 'satze', 'tomas 1931']) assert.deepEqual(preview.find(q, 10)?.map((h) => h.record.key), ['g'], q);
  });

  it('does not answer what it cannot answer as the index would: a typo, a word with other letters, too many candidates', () => {
    const text = Array.from({ length: 1600 }, (_, i) => item(`k${i}`, `  author = {Smith, Jo}, title = {Topic ${i}}, year = 2000`)).join('');
    const preview = new ScopePreview([new LibraryPreview('file:///b.bib', text)]);
    assert.equal(preview.find('smiht', 10), undefined);
    assert.equal(preview.find('Ωmega', 10), undefined);
    assert.equal(preview.find('smith', 10), undefined);
    assert.deepEqual(preview.find('k15', 3)?.map((h) => h.record.key), ['k15', 'k150', 'k151']);
  });
});
