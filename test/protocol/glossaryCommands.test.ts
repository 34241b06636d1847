/**
 * The glossary's commands over stdio, as any editor reaches them: a short card links to the full entry
 * only for a client that says it runs `entente.showTerm`; `workspace/executeCommand` gives the full
 * entry (`entente.server.termCard`) and the terms a draft sees (`entente.server.glossaryTerms`).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { TestClient } from './lspClient';

const fullClient = {
  workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
  textDocument: { hover: { contentFormat: ['markdown'] } },
};

describe('the glossary commands over stdio', function () {
  this.timeout(30000);
  let dir: string;
  let draft: string;
  const text = 'The NFM replaced the NRF. The ZQRF deploys first.\n';

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entente-gloss-'));
    fs.writeFileSync(path.join(dir, 'glossary.yaml'), 'terms:\n  - short: ZQRF\n    expansion: Zeta Quick Reaction Force\n    definition: A made-up force of this test. It began in 2022.\n');
    fs.writeFileSync(path.join(dir, 'paper.md'), text);
    draft = URI.file(path.join(dir, 'paper.md')).toString();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function hoverNfm(capabilities: unknown): Promise<{ client: TestClient; value: string }> {
    const client = new TestClient();
    await client.initialize(dir, { capabilities });
    client.open(path.join(dir, 'paper.md'), 'markdown', text);
    const hover = await client.request('textDocument/hover', { textDocument: { uri: draft }, position: { line: 0, character: 5 } });
    return { client, value: hover.contents.value };
  }

  it('links a short card to the full entry only for a client that runs entente.showTerm', async () => {
    const vscodeLike = await hoverNfm({ ...fullClient, experimental: { entente: { commandLinks: ['entente.showTerm'] } } });
    const link = /\[Full entry\]\(command:entente\.showTerm\?([^)]+)\)/.exec(vscodeLike.value);
    assert.ok(link, vscodeLike.value);
    assert.deepEqual(JSON.parse(decodeURIComponent(link[1])), [{ uri: draft, id: 'new-force-model' }]);
    await vscodeLike.client.stop();
    const other = await hoverNfm(fullClient);
    assert.match(other.value, /^\*\*NFM\*\*/);
    assert.doesNotMatch(other.value, /command:/);
    await other.client.stop();
  });

  it('answers the full entry and the list of terms through workspace/executeCommand', async () => {
    const client = new TestClient();
    const init = await client.initialize(dir);
    assert.ok(init.capabilities.executeCommandProvider.commands.includes('entente.server.termCard'));
    client.open(path.join(dir, 'paper.md'), 'markdown', text);
    const card = await client.request('workspace/executeCommand', { command: 'entente.server.termCard', arguments: [{ uri: draft, id: 'new-force-model' }] });
    assert.match(card.markdown, /^\*\*NFM\*\*/);
    assert.match(card.markdown, /Sources:\n- /);
    assert.match(card.markdown, /See also: /);
    const terms = await client.request('workspace/executeCommand', { command: 'entente.server.glossaryTerms', arguments: [{ uri: draft }] });
    const zqrf = terms.find((t: { short: string }) => t.short === 'ZQRF');
    assert.deepEqual({ ...zqrf, id: undefined }, { id: undefined, short: 'ZQRF', expansion: 'Zeta Quick Reaction Force', definition: 'A made-up force of this test. It began in 2022.', origin: 'project-file' });
    assert.ok(terms.length > 200);
    const projectCard = await client.request('workspace/executeCommand', { command: 'entente.server.termCard', arguments: [{ uri: draft, id: zqrf.id }] });
    assert.match(projectCard.markdown, /It began in 2022\./);
    // Without a draft: the built-in terms; an unknown id: null.
    const builtin = await client.request('workspace/executeCommand', { command: 'entente.server.glossaryTerms', arguments: [{}] });
    assert.ok(!builtin.some((t: { short: string }) => t.short === 'ZQRF') && builtin.length > 200);
    assert.equal(await client.request('workspace/executeCommand', { command: 'entente.server.termCard', arguments: [{ uri: draft, id: 'no-such-term' }] }), null);
    await client.stop();
  });

  it('offers, at the cursor, to add an acronym the draft spells out to its glossary file', async () => {
    const client = new TestClient();
    await client.initialize(dir);
    const other = 'The Nordic Quick Shield Venture (NQSV) buys together. The NQSV grew.\n';
    const uri = client.open(path.join(dir, 'notes.md'), 'markdown', other);
    const at = { line: 0, character: other.lastIndexOf('NQSV') + 1 };
    const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: { start: at, end: at }, context: { diagnostics: [] } });
    assert.deepEqual(actions.map((a: { title: string }) => a.title), ["Add 'NQSV' to the project glossary (Nordic Quick Shield Venture)"]);
    const glossary = URI.file(path.join(dir, 'glossary.yaml')).toString();
    assert.deepEqual(actions[0].edit.changes[glossary], [{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, newText: '  - short: NQSV\n    expansion: "Nordic Quick Shield Venture"\n' }]);
    await client.stop();
  });
});
