import * as assert from 'assert';
import * as fc from 'fast-check';
import type { Citation, CitationCompletionContext } from '../../server/src/service/model';
import { latexCompletionContext, parseLatexCitations, parseLatexStructure, type LatexPath } from '../../server/src/service/parsers/drafts/latexCitations';
import { LineIndex } from '../../server/src/service/text';
import { cursor, showRange, slice } from './fixture';

/** `command:key`. */
function render(c: Citation): string {
  return `${c.command}:${c.key}`;
}

const citationCases: [name: string, text: string, expected: string[], extra?: string[]][] = [
  ['\\iffalse ... \\fi is never typeset: its citations are not cited, those of its \\else branch are', String.raw`\iffalse \cite{a} \else \cite{b} \fi \cite{c}`, ['cite:b', 'cite:c']],
  ['\\iffalse counts nested conditionals, and a \\fi in a comment closes nothing', String.raw`\iffalse \ifx\a\b \cite{x}\fi % \fi
\cite{y} \fi \cite{z}`, ['cite:z']],
  ['\\newif\\iffoo inside \\iffalse opens no conditional', String.raw`\iffalse \newif\ifdraft \cite{x} \fi \cite{y}`, ['cite:y']],
  ['an \\iffalse never closed hides nothing', String.raw`\iffalse \cite{a} \iffalse \cite{b}`, ['cite:a', 'cite:b']],
  ['natbib commands cite their keys', String.raw`\citet{a} \citep{b} \citealt{c} \citealp{d} \citeauthor{e} \citeyear{f} \citeyearpar{g}`, ['citet:a', 'citep:b', 'citealt:c', 'citealp:d', 'citeauthor:e', 'citeyear:f', 'citeyearpar:g']],
  [
    'biblatex commands cite their keys',
    String.raw`\parencite{a} \textcite{b} \autocite{c} \footcite{d} \footcitetext{e} \smartcite{f} \supercite{g} \fullcite{h} \footfullcite{i} \citetitle{j} \citedate{k} \citeurl{l}`,
    ['parencite:a', 'textcite:b', 'autocite:c', 'footcite:d', 'footcitetext:e', 'smartcite:f', 'supercite:g', 'fullcite:h', 'footfullcite:i', 'citetitle:j', 'citedate:k', 'citeurl:l'],
  ],
  ['capitalised commands cite their keys', String.raw`\Cite{a} \Parencite{b} \Textcite{c} \Autocite{d} \Citet{e} \Citep{f} \Citeauthor{g}`, ['Cite:a', 'Parencite:b', 'Textcite:c', 'Autocite:d', 'Citet:e', 'Citep:f', 'Citeauthor:g']],
  ['starred commands report their name without the star', String.raw`\cite*{a} \citet*{b} \citeauthor*{c}`, ['cite:a', 'citet:b', 'citeauthor:c']],
  ['several keys may be separated by commas, spaces and line breaks', '\\cite{a,b ,  c,\n  d}', ['cite:a', 'cite:b', 'cite:c', 'cite:d']],
  ['empty keys between commas are skipped', String.raw`\cite{a,,b,}`, ['cite:a', 'cite:b']],
  ['spaces may separate a command from its arguments', '\\cite [p.~3] {a} \\parencite\n{b}', ['cite:a', 'parencite:b']],
  ['optional arguments may hold nested braces and brackets', String.raw`\cite[see {[}x{]}][p.~{3}]{a} \parencite[{\S}~3][a [b] c]{k}`, ['cite:a', 'parencite:k']],
  ['escaped brackets and braces in an optional argument do not end it', String.raw`\cite[a \] b \{][c]{k}`, ['cite:k']],
  ['nocite reports its keys and the wildcard as key *', String.raw`\nocite{a} \nocite{*}`, ['nocite:a', 'nocite:*']],
  ['multi-cites read global notes and every key group', String.raw`\cites(pre)(post)[p][q]{a}[r]{b,c}{d} text`, ['cites:a', 'cites:b', 'cites:c', 'cites:d']],
  [
    'every multi-cite command is recognised',
    String.raw`\parencites{a}{b} \textcites{c} \autocites{d} \footcites{e} \smartcites{f} \supercites{g} \Textcites{h}`,
    ['parencites:a', 'parencites:b', 'textcites:c', 'autocites:d', 'footcites:e', 'smartcites:f', 'supercites:g', 'Textcites:h'],
  ],
  ['a multi-cite stops at the first thing that is not an argument', String.raw`\cites{a}{b} and {c}`, ['cites:a', 'cites:b']],
  ['volcite skips the volume and the pages', String.raw`\volcite[see]{2}[33]{a} \pvolcite{3}{b} \volcites{1}{c}{2}[4]{d}`, ['volcite:a', 'pvolcite:b', 'volcites:c', 'volcites:d']],
  ['extra commands from settings behave like cite', String.raw`\mycite[p.~2]{a} \othercite{b} \citeproc{c}`, ['mycite:a', 'othercite:b'], ['mycite', '\\othercite']],
  ['commands that only start like a citation command are ignored', String.raw`\citation{a} \citenothing{b} \bibitem{c} \cite{d}`, ['cite:d']],
  ['nothing inside comments counts', '% \\cite{a}\n\\cite{b} % \\cite{c}\n\\cite{d}', ['cite:b', 'cite:d']],
  ['an escaped percent sign starts no comment', String.raw`50\% \cite{a} \\% \cite{b}`, ['cite:a']],
  ['a comment inside a key list is skipped', '\\cite{a, % b\n c}', ['cite:a', 'cite:c']],
  ['nothing inside verb counts', String.raw`\verb|\cite{a}| \verb+\cite{b}+ \verb*!\cite{c}! \cite{d}`, ['cite:d']],
  [
    'nothing inside verbatim-like environments counts',
    [
      '\\begin{verbatim}\\cite{a}\\end{verbatim}',
      '\\begin{Verbatim}[frame=single]\n\\cite{b}\n\\end{Verbatim}',
      '\\begin{lstlisting}\\cite{c}\\end{lstlisting}',
      '\\begin{minted}{latex}\n\\cite{d}\n\\end{minted}',
      '\\begin{comment}\n\\cite{e}\n\\end{comment}',
      '\\begin{itemize}\\item \\cite{f}\\end{itemize}',
    ].join('\n'),
    ['cite:f'],
  ],
  ['a percent sign in a URL starts no comment', String.raw`\url{https://x.org/a%20b} \cite{a} \href{https://x.org/%7E}{\cite{b}}`, ['cite:a', 'cite:b']],
  ['macro parameters are not keys', String.raw`\newcommand{\mycite}[1]{\cite{#1}} \cite{a}`, ['cite:a']],
  ['an unclosed key group stops at the first word after a key without a comma', '\\cite{a, bisc\nMore text, here.\n\n\\cite{c}', ['cite:a', 'cite:bisc', 'cite:c']],
  ['an unclosed optional argument cites nothing but spoils nothing else', '\\cite[p. 3 {a}\n\n\\cite{b}', ['cite:b']],
  ['a key group left open at the end of the text still reports its keys', String.raw`\parencite{a, b`, ['parencite:a', 'parencite:b']],
];

describe('parseLatexCitations', () => {
  for (const [name, text, expected, extra] of citationCases) {
    it(name, () => {
      const citations = parseLatexCitations(text, extra);
      for (const c of citations) {
        assert.strictEqual(slice(text, c.range), c.key);
        assert.strictEqual(c.syntax, 'latex');
      }
      assert.deepStrictEqual(citations.map(render), expected);
    });
  }

  it('ranges cover the key only', () => {
    const text = '\\cite[p.~3]{a, bc}\n\\textcite{\n  d}';
    assert.deepStrictEqual(
      parseLatexCitations(text).map((c) => `${c.key} ${showRange(c.range)}`),
      ['a 0:12-0:13', 'bc 0:15-0:17', 'd 2:2-2:3'],
    );
  });

  it('never throws, whatever the input', () => {
    for (const text of ['', '\\', '%', '\\cite', '\\cite{', '\\cite[', '\\cites(', '\\verb', '\\begin{verbatim}', '\\volcite{', '{}}']) {
      assert.doesNotThrow(() => parseLatexCitations(text, ['x']));
    }
  });

  it('on any text, reports keys whose ranges cover them, and completes each key at its end', () => {
    const unit = fc.constantFrom('\\cite', '\\cites', '\\volcite', '{', '}', '[', ']', '(', ')', ',', '%', '\\', '*', ' ', '\n', 'a', 'b', '\\verb|', '|');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (text) => {
        for (const c of parseLatexCitations(text)) {
          assert.strictEqual(slice(text, c.range), c.key);
          if (/\s/.test(c.key)) continue; // a malformed `{a b}` is one key, but no word to complete
          const end = new LineIndex(text).offsetAt(c.range.end);
          assert.strictEqual(latexCompletionContext(text, end)?.prefix, c.key);
        }
        for (let offset = 0; offset <= text.length; offset++) {
          const ctx = latexCompletionContext(text, offset);
          if (ctx) assert.strictEqual(slice(text, ctx.range).slice(0, ctx.prefix.length), ctx.prefix);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('finds all 3,000 citations of a 1 MB document (speed is measured by npm run bench)', () => {
    const paragraph = (i: number) =>
      `Burden sharing \\parencite[see][p.~${i}]{author${i}, other${i}} and \\textcite{intext${i}}; 5\\% % comment \\cite{no}\n` +
      'NATO members agreed to spend two percent of GDP on \\emph{defence}, see \\url{https://x.org/%20}. '.repeat(10) +
      '\n\n';
    const text = Array.from({ length: 1000 }, (_, i) => paragraph(i)).join('');
    assert.ok(text.length >= 1_000_000);
    assert.strictEqual(parseLatexCitations(text).length, 3000);
  });

  it('stays linear on adversarial input (unclosed groups)', () => {
    for (const unit of ['\\iffalse\\cite{a}', '\\iffalse\\ifx', '\\cite{', '\\cite[', '\\cites(', '\\cite{a ', '{', '\\verb|', '\\url{', '\\bibliography{', '\\volcite{', '\\import{a}{']) {
      const text = unit.repeat(Math.ceil(200_000 / unit.length));
      const t0 = performance.now();
      parseLatexCitations(text);
      const ms = performance.now() - t0;
      // A generous bound: quadratic behaviour on 200 KB would take minutes, linear takes milliseconds.
      assert.ok(ms < 2500, `${JSON.stringify(unit)}: ${ms} ms`);
    }
  });
});

/** `prefix|rest`: what is typed before the cursor, what the completion also replaces after it. */
function renderContext(text: string, offset: number, ctx: CitationCompletionContext | undefined): string {
  if (!ctx) return 'none';
  const lines = new LineIndex(text);
  assert.strictEqual(lines.offsetAt(ctx.range.start), offset - ctx.prefix.length, 'the range starts where the prefix starts');
  assert.strictEqual(text.slice(offset - ctx.prefix.length, offset), ctx.prefix);
  assert.strictEqual(ctx.syntax, 'latex');
  return `${ctx.prefix}|${text.slice(offset, lines.offsetAt(ctx.range.end))}`;
}

const completionCases: [name: string, fixture: string, expected: string, extra?: string[]][] = [
  ['right after the opening brace', '\\cite{|}', '|'],
  ['while typing a key in an unclosed group', 'See \\cite{bisc|', 'bisc|'],
  ['while typing a key in an unclosed group followed by text', 'See \\cite{bisc|\nMore text.', 'bisc|'],
  ['after a comma and a space', '\\cite{a, bi|}', 'bi|'],
  ['right after a comma, before a key', '\\cite{a,|b}', '|b'],
  ['after a comma and spaces, before a key', '\\cite{a, |b}', '|b'],
  ['in the middle of a key the whole key is replaced', '\\cite{smi|th2020, b}', 'smi|th2020'],
  ['on the next line of a key list', '\\cite{a,\n  b|}', 'b|'],
  ['after optional arguments', '\\parencite[see][p.~3]{|}', '|'],
  ['in a starred command', '\\citet*{ab|}', 'ab|'],
  ['in nocite', '\\nocite{|', '|'],
  ['in the second key group of a multi-cite', '\\cites[x]{a}[y]{b|}', 'b|'],
  ['in the key group of a volcite', '\\volcite{2}{k|}', 'k|'],
  ['in an extra command from settings', '\\mycite{a|}', 'a|', ['mycite']],
  ['not in an optional argument', '\\cite[p.~|]{a}', 'none'],
  ['not in the volume of a volcite', '\\volcite{2|}{k}', 'none'],
  ['not after the command name without a brace', '\\cite|', 'none'],
  ['not after the closing brace', '\\cite{a}|', 'none'],
  ['not after a key and a space', '\\cite{a |}', 'none'],
  ['several words: a query by author and title (no key holds a space)', '\\cite{nato force 20|24}', 'nato force 20|24'],
  ['several words after a key and a comma', '\\parencite{a, nato for|}', 'nato for|'],
  ['several words on the line after a comma and a line break', '\\cite{a,\n  nato force|}', 'nato force|'],
  ['not several words across a line break', '\\cite{nato\nforce|}', 'none'],
  ['not in a comment', '% \\cite{|}', 'none'],
  ['not in verbatim', '\\verb|\\cite{a$|', 'none'],
  ['not in an unknown command', '\\ref{|}', 'none'],
];

describe('latexCompletionContext', () => {
  for (const [name, fixture, expected, extra] of completionCases) {
    it(name, () => {
      // `$` marks the cursor where `|` is part of the text.
      const { text, offset } = cursor(fixture, fixture.includes('$') ? '$' : '|');
      assert.strictEqual(renderContext(text, offset, latexCompletionContext(text, offset, extra)), expected);
    });
  }
});

/** `command path line:col-line:col`. */
function renderPaths(list: LatexPath[]): string[] {
  return list.map((p) => `${p.command} ${p.path} ${showRange(p.range)}`);
}

const structureCases: [name: string, text: string, expected: { bibliographies?: string[]; inputs?: string[]; texRoot?: string }][] = [
  ['each bibliography name has its own range', '\\bibliography{refs, ../other}', { bibliographies: ['bibliography refs 0:14-0:18', 'bibliography ../other 0:20-0:28'] }],
  [
    'biblatex resources may carry options',
    '\\addbibresource[location=remote]{https://x.org/a.bib}\n\\addbibresource{local.bib}\n\\addglobalbib{g.bib}\n\\addsectionbib[label=s]{s.bib}',
    { bibliographies: ['addbibresource https://x.org/a.bib 0:33-0:52', 'addbibresource local.bib 1:16-1:25', 'addglobalbib g.bib 2:14-2:19', 'addsectionbib s.bib 3:24-3:29'] },
  ],
  [
    'included files keep their path as written',
    '\\input{chapters/intro}\n\\include{ch2.tex}\n\\subfile{sub/a}\n\\input appendix',
    { inputs: ['input chapters/intro 0:7-0:21', 'include ch2.tex 1:9-1:16', 'subfile sub/a 2:9-2:14', 'input appendix 3:7-3:15'] },
  ],
  [
    'import joins the directory and the file',
    '\\import{dir/}{file}\n\\subimport*{sub}{b.tex}\n\\includefrom{x}{y}',
    { inputs: ['import dir/file 0:14-0:18', 'subimport sub/b.tex 1:17-1:22', 'includefrom x/y 2:16-2:17'] },
  ],
  ['commented-out lines declare nothing', '%\\bibliography{a}\n% \\input{b}\n  %\\addbibresource{c.bib}', {}],
  ['verbatim text declares nothing', '\\begin{verbatim}\n\\input{a}\n\\end{verbatim}\n\\verb|\\input{b}|', {}],
  ['the magic comment names the root', '% !TEX root = ../main.tex\n\\input{x}', { inputs: ['input x 1:7-1:8'], texRoot: '../main.tex 0:14-0:25' }],
  ['the magic comment may be written without spaces and in any case', '%!TeX root=main.tex  \n', { texRoot: 'main.tex 0:11-0:19' }],
  ['only the first magic comment counts', '% !TEX root = a.tex\n% !TEX root = b.tex', { texRoot: 'a.tex 0:14-0:19' }],
  ['other magic comments are not roots', '% !TEX program = xelatex', {}],
];

describe('parseLatexStructure', () => {
  for (const [name, text, expected] of structureCases) {
    it(name, () => {
      const s = parseLatexStructure(text);
      assert.deepStrictEqual(
        {
          bibliographies: renderPaths(s.bibliographies),
          inputs: renderPaths(s.inputs),
          texRoot: s.texRoot && `${s.texRoot.path} ${showRange(s.texRoot.range)}`,
        },
        { bibliographies: expected.bibliographies ?? [], inputs: expected.inputs ?? [], texRoot: expected.texRoot },
      );
    });
  }

  it('never throws, whatever the input', () => {
    for (const text of ['', '\\bibliography', '\\bibliography{', '\\import{a}', '%', '% !TEX root =']) {
      assert.doesNotThrow(() => parseLatexStructure(text));
    }
  });
});
