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

describe('entente check', () => {
  const run = (args: string[], cwd = projectRoot) => {
    try {
      return { code: 0, out: execFileSync(process.execPath, [path.join(projectRoot, 'bin', 'entente'), 'check', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
    } catch (e: any) {
      return { code: e.status as number, out: String(e.stdout), err: String(e.stderr) };
    }
  };

  it('reports the example drafts deliberate mistakes with a did-you-mean, and exits 1', () => {
    const { code, out } = run(['examples/nfm-paper']);
    assert.equal(code, 1);
    assert.equal(
      out,
      [
        'examples/nfm-paper/paper.md:26:5: information glossary.first-use "VJTF" is used before it is spelled out; on first use write "Very High Readiness Joint Task Force (VJTF)".',
        "examples/nfm-paper/paper.md:95:36: error citation.undefined No bibliography entry for 'duffeild1994nato'. Did you mean 'duffield1994nato'?",
        "examples/nfm-paper/paper.tex:81:12: error citation.undefined No bibliography entry for 'biscop2O22new'. Did you mean 'biscop2022new'?",
        '2 errors, 0 warnings, 1 note in 5 files checked',
        '',
      ].join('\n'),
    );
  });

  it('prints JSON, GitHub annotations and SARIF', () => {
    const json = JSON.parse(run(['examples/nfm-paper', '--format', 'json']).out);
    assert.equal(json[0].code, 'glossary.first-use');
    assert.deepEqual(json[1], {
      file: 'examples/nfm-paper/paper.md', line: 95, column: 36, endLine: 95, endColumn: 52, severity: 'error', code: 'citation.undefined',
      message: "No bibliography entry for 'duffeild1994nato'. Did you mean 'duffield1994nato'?",
    });
    const github = run(['examples/nfm-paper', '--format=github']).out.split('\n')[1];
    assert.equal(github, "::error file=examples/nfm-paper/paper.md,line=95,col=36,endLine=95,endColumn=52,title=citation.undefined::No bibliography entry for 'duffeild1994nato'. Did you mean 'duffield1994nato'?");
    const sarif = JSON.parse(run(['examples/nfm-paper', '--format', 'sarif']).out);
    assert.equal(sarif.version, '2.1.0');
    assert.equal(sarif.runs[0].results.length, 3);
    assert.deepEqual(sarif.runs[0].results[1].locations[0].physicalLocation.region, { startLine: 95, startColumn: 36, endLine: 95, endColumn: 52 });
  });

  it('exits 0 on a clean project, and honours --fail-on and settings files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entente-check-'));
    fs.writeFileSync(path.join(dir, 'refs.bib'), '@article{a, author={X}, title={T}, year=2020}\n');
    fs.writeFileSync(path.join(dir, 'paper.md'), '---\nbibliography: refs.bib\n---\n[@a]\n');
    const warned = run([], dir);
    assert.equal(warned.code, 0);
    assert.match(warned.out, /refs\.bib:1:10: warning bib\.missing-field/);
    assert.equal(run(['--fail-on', 'warning'], dir).code, 1);
    fs.mkdirSync(path.join(dir, '.vscode'));
    fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), '{\n  // writers turn this off\n  "entente.diagnostics.missingFields": false,\n}\n');
    assert.deepEqual(run(['--fail-on', 'warning'], dir), { code: 0, out: '0 errors, 0 warnings in 2 files checked\n' });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exits 2 on bad usage', () => {
    assert.equal(run(['--format', 'xml']).code, 2);
    assert.equal(run(['no/such/folder']).code, 2);
  });
});
