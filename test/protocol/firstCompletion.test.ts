import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestClient } from './lspClient';
import { realBibDir } from '../paths';

/** TUGboat's bibliography (macros, accents, month macros) twelve times over, each copy's keys with a suffix. */
function largeLibrary(): string {
  const text = fs.readFileSync(path.join(realBibDir, 'tugboat-1980-1987.bib'), 'utf8');
  const copies: string[] = [];
  for (let i = 0; i < 12; i++) copies.push(i === 0 ? text : text.replace(/^(@\w+\s*\{\s*)([^,\s]+),/gm, `$1$2-c${i},`));
  return copies.join('\n');
}

describe('the first completion of a session (issue 17)', function () {
  this.timeout(60000);
  let client: TestClient;
  let folder: string;

  beforeEach(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'entente-first-'));
    fs.writeFileSync(path.join(folder, 'large.bib'), largeLibrary());
    client = new TestClient();
    await client.initialize(folder);
  });
  afterEach(async () => {
    await client.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('is answered from the preview of the library before its parse is done, with the items the index gives after', async () => {
    const text = '---\nbibliography: large.bib\n---\n\nKnown [@Knuth:TB2-3-5], unknown [@nosuch1999].\n\nSee [@knuth';
    const draft = path.join(folder, 'draft.md');
    const uri = client.open(draft, 'markdown', text);
    const lines = text.split('\n');
    const position = { line: lines.length - 1, character: lines.at(-1)!.length };
    const first = await client.connection.sendRequest<any>('textDocument/completion', { textDocument: { uri }, position });
    const logsThen = [...client.logs];
    assert.ok(first.items.length > 0, 'items at once');
    assert.ok(logsThen.some((l) => /Completion answered from the preview of large\.bib/.test(l)), logsThen.join('\n'));
    assert.ok(!logsThen.some((l) => /Indexed \d+ entries from \S*large\.bib/.test(l)), 'answered before the library was indexed');

    // Diagnostics wait for the full parse (no undefined citation from a preview); then the index answers, the same items.
    const isIndexed = (n: { method: string; params: any }) => n.method === 'window/logMessage' && /Indexed \d+ entries from \S*large\.bib/.test(n.params.message);
    const isUndefined = (n: { method: string; params: any }) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri && n.params.diagnostics.some((d: any) => d.code === 'citation.undefined');
    for (let i = 0; i < 1200 && !client.notifications.some(isUndefined); i++) await new Promise((r) => setTimeout(r, 25));
    const undefinedAt = client.notifications.findIndex(isUndefined);
    assert.ok(undefinedAt >= 0, 'the undefined citation is reported');
    assert.ok(client.notifications.findIndex(isIndexed) < undefinedAt, 'only once the library is indexed');
    const reported = (client.notifications[undefinedAt].params as any).diagnostics.filter((d: any) => d.code === 'citation.undefined');
    const keys = reported.map((d: any) => d.message.match(/'([^']+)'/)?.[1]);
    assert.ok(keys.includes('nosuch1999') && !keys.includes('Knuth:TB2-3-5'), keys.join(' '));
    const later = await client.connection.sendRequest<any>('textDocument/completion', { textDocument: { uri }, position });
    assert.deepEqual(later.items, first.items);
  });
});
