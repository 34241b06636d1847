/**
 * Issue 17: a keystroke's completion never waits for a library being read again after a change; the previous
 * index of the same files answers meanwhile (the list is incomplete, so the editor asks again), and the next
 * completion after the read has the new entries.
 */
import * as assert from 'node:assert/strict';
import { createLanguageService } from '../../server/src/service/languageService';
import { defaultConfig } from '../../server/src/service/config';
import type { ReadResult } from '../../server/src/service/workspace';
import { MemoryWorkspace, uriOf } from './memoryWorkspace';
import { cursor } from './fixture';

/** A workspace whose reads of one file wait for a gate while it is closed (a slow disk, a 50,000-entry library). */
class GatedWorkspace extends MemoryWorkspace {
  gate?: Promise<void>;
  override async readFile(uri: string, maxBytes: number): Promise<ReadResult> {
    if (this.gate && uri.endsWith('refs.bib')) await this.gate;
    return super.readFile(uri, maxBytes);
  }
}

describe('completion while a library is read again (issue 17)', () => {
  it('answers from the previous index at once, and from the new one once it is read', async () => {
    const { text, position } = cursor('---\nbibliography: refs.bib\n---\nAs [@bis|]\n');
    const workspace = new GatedWorkspace({ 'refs.bib': '@book{biscop2022new, author={Biscop, Sven}, title={The New Force Model}, year=2022}\n', 'paper.md': text });
    const service = createLanguageService({ workspace, config: defaultConfig });
    const doc = workspace.openDoc('paper.md');
    const keys = async () => (await service.getCompletions(doc, position))?.items.map((i) => i.label) ?? [];
    assert.deepEqual(await keys(), ['biscop2022new']);

    let open!: () => void;
    workspace.gate = new Promise((resolve) => (open = resolve));
    workspace.files.set(uriOf('refs.bib'), `${workspace.files.get(uriOf('refs.bib'))}@book{bishop2024sea, author={Bishop, Anne}, title={Sea Power}, year=2024}\n`);
    service.fileChanged(uriOf('refs.bib'));
    const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('waited for the re-read'), 1000));
    assert.deepEqual(await Promise.race([keys(), timeout]), ['biscop2022new'], 'the previous index answers while the library is read again');

    open();
    workspace.gate = undefined;
    let now: unknown[] = [];
    for (let i = 0; i < 50 && now.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 10));
      now = await keys();
    }
    assert.deepEqual([...now].sort(), ['biscop2022new', 'bishop2024sea']);
  });
});
