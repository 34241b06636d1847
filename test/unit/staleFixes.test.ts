/**
 * Quick fixes asked for after the document changed and before new diagnostics arrived (habit 14): each
 * fix re-finds its target in the current text, and offers an edit of the current text or nothing.
 */
import * as assert from 'node:assert/strict';
import type { CodeAction, TextEdit } from 'vscode-languageserver-types';
import { serviceFor, uriOf } from './memoryWorkspace';
import { applyEdits, files as splitFiles } from './fixture';

interface StaleCase {
  /** What changed, and what the fix does then. */
  title: string;
  fixture: string;
  /** The file whose diagnostics are fixed. */
  file: string;
  code: string;
  /** The change made between the diagnostics and the code action request, to `changed` (default `file`). */
  change: (text: string) => string;
  changed?: string;
  /** Each action offered: its title, and for an edit the text of the file it edits afterwards. */
  expect: string[];
}

const bib = '@book{biscop2022new, author = {Biscop, Sven}, title = {The New Force Model}, publisher = {P}, year = 2022}\n';
const citing = (cite: string) => `%! refs.bib\n${bib}%! paper.md\n---\nbibliography: refs.bib\n---\nSee ${cite}.\n`;
const duplicates = '%! refs.bib\n@book{dup, title = {One}}\n@book{dup, title = {Two}}\n@book{other, title = {Three}}\n';
const latex = '%! main.tex\n\\documentclass{article}\n\\section{A}\\label{sec:intro}\nSee \\ref{sec:intor}.\n';
const glossary = '%! paper.tex\n\\documentclass{article}\n\\newacronym{nfm}{NFM}{New Force Model}\n\\begin{document}\n\\gls{nfn}\n\\end{document}\n';
const firstUse = '%! paper.md\nThe VJTF moved.\n';

const cases: StaleCase[] = [
  {
    title: 'a citation moved by a line written above it: no change of key and no stub',
    fixture: citing('[@biscop2O22new]'),
    file: 'paper.md',
    code: 'citation.undefined',
    change: (t) => t.replace('See', 'A new line.\nSee'),
    expect: [],
  },
  {
    title: 'a citation with text typed after it: the change of key still applies to it',
    fixture: citing('[@biscop2O22new]'),
    file: 'paper.md',
    code: 'citation.undefined',
    change: (t) => t.replace('.\n', ', and more.\n'),
    expect: [
      'Change to biscop2022new — Biscop (2022) The New Force Model',
      'paper.md: ---\nbibliography: refs.bib\n---\nSee [@biscop2022new], and more.\n',
      "Add a stub entry for 'biscop2O22new' to refs.bib",
      `refs.bib: ${bib}\n@misc{biscop2O22new,\n  author = {},\n  title = {},\n  year = {},\n}\n`,
    ],
  },
  {
    title: 'a stub for a key the bibliography defines by now: not offered',
    fixture: citing('[@newkey2025]'),
    file: 'paper.md',
    code: 'citation.undefined',
    changed: 'refs.bib',
    change: (t) => `${t}@misc{newkey2025, title = {New}}\n`,
    expect: [],
  },
  {
    title: 'a stub after entries added to the bibliography: inserted at its end now',
    fixture: citing('[@newkey2025]'),
    file: 'paper.md',
    code: 'citation.undefined',
    changed: 'refs.bib',
    change: (t) => `${t}\n@misc{added, title = {Added}}`,
    expect: ["Add a stub entry for 'newkey2025' to refs.bib", `refs.bib: ${bib}@misc{added, title = {Added}}\n\n@misc{newkey2025,\n  author = {},\n  title = {},\n  year = {},\n}\n`],
  },
  {
    title: 'a duplicate moved down by an entry written above it: the duplicate is removed, not the end of the entry before',
    fixture: duplicates,
    file: 'refs.bib',
    code: 'bib.duplicate-key',
    change: (t) => `@book{first, title = {Zero}}\n${t}`,
    expect: [
      "Go to the other definition of 'dup'",
      "Remove this duplicate entry 'dup'",
      'refs.bib: @book{first, title = {Zero}}\n@book{dup, title = {One}}\n@book{other, title = {Three}}\n',
    ],
  },
  {
    title: 'a duplicate whose twin was removed meanwhile: nothing to remove',
    fixture: duplicates,
    file: 'refs.bib',
    code: 'bib.duplicate-key',
    change: (t) => t.replace('@book{dup, title = {One}}\n', ''),
    expect: [],
  },
  {
    title: 'a CSL-JSON duplicate moved by an edit above it: removed with its comma',
    fixture: '%! refs.json\n[\n  {"id": "dup", "title": "One"},\n  {"id": "dup", "title": "Two"}\n]\n',
    file: 'refs.json',
    code: 'bib.duplicate-key',
    change: (t) => t.replace('[\n', '[\n  {"id": "new", "title": "New"},\n'),
    expect: ["Go to the other definition of 'dup'", "Remove this duplicate entry 'dup'", 'refs.json: [\n  {"id": "new", "title": "New"},\n  {"id": "dup", "title": "One"}\n]\n'],
  },
  {
    title: 'a cross-reference moved by a line written above it: no change of label',
    fixture: latex,
    file: 'main.tex',
    code: 'crossref.undefined',
    change: (t) => t.replace('See', '%\nSee'),
    expect: [],
  },
  {
    title: 'a glossary key edited meanwhile: no change of key',
    fixture: glossary,
    file: 'paper.tex',
    code: 'glossary.undefined',
    change: (t) => t.replace('\\gls{nfn}', '\\gls{nfx}'),
    expect: [],
  },
  {
    title: 'an acronym moved by text typed before it: not expanded, still offered as well known',
    fixture: firstUse,
    file: 'paper.md',
    code: 'glossary.first-use',
    change: (t) => `Today ${t}`,
    expect: ["Treat 'VJTF' as well known (never ask to expand it)"],
  },
  {
    title: 'an acronym with text typed after it: still expanded in place',
    fixture: firstUse,
    file: 'paper.md',
    code: 'glossary.first-use',
    change: (t) => t.replace('moved', 'moved east'),
    expect: [
      'Expand on first use: Very High Readiness Joint Task Force (VJTF)',
      'paper.md: The Very High Readiness Joint Task Force (VJTF) moved east.\n',
      "Treat 'VJTF' as well known (never ask to expand it)",
    ],
  },
  {
    title: 'a declared bibliography created meanwhile: no offer to create it',
    fixture: '%! paper.md\n---\nbibliography: new.bib\n---\n',
    file: 'paper.md',
    code: 'bibliography.not-found',
    changed: 'new.bib',
    change: () => '',
    expect: [],
  },
];

/** Diagnostics of `file`, then the change, then the fixes offered for those (now old) diagnostics, rendered. */
async function staleFixes(c: StaleCase): Promise<string[]> {
  const fixture = Object.fromEntries(splitFiles(c.fixture));
  const { workspace, service } = serviceFor(fixture);
  const doc = workspace.openDoc(c.file);
  const diagnostics = (await service.getDiagnostics(doc)).filter((d) => d.code === c.code);
  assert.ok(diagnostics.length > 0, `no ${c.code} diagnostic`);
  const changed = c.changed ?? c.file;
  const now = { ...fixture, [changed]: c.change(fixture[changed] ?? '') };
  workspace.files.set(uriOf(changed), now[changed]);
  const current = workspace.openDoc(c.file, undefined, now[c.file]);
  if (changed !== c.file && workspace.open.has(uriOf(changed))) workspace.openDoc(changed, undefined, now[changed]);
  service.fileChanged(uriOf(changed));
  return (await service.getCodeActions(current, diagnostics)).flatMap((a) => [a.title, ...edited(a, now)]);
}

function edited(action: CodeAction, texts: Record<string, string>): string[] {
  return Object.entries(action.edit?.changes ?? {}).map(([uri, edits]) => {
    const name = uri.replace(`${uriOf('')}`, '');
    return `${name}: ${applyEdits(texts[name], edits as TextEdit[])}`;
  });
}

describe('quick fixes after the document changed', () => {
  for (const c of cases) it(c.title, async () => assert.deepEqual(await staleFixes(c), c.expect));

  it('removes a duplicate from the editor text even before the index has read it again', async () => {
    const { workspace, service } = serviceFor(Object.fromEntries(splitFiles(duplicates)));
    const diagnostics = await service.getDiagnostics(workspace.openDoc('refs.bib'));
    const text = `@book{first, title = {Zero}}\n${workspace.files.get(uriOf('refs.bib'))}`;
    const actions = await service.getCodeActions(workspace.openDoc('refs.bib', undefined, text), diagnostics);
    const remove = actions.find((a) => a.edit)!;
    assert.equal(applyEdits(text, remove.edit!.changes![uriOf('refs.bib')] as TextEdit[]), '@book{first, title = {Zero}}\n@book{dup, title = {One}}\n@book{other, title = {Three}}\n');
  });
});
