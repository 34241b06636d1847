/**
 * Plain-text drafts (issue 16): text pasted from Word, a PDF or a web page into a `.txt` is checked for what such
 * text can hold (mangled text, author-date citations against its typed reference list, stale alliance facts) and
 * for nothing that needs a draft's syntax (no citation keys, labels or first-use notes).
 */
import * as assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { serviceFor, uriOf } from './memoryWorkspace';

const references = `References

Biscop, S. (2022, September). The New Force Model: NATO’s European army? (Egmont Policy Brief No. 285). Egmont Institute.
Deni, J.R. (2024). The new NATO force model: Ready for launch? NATO Defense College.
Shea, J. (2012). Keeping NATO Relevant. Carnegie Moscow Center.
`;

const draft = `The Force Model replaced the NRF (Biscop, 2021). Deni (2024) asks whether it is ready, and Russiaโs war
made the question urgent for NATO's 30 members. Write to editor@example.org or @nfm_watch; see [1] and \\cite{x}.

${references}`;

const codes = (ds: Diagnostic[]) => ds.map((d) => `${String(d.code)}: ${d.message}`);

describe('plain-text drafts (.txt)', () => {
  it('reports mangled text, an unmatched typed citation, an uncited reference and a stale fact, and nothing else', async () => {
    const { workspace, service } = serviceFor({ 'notes.txt': draft });
    const found = codes(await service.getDiagnostics(workspace.openDoc('notes.txt', 'plaintext')));
    assert.deepEqual(found.sort(), [
      'citation.unmatched: No reference in the reference list for Biscop (2021). Did you mean Biscop (2022)?',
      // The sentence is dated by the year it cites.
      'glossary.fact: NATO had 32 members in 2024, not 30 (Sweden joined on 7 March 2024; NATO, "Enlargement and Article 10", https://www.nato.int/cps/en/natohq/topics_49212.htm).',
      'reference.uncited: Biscop (2022) is never cited in the text.',
      'reference.uncited: Shea (2012) is never cited in the text.',
      'text.mojibake: Mangled text “Russiaโs”: UTF-8 read as Windows-874 (Thai), the bytes after “โ” lost; probably “Russia’s”.',
    ].sort());
  });

  it('offers the fixes of its findings, never a Markdown citation', async () => {
    const { workspace, service } = serviceFor({ 'notes.txt': draft });
    const doc = workspace.openDoc('notes.txt', 'plaintext');
    const diagnostics = await service.getDiagnostics(doc);
    const titles = (await service.getCodeActions(doc, diagnostics, { start: { line: 0, character: 35 }, end: { line: 0, character: 35 } })).map((a) => a.title);
    assert.ok(titles.some((t) => /^Repair/.test(t)), titles.join(' | '));
    assert.ok(titles.some((t) => /^Change to 32/.test(t)), titles.join(' | '));
    assert.ok(!titles.some((t) => /\[@/.test(t)), titles.join(' | '));
  });

  it('says nothing of an ordinary text file', async () => {
    const { workspace, service } = serviceFor({ 'LICENSE.txt': 'Permission is hereby granted (see Section 2, 2019) to NATO staff and @everyone.\nCopyright (c) 2024 The Authors.\n' });
    assert.deepEqual(await service.getDiagnostics(workspace.openDoc('LICENSE.txt', 'plaintext')), []);
  });

  it('is checked by `entente check` when named, never found in a folder', async () => {
    const { service } = serviceFor({ 'notes.txt': draft, 'paper.md': 'Plain.\n' });
    const named = await service.checkFiles([uriOf('notes.txt')]);
    assert.deepEqual([...named.keys()], [uriOf('notes.txt')]);
    assert.equal(named.get(uriOf('notes.txt'))!.length, 5);
    const folder = await service.checkFiles([uriOf('')]);
    assert.ok(!folder.has(uriOf('notes.txt')), [...folder.keys()].join(', '));
  });
});
