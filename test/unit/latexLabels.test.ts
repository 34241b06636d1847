import * as assert from 'assert';
import * as fc from 'fast-check';
import { latexRefCompletionContext, parseLatexLabels, type LabelFact, type LatexRefCompletionContext } from '../../server/src/service/parsers/drafts/latexLabels';
import { LineIndex } from '../../server/src/service/text';
import { cursor, showRange, slice } from './fixture';

/** `command:label`, after checking that the range covers the label exactly. */
function render(text: string, facts: LabelFact[]): string[] {
  return facts.map((f) => {
    assert.strictEqual(slice(text, f.range), f.label, `range of ${f.label}`);
    return `${f.command}:${f.label}`;
  });
}

const cases: [name: string, text: string, expected: { labels?: string[]; refs?: string[] }][] = [
  ['label and zlabel define labels', String.raw`\section{Intro}\label{sec:intro} \zlabel{z:a}`, { labels: ['label:sec:intro', 'zlabel:z:a'] }],
  [
    'the classic reference commands refer to labels',
    String.raw`\ref{a} \eqref{b} \pageref{c} \autoref{d} \nameref{e}`,
    { refs: ['ref:a', 'eqref:b', 'pageref:c', 'autoref:d', 'nameref:e'] },
  ],
  ['varioref commands refer to labels', String.raw`\vref{a} \vpageref{b} \Vref{c}`, { refs: ['vref:a', 'vpageref:b', 'Vref:c'] }],
  [
    'cleveref commands refer to labels',
    String.raw`\cref{a} \Cref{b} \cpageref{c} \Cpageref{d} \labelcref{e}`,
    { refs: ['cref:a', 'Cref:b', 'cpageref:c', 'Cpageref:d', 'labelcref:e'] },
  ],
  ['zref commands refer to labels', String.raw`\zref{a} \zcref{b, c}`, { refs: ['zref:a', 'zcref:b', 'zcref:c'] }],
  ['cleveref lists refer to each label', '\\cref{a,b} \\Cref{c, d ,\n  e}', { refs: ['cref:a', 'cref:b', 'Cref:c', 'Cref:d', 'Cref:e'] }],
  ['empty items of a list are skipped', String.raw`\cref{a,,b,} \cref{}`, { refs: ['cref:a', 'cref:b'] }],
  ['ranges refer to both labels', String.raw`\crefrange{a}{b} \Crefrange{c} {d}`, { refs: ['crefrange:a', 'crefrange:b', 'Crefrange:c', 'Crefrange:d'] }],
  ['starred commands report their name without the star', String.raw`\ref*{a} \cref*{b,c} \Crefrange*{d}{e}`, { refs: ['ref:a', 'cref:b', 'cref:c', 'Crefrange:d', 'Crefrange:e'] }],
  ['only list commands split on commas', String.raw`\ref{a,b}`, { refs: ['ref:a,b'] }],
  ['options before the braces are skipped', String.raw`\label[appendix]{a} \zcref[S]{b} \vpageref[here][there]{c}`, { labels: ['label:a'], refs: ['zcref:b', 'vpageref:c'] }],
  ['hyperref refers to the label in its optional argument', String.raw`\hyperref[sec:x]{the \ref{y} section}`, { refs: ['hyperref:sec:x', 'ref:y'] }],
  ['spaces and one line break may separate a command from its argument', '\\label {a} \\ref\n{b}', { labels: ['label:a'], refs: ['ref:b'] }],
  ['a blank line ends the search for an argument', '\\ref\n\n{b}', {}],
  ['commands that only start like a reference command are ignored', String.raw`\refstepcounter{a} \labelformat{b} \crefname{c}{d}{e} \ref{f}`, { refs: ['ref:f'] }],
  ['nothing inside comments counts', '% \\label{a}\n\\label{b} % \\ref{c}\n\\ref{d}', { labels: ['label:b'], refs: ['ref:d'] }],
  ['an escaped percent sign starts no comment', String.raw`50\% \ref{a} \\% \ref{b}`, { refs: ['ref:a'] }],
  ['a comment inside a list is skipped', '\\cref{a, % b\n c}', { refs: ['cref:a', 'cref:c'] }],
  ['nothing inside verb counts', String.raw`\verb|\label{a}| \verb*+\ref{b}+ \ref{c}`, { refs: ['ref:c'] }],
  [
    'nothing inside verbatim-like environments counts',
    [
      '\\begin{verbatim}\\label{a}\\end{verbatim}',
      '\\begin{Verbatim}[frame=single]\n\\ref{b}\n\\end{Verbatim}',
      '\\begin{lstlisting}\\ref{c}\\end{lstlisting}',
      '\\begin{minted}{latex}\n\\label{d}\n\\end{minted}',
      '\\begin{comment}\n\\ref{e}\n\\end{comment}',
      '\\begin{figure}\\label{f}\\end{figure}',
    ].join('\n'),
    { labels: ['label:f'] },
  ],
  ['a percent sign in a URL starts no comment', String.raw`\url{https://x.org/a%20b} \label{a} \href{https://x.org/%7E}{\ref{a}}`, { labels: ['label:a'], refs: ['ref:a'] }],
  ['labels holding macro parameters are skipped', String.raw`\newcommand{\fig}[1]{\label{fig:#1}\cref{#1, a}} \label{b}`, { labels: ['label:b'], refs: ['cref:a'] }],
  ['an argument holding a control word is no label', String.raw`\label{sec:\thechapter} \ref{a}`, { refs: ['ref:a'] }],
  ['labels are trimmed but may hold inner spaces', String.raw`\label{ my label } \ref{  x  }`, { labels: ['label:my label'], refs: ['ref:x'] }],
  ['an unclosed argument yields nothing but spoils nothing else', '\\ref{fig:a\nMore text.\n\n\\ref{b} \\cref{c, d', { refs: ['ref:b'] }],
  ['an unclosed argument ends at the next command', String.raw`\ref{a \label{b}`, { labels: ['label:b'] }],
  ['an unclosed option yields nothing but spoils nothing after the paragraph', '\\label[x {a}\n\n\\label{b}', { labels: ['label:b'] }],
];

describe('parseLatexLabels', () => {
  for (const [name, text, expected] of cases) {
    it(name, () => {
      const { labels, refs } = parseLatexLabels(text);
      assert.deepStrictEqual({ labels: render(text, labels), refs: render(text, refs) }, { labels: expected.labels ?? [], refs: expected.refs ?? [] });
    });
  }

  it('ranges cover the label only', () => {
    const text = '\\label{ sec:a }\n\\cref{b,\n  cd}\n\\hyperref[e]{x}';
    const { labels, refs } = parseLatexLabels(text);
    assert.deepStrictEqual(
      [...labels, ...refs].map((f) => `${f.label} ${showRange(f.range)}`),
      ['sec:a 0:8-0:13', 'b 1:6-1:7', 'cd 2:2-2:4', 'e 3:10-3:11'],
    );
  });

  it('never throws, whatever the input', () => {
    for (const text of ['', '\\', '%', '\\ref', '\\ref{', '\\ref*', '\\label[', '\\hyperref[', '\\crefrange{a}{', '\\verb', '\\begin{verbatim}', '{}}']) {
      assert.doesNotThrow(() => parseLatexLabels(text));
      assert.doesNotThrow(() => latexRefCompletionContext(text, text.length));
    }
  });

  it('on any text, reports labels whose ranges cover them, and completes each reference at its end', () => {
    const unit = fc.constantFrom('\\ref', '\\cref', '\\label', '\\crefrange', '\\hyperref', '{', '}', '[', ']', ',', '%', '\\', '*', ' ', '\n', 'a', 'b', '#', '\\verb|', '|');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (text) => {
        const { labels, refs } = parseLatexLabels(text);
        render(text, labels);
        for (const r of render(text, refs).map((_, i) => refs[i])) {
          if (/\s/.test(r.label)) continue; // `\ref{a b}` is one label, but no word to complete
          const end = new LineIndex(text).offsetAt(r.range.end);
          assert.strictEqual(latexRefCompletionContext(text, end)?.prefix, r.label);
        }
        for (let offset = 0; offset <= text.length; offset++) {
          const ctx = latexRefCompletionContext(text, offset);
          if (ctx) assert.strictEqual(slice(text, ctx.range).slice(0, ctx.prefix.length), ctx.prefix);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('stays linear on adversarial input (unclosed groups)', () => {
    for (const unit of ['\\ref{', '\\cref{a,', '\\label[', '\\zref[', '\\hyperref[', '\\crefrange{a}{', '\\ref{a ', '{', '\\verb|', '\\url{', '\\begin{']) {
      const text = unit.repeat(Math.ceil(200_000 / unit.length));
      const t0 = performance.now();
      parseLatexLabels(text);
      latexRefCompletionContext(text, text.length);
      const ms = performance.now() - t0;
      // A generous bound: quadratic behaviour on 200 KB would take minutes, linear takes milliseconds.
      assert.ok(ms < 2500, `${JSON.stringify(unit)}: ${ms} ms`);
    }
  });
});

/** `prefix|rest`: what is typed before the cursor, what the completion also replaces after it. */
function renderContext(text: string, offset: number, ctx: LatexRefCompletionContext | undefined): string {
  if (!ctx) return 'none';
  const lines = new LineIndex(text);
  assert.strictEqual(lines.offsetAt(ctx.range.start), offset - ctx.prefix.length, 'the range starts where the prefix starts');
  assert.strictEqual(text.slice(offset - ctx.prefix.length, offset), ctx.prefix);
  return `${ctx.prefix}|${text.slice(offset, lines.offsetAt(ctx.range.end))}`;
}

const completionCases: [name: string, fixture: string, expected: string][] = [
  ['right after the opening brace', '\\ref{|}', '|'],
  ['while typing a label in an unclosed argument', 'See \\ref{fig:|', 'fig:|'],
  ['while typing a label in an unclosed argument followed by text', 'See \\eqref{eq|\nMore text.', 'eq|'],
  ['in the middle of a label the whole label is replaced', '\\autoref{sec:in|tro}', 'sec:in|tro'],
  ['in a starred command', '\\cref*{a|}', 'a|'],
  ['after a comma in a cleveref list', '\\cref{a, b|}', 'b|'],
  ['right after a comma, before a label', '\\Cref{a,|b}', '|b'],
  ['on the next line of a list', '\\cref{a,\n  b|}', 'b|'],
  ['in the second label of a range', '\\crefrange{a}{b|}', 'b|'],
  ['after options', '\\zcref[S]{|}', '|'],
  ['in the optional argument of hyperref', '\\hyperref[sec:|]{text}', 'sec:|'],
  ['not in the text argument of hyperref', '\\hyperref[a]{te|xt}', 'none'],
  ['in a single reference a comma belongs to the label', '\\ref{a,|b}', 'a,|b'],
  ['brackets belong to the label inside braces', '\\ref{a[1]|}', 'a[1]|'],
  ['not after a label and a space', '\\ref{a |}', 'none'],
  ['not in a label definition', '\\label{|}', 'none'],
  ['not in an option', '\\zcref[S|]{a}', 'none'],
  ['not after the command name without a brace', '\\ref|', 'none'],
  ['not after the closing brace', '\\ref{a}|', 'none'],
  ['not in a comment', '% \\ref{|}', 'none'],
  ['not in a comment inside a list', '\\cref{a, % b|\n c}', 'none'],
  ['not in verbatim', '\\begin{verbatim}\\ref{|}\\end{verbatim}', 'none'],
  ['not in a citation command', '\\cite{|}', 'none'],
];

describe('latexRefCompletionContext', () => {
  for (const [name, fixture, expected] of completionCases) {
    it(name, () => {
      const { text, offset } = cursor(fixture);
      assert.strictEqual(renderContext(text, offset, latexRefCompletionContext(text, offset)), expected);
    });
  }

  it('the range is the label around the cursor, in LSP positions', () => {
    const { text, offset } = cursor('x\n\\cref{a, sec:b|ody}');
    assert.strictEqual(showRange(latexRefCompletionContext(text, offset)!.range), '1:9-1:17');
  });

  it('keeps the fixed start of a label a macro makes, and no label for it', () => {
    const text = '\\def\\clipmark{\\refstepcounter{clip}\\label{clip\\theclip}}\n\\newcommand{\\sect}[2]{\\section{#1}\\label{#2}}\n\\label{fig:map}\n';
    const parsed = parseLatexLabels(text);
    assert.deepEqual(parsed.labels.map((l) => l.label), ['fig:map']);
    assert.deepEqual(parsed.generated, ['clip', '']);
  });
});
