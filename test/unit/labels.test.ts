import * as assert from 'node:assert/strict';
import type { CompletionItem, MarkupContent, TextEdit } from 'vscode-languageserver-types';
import { serviceFor } from './memoryWorkspace';
import { cursor, slice } from './fixture';
import { latexLabelTarget, markdownLabelTarget } from '../../server/src/service/parsers/drafts/labelTargets';

const tex = `\\documentclass{article}
\\addbibresource{refs.bib}
\\begin{document}
\\section{The {NATO} Force Model}\\label{sec:nfm}
Text.
\\subsection{Partners}
\\label{sec:partners}
\\begin{figure}
  \\centering
  \\includegraphics{map}
  \\caption{Map of the \\emph{eastern} flank}
  \\label{fig:map}
\\end{figure}
\\begin{equation}
  \\label{eq:burden}
  s_i = \\frac{d_i}{\\sum_j d_j}
\\end{equation}
\\input{ch2}
\\end{document}
`;
const chapter = '% !TEX root = main.tex\n\\section{Second chapter}\\label{sec:two}\nSee \\cref{sec:nfm}.\n';

const qmd = `---
bibliography: refs.bib
---
# Introduction {#sec-intro}

![Allied forces on the eastern flank](map.png){#fig-map width=80%}

| a | b |
|---|---|
| 1 | 2 |

: Spending by member {#tbl-spending}

$$
s_i = d_i / D
$$ {#eq-share}

::: {#fig-panels}
![](a.png)

Two panels
:::

\`\`\`{r}
#| label: fig-plot
#| fig-cap: "Spending over time"
plot(1)
\`\`\`
`;
const refs = '@book{fig-legacy, title = {Figures of a legacy}, year = 2001}\n@book{biscop2022new, author = {Biscop, S.}, title = {The New Force Model}, year = 2022}\n';

/** `§` marks the cursor (the Markdown fixture holds table pipes). */
async function complete(name: string, marked: string, extra: Record<string, string> = {}) {
  const { text, position } = cursor(marked, '§');
  const { workspace, service } = serviceFor({ 'refs.bib': refs, 'main.tex': tex, 'ch2.tex': chapter, 'paper.qmd': qmd, ...extra, [name]: text });
  const list = await service.getCompletions(workspace.openDoc(name), position);
  return { list, text: text };
}
async function hover(name: string, marked: string, extra: Record<string, string> = {}) {
  const { text, position } = cursor(marked, '§');
  const { workspace, service } = serviceFor({ 'refs.bib': refs, 'main.tex': tex, 'ch2.tex': chapter, 'paper.qmd': qmd, ...extra, [name]: text });
  const h = await service.getHover(workspace.openDoc(name), position);
  return h && (h.contents as MarkupContent).value;
}
const shown = (items: CompletionItem[] | undefined) => (items ?? []).map((i) => `${i.label}: ${i.detail}`);

describe('label completion', () => {
  for (const command of ['ref', 'cref', 'Cref', 'autoref', 'eqref', 'pageref']) {
    it(`lists the project's labels with what they name inside \\${command}{`, async () => {
      const { list } = await complete('ch2.tex', `% !TEX root = main.tex\nSee \\${command}{§}\n`);
      assert.deepEqual(shown(list?.items), [
        'sec:nfm: Section: The NATO Force Model',
        'sec:partners: Section: Partners',
        'fig:map: Figure: Map of the eastern flank',
        'eq:burden: Equation: s_i = \\frac{d_i}{\\sum_j d_j}',
      ]);
    });
  }

  it('replaces the label typed, in a cleveref list too, and keeps to labels holding the letters typed', async () => {
    const { list, text } = await complete('ch2.tex', '% !TEX root = main.tex\nSee \\cref{sec:nfm, fi§g:x}\n');
    assert.deepEqual(shown(list?.items), ['fig:map: Figure: Map of the eastern flank']);
    assert.equal(slice(text.replace('§', ''), (list!.items[0].textEdit as TextEdit).range), 'fig:x');
    assert.equal(list?.isIncomplete, false);
  });

  it('completes Quarto labels of the type typed after @fig-, @tbl-, @sec-, @eq-', async () => {
    const at = async (typed: string) => shown((await complete('paper.qmd', qmd + `\nSee ${typed}§\n`)).list?.items.filter((i) => i.sortText?.startsWith('0')));
    assert.deepEqual(await at('@fig-'), ['fig-map: Figure: Allied forces on the eastern flank', 'fig-panels: Figure: Two panels', 'fig-plot: Figure: Spending over time']);
    assert.deepEqual(await at('[@tbl-'), ['tbl-spending: Table: Spending by member']);
    assert.deepEqual(await at('@sec-'), ['sec-intro: Section: Introduction']);
    assert.deepEqual(await at('@eq-'), ['eq-share: Equation: s_i = d_i / D']);
  });

  it('keeps a capital typed (@Fig- writes "Figure" at the start of a sentence)', async () => {
    const { list } = await complete('paper.qmd', qmd + '\n@Fig-m§\n');
    assert.equal((list?.items[0].textEdit as TextEdit).newText, 'Fig-map');
  });

  it('lists a citation key of the same shape after the labels, and cites as usual before the separator', async () => {
    const { list } = await complete('paper.qmd', qmd + '\nSee @fig-§\n');
    assert.deepEqual(list?.items.map((i) => i.label), ['fig-map', 'fig-panels', 'fig-plot', 'fig-legacy']);
    const before = await complete('paper.qmd', qmd + '\nSee [@fig§\n');
    assert.equal(before.list?.items[0].label, 'fig-legacy');
  });

  it("completes pandoc-crossref's @fig: labels", async () => {
    const md = '---\nbibliography: refs.bib\n---\n![A map](map.png){#fig:map}\n\nSee @fig:§\n';
    const { list } = await complete('paper.md', md);
    assert.deepEqual(shown(list?.items), ['fig:map: Figure: A map']);
  });

  it('leaves citation completion alone elsewhere', async () => {
    const { list } = await complete('main.tex', tex.replace('Text.', 'Text \\cite{bis§}.'));
    assert.deepEqual(list?.items.map((i) => i.label), ['biscop2022new']);
  });
});

describe('label hover', () => {
  it('shows what a LaTeX reference names and where', async () => {
    assert.equal(await hover('ch2.tex', '% !TEX root = main.tex\nSee \\ref{sec:n§fm}.\n'), '**Section**: The NATO Force Model\n\n*main.tex:4*');
    assert.equal(await hover('ch2.tex', '% !TEX root = main.tex\nSee \\eqref{eq:bur§den}.\n'), '**Equation**: s\\_i = \\\\frac{d\\_i}{\\\\sum\\_j d\\_j}\n\n*main.tex:15*');
  });

  it('shows what a Quarto cross-reference names', async () => {
    assert.equal(await hover('paper.qmd', qmd + '\nAs @fig-m§ap shows.\n'), '**Figure**: Allied forces on the eastern flank\n\n*paper.qmd:6*');
    assert.equal(await hover('paper.qmd', qmd + '\nAs @Fig-m§ap shows.\n'), '**Figure**: Allied forces on the eastern flank\n\n*paper.qmd:6*');
  });

  it('says nothing on a reference to a label the project does not define', async () => {
    assert.equal(await hover('ch2.tex', '% !TEX root = main.tex\nSee \\ref{sec:no§ne}.\n'), undefined);
    assert.equal(await hover('paper.qmd', qmd + '\nAs @fig-no§ne shows.\n'), undefined);
  });
});

describe('what a label names', () => {
  const latex = (text: string) => latexLabelTarget(text.replace('|', ''), text.indexOf('|'));
  const markdown = (text: string, label: string) => markdownLabelTarget(text.replace('|', ''), text.indexOf('|'), label);

  it('reads nothing for a label that only follows a heading from afar', () => {
    assert.equal(latex('\\section{A}\nSome text.\n\\label{|x}'), undefined);
    assert.equal(latex('\\section{A} text \\label{|x}'), undefined);
  });

  it('reads a caption with nested groups and a starred table', () => {
    assert.deepEqual(latex('\\begin{table*}\\caption{Costs in {\\euro}}\\label{|tab:c}\\end{table*}'), { kind: 'Table', text: 'Costs in euro' });
    assert.deepEqual(latex('\\section{From the NRF to the \\glsentryshort{nfm} \\& after}\\label{|sec:x}'), { kind: 'Section', text: 'From the NRF to the nfm & after' });
  });

  it('never throws and reads nothing from text with no target', () => {
    for (const text of ['|', '\\label{|', '\\begin{figure}\\label{|x}', '\\caption{\\label{|x}', '{#|fig-x}', '$${#|eq-x}', '::: {#|fig-x}\n']) {
      assert.doesNotThrow(() => latex(text));
      assert.doesNotThrow(() => markdown(text, 'fig-x'));
    }
    assert.equal(latex('\\begin{figure}\\label{|x}\\end{figure}'), undefined);
  });
});
