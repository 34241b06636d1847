import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import type { BibEntry, ParseResult, BibFile } from '../../server/src/service/model';
import { parseBibtex, resolveInheritance, withInheritance } from '../../server/src/service/parsers/bibliography/bibtex';
import { showRange, slice } from './fixture';

/** Entries as `key | key text | entry text` (the entry text on one line, whitespace collapsed). */
function entries(text: string, result: ParseResult<BibFile>): string[] {
  return result.value.entries.map((e) => `${e.key} | ${slice(text, e.keyRange)} | ${slice(text, e.range).replace(/\s+/g, ' ')}`);
}

/** Errors as `range severity "text at the range" message`. */
function errors(text: string, result: ParseResult<BibFile>): string[] {
  return result.errors.map((e) => `${showRange(e.range)} ${e.severity} ${JSON.stringify(slice(text, e.range))} ${e.message}`);
}

function parse(text: string, strings?: Record<string, string>): ParseResult<BibFile> {
  const result = parseBibtex(text, strings ? { strings } : undefined);
  assert.equal(result.value.format, 'bibtex');
  for (const e of result.errors) assert.equal(e.code, 'bib.syntax');
  return result;
}

function only(text: string): BibEntry {
  const result = parse(text);
  assert.deepEqual(errors(text, result), []);
  assert.equal(result.value.entries.length, 1);
  return result.value.entries[0];
}

describe('parseBibtex', () => {
  describe('reads', () => {
    it('an entry with its key, ranges, type, fields and raw fields', () => {
      const text = '% refs\n@Article{biscop2022,\n  Author = {Biscop, Sven},\n  title = {The New {NATO} Force Model},\n  year = 2022\n}\n';
      const result = parse(text);
      assert.deepEqual(errors(text, result), []);
      assert.deepEqual(entries(text, result), [
        'biscop2022 | biscop2022 | @Article{biscop2022, Author = {Biscop, Sven}, title = {The New {NATO} Force Model}, year = 2022 }',
      ]);
      const e = result.value.entries[0];
      assert.equal(showRange(e.keyRange), '1:9-1:19');
      assert.equal(e.type, 'article');
      assert.deepEqual(e.fields, { author: 'Biscop, Sven', title: 'The New NATO Force Model', year: '2022' });
      assert.deepEqual(e.rawFields, { author: 'Biscop, Sven', title: 'The New {NATO} Force Model', year: '2022' });
      assert.deepEqual(e.authors, [{ family: 'Biscop', given: 'Sven' }]);
      assert.equal(e.year, '2022');
      assert.equal(e.title, 'The New NATO Force Model');
    });

    it('entries delimited by parentheses', () => {
      const text = '@book(nato2022, title = "NATO (2022) Strategic Concept", year = {2022})';
      const result = parse(text);
      assert.deepEqual(errors(text, result), []);
      assert.deepEqual(entries(text, result), [`nato2022 | nato2022 | ${text}`]);
      assert.equal(result.value.entries[0].title, 'NATO (2022) Strategic Concept');
    });

    it('nested braces, quotes with braces inside, numbers, macros and # concatenation', () => {
      const e = only(
        '@string{pub = "Oxford {UP}"}\n@book{k, title = {A {B {C}} D}, note = "say {"}hi{"}", volume = 12,\n publisher = pub # " and " # {Others}}',
      );
      assert.deepEqual(e.rawFields, { title: 'A {B {C}} D', note: 'say {"}hi{"}', volume: '12', publisher: 'Oxford {UP} and Others' });
      assert.deepEqual(e.fields, { title: 'A B C D', note: 'say "hi"', volume: '12', publisher: 'Oxford UP and Others' });
    });

    it('@string macros by any case, and reports a macro used before its definition', () => {
      const text = '@misc{early, publisher = later}\n@STRING{Later = {Later Press}}\n@misc{late, publisher = LATER}';
      const result = parse(text);
      assert.deepEqual(errors(text, result), ['0:25-0:30 warning "later" Unknown macro \'later\'']);
      assert.deepEqual(result.value.entries.map((e) => e.fields.publisher), ['later', 'Later Press']);
      assert.deepEqual(result.value.strings, { later: 'Later Press' });
    });

    it('macros defined in other files, which the file may redefine', () => {
      const text = '@misc{a, booktitle = crypto20 # " (LNCS)"}\n@string{crypto20 = "Mine"}\n@misc{b, booktitle = crypto20}';
      const result = parse(text, { crypto20: 'CRYPTO 2020' });
      assert.deepEqual(errors(text, result), []);
      assert.deepEqual(result.value.entries.map((e) => e.fields.booktitle), ['CRYPTO 2020 (LNCS)', 'Mine']);
    });

    it('month macros as month names for display, as written for citation-js', () => {
      const e = only('@misc{m, month = jan, note = "Due " # dec # "~1"}');
      assert.deepEqual(e.fields, { month: 'January', note: 'Due December 1' });
      assert.deepEqual(e.rawFields, { month: 'jan', note: 'Due dec~1' });
    });

    it('month macros inside a macro of another file as month names (as CryptoBib writes its conference dates)', () => {
      const text = '@string{ccs03month = oct # "~27--30,"}\n@inproceedings{a, month = ccs03month}\n@inproceedings{b, month = acisp15month}';
      const viaFile = parse('@string{acisp15month = jun # "~29~--~" # jul # "~1,"}');
      const result = parse(text, viaFile.value.strings);
      assert.deepEqual(errors(text, result), []);
      assert.deepEqual(result.value.entries.map((e) => e.fields.month), ['October 27–30,', 'June 29 – July 1,']);
    });

    it('nothing from @preamble, @comment, text outside entries and % lines', () => {
      const text = [
        '@preamble{ "\\newcommand{\\noopsort}[1]{}" # "x" }',
        'This is a comment with an e-mail: someone@example.org.',
        '@comment{ @article{commented, title = {out}} }',
        '% @article{percent, title = {out}}',
        '@Comment{jabref-meta: databaseType:bibtex;}',
        '@article{kept, title = {In}}',
      ].join('\n');
      const result = parse(text);
      assert.deepEqual(errors(text, result), []);
      assert.deepEqual(result.value.entries.map((e) => e.key), ['kept']);
    });

    it('whitespace anywhere, trailing commas, CRLF and a byte order mark', () => {
      const text = '\uFEFF@ article \r\n{ key1 ,\r\n  title\t=\r\n {T} ,\r\n  year = 2020,\r\n}\r\n@misc{key2,}';
      const result = parse(text);
      assert.deepEqual(errors(text, result), []);
      assert.deepEqual(entries(text, result), ['key1 | key1 | @ article { key1 , title = {T} , year = 2020, }', 'key2 | key2 | @misc{key2,}']);
      assert.equal(showRange(result.value.entries[0].keyRange), '1:2-1:6');
    });

    it('keys with unusual characters', () => {
      const keys = ['a:b/c-d.e+f', 'müller2020', 'Smith(2000)', 'doi:10.1000/182', 'x_y;z'];
      const text = keys.map((k) => `@misc{${k}, title = {t}}`).join('\n');
      const result = parse(text);
      assert.deepEqual(errors(text, result), []);
      assert.deepEqual(result.value.entries.map((e) => slice(text, e.keyRange)), keys);
    });

    it('authors, editors, year from a biblatex date, crossref and xdata', () => {
      const e = only('@incollection{c, editor = {Doe, Jane and Roe, Rick}, date = {2021-05-03}, crossref = {book1}, xdata = {pub, loc , }}');
      assert.deepEqual(e.authors, [{ family: 'Doe', given: 'Jane' }, { family: 'Roe', given: 'Rick' }]);
      assert.deepEqual(e.editors, e.authors);
      assert.equal(e.year, '2021');
      assert.equal(e.crossref, 'book1');
      assert.deepEqual(e.xdata, ['pub', 'loc']);
      assert.equal(only('@misc{y, year = {in press}}').year, undefined);
      assert.equal(only('@misc{y, year = {{\\noopsort{a}}1973}}').year, '1973');
    });

    it('URL-like fields as written', () => {
      const e = only('@misc{u, url = {http://a.org/~x_y--z}, doi = {10.1/a\\_b}, title = {a--b}}');
      assert.deepEqual(e.fields, { url: 'http://a.org/~x_y--z', doi: '10.1/a_b', title: 'a–b' });
    });
  });

  describe('reports and recovers from', () => {
    it('an unclosed brace, resuming at the next line that starts an entry', () => {
      const text = '@article{a, title = {Fine}}\n@article{b,\n  title = {Never {closed,\n  year = 2020\n}\n@book{c, title = {After}}\n';
      const result = parse(text);
      assert.deepEqual(errors(text, result), ['2:10-2:11 error "{" Unclosed brace in field \'title\' of entry \'b\'']);
      assert.deepEqual(result.value.entries.map((e) => e.key), ['a', 'b', 'c']);
      assert.equal(result.value.entries[2].title, 'After');
      assert.equal(slice(text, result.value.entries[1].range), '@article{b,\n  title = {Never {closed,\n  year = 2020\n}');
    });

    it('a value that closes with the entry, pointing at the value', () => {
      const text = '@article{b,\n  title = {Never closed,\n  year = 2020\n}\n@book{c, title = {After}}\n';
      const result = parse(text);
      assert.deepEqual(errors(text, result), [
        "3:1-3:1 error \"\" Entry 'b' is not closed: missing '}' (does the value of 'title' close too late?)",
      ]);
      assert.deepEqual(result.value.entries.map((e) => e.key), ['b', 'c']);
    });

    it('an unclosed brace at the end of the file, keeping the fields read before it', () => {
      const text = '@article{a, year = 2020, title = {Never';
      const result = parse(text);
      assert.deepEqual(errors(text, result), ['0:33-0:34 error "{" Unclosed brace in field \'title\' of entry \'a\'']);
      assert.deepEqual(result.value.entries[0].fields, { year: '2020' });
    });

    it('an unclosed quote', () => {
      const text = '@misc{a, title = "Never closed, year = 2020}\n@misc{b, title = {B}}';
      const result = parse(text);
      assert.deepEqual(errors(text, result), ['0:17-0:18 error "\\"" Unclosed quote in field \'title\' of entry \'a\'']);
      assert.deepEqual(entries(text, result), ['a | a | @misc{a, title = "Never closed, year = 2020}', 'b | b | @misc{b, title = {B}}']);
    });

    it('an entry that is not closed before the next one', () => {
      const text = '@misc{a, title = {A},\n@misc{b, title = {B}}';
      const result = parse(text);
      assert.deepEqual(errors(text, result), ['0:21-0:21 error "" Entry \'a\' is not closed: missing \'}\'']);
      assert.deepEqual(entries(text, result), ['a | a | @misc{a, title = {A},', 'b | b | @misc{b, title = {B}}']);
    });

    it('an entry that is not closed at the end of the file', () => {
      const text = '@misc{a, title = {A}\n\n';
      const result = parse(text);
      assert.deepEqual(errors(text, result), ['0:20-0:20 error "" Entry \'a\' is not closed: missing \'}\'']);
      assert.equal(slice(text, result.value.entries[0].range), '@misc{a, title = {A}');
    });

    it('a missing comma between fields or after the key', () => {
      const text = '@misc{a, title = {A}\n  year = 2020}\n@misc{b title = {B}}';
      const result = parse(text);
      assert.deepEqual(errors(text, result), [
        '0:20-0:20 error "" Missing \',\' after field \'title\' in entry \'a\'',
        '2:7-2:7 error "" Missing \',\' after key \'b\'',
      ]);
      assert.deepEqual(result.value.entries.map((e) => e.fields), [{ title: 'A', year: '2020' }, { title: 'B' }]);
    });

    it('a missing key or an empty key, skipping the entry', () => {
      const text = '@misc{title = {No key}}\n@misc{, title = {Empty}}\n@misc{\n@misc{ok, title = {OK}}';
      const result = parse(text);
      assert.deepEqual(errors(text, result), [
        '0:6-0:6 error "" Missing key in \'@misc\' entry',
        '1:6-1:6 error "" Empty key in \'@misc\' entry',
        '3:0-3:0 error "" Missing key in \'@misc\' entry',
      ]);
      assert.deepEqual(result.value.entries.map((e) => e.key), ['ok']);
    });

    it("a missing '=', reading the value when one follows", () => {
      const text = '@misc{a, title {T}, note, year = 2020}';
      const result = parse(text);
      assert.deepEqual(errors(text, result), [
        '0:14-0:14 error "" Missing \'=\' after field \'title\' in entry \'a\'',
        '0:24-0:24 error "" Missing \'=\' after field \'note\' in entry \'a\'',
      ]);
      assert.deepEqual(result.value.entries[0].fields, { title: 'T', year: '2020' });
    });

    it('a missing value', () => {
      const text = '@misc{a, title = , year = 2020}';
      const result = parse(text);
      assert.deepEqual(errors(text, result), ['0:17-0:17 error "" Missing value for field \'title\' in entry \'a\'']);
      assert.deepEqual(result.value.entries[0].fields, { year: '2020' });
    });

    it('garbage inside an entry', () => {
      const text = '@misc{a, title = {T}, ) junk {x}, year = 2020}\n@misc{b}';
      const result = parse(text);
      assert.deepEqual(errors(text, result), ['0:22-0:32 error ") junk {x}" Unexpected \') junk {x}\' in entry \'a\'']);
      assert.deepEqual(result.value.entries.map((e) => e.fields), [{ title: 'T', year: '2020' }, {}]);
    });

    it('a duplicate field, keeping the first', () => {
      const text = '@misc{a, title = {First}, Title = {Second}}';
      const result = parse(text);
      assert.deepEqual(errors(text, result), ['0:26-0:31 warning "Title" Duplicate field \'title\' in entry \'a\': the first one is kept']);
      assert.equal(result.value.entries[0].title, 'First');
    });

    it('an unknown macro, keeping its name as the value', () => {
      const text = '@misc{a, journal = jsec # " (online)"}';
      const result = parse(text);
      assert.deepEqual(errors(text, result), ['0:19-0:23 warning "jsec" Unknown macro \'jsec\'']);
      assert.equal(result.value.entries[0].fields.journal, 'jsec (online)');
    });

    it("an '@' at the start of a line that starts no entry", () => {
      const text = '@misc\n@ {x}\n@misc{a}';
      const result = parse(text);
      assert.deepEqual(errors(text, result), [
        '0:0-0:5 error "@misc" Expected \'{\' or \'(\' after \'@misc\'',
        '1:0-1:1 error "@" Expected an entry type after \'@\'',
      ]);
      assert.deepEqual(result.value.entries.map((e) => e.key), ['a']);
    });

    it('an unclosed @comment, reading the entries after it', () => {
      const text = '@comment{ never closed\n@misc{a}\n';
      const result = parse(text);
      assert.deepEqual(errors(text, result), ['0:0-0:9 error "@comment{" Unclosed \'@comment\': missing \'}\'']);
      assert.deepEqual(result.value.entries.map((e) => e.key), ['a']);
    });
  });

  describe('is robust', () => {
    it('with 10,000 nested braces', () => {
      const text = `@misc{deep, title = ${'{'.repeat(10000)}x${'}'.repeat(10000)}}\n@misc{open, title = ${'{'.repeat(10000)}\n@misc{next}`;
      const result = parse(text);
      assert.deepEqual(result.value.entries.map((e) => e.key), ['deep', 'open', 'next']);
      assert.equal(result.value.entries[0].title, 'x');
    });

    it('in linear time on pathological input', () => {
      const started = Date.now();
      parse('@comment{'.repeat(20000));
      parse('@misc{a, title = {'.repeat(20000));
      parse('@misc{a, t = "'.repeat(20000));
      parse('{'.repeat(200000) + '@');
      parse('@'.repeat(200000));
      parse('@misc{a,\n'.repeat(20000));
      assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    });

    it('never throws, and its ranges stay inside the text', () => {
      const piece = fc.constantFrom('@misc{', '@string{', '@comment(', 'a', ' ', '\n', ',', '=', '{', '}', '"', '#', '%', '(', ')', 'jan', '\\"', '@');
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
          const text = pieces.join('');
          const result = parseBibtex(text);
          const lines = text.split('\n').length;
          for (const r of [...result.errors.map((e) => e.range), ...result.value.entries.flatMap((e) => [e.range, e.keyRange])]) {
            assert.ok(r.start.line < lines && r.end.line < lines, JSON.stringify(text));
          }
        }),
        { numRuns: 3000 },
      );
    });

    it('so that one broken entry never hides the others', () => {
      const good = (i: number): string => `@article{k${i},\n  author = {A. Author${i}},\n  title = {Title ${i}},\n  year = 2000\n}\n`;
      const breakage = fc.constantFrom('{', '}', '"', ',', '=', '@', '#', '(', ')', 'junk', '\\', '%');
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 4 }), fc.nat(), breakage, (broken, at, junk) => {
          const parts = [0, 1, 2, 3, 4].map(good);
          const p = parts[broken];
          const cut = p.indexOf(',') + 1 + (at % (p.length - p.indexOf(',') - 3));
          parts[broken] = p.slice(0, cut) + junk + p.slice(cut);
          const keys = parseBibtex(parts.join('')).value.entries.map((e) => e.key);
          for (let i = 0; i < 5; i++) if (i !== broken) assert.ok(keys.includes(`k${i}`), `${JSON.stringify(parts[broken])}: ${keys}`);
        }),
        { numRuns: 2000 },
      );
    });
  });
});

describe('resolveInheritance', () => {
  const bib = (text: string): Map<string, BibEntry> => new Map(parseBibtex(text).value.entries.map((e) => [e.key, e]));

  it('fills missing fields from the crossref parent, the child winning, with biblatex title rules', () => {
    const all = bib(`
@inproceedings{paper, author = {Doe, Jane}, title = {Paper}, pages = {1--10}, crossref = {conf}}
@proceedings{conf, title = {Proceedings of X}, editor = {Roe, Rick}, year = 2020, publisher = {ACM}, pages = {1--500}}
@incollection{chapter, title = {Chapter}, crossref = {coll}}
@collection{coll, title = {The Collection}, subtitle = {Sub}, editor = {Poe, Ed}, date = {2019}}`);
    const paper = withInheritance(all.get('paper')!, (k) => all.get(k));
    assert.deepEqual(paper.fields, {
      author: 'Doe, Jane', title: 'Paper', pages: '1–10', crossref: 'conf',
      booktitle: 'Proceedings of X', editor: 'Roe, Rick', year: '2020', publisher: 'ACM',
    });
    assert.equal(paper.rawFields?.pages, '1--10');
    assert.equal(paper.year, '2020');
    assert.deepEqual(paper.authors, [{ family: 'Doe', given: 'Jane' }]);
    assert.deepEqual(paper.editors, [{ family: 'Roe', given: 'Rick' }]);
    const chapter = withInheritance(all.get('chapter')!, (k) => all.get(k));
    assert.equal(chapter.fields.booktitle, 'The Collection');
    assert.equal(chapter.fields.booksubtitle, 'Sub');
    assert.equal(chapter.title, 'Chapter');
    assert.equal(chapter.year, '2019');
    assert.deepEqual(chapter.authors, [{ family: 'Poe', given: 'Ed' }]);
    assert.equal(all.get('paper')!.fields.booktitle, undefined, 'withInheritance is pure');
  });

  it("takes a BibTeX parent's booktitle, else its title, for an @in... entry", () => {
    const all = bib(`
@inproceedings{a, title = {A}, crossref = {p}}
@misc{p, title = {Full Title}, booktitle = {Book Title}}
@inproceedings{b, title = {B}, crossref = {q}}
@misc{q, title = {Only Title}}`);
    resolveInheritance([...all.values()], (k) => all.get(k));
    assert.equal(all.get('a')!.fields.booktitle, 'Book Title');
    assert.equal(all.get('b')!.fields.booktitle, 'Only Title');
    assert.equal(all.get('b')!.title, 'B');
  });

  it('merges xdata entries, recursively', () => {
    const all = bib(`
@book{b, title = {B}, xdata = {pub, loc}}
@xdata{pub, publisher = {Springer}, xdata = {year}}
@xdata{loc, location = {Berlin}, title = {Not inherited: the child has one}}
@xdata{year, year = 2001}`);
    const b = withInheritance(all.get('b')!, (k) => all.get(k));
    assert.deepEqual(b.fields, { title: 'B', xdata: 'pub, loc', publisher: 'Springer', year: '2001', location: 'Berlin' });
    assert.equal(b.year, '2001');
    assert.deepEqual(b.xdata, ['pub', 'loc']);
  });

  it('stops at cycles, missing parents and long chains', () => {
    const chain = Array.from({ length: 30 }, (_, i) => `@misc{c${i}, crossref = {c${i + 1}}, note${i} = {${i}}}`).join('\n');
    const all = bib(`
@misc{x, title = {X}, crossref = {y}}
@misc{y, year = 1999, crossref = {x}}
@misc{self, crossref = {self}, xdata = {self}}
@misc{orphan, crossref = {missing}}
${chain}`);
    resolveInheritance([...all.values()], (k) => all.get(k));
    assert.equal(all.get('x')!.year, '1999');
    assert.equal(all.get('y')!.title, 'X');
    assert.equal(all.get('orphan')!.crossref, 'missing');
    assert.ok(Object.keys(all.get('c0')!.fields).length < 20);
  });
});
