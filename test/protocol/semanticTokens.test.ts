import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { TestClient } from './lspClient';

/** Semantic tokens decoded into readable lines: `line:character text [undefined]`. */
function decode(data: number[], text: string, legend: { tokenTypes: string[]; tokenModifiers: string[] }): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  let line = 0;
  let character = 0;
  for (let i = 0; i < data.length; i += 5) {
    const [dLine, dStart, length, type, modifiers] = data.slice(i, i + 5);
    line += dLine;
    character = dLine ? dStart : character + dStart;
    const names = legend.tokenModifiers.filter((_, bit) => modifiers & (1 << bit));
    out.push(`${line}:${character} ${legend.tokenTypes[type]} ${lines[line].slice(character, character + length)}${names.length ? ` ${names.join(' ')}` : ''}`);
  }
  return out;
}

describe('semantic tokens of citation keys over stdio', function () {
  this.timeout(60000);
  let dir: string;
  let client: TestClient;
  let legend: { tokenTypes: string[]; tokenModifiers: string[] };
  const bib = '@book{biscop2022new, title={A}, author={Biscop, Sven}, publisher={P}, year=2022}\n@book{Ok, title={B}, author={Y}, publisher={P}, year=2001}\n';

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entente-tokens-'));
    fs.writeFileSync(path.join(dir, 'refs.bib'), bib);
    client = new TestClient();
    const init = await client.initialize(dir, {
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, semanticTokens: { refreshSupport: true } },
        textDocument: { semanticTokens: { requests: { full: true }, tokenTypes: [], tokenModifiers: [], formats: ['relative'] } },
      },
    });
    legend = init.capabilities.semanticTokensProvider.legend;
    assert.equal(init.capabilities.semanticTokensProvider.full, true);
  });
  afterEach(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function tokens(uri: string, text: string): Promise<string[]> {
    const result = await client.request('textDocument/semanticTokens/full', { textDocument: { uri } });
    return decode(result.data, text, legend);
  }

  it('mark every key of a Quarto draft, at UTF-16 positions, and the undefined ones', async () => {
    const text = '---\nbibliography: refs.bib\n---\n\n😀 Ça [see @biscop2022new, p. 3; -@nope] and @{biscop2022new}.\nSee @fig-map, mail a@b.org, `@code`.\n';
    const file = path.join(dir, 'draft.qmd');
    fs.writeFileSync(file, text);
    const uri = client.open(file, 'quarto', text);
    assert.deepEqual(await tokens(uri, text), ['4:12 citation biscop2022new', '4:35 citation nope undefined', '4:47 citation biscop2022new']);
  });

  it('mark LaTeX keys as BibTeX finds them (regardless of case), and nothing in a bibliography', async () => {
    const text = '\\documentclass{article}\n\\begin{document}\n\\cite{biscop2022new, ok,\n  missing}\n\\bibliography{refs}\n\\end{document}\n';
    const file = path.join(dir, 'paper.tex');
    fs.writeFileSync(file, text);
    const uri = client.open(file, 'latex', text);
    assert.deepEqual(await tokens(uri, text), ['2:6 citation biscop2022new', '2:21 citation ok', '3:2 citation missing undefined']);
    const bibUri = client.open(path.join(dir, 'refs.bib'), 'bibtex', bib);
    assert.deepEqual(await tokens(bibUri, bib), []);
  });

  it('ask the editor to refresh them when a bibliography defines a missing key', async () => {
    const text = '---\nbibliography: refs.bib\n---\n[@later]\n';
    const file = path.join(dir, 'draft.md');
    fs.writeFileSync(file, text);
    const uri = client.open(file, 'markdown', text);
    let refreshed = 0;
    client.connection.onRequest('workspace/semanticTokens/refresh', () => {
      refreshed++;
      return null;
    });
    assert.deepEqual(await tokens(uri, text), ['3:2 citation later undefined']);
    fs.appendFileSync(path.join(dir, 'refs.bib'), '@book{later, title={C}, author={Z}, publisher={P}, year=2020}\n');
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: URI.file(path.join(dir, 'refs.bib')).toString(), type: 2 }] });
    for (let i = 0; i < 200 && !refreshed; i++) await new Promise((r) => setTimeout(r, 25));
    assert.ok(refreshed > 0, 'no workspace/semanticTokens/refresh');
    assert.deepEqual(await tokens(uri, text), ['3:2 citation later']);
  });

  it('stay cheap on a draft of 3,000 citations', async () => {
    const lines = ['---', 'bibliography: refs.bib', '---', ''];
    for (let i = 0; i < 1500; i++) lines.push(`Paragraph ${i} (é) [see @biscop2022new, p. ${i}; @missing${i % 7}] and @Ok.`);
    const text = lines.join('\n');
    const file = path.join(dir, 'long.md');
    fs.writeFileSync(file, text);
    const uri = client.open(file, 'markdown', text);
    const first = await tokens(uri, text);
    assert.equal(first.length, 4500);
    assert.equal(first.filter((t) => t.endsWith(' undefined')).length, 1500);
    assert.equal(first[1], '4:44 citation missing0 undefined');
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = process.hrtime.bigint();
      await client.request('textDocument/semanticTokens/full', { textDocument: { uri } });
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    times.sort((a, b) => a - b);
    assert.ok(times[2] < 100, `median ${times[2].toFixed(1)} ms over 4,500 keys`);
  });
});
