import * as assert from 'node:assert/strict';
import { serviceFor, uriOf } from './memoryWorkspace';
import { showDiagnostic } from './fixture';

const refs = `@book{biscop2022, author = {Biscop, Sven}, title = {European Strategy}, year = 2022}
@book{lonely, author = {Nobody, A.}, title = {Never Cited}, year = 2001}
@incollection{chapter, crossref = {volume}, author = {Smith, J.}, title = {A Chapter}}
@book{volume, editor = {Ed, E.}, title = {The Volume}, year = 2020}
@book{OldKey, title = {Cited in Another Case}, year = 1999}
`;

/** The `citation.unused-entry` lines of the open bibliography `name`. */
async function unused(files: Record<string, string>, setting = true, name = 'refs.bib'): Promise<string[]> {
  const { workspace, service } = serviceFor(files, { unusedEntryDiagnostics: setting });
  const found = await service.getDiagnostics(workspace.openDoc(name));
  return found.filter((d) => d.code === 'citation.unused-entry').map((d) => showDiagnostic(name, d));
}

describe('unused entries in the editor', () => {
  it('are not marked unless the setting asks for them', async () => {
    assert.deepEqual(await unused({ 'refs.bib': refs, 'a.md': '---\nbibliography: refs.bib\n---\n[@biscop2022]\n' }, false), []);
  });

  it('are the entries no draft loading the bibliography cites; a parent of a cited child is used; BibTeX ignores case', async () => {
    const files = {
      'refs.bib': refs,
      'a.md': '---\nbibliography: refs.bib\n---\n[@biscop2022]\n',
      'b.tex': '\\documentclass{article}\n\\begin{document}\n\\cite{chapter,oldkey}\n\\bibliography{refs}\n\\end{document}\n',
      // A draft that loads another bibliography cites nothing of this one.
      'other.md': '---\nbibliography: other.bib\n---\n[@lonely]\n',
      'other.bib': '@book{x, title = {X}}\n',
    };
    assert.deepEqual(await unused(files), ["refs.bib:1:6-1:12 citation.unused-entry 'lonely' is not cited by any draft."]);
  });

  it('are none with \\nocite{*} or nocite: "@*", and none when no draft loads the bibliography', async () => {
    assert.deepEqual(await unused({ 'refs.bib': refs, 'a.tex': '\\documentclass{article}\n\\addbibresource{refs.bib}\n\\nocite{*}\n' }), []);
    assert.deepEqual(await unused({ 'refs.bib': refs, 'a.md': '---\nbibliography: refs.bib\nnocite: "@*"\n---\n' }), []);
    assert.deepEqual(await unused({ 'refs.bib': refs, 'a.md': '---\nbibliography: elsewhere.bib\n---\n' }), []);
  });

  it('are listed for "Show Unused Entries", from the bibliography or from a draft using it', async () => {
    const files = { 'refs.bib': refs, 'a.md': '---\nbibliography: refs.bib\n---\n[@biscop2022; @chapter; @OldKey]\n' };
    const { workspace, service } = serviceFor(files);
    const fromBib = await service.unusedEntries(workspace.openDoc('refs.bib'));
    assert.deepEqual(fromBib.map((u) => [u.key, u.label, u.uri, u.range.start.line]), [['lonely', 'Nobody (2001) Never Cited', uriOf('refs.bib'), 1]]);
    assert.deepEqual(await service.unusedEntries(workspace.openDoc('a.md')), fromBib);
  });
});
