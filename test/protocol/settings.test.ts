import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { TestClient } from './lspClient';

/**
 * Settings given the ways editors give them: initializationOptions (Helix, Neovim init_options,
 * eglot :initializationOptions), workspace/configuration answers (null from Neovim, Helix and eglot
 * when their settings have no `entente` section), didChangeConfiguration, per workspace folder.
 */
describe('settings over stdio', function () {
  this.timeout(60000);
  let dir: string;
  let client: TestClient;
  const libs = { alpha: '', beta: '', gamma: '' };

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entente-settings-'));
    // The libraries live outside the workspace folders: only the settings bring them in.
    fs.mkdirSync(path.join(dir, 'libs'));
    for (const key of Object.keys(libs) as (keyof typeof libs)[]) {
      libs[key] = path.join(dir, 'libs', `${key}.bib`);
      fs.writeFileSync(libs[key], `@book{${key}master, author={Writer, A.}, title={The ${key} book}, publisher={P}, year=2020}\n`);
    }
    for (const folder of ['one', 'two']) {
      fs.mkdirSync(path.join(dir, folder));
      fs.writeFileSync(path.join(dir, folder, 'paper.md'), 'Text.\n');
    }
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  beforeEach(() => {
    client = new TestClient();
  });
  afterEach(async () => {
    await client.stop();
  });

  /** The labels completed after `[@` in the folder's paper.md. */
  async function completed(folder: string): Promise<string[]> {
    const uri = URI.file(path.join(dir, folder, 'paper.md')).toString();
    const list = await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 2 } });
    return (list?.items ?? []).map((i: { label: string }) => i.label).sort();
  }

  /** Waits until the folder's completion offers exactly `labels` (settings apply asynchronously). */
  async function completes(folder: string, labels: string[]): Promise<void> {
    const deadline = Date.now() + 15000;
    let last: string[] = [];
    while (Date.now() < deadline) {
      last = await completed(folder);
      if (JSON.stringify(last) === JSON.stringify(labels)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(last, labels, `completion in ${folder}`);
  }

  function open(folder: string) {
    client.open(path.join(dir, folder, 'paper.md'), 'markdown', 'Text.\n[@');
  }

  const shapes = (lib: string): [string, unknown][] => [
    ['flat', { bibliography: { files: [lib] } }],
    ['nested under entente', { entente: { bibliography: { files: [lib] } } }],
    ['dotted', { 'entente.bibliography.files': [lib] }],
  ];

  it('keeps a master library from initializationOptions when the client answers workspace/configuration with null', async () => {
    client.settings = null;
    await client.initialize(path.join(dir, 'one'), { initializationOptions: { bibliography: { files: [libs.alpha] } } });
    open('one');
    // A pull answered with null, then a didChangeConfiguration without settings (Neovim sends its empty `settings`).
    client.notify('workspace/didChangeConfiguration', { settings: {} });
    await new Promise((r) => setTimeout(r, 300));
    await completes('one', ['alphamaster']);
  });

  for (const [shape, options] of shapes('LIB')) {
    it(`reads initializationOptions ${shape}`, async () => {
      client.settings = null;
      const initializationOptions = JSON.parse(JSON.stringify(options).replace('"LIB"', JSON.stringify(libs.beta)));
      await client.initialize(path.join(dir, 'one'), { initializationOptions });
      open('one');
      await completes('one', ['betamaster']);
    });
  }

  it('reads workspace/configuration answers and didChangeConfiguration settings in every shape', async () => {
    client.settings = null;
    await client.initialize(path.join(dir, 'one'));
    open('one');
    await completes('one', []);
    // Pulled: the client answers in each shape in turn (a didChangeConfiguration says when to ask again).
    for (const [shape, answer] of shapes(libs.gamma).concat(shapes(libs.beta))) {
      client.settings = answer;
      client.notify('workspace/didChangeConfiguration', { settings: null });
      await completes('one', [JSON.stringify(answer).includes('gamma') ? 'gammamaster' : 'betamaster']).catch((e) => assert.fail(`${shape}: ${e.message}`));
    }
    // Pushed: the answers are null, the notification carries the settings.
    client.settings = null;
    for (const [shape, settings] of shapes(libs.alpha).concat(shapes(libs.gamma))) {
      client.notify('workspace/didChangeConfiguration', { settings });
      await completes('one', [JSON.stringify(settings).includes('alpha') ? 'alphamaster' : 'gammamaster']).catch((e) => assert.fail(`${shape}: ${e.message}`));
    }
  });

  it('reads didChangeConfiguration settings from a client that cannot be asked (no workspace.configuration)', async () => {
    await client.initialize(path.join(dir, 'one'), { capabilities: {} });
    open('one');
    client.notify('workspace/didChangeConfiguration', { settings: { entente: { bibliography: { files: [libs.gamma] } } } });
    await completes('one', ['gammamaster']);
  });

  it('asks for the settings of each workspace folder: two folders see different master libraries', async () => {
    const asked: unknown[] = [];
    client.settings = (item: { scopeUri?: string }) => {
      asked.push(item);
      if (item.scopeUri?.endsWith('/one')) return { bibliography: { files: [libs.alpha] } };
      if (item.scopeUri?.endsWith('/two')) return { entente: { bibliography: { files: [libs.beta] } } };
      return null;
    };
    await client.initialize([path.join(dir, 'one'), path.join(dir, 'two')], { initializationOptions: { bibliography: { files: [libs.gamma] } } });
    open('one');
    open('two');
    await completes('one', ['alphamaster']);
    await completes('two', ['betamaster']);
    assert.deepEqual(asked.slice(0, 3), [
      { section: 'entente' },
      { scopeUri: URI.file(path.join(dir, 'one')).toString(), section: 'entente' },
      { scopeUri: URI.file(path.join(dir, 'two')).toString(), section: 'entente' },
    ]);
    // A folder added later is asked about too; until then it has the initializationOptions.
    fs.mkdirSync(path.join(dir, 'three'), { recursive: true });
    client.open(path.join(dir, 'three', 'paper.md'), 'markdown', 'Text.\n[@');
    await completes('three', ['gammamaster']);
    client.settings = (item: { scopeUri?: string }) => (item.scopeUri?.endsWith('/three') ? { bibliography: { files: [libs.beta] } } : null);
    client.notify('workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: URI.file(path.join(dir, 'three')).toString(), name: 'three' }], removed: [] } });
    await completes('three', ['betamaster']);
  });

  it('reports each invalid setting once, as a warning, however often the settings are read', async () => {
    client.settings = { glossary: { firstUse: 'loud' }, diagnostics: { delay: 'fast' } };
    await client.initialize(path.join(dir, 'one'), { initializationOptions: { 'entente.glossary.firstUse': 'loud', bibliography: { file: [libs.alpha] } } });
    open('one');
    for (let i = 0; i < 3; i++) client.notify('workspace/didChangeConfiguration', { settings: null });
    await completes('one', []);
    await new Promise((r) => setTimeout(r, 300));
    const warnings = client.logMessages(2).filter((m) => m.includes('entente.'));
    assert.deepEqual(warnings.sort(), [
      'Settings: entente.bibliography.file: unknown setting (did you mean entente.bibliography.files?); ignored',
      'Settings: entente.diagnostics.delay: "fast" is not a number; using 250',
      'Settings: entente.glossary.firstUse: "loud" is not one of error, warning, information, hint, off; using "hint"',
    ]);
  });

  it('starts a minimal client (no workspace capabilities) without an error in the log', async () => {
    await client.initialize(path.join(dir, 'one'), { capabilities: {}, initializationOptions: { bibliography: { files: [libs.alpha] } } });
    open('one');
    await completes('one', ['alphamaster']);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(client.logMessages(1), []);
    assert.deepEqual(client.logs.filter((l) => /error/i.test(l)), []);
  });
});
