import * as assert from 'node:assert/strict';
import { parseMakefilePandoc } from '../../server/src/service/parsers/drafts/makefile';
import { serviceFor } from './memoryWorkspace';
import { showDiagnostic } from './fixture';

/** The diagnostics of each file, opened in this order, as `file code message` lines. */
async function diagnose(fixture: Record<string, string>, names: string[]): Promise<string[]> {
  const { workspace, service } = serviceFor(fixture);
  const out: string[] = [];
  for (const name of names) for (const d of await service.getDiagnostics(workspace.openDoc(name))) out.push(showDiagnostic(name, d).replace(/:\S+ /, ' '));
  return out;
}

const refs = '@book{k, author = {Doe, Jane}, title = {T}, publisher = {P}, year = 2000}\n';

/** A thesis whose chapters a Makefile joins: pandoc-crossref labels across chapters, one bibliography, NFM spelled out once. */
const thesis = {
  'intro.md': '---\nbibliography: refs.bib\n---\n# Introduction {#sec:intro}\n\nThe New Force Model (NFM) is the subject; @sec:lit-review surveys it [@k].\n',
  'chapters/01-literature.md': '# Literature {#sec:lit-review}\n\nThe NFM literature [@k] builds on @sec:intro.\n',
  'chapters/02-method.md': '# Method {#sec:method}\n\nAs in @sec:lit-review and @sec:intro, the NFM [@k; @nokey] and @sec:nowhere.\n',
  'refs.bib': refs,
};
const chapters = ['intro.md', 'chapters/01-literature.md', 'chapters/02-method.md'];

/** What the thesis still reports once its chapters are one project: only the true findings. */
const trueFindings = [
  "chapters/02-method.md citation.undefined No bibliography entry for 'nokey'.",
  "chapters/02-method.md crossref.undefined No label 'sec:nowhere' in this project.",
];

describe('projects pandoc joins', () => {
  it('says where a label is when another draft defines it and no project joins the two: a warning, not an error', async () => {
    const { workspace, service } = serviceFor({ 'ch1.md': '# Theory {#sec:theory}\n', 'ch2.md': 'See @sec:theory and @sec:nowhere.\n' });
    const found = await service.getDiagnostics(workspace.openDoc('ch2.md'));
    assert.deepEqual(found.map((d) => `${d.severity} ${showDiagnostic('ch2.md', d)}`), [
      `2 ch2.md:0:5-0:15 crossref.undefined No label 'sec:theory' in this document. It is defined in ch1.md: if pandoc reads the two together, declare them a project ("projects" in entente.config.json).`,
      "1 ch2.md:0:21-0:32 crossref.undefined No label 'sec:nowhere' in this document.",
    ]);
  });

  it('reports cross-references to other chapters as undefined while no project joins them', async () => {
    const alone = await diagnose(thesis, chapters);
    assert.equal(alone.filter((l) => l.includes('crossref.undefined')).length, 5, alone.join('\n'));
  });

  it('shares labels, the bibliography one chapter declares and the reading order across a project of entente.config.json', async () => {
    const config = { 'entente.config.json': '{\n  // the chapters, in order\n  "projects": [{ "files": ["intro.md", "chapters/*.md"] }],\n}\n' };
    assert.deepEqual(await diagnose({ ...thesis, ...config }, chapters), trueFindings);
    // Whatever order the chapters are opened in.
    assert.deepEqual((await diagnose({ ...thesis, ...config }, [...chapters].reverse())).sort(), [...trueFindings].sort());
  });

  it('reads the declared order for the first use of a term, and paths relative to the config file', async () => {
    const fixture = {
      'book/entente.config.json': '{ "projects": [{ "files": ["chapters/b.md", "chapters/a.md"] }] }',
      'book/chapters/a.md': 'The NFM again.\n',
      'book/chapters/b.md': 'The New Force Model (NFM) first.\n',
    };
    assert.deepEqual(await diagnose(fixture, ['book/chapters/a.md', 'book/chapters/b.md']), []);
    const swapped = { ...fixture, 'book/entente.config.json': '{ "projects": [{ "files": ["chapters/a.md", "chapters/b.md"] }] }' };
    assert.deepEqual(await diagnose(swapped, ['book/chapters/a.md']), [
      'book/chapters/a.md glossary.first-use "NFM" is used before it is spelled out; on first use write "NATO Force Model (NFM)".',
    ]);
  });

  it('inherits the bibliography of the last file that declares one, as pandoc merges metadata', async () => {
    const fixture = {
      'entente.config.json': '{ "projects": [{ "files": ["a.md", "b.md", "c.md"] }] }',
      'a.md': '---\nbibliography: one.bib\n---\n[@k]\n',
      'b.md': '[@k]\n',
      'c.md': '---\nbibliography: missing.bib\n---\n[@k]\n',
      'one.bib': refs,
    };
    const { workspace, service } = serviceFor(fixture);
    const status = await service.getDocumentStatus(workspace.openDoc('b.md'));
    assert.deepEqual(status.bibliographies.map((b) => `${b.uri.replace('file:///ws/', '')} ${b.origin}`), ['missing.bib project']);
    // The missing file is reported on c.md's declaration, not once per citation of b.md.
    assert.deepEqual(await diagnose(fixture, ['b.md', 'c.md']), ['c.md bibliography.not-found Bibliography missing.bib does not exist. 1 cited key is in no other bibliography of this draft and cannot be checked until it is read.']);
  });

  it('infers the project of a Makefile that passes the chapters to pandoc', async () => {
    const makefile = 'CHAPTERS = intro.md \\\n  $(wildcard chapters/*.md)\n\nthesis.pdf: $(CHAPTERS) refs.bib\n\tpandoc --citeproc -F pandoc-crossref $(filter %.md,$^) -o $@\n\nhtml: $(CHAPTERS)\n\tpandoc $^ -s -o thesis.html\n';
    assert.deepEqual(await diagnose({ ...thesis, Makefile: makefile }, chapters), trueFindings);
  });

  it("reads the bibliography a Makefile gives pandoc: found, it resolves; missing, one error on the Makefile, not one per citation", async () => {
    const makefile = 'thesis.pdf: ch1.md ch2.md\n\tpandoc --citeproc --bibliography=refs/papers.bib $^ -o $@\n';
    const drafts = { Makefile: makefile, 'ch1.md': '# One\n\nAs @k and @a.\n', 'ch2.md': 'See [@k; @b].\n' };
    const { service } = serviceFor({ ...drafts, 'refs/papers.bib': refs });
    const found = [...(await service.checkFiles(['file:///ws'])).entries()].flatMap(([uri, list]) => list.map((d) => `${uri.replace('file:///ws/', '')} ${d.code}`));
    assert.deepEqual(found, ['ch1.md citation.undefined', 'ch2.md citation.undefined']);
    const missing = serviceFor(drafts);
    const lines = [...(await missing.service.checkFiles(['file:///ws'])).entries()].flatMap(([uri, list]) => list.map((d) => showDiagnostic(uri.replace('file:///ws/', ''), d)));
    assert.deepEqual(lines, ['Makefile:1:34-1:49 bibliography.not-found Bibliography refs/papers.bib does not exist.']);
  });

  it('infers nothing from a Makefile it cannot read with confidence', async () => {
    const makefile = 'thesis.pdf:\n\tpandoc $(shell ls chapters/*.md) intro.md -o $@\n';
    const found = await diagnose({ ...thesis, Makefile: makefile }, chapters);
    assert.equal(found.filter((l) => l.includes('crossref.undefined')).length, 5, found.join('\n'));
  });

  it('reads a bookdown book: rmd_files, its html: and latex: lists, or the default order', async () => {
    const book = (files: Record<string, string>) => ({
      'index.Rmd': '---\nbibliography: refs.bib\n---\n# Preface {#preface}\n\nThe New Force Model (NFM).\n',
      '02-later.Rmd': '# Later\n\nThe NFM [@k].\n',
      '01-first.Rmd': '# First\n\nThe NFM [@k].\n',
      '_notes.Rmd': 'The NFM.\n',
      'refs.bib': refs,
      ...files,
    });
    // bookdown's default: index.Rmd first, then by name; `_notes.Rmd` is no chapter.
    assert.deepEqual(await diagnose(book({ '_bookdown.yml': 'book_filename: thesis\n' }), ['01-first.Rmd', '02-later.Rmd']), []);
    for (const listed of ['rmd_files: [02-later.Rmd, index.Rmd, 01-first.Rmd]\n', 'rmd_files:\n  html: [02-later.Rmd, index.Rmd]\n  latex: [02-later.Rmd, index.Rmd, 01-first.Rmd]\n']) {
      const found = await diagnose(book({ '_bookdown.yml': listed }), ['02-later.Rmd', '01-first.Rmd']);
      assert.deepEqual(found, ['02-later.Rmd glossary.first-use "NFM" is used before it is spelled out; on first use write "NATO Force Model (NFM)".'], listed);
    }
  });

  it("reads a Quarto book's chapters in the order of book: chapters:, not by name", async () => {
    const fixture = {
      '_quarto.yml': 'project:\n  type: book\nbook:\n  chapters:\n    - index.qmd\n    - part: Background\n      chapters: [z-intro.qmd]\n    - a-methods.qmd\n',
      'index.qmd': '# Preface\n',
      'z-intro.qmd': 'The New Force Model (NFM).\n',
      'a-methods.qmd': 'The NFM again.\n',
    };
    assert.deepEqual(await diagnose(fixture, ['a-methods.qmd', 'z-intro.qmd']), []);
  });

  it('shares labels across the chapters of a Quarto book only: a manuscript or a website resolves them per document', async () => {
    const chaptersOf = (type: string) => ({
      '_quarto.yml': `project:\n  type: ${type}\n`,
      'a.qmd': '![A](a.png){#fig-a}\n\nSee @fig-b.\n',
      'b.qmd': '![B](b.png){#fig-b}\n\n![Again](a.png){#fig-a}\n',
    });
    assert.deepEqual(await diagnose(chaptersOf('book'), ['a.qmd', 'b.qmd']), [
      'a.qmd crossref.duplicate-label Label \'fig-a\' is defined 2 times.',
      'b.qmd crossref.duplicate-label Label \'fig-a\' is defined 2 times.',
    ]);
    for (const type of ['manuscript', 'website', 'default']) {
      assert.deepEqual(await diagnose(chaptersOf(type), ['a.qmd', 'b.qmd']), ["a.qmd crossref.undefined No label 'fig-b' in this document. Did you mean 'fig-a'?"], type);
    }
  });

  it('an included file brings its labels ({{< include >}}, !INCLUDE, !include); one that cannot be read leaves them unknown', async () => {
    const fixture = {
      'paper.qmd': 'See @tbl-members and @fig-map and @fig-nowhere.\n\n{{< include _tables.qmd >}}\n',
      '_tables.qmd': '| A |\n|---|\n| 1 |\n\n: Members {#tbl-members}\n\n{{< include parts/_maps.qmd >}}\n',
      'parts/_maps.qmd': '![Map](map.png){#fig-map}\n',
      'thesis.md': 'See @tbl:methods and @tbl:nowhere.\n\n!INCLUDE "tables/methods.md"\n',
      'tables/methods.md': 'Table: Methods {#tbl:methods}\n',
      'generated.md': 'See @tbl:results.\n\n!include output/results.md\n',
    };
    assert.deepEqual(await diagnose(fixture, ['paper.qmd', 'thesis.md', 'generated.md']), [
      "paper.qmd crossref.undefined No label 'fig-nowhere' in this project.",
      "thesis.md crossref.undefined No label 'tbl:nowhere' in this project.",
    ]);
  });

  it("a manuscript's embedded notebook cells bring their labels, and only those", async () => {
    const fixture = {
      '_quarto.yml': 'project:\n  type: manuscript\n',
      'index.qmd': '{{< embed notebooks/figs.qmd#fig-a >}}\n\nSee @fig-a and @fig-b.\n',
      'notebooks/figs.qmd': '```{r}\n#| label: fig-a\nplot(1)\n```\n\n```{r}\n#| label: fig-b\nplot(2)\n```\n',
    };
    assert.deepEqual(await diagnose(fixture, ['index.qmd']), ["index.qmd crossref.undefined No label 'fig-b' in this document. Did you mean 'fig-a'?"]);
  });

  it("leaves a Quarto project's output folder (output-dir, or _book, _site, _manuscript) unchecked: it holds copies", async () => {
    const fixture = {
      '_quarto.yml': 'project:\n  type: manuscript\n  output-dir: docs\n',
      'index.qmd': '---\nbibliography: references.bib\n---\n![T](t.png){#fig-t}\n\n[@k]\n',
      'references.bib': refs,
      'docs/index.qmd': '---\nbibliography: references.bib\n---\n![T](t.png){#fig-t}\n\n[@k] [@nokey]\n',
      'docs/references.bib': '@book{k, title = {T}}\n',
    };
    const { service } = serviceFor(fixture);
    const found = await service.checkFiles(['file:///ws']);
    const files = [...found].filter(([, list]) => list.length).map(([uri]) => uri.replace('file:///ws/', ''));
    assert.deepEqual(files, []);
  });
});

describe('the Makefile reader', () => {
  const inputs = (text: string) => parseMakefilePandoc(text).map((c) => c.map((i) => ('path' in i ? i.path : `glob:${i.wildcard}`)));

  it('reads the Markdown files a pandoc recipe is given, literally or through variables, wildcards and $^', () => {
    assert.deepEqual(inputs('all:\n\tpandoc intro.md ch1.md -o thesis.pdf --bibliography refs.bib\n'), [['intro.md', 'ch1.md']]);
    assert.deepEqual(inputs('A := a.md\nA += b.md\nSRC = $(A) ${B}\nB ?= c.md\nout.pdf: $(SRC)\n\t@pandoc $^ -o $@\n'), [['a.md', 'b.md', 'c.md']]);
    assert.deepEqual(inputs('MD = $(sort $(wildcard chapters/*.md))\nx.pdf: front.md $(MD)\n\tpandoc -s $+ --output=x.pdf\n'), [['front.md', 'glob:chapters/*.md']]);
  });

  it('never takes an output or an option value for an input', () => {
    assert.deepEqual(inputs('all:\n\tpandoc a.md b.md -o combined.md -B before.md\n'), [['a.md', 'b.md']]);
    assert.deepEqual(inputs('all:\n\tpandoc a.md -o one.pdf\n'), [], 'one file is no project');
  });

  it('yields nothing for a command it cannot read with confidence', () => {
    for (const text of [
      'all:\n\tpandoc $(shell ls *.md) -o x.pdf\n',
      'all:\n\tpandoc $(patsubst %.txt,%.md,$(TXT)) a.md -o x.pdf\n',
      'all:\n\tpandoc $(UNDEFINED) a.md b.md -o x.pdf\n',
      'ifeq ($(OS),Windows_NT)\nSRC = a.md b.md\nelse\nSRC = b.md a.md\nendif\nall:\n\tpandoc $(SRC) -o x.pdf\n',
      'all:\n\tcd src && pandoc a.md b.md -o x.pdf\n',
      'all:\n\tfor f in *.md; do pandoc $$f a.md; done\n',
      '%.pdf: %.md\n\tpandoc $< other.md -o $@\n',
      // Variables that refer to each other a thousand times a level: too much to expand, so nothing.
      `A = a.md\n${['B', 'C', 'D', 'E'].map((v, i) => `${v} = ${`$(${'ABCD'[i]}) `.repeat(1000)}`).join('\n')}\nall:\n\tpandoc $(E) b.md\n`,
    ]) {
      assert.deepEqual(parseMakefilePandoc(text), [], text);
    }
  });
});
