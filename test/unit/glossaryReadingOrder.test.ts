/**
 * First use follows the reading order of the document the files make (issue 13): a Quarto book's
 * `book: chapters:` (parts and appendices included), bookdown's `rmd_files:`, the projects of
 * `entente.config.json`; a Quarto website's pages are separate documents.
 */
import * as assert from 'node:assert/strict';
import { serviceFor } from './memoryWorkspace';

const spelled = 'The Common Security and Defence Policy (CSDP) frames the missions.\n';
const used = 'The CSDP missions grew.\n';

/** The first-use notes of `name` in a workspace of `files`. */
async function firstUses(files: Record<string, string>, name: string): Promise<string[]> {
  const { workspace, service } = serviceFor(files);
  const doc = workspace.openDoc(name, 'markdown');
  return (await service.getDiagnostics(doc)).filter((d) => d.code === 'glossary.first-use').map((d) => String(d.message).split(' ')[0]);
}

describe('glossary first use in reading order', () => {
  const book = (chapters: string) => `project:\n  type: book\nbook:\n  title: T\n${chapters}`;

  it("a Quarto book: index.qmd's spelling counts for a later chapter, whatever the names' order", async () => {
    const quarto = book('  chapters:\n    - index.qmd\n    - b-intro.qmd\n');
    assert.deepEqual(await firstUses({ '_quarto.yml': quarto, 'index.qmd': spelled, 'b-intro.qmd': used }, 'b-intro.qmd'), []);
    assert.deepEqual(await firstUses({ '_quarto.yml': quarto, 'index.qmd': spelled, 'b-intro.qmd': used }, 'index.qmd'), []);
  });

  it('a Quarto book: a spelling only in a later chapter does not count for an earlier one', async () => {
    const quarto = book('  chapters:\n    - index.qmd\n    - z-last.qmd\n    - a-first.qmd\n');
    const files = { '_quarto.yml': quarto, 'index.qmd': 'Preface.\n', 'z-last.qmd': used, 'a-first.qmd': spelled };
    assert.deepEqual(await firstUses(files, 'z-last.qmd'), ['"CSDP"']);
    assert.deepEqual(await firstUses(files, 'a-first.qmd'), []);
  });

  it('a Quarto book: parts (a part page first, then its chapters) and appendices, in order', async () => {
    const quarto = book('  chapters:\n    - index.qmd\n    - part: p1.qmd\n      chapters:\n        - c1.qmd\n    - part: "Part II"\n      chapters: [c2.qmd]\n  appendices:\n    - app.qmd\n');
    // The part page p1.qmd spells it out: c1, c2 and the appendix read it after.
    const files = { '_quarto.yml': quarto, 'index.qmd': 'Preface.\n', 'p1.qmd': spelled, 'c1.qmd': used, 'c2.qmd': used, 'app.qmd': used };
    for (const name of ['c1.qmd', 'c2.qmd', 'app.qmd']) assert.deepEqual(await firstUses(files, name), [], name);
    // The appendix spells it out: the chapters before it are still reported.
    const late = { ...files, 'p1.qmd': 'Part one.\n', 'app.qmd': spelled };
    assert.deepEqual(await firstUses(late, 'c1.qmd'), ['"CSDP"']);
    assert.deepEqual(await firstUses(late, 'c2.qmd'), []); // reported once, in c1
  });

  it("a Quarto website's pages are separate documents, each with its own first use", async () => {
    const files = { '_quarto.yml': 'project:\n  type: website\n', 'index.qmd': spelled, 'about.qmd': used };
    assert.deepEqual(await firstUses(files, 'about.qmd'), ['"CSDP"']);
  });

  it("a bookdown book: rmd_files' order, not the names'", async () => {
    const files = { '_bookdown.yml': 'rmd_files: ["index.Rmd", "b.Rmd", "a.Rmd"]\n', 'index.Rmd': 'Preface.\n', 'b.Rmd': spelled, 'a.Rmd': used };
    assert.deepEqual(await firstUses(files, 'a.Rmd'), []);
    assert.deepEqual(await firstUses({ ...files, 'b.Rmd': used, 'a.Rmd': spelled }, 'b.Rmd'), ['"CSDP"']);
  });

  it('the projects of entente.config.json, in the order they list', async () => {
    const files = { 'entente.config.json': '{ "projects": [{ "files": ["intro.md", "chapters/*.md"] }] }', 'intro.md': spelled, 'chapters/1.md': used };
    assert.deepEqual(await firstUses(files, 'chapters/1.md'), []);
    const reversed = { ...files, 'entente.config.json': '{ "projects": [{ "files": ["chapters/*.md", "intro.md"] }] }' };
    assert.deepEqual(await firstUses(reversed, 'chapters/1.md'), ['"CSDP"']);
  });
});
