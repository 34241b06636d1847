import * as assert from 'node:assert/strict';
import type { BibEntry } from '../../server/src/service/model';
import { defaultConfig } from '../../server/src/service/config';
import { BibliographyStore } from '../../server/src/service/index/bibliographies';
import { nullLogger } from '../../server/src/service/workspace';
import { MemoryWorkspace, serviceFor } from './memoryWorkspace';

/** The bibliographies a document uses, rendered as `path origin entries`. */
async function scopeOf(fixture: string, docName: string, config = {}): Promise<string[]> {
  const { workspace, service } = serviceFor(fixture, config);
  const status = await service.getDocumentStatus(workspace.openDoc(docName));
  return status.bibliographies.map((b) => `${b.uri.replace('file:///ws/', '')} ${b.origin} ${b.fileError ? `(${b.fileError})` : b.entries}`);
}

const bib = (...keys: string[]) => keys.map((k) => `@book{${k}, title={T ${k}}, year=2020}`).join('\n');

describe('bibliography discovery', () => {
  it('reads a front matter bibliography given as a string, relative to the document', async () => {
    const fixture = `
%! drafts/paper.md
---
title: NFM
bibliography: ../refs/main.bib
---
Text [@a].
%! refs/main.bib
${bib('a', 'b')}
%! other.bib
${bib('z')}`;
    assert.deepEqual(await scopeOf(fixture, 'drafts/paper.md'), ['refs/main.bib front-matter 2']);
  });

  it('reads a front matter bibliography list of several formats', async () => {
    const fixture = `
%! paper.md
---
bibliography:
  - refs.bib
  - "extra.json"
  - more.yaml
---
%! refs.bib
${bib('a')}
%! extra.json
[{"id": "j1", "type": "book", "title": "J"}]
%! more.yaml
- id: y1
  type: book
  title: Y`;
    assert.deepEqual(await scopeOf(fixture, 'paper.md'), ['refs.bib front-matter 1', 'extra.json front-matter 1', 'more.yaml front-matter 1']);
  });

  it("counts inline references as the document's own bibliography, alongside the declared files", async () => {
    const fixture = `
%! paper.md
---
bibliography: refs.bib
references:
  - id: inline1
    type: report
    title: Inline
---
[@inline1]
%! refs.bib
${bib('a')}`;
    assert.deepEqual(await scopeOf(fixture, 'paper.md'), ['paper.md references 1', 'refs.bib front-matter 1']);
  });

  it('reports a declared bibliography that does not exist instead of falling back', async () => {
    const fixture = `
%! paper.md
---
bibliography: missing.bib
---
%! refs.bib
${bib('a')}`;
    assert.deepEqual(await scopeOf(fixture, 'paper.md'), ['missing.bib front-matter (does not exist)']);
  });

  it('uses _quarto.yml when the document declares nothing, relative to the project file', async () => {
    const fixture = `
%! _quarto.yml
project:
  type: book
bibliography: references.bib
%! chapters/intro.qmd
# Intro
[@a]
%! references.bib
${bib('a', 'b', 'c')}
%! stray.bib
${bib('s')}`;
    assert.deepEqual(await scopeOf(fixture, 'chapters/intro.qmd'), ['references.bib quarto 3']);
  });

  it('prefers the nearest _metadata.yml to _quarto.yml, and front matter to both', async () => {
    const fixture = `
%! _quarto.yml
bibliography: project.bib
%! part1/_metadata.yml
bibliography: part1.bib
%! part1/a.qmd
text
%! part1/b.qmd
---
bibliography: own.bib
---
%! project.bib
${bib('p')}
%! part1/part1.bib
${bib('q')}
%! part1/own.bib
${bib('o')}`;
    assert.deepEqual(await scopeOf(fixture, 'part1/a.qmd'), ['part1/part1.bib metadata 1']);
    assert.deepEqual(await scopeOf(fixture, 'part1/b.qmd'), ['part1/own.bib front-matter 1']);
  });

  it('reads \\bibliography{a,b} without extensions and \\addbibresource with options', async () => {
    const fixture = `
%! thesis.tex
\\documentclass{book}
\\usepackage{biblatex}
\\addbibresource[label=main]{lib/refs.bib}
% \\addbibresource{commented.bib}
\\bibliography{alpha, beta}
%! lib/refs.bib
${bib('r')}
%! alpha.bib
${bib('a1', 'a2')}
%! beta.bib
${bib('b1')}
%! commented.bib
${bib('c')}`;
    assert.deepEqual(await scopeOf(fixture, 'thesis.tex'), ['lib/refs.bib latex 1', 'alpha.bib latex 2', 'beta.bib latex 1']);
  });

  it('finds the root of an \\input chapter and the bibliographies it and its includes declare', async () => {
    const fixture = `
%! main.tex
\\documentclass{article}
\\input{setup}
\\begin{document}
\\include{chapters/one}
\\end{document}
%! setup.tex
\\addbibresource{refs.bib}
%! chapters/one.tex
\\section{One} \\cite{a}
%! refs.bib
${bib('a')}
%! unused.bib
${bib('u')}`;
    assert.deepEqual(await scopeOf(fixture, 'chapters/one.tex'), ['refs.bib latex 1']);
  });

  it('finds the root of a file that an \\input chapter includes by a path relative to the root, as LaTeX resolves it', async () => {
    const fixture = `
%! main.tex
\\documentclass{article}
\\addbibresource{refs.bib}
\\begin{document}
\\input{sections/intro}
\\end{document}
%! sections/intro.tex
\\section{Intro}\\label{sec:intro}
\\input{tables/allies}
%! tables/allies.tex
\\cite{a} \\ref{sec:intro}
%! refs.bib
${bib('a')}
%! unused.bib
${bib('u')}`;
    assert.deepEqual(await scopeOf(fixture, 'tables/allies.tex'), ['refs.bib latex 1']);
  });

  it('follows a % !TEX root magic comment', async () => {
    const fixture = `
%! src/thesis.tex
\\documentclass{book}
\\addbibresource{../bib/thesis.bib}
%! src/parts/ch2.tex
% !TEX root = ../thesis.tex
\\cite{t}
%! bib/thesis.bib
${bib('t')}`;
    assert.deepEqual(await scopeOf(fixture, 'src/parts/ch2.tex'), ['bib/thesis.bib latex 1']);
  });

  it('adds the files of the entente.bibliography.files setting to every document, even outside the workspace', async () => {
    const fixture = `
%! paper.md
---
bibliography: refs.bib
---
%! refs.bib
${bib('a')}
%! /home/writer/Zotero/library.bib
${bib('m1', 'm2', 'm3')}`;
    assert.deepEqual(await scopeOf(fixture, 'paper.md', { bibliographyFiles: ['/home/writer/Zotero/*.bib'] }), [
      'refs.bib front-matter 1',
      'file:///home/writer/Zotero/library.bib setting 3',
    ]);
  });

  it('falls back to every bibliography in the workspace folder when a document declares nothing', async () => {
    const fixture = `
%! notes.md
Some text citing [@a].
%! refs.bib
${bib('a')}
%! data/csl.json
[{"id": "c1", "type": "book", "title": "C"}]
%! package.json
{"name": "not-a-bibliography"}
%! list.ris
TY  - BOOK
ID  - r1
TI  - R
ER  - 
%! node_modules/pkg/test.bib
${bib('n')}`;
    assert.deepEqual(await scopeOf(fixture, 'notes.md'), ['data/csl.json workspace 1', 'list.ris workspace 1', 'refs.bib workspace 1']);
  });

  it('expands @string macros that an earlier bibliography of the scope defines', async () => {
    const fixture = `
%! paper.tex
\\documentclass{article}
\\bibliography{abbrev,papers}
%! abbrev.bib
@string{crypto = {Advances in Cryptology}}
%! papers.bib
@inproceedings{p1, author = {Doe, Jane}, title = {T}, booktitle = crypto, year = 2020}`;
    const { workspace, service } = serviceFor(fixture);
    const doc = workspace.openDoc('paper.tex');
    const status = await service.getDocumentStatus(doc);
    assert.deepEqual(status.bibliographies.map((b) => `${b.uri.replace('file:///ws/', '')} ${b.entries} entries ${b.errors} problems`), [
      'abbrev.bib 0 entries 0 problems',
      'papers.bib 1 entries 0 problems',
    ]);
  });
});

describe('how a draft writes its citations (for Insert Citation)', () => {
  const status = async (fixture: string, doc: string) => {
    const { workspace, service } = serviceFor(fixture);
    return (await service.getDocumentStatus(workspace.openDoc(doc))).citations;
  };
  it('pandoc in Markdown, else the LaTeX package its project loads', async () => {
    assert.equal(await status('%! a.qmd\n[@a]', 'a.qmd'), 'pandoc');
    assert.equal(await status('%! main.tex\n\\documentclass{article}\n\\usepackage[round]{natbib}\n\\input{ch1}\n%! ch1.tex\n\\citep{a}', 'ch1.tex'), 'natbib');
    assert.equal(await status('%! main.tex\n\\documentclass{article}\n\\usepackage{natbib}\n\\usepackage{biblatex}', 'main.tex'), 'biblatex');
    assert.equal(await status('%! main.tex\n\\documentclass{article}\n\\addbibresource{refs.bib}', 'main.tex'), 'biblatex');
    assert.equal(await status('%! main.tex\n\\documentclass{article}\n\\bibliography{refs}', 'main.tex'), 'latex');
  });
});

describe('re-indexing', () => {
  it('does not parse a file again when a watcher reports a save that changed nothing', async () => {
    const { workspace, service } = serviceFor({ 'refs.bib': '@book{a, title={A}, year=2020}\n', 'paper.md': '---\nbibliography: refs.bib\n---\n' });
    const doc = workspace.openDoc('paper.md');
    await service.getDocumentStatus(doc);
    const reads = () => workspace.reads.filter((u) => u.endsWith('refs.bib')).length;
    assert.equal(reads(), 1);
    service.fileChanged('file:///ws/refs.bib');
    service.fileChanged('file:///ws/refs.bib');
    assert.equal((await service.getDocumentStatus(doc)).entries, 1);
    assert.equal(reads(), 1);
    workspace.files.set('file:///ws/refs.bib', '@book{a, title={A}, year=2020}\n@book{b, title={B}, year=2021}\n');
    service.fileChanged('file:///ws/refs.bib');
    assert.equal((await service.getDocumentStatus(doc)).entries, 2);
    assert.equal(reads(), 2);
  });
});

describe('re-indexing a changed .bib incrementally', () => {
  const uri = 'file:///ws/refs.bib';
  const text = '@book{a, title={A}, year=2020}\n@book{b, title={B}, year=2021}\n@book{c, title={C}, year=2022}\n';
  const setup = () => {
    const workspace = new MemoryWorkspace({ 'refs.bib': text });
    const logs: string[] = [];
    const store = new BibliographyStore(workspace, { ...nullLogger, info: (m) => logs.push(m) }, () => defaultConfig);
    return { workspace, store, logs };
  };
  const keys = (byKey: Map<string, BibEntry[]>) => [...byKey].map(([k, list]) => `${k}:${list.map((e) => e.range.start.line).join(',')}`).sort();

  it('reads only the changed entry, says what changed, and keeps the key map in file order', async () => {
    const { workspace, store, logs } = setup();
    const before = await store.get(uri);
    // `b` changes, and is now defined twice.
    workspace.files.set(uri, text.replace('{B}, year=2021}\n', '{Bee}, year=2021}\n@book{b, title={B again}}\n'));
    store.invalidate(uri);
    const after = await store.get(uri);
    assert.match(logs.at(-1)!, /entries read again as .*the rest kept/);
    assert.deepEqual(after.changes?.since, before.generation);
    assert.deepEqual(after.changes?.removed.map((e) => e.key), ['b']);
    assert.deepEqual(after.changes?.added.map((e) => `${e.key} ${e.title}`), ['b Bee', 'b B again']);
    assert.deepEqual(keys(after.byKey), ['a:0', 'b:1,2', 'c:3']);
    assert.equal(after.byKey.get('b')![1].title, 'B again');
    assert.equal(after.entries[0], before.entries[0]);
  });

  it('parses the whole file again when an @string comes in, and says why', async () => {
    const { workspace, store, logs } = setup();
    await store.get(uri);
    workspace.files.set(uri, `@string{p = {P}}\n${text}`);
    store.invalidate(uri);
    const after = await store.get(uri);
    assert.equal(after.changes, undefined);
    assert.ok(logs.some((l) => /Reading all of .*refs\.bib: the change has an '@string'/.test(l)), logs.join('\n'));
    assert.deepEqual(keys(after.byKey), ['a:1', 'b:2', 'c:3']);
  });
});

describe('settings globs', () => {
  it('are expanded once, until files are created or deleted (a walk per hover cost 0.5 s over 22,000 files)', async () => {
    const { workspace, service } = serviceFor({ 'lib/master.bib': bib('m'), 'paper.md': 'See @m.\n' }, { bibliographyFiles: ['lib/**/*.bib'] });
    let walks = 0;
    const expand = workspace.expandGlob.bind(workspace);
    workspace.expandGlob = (pattern, base) => (walks++, expand(pattern, base));
    for (let i = 0; i < 5; i++) await service.getDiagnostics(workspace.openDoc('paper.md', undefined, `See @m. ${i}\n`));
    assert.equal(walks, 1);
    workspace.files.set('file:///ws/lib/more.bib', bib('n'));
    service.filesCreatedOrDeleted(['file:///ws/lib/more.bib']);
    assert.deepEqual(await service.getDiagnostics(workspace.openDoc('paper.md', undefined, 'See @m and @n.\n')), []);
    assert.equal(walks, 2);
  });
});
