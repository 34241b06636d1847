import * as assert from 'assert';
import type { Citation } from '../../server/src/service/model';
import { latexCitationFacts, latexCompletionContext, parseLatexCitations, parseLatexStructure } from '../../server/src/service/parsers/drafts/latexCitations';
import { citeCommands } from '../../server/src/service/parsers/drafts/latexCiteArguments';
import { MAX_ROUNDS, parseMacroDefinitions, resolveCiteMacros } from '../../server/src/service/parsers/drafts/latexMacros';
import { cursor, showRange, slice } from './fixture';

/** `command:key`. */
function render(c: Citation): string {
  return `${c.command}:${c.key}`;
}

const macroCases: [name: string, text: string, expected: string[]][] = [
  ['\\def with a parameter cites it where the body does', String.raw`\def\citeapos#1{\citeauthor{#1}'s (\citeyear{#1})} \citeapos{smith2020}`, ['citeapos:smith2020']],
  ['\\long\\def and \\gdef are definitions too', String.raw`\long\def\lc#1{\cite{#1}} \gdef\gc#1#2{\citet[#1]{#2}} \lc{a} \gc{p.~3}{b}`, ['lc:a', 'gc:b']],
  ['\\newcommand with braces around the name', String.raw`\newcommand{\pcite}[1]{\citep{#1}} \pcite{a, b}`, ['pcite:a', 'pcite:b']],
  ['\\newcommand* with a default for its first parameter reads an optional argument', String.raw`\newcommand*\pcite[2][]{\citep[#1]{#2}} \pcite[p.~3]{a} \pcite{b}`, ['pcite:a', 'pcite:b']],
  ['\\renewcommand, \\providecommand and \\DeclareRobustCommand define too', String.raw`\renewcommand\ra[1]{\cite{#1}}\providecommand{\pr}[1]{\cite{#1}}\DeclareRobustCommand\dr[1]{\cite{#1}} \ra{a} \pr{b} \dr{c}`, ['ra:a', 'pr:b', 'dr:c']],
  ['xparse: o m, and the argument specification is no citation', String.raw`\NewDocumentCommand{\pcite}{o m}{\citep[#1]{#2}} \pcite[see]{a} \pcite{b}`, ['pcite:a', 'pcite:b']],
  ['xparse: a star, O{default} and a token before the keys', String.raw`\NewDocumentCommand\xc{s O{} t+ m}{\cite{#4}} \xc*[x]+{a} \xc{b}`, ['xc:a', 'xc:b']],
  ['xparse types it does not read teach nothing', String.raw`\NewDocumentCommand\vc{v m}{\cite{#2}} \vc|x|{a}`, []],
  [
    'biblatex: \\DeclareCiteCommand makes a command that reads like \\cite',
    String.raw`\DeclareCiteCommand{\mycite}[\mkbibparens]{\usebibmacro{prenote}}{\usebibmacro{cite}}{\multicitedelim}{\usebibmacro{postnote}} \mycite[see][3]{a, b}`,
    ['mycite:a', 'mycite:b'],
  ],
  ['biblatex: \\DeclareMultiCiteCommand makes a multi-cite', String.raw`\DeclareMultiCiteCommand{\mycites}[\mkbibparens]{\mycite}{\multicitedelim} \mycites(all)[p][q]{a}{b}`, ['mycites:a', 'mycites:b']],
  ['\\let copies a citation command, with or without =', String.raw`\let\mycite\citep \let \othercite = \citet \mycite[p.~2]{a} \othercite{b}`, ['mycite:a', 'othercite:b']],
  ['\\NewCommandCopy and \\LetLtxMacro copy too', String.raw`\NewCommandCopy{\nc}{\cite}\LetLtxMacro{\lc}{\parencite} \nc{a} \lc{b}`, ['nc:a', 'lc:b']],
  [
    'multibib: \\newcites{app}{Title} makes \\citeapp, \\citepapp, \\citetapp, \\citealpapp, \\citealtapp and \\nociteapp',
    String.raw`\newcites{app}{Appendix references} \citeapp{a} \citepapp{b} \citetapp{c} \citealpapp{d} \citealtapp{e} \nociteapp{f}`,
    ['citeapp:a', 'citepapp:b', 'citetapp:c', 'citealpapp:d', 'citealtapp:e', 'nociteapp:f'],
  ],
  ['multibib: several suffixes at once', String.raw`\newcites{a,b}{First,Second} \citepa{x} \citetb{y}`, ['citepa:x', 'citetb:y']],
  ['a macro wrapping another user macro is followed', String.raw`\newcommand\inner[1]{\citep{#1}}\newcommand\outer[1]{see \inner{#1}} \outer{a}`, ['outer:a']],
  ['a parameter passed into an optional argument only is no key', String.raw`\newcommand\pg[1]{\citep[p.~#1]{fixed}} \pg{3}`, ['citep:fixed']],
  ['a macro that cites nothing teaches nothing', String.raw`\newcommand\foo[1]{\emph{#1}} \def\bar#1{#1} \foo{a} \bar{b}`, []],
  ['parameters TeX delimits by text teach nothing', String.raw`\def\dc#1.{\cite{#1}} \dc{a}.`, []],
  ['\\edef teaches nothing', String.raw`\edef\ec#1{\cite{#1}} \ec{a}`, []],
  ['a redefined built-in command keeps its own arguments', String.raw`\renewcommand{\cite}[1]{\citep{#1}} \cite[p.~3]{a}`, ['cite:a']],
  ['the last definition of a name wins; \\providecommand does not replace one', String.raw`\newcommand\x[1]{\cite{#1}}\renewcommand\x[1]{#1}\newcommand\y[1]{\cite{#1}}\providecommand\y[1]{#1} \x{a} \y{b}`, ['y:b']],
  ['a call without braces around its keys cites nothing', String.raw`\newcommand\pcite[1]{\citep{#1}} \pcite a \pcite{b}`, ['pcite:b']],
  ['a citation in an optional argument counts (\\citet[see \\citeyear{x}]{y})', String.raw`\citet[see \citeyear{x}]{y} \citep[cf.][\citealp{z}]{w}`, ['citet:y', 'citeyear:x', 'citep:w', 'citealp:z']],
  ['a citation in the other argument of a user macro counts', String.raw`\newcommand\both[2]{#1 \citep{#2}} \both{\citet{a}}{b}`, ['both:b', 'citet:a']],
];

describe('citation macros learned from definitions', () => {
  for (const [name, text, expected] of macroCases) {
    it(name, () => {
      const citations = parseLatexCitations(text);
      for (const c of citations) assert.strictEqual(slice(text, c.range), c.key);
      assert.deepStrictEqual(citations.map(render), expected);
    });
  }

  it('macros defined in another file are learned from its definitions', () => {
    const preamble = String.raw`\newcommand{\pcite}[1]{\citep{#1}} \newcites{app}{Appendix}`;
    const learned = resolveCiteMacros(parseMacroDefinitions(preamble));
    const text = String.raw`\pcite{a} \citepapp{b} \cite{c}`;
    assert.deepStrictEqual(latexCitationFacts(text, citeCommands([], learned)).citations.map(render), ['pcite:a', 'citepapp:b', 'cite:c']);
  });

  it(`a chain of wrappers is followed ${MAX_ROUNDS} levels deep, no further`, () => {
    // \wa wraps \cite, \wb wraps \wa...: \wd is the fourth level, \we the fifth.
    const name = (i: number) => `w${String.fromCharCode(97 + i)}`;
    const chain = Array.from({ length: 6 }, (_, i) => `\\newcommand\\${name(i)}[1]{\\${i === 0 ? 'cite' : name(i - 1)}{#1}}`).join('');
    const text = `${chain} \\${name(MAX_ROUNDS - 1)}{a} \\${name(MAX_ROUNDS)}{b}`;
    assert.deepStrictEqual(parseLatexCitations(text).map(render), [`${name(MAX_ROUNDS - 1)}:a`]);
  });

  it('completes keys inside a learned macro', () => {
    const { text, offset } = cursor(String.raw`\newcommand*\pcite[2][]{\citep[#1]{#2}} \pcite[p.~3]{bis|}`);
    assert.strictEqual(latexCompletionContext(text, offset)?.prefix, 'bis');
  });

  it('completes keys of a citation inside an optional argument', () => {
    const { text, offset } = cursor(String.raw`\citet[see \citeyear{ab|}]{y}`);
    assert.strictEqual(latexCompletionContext(text, offset)?.prefix, 'ab');
  });

  it('learns at most a bounded number of macros from a bounded number of definitions, never throwing', () => {
    const many = Array.from({ length: 3000 }, (_, i) => `\\newcommand\\c${String.fromCharCode(97 + (i % 26))}${i}[1]{\\cite{#1}}`).join('\n');
    const definitions = parseMacroDefinitions(many);
    assert.ok(definitions.length <= 2000);
    assert.ok(resolveCiteMacros(definitions).size <= 500);
    for (const text of ['\\def', '\\def\\', '\\newcommand{', '\\newcommand\\x[', '\\NewDocumentCommand\\x{', '\\let\\x', '\\newcites{', '\\def\\x#1#', '\\DeclareCiteCommand']) {
      assert.doesNotThrow(() => parseLatexCitations(text));
    }
  });

  it('stays linear on adversarial definitions', () => {
    for (const unit of ['\\newcommand{\\x}[1]{', '\\def\\x#1{', '\\NewDocumentCommand\\x{m}{', '\\let\\x\\cite', '\\newcommand\\x[1]{\\cite{#1}}\\x{', '\\citet[\\citeyear{a}]{', '\\citet[\\citet[']) {
      const text = unit.repeat(Math.ceil(200_000 / unit.length));
      const t0 = performance.now();
      parseLatexCitations(text);
      const ms = performance.now() - t0;
      assert.ok(ms < 2500, `${JSON.stringify(unit)}: ${ms} ms`);
    }
  });
});

describe('empty keys', () => {
  /** `range comma|group` of each empty key. */
  function empties(text: string): string[] {
    return latexCitationFacts(text, citeCommands()).emptyKeys.map((e) => `${showRange(e.range)} ${e.comma ? 'comma' : 'group'}${e.wildcard ? ' *' : ''}`);
  }

  it('a trailing comma makes an empty key: the comma is reported', () => {
    assert.deepStrictEqual(empties(String.raw`\citep{ok,}`), ['0:9-0:10 comma']);
  });

  it('a double comma makes an empty key: the second comma is reported', () => {
    assert.deepStrictEqual(empties(String.raw`\cite{a,,b}`), ['0:8-0:9 comma']);
  });

  it('a leading comma and a comma after spaces make empty keys', () => {
    assert.deepStrictEqual(empties(String.raw`\cite{,a} \cite{a, ,b}`), ['0:6-0:7 comma', '0:19-0:20 comma']);
  });

  it('two empty items at the end are made by two different commas', () => {
    assert.deepStrictEqual(empties(String.raw`\cite{a,,}`), ['0:8-0:9 comma', '0:7-0:8 comma']);
  });

  it('an empty or blank group is one empty key on its braces', () => {
    assert.deepStrictEqual(empties(String.raw`\cite{} \cite{ } \cite{,}`), ['0:5-0:7 group', '0:13-0:16 group', '0:22-0:25 group']);
  });

  it('\\nocite{*,} has an empty key beside its wildcard', () => {
    assert.deepStrictEqual(empties(String.raw`\nocite{*,}`), ['0:9-0:10 comma *']);
  });

  it('spaces, line breaks and comments around keys make no empty key', () => {
    assert.deepStrictEqual(empties('\\cite{a, b} \\cite{ a ,\n b } \\cite{a, % c,\n d} \\nocite{*}'), []);
  });

  it('a group left open while typing reports no empty key', () => {
    assert.deepStrictEqual(empties('\\cite{a,'), []);
  });

  it('a group of a definition (\\cite{#1,}) reports none', () => {
    assert.deepStrictEqual(empties(String.raw`\newcommand\x[1]{\cite{#1,}}`), []);
  });
});

describe('multibib and biblatex declarations', () => {
  it('\\bibliographyapp{x} is kept apart with its suffix; \\bibliographystyleapp is not', () => {
    const s = parseLatexStructure('\\bibliographystyleapp{plain}\n\\bibliographyapp{extra,more}\n\\bibliography{main}');
    assert.deepStrictEqual(s.suffixedBibliographies.map((b) => `${b.suffix} ${b.path} ${showRange(b.range)}`), ['app extra 1:17-1:22', 'app more 1:23-1:27']);
    assert.deepStrictEqual(s.bibliographies.map((b) => b.path), ['main']);
  });

  it('biblatex uses biber unless its backend option says bibtex', () => {
    assert.strictEqual(parseLatexStructure('\\usepackage[style=apa]{biblatex}').biblatexBackend, 'biber');
    assert.strictEqual(parseLatexStructure('\\usepackage[backend=bibtex8,style=apa]{biblatex}').biblatexBackend, 'bibtex');
    assert.strictEqual(parseLatexStructure('\\usepackage[backend=biber, style=authoryear-comp]{biblatex}').biblatexStyle, 'authoryear-comp');
    assert.strictEqual(parseLatexStructure('\\usepackage[citestyle=numeric]{biblatex}').biblatexStyle, undefined);
    assert.strictEqual(parseLatexStructure('\\usepackage{natbib,biblatex}').biblatexBackend, 'biber');
    assert.strictEqual(parseLatexStructure('\\usepackage{natbib}').biblatexBackend, undefined);
  });

  it('notes natbib among the packages a document loads', () => {
    assert.strictEqual(parseLatexStructure('\\usepackage[round]{natbib}').natbib, true);
    assert.strictEqual(parseLatexStructure('\\usepackage{graphicx, natbib}').natbib, true);
    assert.strictEqual(parseLatexStructure('\\usepackage{natbibx}').natbib, undefined);
  });
});
