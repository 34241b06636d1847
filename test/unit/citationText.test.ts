import * as assert from 'node:assert/strict';
import { citationInsertion, inLatexKeyGroup, latexCitation, pandocItems, pandocKey, parseNote, plainReference, type CiteItem } from '../../client/src/citationText';

const k = (key: string, note = ''): CiteItem => ({ key, ...parseNote(note) });

describe('the text Insert Citation inserts', () => {
  it('writes a whole citation outside one, and continues an open one', () => {
    assert.equal(citationInsertion('pandoc', 'As argued ', [k('k')]), '[@k]');
    assert.equal(citationInsertion('pandoc', 'As argued [see @a, p. 3', [k('k')]), '; @k');
    assert.equal(citationInsertion('pandoc', 'As argued [@a; ', [k('k'), k('j', 'p. 4')]), '@k; @j, p. 4');
    assert.equal(citationInsertion('latex', 'As argued ', [k('k')]), '\\cite{k}');
    assert.equal(citationInsertion('biblatex', 'As argued \\parencite[p.~3]{', [k('k'), k('j', 'see')]), 'k,j');
    assert.equal(citationInsertion('natbib', 'As argued \\citep{a', [k('k')]), ',k');
    assert.equal(citationInsertion('pandoc', '', []), '');
    assert.equal(inLatexKeyGroup('see \\textcites[a][b]{x}{'), true);
    assert.equal(inLatexKeyGroup('see \\cite{x} and '), false);
    assert.equal(inLatexKeyGroup('\\textcites(see)()[p.~3]{x}[4]{y,'), true);
    assert.equal(inLatexKeyGroup('\\cite{x} and {'), false);
  });

  it('reads what the writer types for an entry as a prefix and a locator', () => {
    const cases: [string, ReturnType<typeof parseNote>][] = [
      ['', {}],
      ['see', { prefix: 'see' }],
      ['see, p. 12', { prefix: 'see', locator: 'p. 12' }],
      ['see p. 12', { prefix: 'see', locator: 'p. 12' }],
      ['p.12', { locator: 'p. 12' }],
      ['12', { locator: 'p. 12' }],
      ['12-14', { locator: 'pp. 12-14' }],
      ['page 7', { locator: 'p. 7' }],
      ['pages 3–5', { locator: 'pp. 3-5' }],
      ['p. 3-5', { locator: 'pp. 3-5' }],
      ['pp. 45', { locator: 'pp. 45' }],
      ['cf. ch. 3', { prefix: 'cf.', locator: 'ch. 3' }],
      ['see also chapter 3', { prefix: 'see also', locator: 'ch. 3' }],
      ['sec. 2.1', { locator: 'sec. 2.1' }],
      ['Section 4', { locator: 'sec. 4' }],
      ['see, passim', { prefix: 'see', locator: 'passim' }],
      [', passim', { locator: 'passim' }],
      ['§ 4', { locator: '§ 4' }],
      ['  e.g.  ', { prefix: 'e.g.' }],
    ];
    for (const [text, expected] of cases) assert.deepEqual(parseNote(text), expected, text);
  });

  it('writes Markdown citations with escaped notes and braced keys where pandoc needs them', () => {
    assert.equal(pandocItems([k('a', 'see, p. 12'), k('b')]), 'see @a, p. 12; @b');
    assert.equal(citationInsertion('pandoc', 'Text ', [k('a', 'see, p. 12'), k('b')]), '[see @a, p. 12; @b]');
    assert.equal(pandocItems([{ key: 'a', prefix: 'see [x]; also @b', locator: 'p. 3; 4' }]), 'see \\[x\\]\\; also \\@b @a, p. 3\\; 4');
    assert.equal(pandocKey('monaghan-2024.ready'), '@monaghan-2024.ready');
    assert.equal(pandocKey('palmer2019:odyssey'), '@palmer2019:odyssey');
    assert.equal(pandocKey('Ünal_2020'), '@Ünal_2020');
    assert.equal(pandocKey('ends.'), '@{ends.}');
    assert.equal(pandocKey('odd key'), '@{odd key}');
    assert.equal(pandocKey('-dash'), '@{-dash}');
  });

  it('writes biblatex citations: \\parencite with pre- and postnote, \\parencites when several have notes', () => {
    assert.equal(latexCitation([k('a', 'see, p. 12')], 'biblatex'), '\\parencite[see][12]{a}');
    assert.equal(latexCitation([k('a', 'p. 12')], 'biblatex'), '\\parencite[12]{a}');
    assert.equal(latexCitation([k('a', 'pp. 12-14')], 'biblatex'), '\\parencite[12--14]{a}');
    assert.equal(latexCitation([k('a', 'see')], 'biblatex'), '\\parencite[see][]{a}');
    assert.equal(latexCitation([k('a', 'ch. 3')], 'biblatex'), '\\parencite[ch.~3]{a}');
    assert.equal(latexCitation([k('a'), k('b')], 'biblatex'), '\\parencite{a,b}');
    assert.equal(latexCitation([k('a', 'see, p. 12'), k('b')], 'biblatex'), '\\parencites[see][12]{a}{b}');
    assert.equal(latexCitation([k('a'), k('b', 'cf.')], 'biblatex'), '\\parencites{a}[cf.][]{b}');
  });

  it('writes natbib citations: one pair of notes in \\citep, others through \\citetext', () => {
    assert.equal(latexCitation([k('a', 'see, p. 12')], 'natbib'), '\\citep[see][p.~12]{a}');
    assert.equal(latexCitation([k('a', 'p. 12')], 'natbib'), '\\citep[p.~12]{a}');
    assert.equal(latexCitation([k('a', 'see')], 'natbib'), '\\citep[see][]{a}');
    assert.equal(latexCitation([k('a'), k('b')], 'natbib'), '\\citep{a,b}');
    assert.equal(latexCitation([k('a', 'see'), k('b', 'ch. 2')], 'natbib'), '\\citep[see][ch.~2]{a,b}');
    assert.equal(latexCitation([k('a', 'see, p. 12'), k('b')], 'natbib'), '\\citetext{\\citealp[see][p.~12]{a}; \\citealp{b}}');
  });

  it('writes plain \\cite citations, a prefix before the command', () => {
    assert.equal(latexCitation([k('a', 'see, p. 12')], 'latex'), 'see~\\cite[p.~12]{a}');
    assert.equal(latexCitation([k('a'), k('b')], 'latex'), '\\cite{a,b}');
    assert.equal(latexCitation([k('a', 'p. 3'), k('b', 'p. 4')], 'latex'), '\\cite[p.~3]{a}, \\cite[p.~4]{b}');
  });

  it('escapes what LaTeX would read in a note', () => {
    assert.equal(latexCitation([{ key: 'a', prefix: 'see 50% & [more]', locator: 'n. 3_a' }], 'natbib'), '\\citep[see 50\\% \\& {[}more{]}][n.~3\\_a]{a}');
  });

  it('shows a formatted reference as plain text, a DOI link as the DOI', () => {
    const md = 'Biscop, S. (2022). The New NATO Force Model. *Security Policy Brief*, *160*. [https://doi.org/10.1234/spb\\_2022.160](https://doi.org/10.1234/spb_2022.160)';
    assert.equal(plainReference(md), 'Biscop, S. (2022). The New NATO Force Model. Security Policy Brief, 160. https://doi.org/10.1234/spb_2022.160');
    assert.equal(plainReference('A 2\\* B'), 'A 2* B');
  });
});
