import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from './lspClient';

const entente = (...args: string[]) => execFileSync(process.execPath, [path.join(projectRoot, 'bin', 'entente'), ...args], { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('the entente command', () => {
  it('prints its version', () => {
    assert.match(entente('--version'), /^entente \d+\.\d+\.\d+\n$/);
  });

  it('indexes the example workspace: the files the drafts declare, with their counts', () => {
    const out = entente('index', 'examples/nfm-paper');
    assert.match(out, /^Indexed 28 entries from 2 bibliography files for 3 drafts in .*examples\/nfm-paper \(\d+ ms\)\n/);
    assert.match(out, /refs\.bib\s+19 entries\s+bibtex\s+front-matter\n/);
    assert.match(out, /refs-extra\.json\s+9 entries\s+csl-json\s+front-matter\n/);
  });

  it('reports broken entries with file, line and column, and still counts the good ones', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entente-cli-'));
    fs.writeFileSync(path.join(dir, 'refs.bib'), '@book{good1, title={A}, year=2020}\n@book{broken, title={Unclosed, year=2021\n@book{good2, title={B}, year=2022}\n');
    fs.writeFileSync(path.join(dir, 'missing.md'), '---\nbibliography: [refs.bib, nowhere.bib]\n---\n[@good1]\n');
    const json = JSON.parse(entente('index', dir, '--json'));
    fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(json.entries, 3);
    const files = json.files.map((f: any) => `${f.path} ${f.entries} ${f.fileError ?? ''}`.trim());
    assert.deepEqual(files, ['refs.bib 3', 'nowhere.bib 0 does not exist']);
    assert.ok(json.problems.some((p: any) => p.file === 'refs.bib' && p.line === 2 && p.code === 'bib.syntax'));
    assert.ok(json.problems.some((p: any) => p.file === 'nowhere.bib' && p.code === 'bibliography.unreadable'));
  });

  it('says what it can do when asked for help or given an unknown command', () => {
    assert.match(entente('--help'), /Usage: entente <command>/);
    assert.throws(() => entente('frobnicate'), /unknown command 'frobnicate'/);
  });
});
