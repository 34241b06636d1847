import * as assert from 'assert';
import * as fc from 'fast-check';
import type { Citation, CitationCompletionContext } from '../../server/src/service/model';
import { markdownCompletionContext, parseMarkdownCitations } from '../../server/src/service/parsers/drafts/markdownCitations';
import { LineIndex } from '../../server/src/service/text';
import { cursor, showRange, slice } from './fixture';

/** `key`, then ` -author` (suppressAuthor), ` in-text`, ` nocite`. */
function render(c: Citation): string {
  return [c.key, c.suppressAuthor && '-author', c.inText && 'in-text', c.command].filter(Boolean).join(' ');
}

interface ParseCase {
  name: string;
  text: string;
  citations?: string[];
  crossRefs?: string[];
  labels?: string[];
}

function checkParse(c: ParseCase): void {
  const result = parseMarkdownCitations(c.text);
  // Every range covers exactly the key or label it reports.
  for (const x of result.citations) assert.strictEqual(slice(c.text, x.range), x.key);
  for (const x of [...result.crossRefs, ...result.labels]) assert.strictEqual(slice(c.text, x.range), x.label);
  assert.deepStrictEqual(
    { citations: result.citations.map(render), crossRefs: result.crossRefs.map((r) => r.label), labels: result.labels.map((l) => l.label) },
    { citations: c.citations ?? [], crossRefs: c.crossRefs ?? [], labels: c.labels ?? [] },
  );
}

const parseCases: ParseCase[] = [
  // Pandoc's citation syntax
  { name: 'a bracketed citation has one key', text: 'Blah [@doe99].', citations: ['doe99'] },
  { name: 'semicolons separate the keys of a bracketed citation', text: 'Blah [@doe99; @smith2000; @smith2004].', citations: ['doe99', 'smith2000', 'smith2004'] },
  { name: 'prefixes, locators and suffixes surround the keys', text: '[see @doe99, pp. 33-35 and *passim*; also @smith04, ch. 1]', citations: ['doe99', 'smith04'] },
  { name: 'a locator may follow a key without a comma', text: '[@a p. 33]', citations: ['a'] },
  { name: 'a minus sign before @ suppresses the author', text: 'Smith says blah [-@smith04].', citations: ['smith04 -author'] },
  { name: 'a key outside brackets is an in-text citation', text: '@smith04 says blah.', citations: ['smith04 in-text'] },
  { name: 'an in-text citation may carry a locator in brackets', text: '@smith04 [p. 33] says blah.', citations: ['smith04 in-text'] },
  { name: 'a minus sign before an in-text key suppresses the author too', text: 'As in -@smith04.', citations: ['smith04 -author in-text'] },
  { name: 'a bracketed citation may span lines', text: '[see @a;\nalso @b]', citations: ['a', 'b'] },
  { name: 'a citation may start a line, follow a parenthesis or a quote', text: '@a\n(@b) "@c"', citations: ['a in-text', 'b in-text', 'c in-text'] },
  // Keys
  { name: 'internal punctuation belongs to the key', text: '[@palmer2019:odyssey]', citations: ['palmer2019:odyssey'] },
  { name: 'a key ends before the closing bracket', text: '[@monaghan-2024.ready]', citations: ['monaghan-2024.ready'] },
  { name: 'the period ending a sentence is not part of the key', text: 'As shown by @smith2020.', citations: ['smith2020 in-text'] },
  { name: 'a comma after a key is not part of it', text: '@smith2020, and @jones:', citations: ['smith2020 in-text', 'jones in-text'] },
  { name: 'repeated punctuation ends the key', text: '@Foo_bar--baz', citations: ['Foo_bar in-text'] },
  { name: 'keys may start with a digit or an underscore', text: '[@1657:huygens; @_private]', citations: ['1657:huygens', '_private'] },
  { name: 'letters and digits of any script are key characters', text: '[@müller2020; @Ōe1994; @王2001]', citations: ['müller2020', 'Ōe1994', '王2001'] },
  { name: 'a slash pair is kept inside a key', text: '@http://zotero.org/a', citations: ['http://zotero.org/a in-text'] },
  { name: 'a braced key is what is inside the braces', text: '@{Foo_bar.baz.} and [@{https://example.com/bib?name=foobar&date=2000}, p. 33]', citations: ['Foo_bar.baz. in-text', 'https://example.com/bib?name=foobar&date=2000'] },
  { name: 'a braced key may hold balanced braces', text: '[@{a{b}c}]', citations: ['a{b}c'] },
  { name: 'a braced key cannot hold whitespace', text: '@{two words} and @{}', citations: [] },
  { name: 'an @ followed by no key character is no citation', text: 'at @ noon, @-x, @.', citations: [] },
  // Not citations
  { name: 'an e-mail address is no citation', text: 'Write to nato@example.org or foo@bar.', citations: [] },
  { name: 'an @ after a letter and a period is no citation', text: 'e.g.@key', citations: [] },
  { name: 'an @ after a dash following a word is a citation without suppressed author', text: 'see a-@key', citations: ['key in-text'] },
  { name: 'an escaped @ is no citation', text: '\\@ref(fig:x) and \\@a but \\\\@b', citations: ['b in-text'] },
  { name: 'inline code spans of any length hide citations', text: '`@a` and ``x ` @b`` and @c', citations: ['c in-text'] },
  { name: 'a code span may continue on the next line of its paragraph', text: 'see `code\n@a` @b', citations: ['b in-text'] },
  { name: 'an unclosed backtick hides nothing', text: 'a ` and @a', citations: ['a in-text'] },
  { name: 'a backtick run only closes with a run of the same length', text: '``x ` @a ``` @b `` @c', citations: ['c in-text'] },
  { name: 'fenced code blocks hide citations', text: '```python\n@decorator\n```\n~~~ {.r}\n@x\n~~~\n@a', citations: ['a in-text'] },
  { name: 'a fence closes only with its own character, at least as long', text: '````\n```\n@a\n~~~~\n@b\n````\n@c', citations: ['c in-text'] },
  { name: 'a fence inside a block quote or a list hides citations', text: '> ```\n> @a\n> ```\n\n- item\n\n    ```\n    @b\n    ```\n@c', citations: ['c in-text'] },
  { name: 'an unclosed fence is no fence, as in pandoc: its lines are text', text: '@a\n```\n@b\n', citations: ['a in-text', 'b in-text'] },
  { name: 'a fence needs a closing run of its character at least as long', text: '~~~\n@a\n```\n@b\n~~~~\n@c', citations: ['c in-text'] },
  { name: 'a backtick run with no closer of its length opens with fewer backticks (pandoc)', text: '````\n@a\n```\n\nx ```` @b ``` @c', citations: ['c in-text'] },
  { name: 'citations in Quarto callouts and divs count', text: '::: {.callout-note}\nSee [@a].\n:::\n', citations: ['a'] },
  { name: 'an indented code block after a blank line hides citations', text: 'Text\n\n    @code\n\n    @more\n@a', citations: ['a in-text'] },
  { name: 'an indented line continuing a paragraph is not code', text: 'Text\n    @a', citations: ['a in-text'] },
  { name: 'indented lines in a list are not code', text: '1. Item\n\n    See @a.\n\nPara\n\n    @code', citations: ['a in-text'] },
  { name: 'HTML comments hide citations, across blank lines', text: '<!-- @a -->\n<!--\n\n@b\n-->@c <!-- @d', citations: ['c in-text', 'd in-text'] },
  { name: 'inline math hides citations', text: '$x@y + @z$ and @a', citations: ['a in-text'] },
  { name: 'pandoc closes inline math at the next dollar, or it was no math', text: '$x$1 @a $y$ and $b @c$', citations: ['a in-text'] },
  { name: '\\(...\\) is no math in pandoc Markdown', text: '\\(@w\\) and @a', citations: ['w in-text', 'a in-text'] },
  { name: 'display math hides citations, across lines', text: '$$\n@a\n$$ and @b', citations: ['b in-text'] },
  { name: 'dollar amounts are not math', text: 'From $20 to @a and $30, or $ @b $', citations: ['a in-text', 'b in-text'] },
  { name: 'autolinks and link destinations are no citations', text: '<https://x.org/@a> [x](https://x.org/@b) @c', citations: ['c in-text'] },
  { name: 'a bare URL is text in pandoc Markdown: its @user cites', text: 'https://mastodon.social/@user', citations: ['user in-text'] },
  { name: 'raw HTML hides citations: style, script and pre blocks, and tag attributes', text: '<style>\n@media print {}\n\n@import x;\n</style>\n\n<script>\n@decorator\n</script>\n\n<span title="@a">@b</span>', citations: ['b in-text'] },
  { name: 'raw LaTeX hides citations: environments, and commands with their arguments', text: '\\begin{equation}\n@a\n\\end{equation}\n\n\\textbf{@b} \\foo[@c]{x} \\noindent @d', citations: ['d in-text'] },
  { name: 'attribute blocks hide citations', text: '[x](https://x.org){title="@a"} [y]{title="@b"}\n\n# H {#sec-x title="@c"}\n\n{@d}', citations: ['d in-text'], labels: ['sec-x'] },
  { name: 'link definitions are no text, titles included', text: '[a]: https://x.org "@b"\n[c]: https://x.org\n  (@d)\n\n@e', citations: ['e in-text'] },
  { name: 'example list labels are no citations, wherever they are referred to', text: 'As (@good) shows.\n\n(@good) An example.\n@ex. Another.\n\nSee @ex and @a.', citations: ['a in-text'] },
  { name: 'a key right after another key cites too, but not after a period', text: '@a@b .@c', citations: ['a in-text', 'b in-text'] },
  { name: 'a footnote continues in its indented paragraphs; code needs four more columns', text: 'x[^n]\n\n[^n]: One.\n\n    Two @a.\n\n        code @b\n\nBack @c.', citations: ['a in-text', 'c in-text'] },
  { name: 'code in a list item is indented four columns past the item text', text: '- item\n\n  para @a\n\n        code @b\n\n1.  x\n\n    para @c', citations: ['a in-text', 'c in-text'] },
  { name: 'indented code in a block quote hides citations', text: '>     @a\n\n> quoted\n>     @b lazy', citations: ['b in-text'] },
  { name: 'a YAML block in the middle of a document is metadata', text: 'Text.\n\n---\ntitle: "@a"\nauthor: "@b"\n---\n\n@c', citations: ['a in-text', 'c in-text'] },
  { name: 'the front matter fields printed as text hold citations, the others none', text: '---\nauthor: "@me"\ntitle: see @a\nabstract: |\n  As [@c] shows.\ntwitter: "@handle"\n---\n@b', citations: ['a in-text', 'c', 'b in-text'] },
  { name: 'the front matter nocite field cites its keys and the wildcard', text: '---\nnocite: |\n  @extra, @more\n  @*\nauthor: "@no"\n---\n', citations: ['extra nocite', 'more nocite', '* nocite'] },
  { name: 'a nocite value on the same line counts', text: '---\nnocite: "@a"\n---\n', citations: ['a nocite'] },
  { name: 'an opening line followed by a blank line is no front matter', text: '---\n\n@a\n\n---\n', citations: ['a in-text'] },
  { name: 'a wildcard in the body is no citation', text: '[@*]', citations: [] },
  // Brackets that are not citation brackets
  { name: 'a citation in link text is in-text', text: '[see @a](https://x.org) and [@b][ref]', citations: ['a in-text', 'b in-text'] },
  { name: 'a citation in an image caption is in-text', text: '![Map after @a](map.png)', citations: ['a in-text'] },
  { name: 'a citation in an inline note is in-text', text: 'Text.^[See @a.]', citations: ['a in-text'] },
  { name: 'a bracket left open at the end of a paragraph is no citation bracket', text: '[see @a\n\nand [@b]', citations: ['a in-text', 'b'] },
  { name: 'a heading ends open brackets', text: '# Intro [see @a\n\n[@b]', citations: ['a in-text', 'b'] },
  // Cross-references and labels
  {
    name: 'Quarto cross-references are not citations',
    text: 'See @fig-map, [@tbl-a; @sec-intro], @eq-energy, @thm-x, @lem-y, @cor-z and @Fig-cap.',
    crossRefs: ['fig-map', 'tbl-a', 'sec-intro', 'eq-energy', 'thm-x', 'lem-y', 'cor-z', 'Fig-cap'],
  },
  { name: 'pandoc-crossref references with a colon are cross-references', text: '[@fig:map; @sec:intro]', crossRefs: ['fig:map', 'sec:intro'] },
  { name: 'keys that merely start like a cross-reference type are citations', text: '@figueroa2020 @secretariat-2019 @defense:x @fig', citations: ['figueroa2020 in-text', 'secretariat-2019 in-text', 'defense:x in-text', 'fig in-text'] },
  {
    name: 'labels come from attributes, headings, divs, code cells and listings',
    text: [
      '# Introduction {#sec-intro}',
      '![Map](map.png){#fig-map width=50%}',
      '$$ E = mc^2 $$ {#eq-energy}',
      '::: {#thm-main .theorem}',
      ':::',
      '```{r}',
      '#| label: fig-plot',
      '#| fig-cap: "Plot"',
      'plot(1)',
      '#| label: fig-late',
      '```',
      '```{#lst-query .sql}',
      'SELECT 1',
      '```',
      ': Caption {#tbl:old}',
    ].join('\n'),
    labels: ['sec-intro', 'fig-map', 'eq-energy', 'thm-main', 'fig-plot', 'lst-query', 'tbl:old'],
  },
  { name: 'an HTML div with an id is a label, as pandoc reads it (pandoc-crossref subfigures)', text: '<div id="fig:growth">\n![A](a.png){#fig:growth-a}\n</div>\n\n<div class="x" id=\'fig-y\'>y</div>', labels: ['fig:growth', 'fig:growth-a', 'fig-y'] },
  { name: 'ids without a cross-reference type are not labels', text: '# Intro {#intro}\n[x]{#span}', labels: [] },
  {
    name: 'citations in a cell caption are citations (fig-cap, tbl-cap and the items of fig-subcap), not those of its code or other options',
    text: '```{r}\n#| label: fig-map\n#| fig-cap: "Deployments [@nato2024; see @smith2020]"\n#| fig-subcap:\n#|   - "East [@a]"\n#|   - "West"\n#| fig-alt: "@notacite"\nplot(x) # @notacite\n```\n',
    citations: ['nato2024', 'smith2020', 'a'],
    labels: ['fig-map'],
  },
  {
    name: "knitr chunk labels are labels: ```{r tbl-x}```, ```{r fig-y, fig.width=6}```, ```{r, label=\"fig-z\"}``` (not ```{r, echo=FALSE}```)",
    text: '```{r tbl-x}\n1\n```\n```{r fig-y, fig.width=6}\n2\n```\n```{r, label="fig-z"}\n3\n```\n```{r, echo=FALSE}\n4\n```\nSee @tbl-x, @fig-y and @fig-z.',
    crossRefs: ['tbl-x', 'fig-y', 'fig-z'],
    labels: ['tbl-x', 'fig-y', 'fig-z'],
  },
  { name: 'labels in code are not labels', text: '`{#fig-a}`\n```\n{#fig-b}\n#| label: fig-c\n```', labels: [] },
  // Line endings
  { name: 'CRLF line endings work like LF', text: '---\r\nnocite: "@n"\r\n---\r\n```\r\n@a\r\n```\r\n[@b]\r\n\r\n    @c\r\n', citations: ['n nocite', 'b'] },
  { name: 'a byte order mark before the front matter is allowed', text: '\uFEFF---\nauthor: "@a"\n---\n@b', citations: ['b in-text'] },
];

describe('parseMarkdownCitations', () => {
  for (const c of parseCases) it(c.name, () => checkParse(c));

  it('ranges cover the key only, without @, minus or braces', () => {
    const text = '[see @a; -@bc]\n@{x.y.} @fig-1';
    const r = parseMarkdownCitations(text);
    assert.deepStrictEqual(r.citations.map((c) => `${c.key} ${showRange(c.range)}`), ['a 0:6-0:7', 'bc 0:11-0:13', 'x.y. 1:2-1:6']);
    assert.deepStrictEqual(r.crossRefs.map((c) => `${c.label} ${showRange(c.range)}`), ['fig-1 1:9-1:14']);
  });

  it('never throws, whatever the input', () => {
    for (const text of ['', '@', '[', ']', '`', '$', '<!--', '@{', '---', '---\n', '\\', '```', '[@', '@{{}', '\uD800@a']) {
      assert.doesNotThrow(() => parseMarkdownCitations(text));
    }
  });

  it('on any text, reports non-empty keys whose ranges cover them, and completes each key at its end', () => {
    const unit = fc.constantFrom('@', '[', ']', ';', '-', '`', '$', '{', '}', '#', '<!--', '-->', '\\', ' ', '\n', '\r\n', '---', '```', 'a', 'fig', '.', ':', '/', 'é');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (text) => {
        const r = parseMarkdownCitations(text);
        for (const c of [...r.citations.map((c) => ({ label: c.key, range: c.range })), ...r.crossRefs]) {
          assert.ok(c.label.length > 0);
          assert.strictEqual(slice(text, c.range), c.label);
          const end = new LineIndex(text).offsetAt(c.range.end);
          assert.strictEqual(markdownCompletionContext(text, end)?.prefix, c.label);
        }
        for (let offset = 0; offset <= text.length; offset++) {
          const ctx = markdownCompletionContext(text, offset);
          if (ctx) assert.strictEqual(slice(text, ctx.range).slice(0, ctx.prefix.length), ctx.prefix);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('finds all 3,000 citations of a 1 MB document (speed is measured by npm run bench)', () => {
    const paragraph = (i: number) =>
      `Alliance burden sharing [see @author${i}, p. ${i}; -@other${i}] and \`code @x\` with $x^2$ and @intext${i}. ` +
      'NATO members agreed to spend two percent of GDP on defence, an e-mail nato@example.org, a URL <https://x.org/@a>. '.repeat(8) +
      '\n\n';
    const text = Array.from({ length: 1000 }, (_, i) => paragraph(i)).join('').padEnd(1_000_000, 'x ');
    assert.ok(text.length >= 1_000_000);
    assert.strictEqual(parseMarkdownCitations(text).citations.length, 3000);
  });

  it('stays linear on adversarial input (unclosed spans, brackets, braces)', () => {
    for (const unit of ['`', '$a ', '[', '<!--', '@{a', '\\(', '``x', '](', '](a ', '[@a', '[[@a](', '<ab:x', 'https://', '{#', '    \n']) {
      const text = unit.repeat(Math.ceil(200_000 / unit.length));
      const t0 = performance.now();
      parseMarkdownCitations(text);
      const ms = performance.now() - t0;
      // A generous bound: quadratic behaviour on 200 KB would take minutes, linear takes milliseconds.
      assert.ok(ms < 2500, `${JSON.stringify(unit)} x ${text.length / unit.length}: ${ms} ms`);
    }
  });

  it('stays linear on 800 KB of raw LaTeX commands with unclosed arguments (each looked 10,000 characters ahead: ~5 s)', () => {
    for (const unit of ['\\a{', '\\a[']) {
      const text = unit.repeat(270_000);
      const t0 = performance.now();
      parseMarkdownCitations(text);
      assert.ok(performance.now() - t0 < 1500, `${unit}: ${performance.now() - t0} ms`);
    }
  });

  it('stays linear on 2 MB of unclosed Quarto shortcodes (each looked for its >}} to the end: 3.3 s)', () => {
    const text = '{{< x '.repeat(350_000);
    const t0 = performance.now();
    parseMarkdownCitations(text);
    assert.ok(performance.now() - t0 < 1500, `${performance.now() - t0} ms`);
  });
});

/** `prefix|rest`: what is typed before the cursor, what the completion also replaces after it. */
function renderContext(text: string, offset: number, ctx: CitationCompletionContext | undefined): string {
  if (!ctx) return 'none';
  const lines = new LineIndex(text);
  assert.strictEqual(lines.offsetAt(ctx.range.start), offset - ctx.prefix.length, 'the range starts where the prefix starts');
  assert.strictEqual(text.slice(offset - ctx.prefix.length, offset), ctx.prefix);
  assert.strictEqual(ctx.syntax, 'pandoc');
  return `${ctx.prefix}|${text.slice(offset, lines.offsetAt(ctx.range.end))}`;
}

const completionCases: [name: string, fixture: string, expected: string][] = [
  ['after @ at the start of a line', '@|', '|'],
  ['after @ following a space', 'See @smi|', 'smi|'],
  ['in the middle of a key the whole key is replaced', 'See @smi|th2020 for', 'smi|th2020'],
  ['the period ending a sentence is not replaced', 'As @smi|th.', 'smi|th'],
  ['punctuation being typed belongs to the prefix', 'As @doe:|', 'doe:|'],
  ['after an opening bracket', '[@|]', '|'],
  ['after a semicolon in a bracket', '[@a; @b|]', 'b|'],
  ['after the minus sign of [-@', '[-@sm|]', 'sm|'],
  ['after a parenthesis', 'See (@a|)', 'a|'],
  ['at the end of a key already typed', '[@palmer2019:odyssey|]', 'palmer2019:odyssey|'],
  ['inside braces, up to the closing brace', '@{https://ex|ample.com/a?b=c}', 'https://ex|ample.com/a?b=c'],
  ['inside unclosed braces', 'See @{doi:10.1|', 'doi:10.1|'],
  ['right after an opening brace', '[@{|}]', '|'],
  ['after a cross-reference prefix', 'See @fig-|', 'fig-|'],
  ['in the front matter nocite field', '---\nnocite: >\n  @a, @ex|\n---\n', 'ex|'],
  ['in a Quarto callout', '::: {.callout-note}\nSee @a|\n:::', 'a|'],
  ['not in an e-mail address', 'nato@ex|', 'none'],
  ['not after the key and a space', '@smith |', 'none'],
  ['not before the @', '|@smith', 'none'],
  ['not after an escaped @', '\\@|', 'none'],
  ['not in inline code', 'See `@a|`', 'none'],
  ['not in fenced code', '```\n@a|\n```', 'none'],
  ['not in indented code', 'Text\n\n    @a|', 'none'],
  ['not in math', '$x + @a|$', 'none'],
  ['not in an HTML comment', '<!-- @a| -->', 'none'],
  ['in a bare URL, where pandoc reads a citation', 'https://mastodon.social/@us|', 'us|'],
  ['not in an autolink', '<https://x.org/@a|>', 'none'],
  ['in the front matter title', '---\ntitle: "@a|"\n---\n', 'a|'],
  ['not in other front matter fields', '---\nauthor: "@a|"\n---\n', 'none'],
];

describe('markdownCompletionContext', () => {
  for (const [name, fixture, expected] of completionCases) {
    it(name, () => {
      const { text, offset } = cursor(fixture);
      assert.strictEqual(renderContext(text, offset, markdownCompletionContext(text, offset)), expected);
    });
  }

  it('not in a bare URL or \\(...\\) math in R Markdown, whose reader links the one and reads the other as math', () => {
    for (const fixture of ['https://mastodon.social/@us|', 'Math \\(x + @a|\\)']) {
      const { text, offset } = cursor(fixture);
      assert.strictEqual(renderContext(text, offset, markdownCompletionContext(text, offset, { rmarkdown: true })), 'none');
    }
  });

  it('reports the range of the whole key in positions', () => {
    const { text, offset } = cursor('Line\n[see @smi|th2020, p. 3]');
    const ctx = markdownCompletionContext(text, offset);
    assert.strictEqual(ctx && showRange(ctx.range), '1:6-1:15');
  });
});
