import * as assert from 'node:assert/strict';
import type { CodeAction, TextEdit } from 'vscode-languageserver-types';
import { serviceFor, uriOf } from './memoryWorkspace';
import { applyEdits } from './fixture';
import { stubInsertion } from '../../server/src/service/features/codeActions';
import { parseBibliography } from '../../server/src/service/index/bibliographies';
import { LineIndex } from '../../server/src/service/text';

const refs = `@article{biscop2022new,
  author = {Biscop, Sven}, title = {The New Force Model}, journal = {Egmont}, year = 2022}
`;

/** Quick fixes offered for the diagnostics of `name`. */
async function fixes(files: Record<string, string>, name: string) {
  const { workspace, service } = serviceFor(files);
  const doc = workspace.openDoc(name);
  const diagnostics = await service.getDiagnostics(doc);
  return { actions: await service.getCodeActions(doc, diagnostics), workspace };
}

/** The text of `file` after applying the action's edit to it. */
function after(files: Record<string, string>, action: CodeAction, file: string): string {
  const edits = (action.edit?.changes?.[uriOf(file)] ?? []) as TextEdit[];
  return applyEdits(files[file], edits);
}

describe('quick fixes', () => {
  it('changes an undefined citation to the closest key, labelled with author, year and title', async () => {
    const files = { 'refs.bib': refs, 'paper.md': '---\nbibliography: refs.bib\n---\nSee [@biscop2O22new, p. 3].\n' };
    const { actions } = await fixes(files, 'paper.md');
    assert.equal(actions[0].title, 'Change to biscop2022new — Biscop (2022) The New Force Model');
    assert.equal(actions[0].isPreferred, true);
    assert.equal(after(files, actions[0], 'paper.md'), '---\nbibliography: refs.bib\n---\nSee [@biscop2022new, p. 3].\n');
    assert.deepEqual(Object.keys(actions[0].edit!.changes!), [uriOf('paper.md')]);
  });

  it('adds a stub entry to the bibliography the draft declares, as one insertion at its end', async () => {
    const files = { 'refs.bib': refs, 'paper.tex': '\\documentclass{article}\n\\addbibresource{refs.bib}\n\\cite{newkey2025}\n' };
    const { actions } = await fixes(files, 'paper.tex');
    const stub = actions.find((a) => a.title === "Add a stub entry for 'newkey2025' to refs.bib")!;
    const edits = stub.edit!.changes![uriOf('refs.bib')];
    assert.equal(edits.length, 1);
    assert.deepEqual(edits[0].range.start, edits[0].range.end);
    assert.equal(after(files, stub, 'refs.bib'), refs + '\n@misc{newkey2025,\n  author = {},\n  title = {},\n  year = {},\n}\n');
  });

  it('writes stubs that parse in every bibliography format', () => {
    const cases: [string, string][] = [
      ['csl-json', '[\n  {"id": "a", "type": "book", "title": "A"}\n]\n'],
      ['csl-json', '[]'],
      ['csl-yaml', 'references:\n  - id: a\n    type: book\n    title: A\n'],
      ['csl-yaml', '- id: a\n  type: book\n'],
      ['ris', 'TY  - BOOK\r\nID  - a\r\nTI  - A\r\nER  - \r\n'],
      ['bibtex', '@book{a, title={A}}'],
      ['csl-json', '{"items": []}'],
      ['csl-json', '[{"id": "a", "author": [{"family": "X"}]}]'],
      ['csl-yaml', 'references:\n- id: a\n  title: A\nnocite: "@*"\n'],
      ['csl-yaml', '---\nreferences:\n    -   id: a\n        title: A\n# end\n'],
    ];
    for (const [format, text] of cases) {
      const edit = stubInsertion(text, format, 'stub2025')!;
      const result = applyEdits(text, [edit]);
      const parsed = parseBibliography(result, format as never);
      assert.deepEqual(parsed.errors.filter((e) => e.severity !== 'warning'), [], `${format}: ${result}`);
      assert.ok(parsed.value.entries.some((e) => e.key === 'stub2025'), `${format}: ${result}`);
      const same = (a: { line: number; character: number }, b: typeof a) => a.line === b.line && a.character === b.character;
      assert.ok(same(edit.range.start, edit.range.end) || /^\s*$/.test(text.slice(new LineIndex(text).offsetAt(edit.range.start), new LineIndex(text).offsetAt(edit.range.end))), `${format}: an insertion`);
    }
  });

  it('offers no stub where it cannot place one as an entry (a lone CSL item, a flow sequence)', () => {
    // The lone item's `author` array was taken for the list of items: the stub became an author.
    assert.equal(stubInsertion('{"id": "a", "author": [{"family": "X"}]}', 'csl-json', 'stub2025'), undefined);
    assert.equal(stubInsertion('references: [{id: a}]\n', 'csl-yaml', 'stub2025'), undefined);
  });

  it('removes a duplicate entry, whole lines only, and offers to show the first', async () => {
    const bib = '@book{dup, title = {One}}\n@book{dup, title = {Two}}\n@book{other, title = {Three}}\n';
    const files = { 'refs.bib': bib };
    const { actions } = await fixes(files, 'refs.bib');
    const remove = actions.find((a) => a.title === "Remove this duplicate entry 'dup'")!;
    assert.equal(after(files, remove, 'refs.bib'), '@book{dup, title = {One}}\n@book{other, title = {Three}}\n');
    const show = actions.find((a) => a.command?.command === 'entente.showLocation')!;
    assert.deepEqual(show.command!.arguments, [uriOf('refs.bib'), { start: { line: 0, character: 6 }, end: { line: 0, character: 9 } }]);
  });

  it('removes a duplicate CSL item with exactly one of its commas, and a CSL-YAML item with its dash', async () => {
    // [file, text, the text after removing the duplicate]; `other.json` (declared first) defines `a`.
    const cases: [string, string, string][] = [
      ['refs.json', '[\n  {"id": "dup", "title": "One"},\n  {"id": "dup", "title": "Two"},\n  {"id": "b"}\n]\n', '[\n  {"id": "dup", "title": "One"},\n  {"id": "b"}\n]\n'],
      ['refs.json', '[\n  {"id": "dup"},\n  {"id": "dup"}\n]', '[\n  {"id": "dup"}\n]'],
      ['refs.json', '[{"id":"dup"} ,{"id":"b"},{"id":"dup"}]', '[{"id":"dup"} ,{"id":"b"}]'],
      ['refs.json', '[{"id":"a"}, {"id":"b"}]', '[{"id":"b"}]'],
      ['refs.json', '[\r\n  {"id": "a"}\r\n]\r\n', '[\r\n]\r\n'],
      ['refs.json', '{"items": [{"id": "a"},\n {"id": "b"}]}', '{"items": [{"id": "b"}]}'],
      ['refs.yaml', 'references:\n  - id: dup\n    title: One\n  - id: dup\n    title: Two\n  - id: b\n', 'references:\n  - id: dup\n    title: One\n  - id: b\n'],
      ['refs.yaml', '- id: dup\r\n  title: One\r\n# a comment\r\n-   id: dup\r\n    title: Two', '- id: dup\r\n  title: One\r\n# a comment\r\n'],
      ['refs.yaml', '-\n  id: a\n- id: b\n', '- id: b\n'],
      ['refs.yaml', 'references: [{id: dup}, {id: dup}]\n', 'references: [{id: dup}]\n'],
      ['refs.ris', 'TY  - BOOK\nID  - dup\nER  - \n\nTY  - BOOK\nID  - dup\nER  - \n\nTY  - BOOK\nID  - b\nER  - \n', 'TY  - BOOK\nID  - dup\nER  - \n\nTY  - BOOK\nID  - b\nER  - \n'],
    ];
    for (const [file, text, expected] of cases) {
      const files = { 'other.json': '[{"id": "a"}]', [file]: text, 'paper.md': `---\nbibliography: [other.json, ${file}]\n---\n` };
      const { workspace, service } = serviceFor(files);
      await service.getDiagnostics(workspace.openDoc('paper.md'));
      const doc = workspace.openDoc(file);
      const actions = await service.getCodeActions(doc, await service.getDiagnostics(doc));
      const remove = actions.find((a) => a.title.startsWith('Remove this duplicate entry'));
      assert.ok(remove, `${file}: ${JSON.stringify(text)} has no removal`);
      assert.equal(after(files, remove, file), expected, JSON.stringify(text));
    }
  });

  it('changes an undefined cross-reference to the closest label', async () => {
    const files = { 'main.tex': '\\documentclass{article}\n\\section{A}\\label{sec:intro}\nSee \\ref{sec:intor}.\n' };
    const { actions } = await fixes(files, 'main.tex');
    assert.equal(actions[0].title, 'Change to sec:intro');
    assert.equal(after(files, actions[0], 'main.tex'), '\\documentclass{article}\n\\section{A}\\label{sec:intro}\nSee \\ref{sec:intro}.\n');
  });

  it('offers to create a declared bibliography that does not exist', async () => {
    const { actions } = await fixes({ 'paper.md': '---\nbibliography: new.bib\n---\n' }, 'paper.md');
    assert.deepEqual(actions.map((a) => a.title), ['Create new.bib']);
    assert.deepEqual(actions[0].edit!.documentChanges, [{ kind: 'create', uri: uriOf('new.bib'), options: { ignoreIfExists: true } }]);
  });
});
