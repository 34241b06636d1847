import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from './lspClient';
import { diagnosticCodes } from '../../server/src/service/diagnosticCodes';

/** Runs a built command (`bin/<bin>`) as a process: its exit code, stdout and stderr. */
function runBin(bin: string, args: string[], cwd = projectRoot): { code: number; out: string; err: string } {
  try {
    const out = execFileSync(process.execPath, [path.join(projectRoot, 'bin', bin), ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: 0, out, err: '' };
  } catch (e: any) {
    return { code: e.status as number, out: String(e.stdout), err: String(e.stderr) };
  }
}
const entente = (args: string[], cwd?: string) => runBin('entente', args, cwd);

/** A temporary folder with these files; removed after the test. */
function folderWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entente-cli-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('the entente command', () => {
  const made: string[] = [];
  const folder = (files: Record<string, string>) => {
    const dir = folderWith(files);
    made.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints its version', () => {
    assert.match(entente(['--version']).out, /^entente \d+\.\d+\.\d+\n$/);
  });

  it('says what it can do when asked for help, and exits 2 without a command or with an unknown one', () => {
    assert.match(entente(['--help']).out, /Usage: entente <command>/);
    const bare = entente([]);
    assert.equal(bare.code, 2);
    assert.match(bare.err, /Usage: entente <command>/);
    const unknown = entente(['frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown command 'frobnicate'/);
  });

  describe('entente index', () => {
    it('indexes the example workspace: the files the drafts declare, with their counts, and exits 0', () => {
      const { code, out } = entente(['index', 'examples/nfm-paper']);
      assert.equal(code, 0);
      assert.match(out, /^Indexed 28 entries from 2 bibliography files for 3 drafts in .*examples\/nfm-paper \(\d+ ms\)\n/);
      assert.match(out, /refs\.bib\s+19 entries\s+bibtex\s+front-matter\n/);
      assert.match(out, /refs-extra\.json\s+9 entries\s+csl-json\s+front-matter\n/);
      assert.doesNotMatch(out, /problem/);
    });

    it('counts in words that agree with the number', () => {
      const dir = folder({ 'refs.bib': '@book{a, author={X}, title={A}, publisher={P}, year=2020}\n', 'paper.md': '---\nbibliography: refs.bib\n---\n[@a]\n' });
      const { code, out } = entente(['index', dir]);
      assert.equal(code, 0);
      assert.match(out, /^Indexed 1 entry from 1 bibliography file for 1 draft in /);
      assert.match(out, /refs\.bib\s+1 entry\s+bibtex/);
    });

    it('reports broken entries with file, line and column, still counts the good ones, and exits 1', () => {
      const dir = folder({
        'refs.bib': '@book{good1, title={A}, year=2020}\n@book{broken, title={Unclosed, year=2021\n@book{good2, title={B}, year=2022}\n',
        'missing.md': '---\nbibliography: [refs.bib, nowhere.bib]\n---\n[@good1]\n',
      });
      const { code, out } = entente(['index', dir, '--json']);
      assert.equal(code, 1);
      const json = JSON.parse(out);
      assert.equal(json.entries, 3);
      const files = json.files.map((f: any) => `${f.path} ${f.entries} ${f.fileError ?? ''}`.trim());
      assert.deepEqual(files, ['refs.bib 3', 'nowhere.bib 0 does not exist']);
      const rel = (name: string) => path.relative(projectRoot, path.join(dir, name));
      assert.ok(json.problems.some((p: any) => p.file === rel('refs.bib') && p.line === 2 && p.code === 'bib.syntax'));
      assert.ok(json.problems.some((p: any) => p.file === rel('missing.md') && p.line === 2 && p.column === 26 && p.code === 'bibliography.not-found'));
    });

    it('reports a missing \\addbibresource with the code and 1-based position check gives it, in the same line', () => {
      const dir = folder({ 'paper.tex': '\\documentclass{article}\n\\addbibresource{missing.bib}\n\\begin{document}\\cite{x}\\end{document}\n' });
      const index = entente(['index'], dir);
      const check = entente(['check'], dir);
      assert.equal(index.code, 1);
      const line = 'paper.tex:2:17: error bibliography.not-found Bibliography missing.bib does not exist. 1 cited key is in no other bibliography of this draft and cannot be checked until it is read.';
      assert.ok(index.out.split('\n').map((l) => l.trim()).includes(line), index.out);
      assert.ok(check.out.split('\n').includes(line), check.out);
      const fromIndex = JSON.parse(entente(['index', '--json'], dir).out).problems;
      const fromCheck = JSON.parse(entente(['check', '--format', 'json'], dir).out).filter((f: any) => f.code.startsWith('bibliography.'));
      assert.deepEqual(fromIndex, fromCheck);
    });

    it('reports what check reports in a bibliography: syntax, duplicate keys and missing fields; warnings alone exit 0', () => {
      const bib = '@article{a, author={X}, title={T}, year=2020}\n@book{b, author={Y}, title={U}, publisher={P}, year=2021}\n@book{b, author={Z}, title={V}, publisher={Q}, year=2022}\n';
      const dir = folder({ 'refs.bib': bib, 'paper.md': '---\nbibliography: refs.bib\n---\n[@a; @b]\n' });
      const index = JSON.parse(entente(['index', '--json'], dir).out).problems;
      const check = JSON.parse(entente(['check', '--format', 'json'], dir).out).filter((f: any) => f.file === 'refs.bib');
      assert.deepEqual(index.map((p: any) => `${p.line}:${p.column} ${p.code}`), ['1:10 bib.missing-field', '3:7 bib.duplicate-key']);
      assert.deepEqual(index, check);
      assert.equal(entente(['index'], dir).code, 1); // the duplicate key is an error

      const warned = folder({ 'refs.bib': '@article{a, author={X}, title={T}, year=2020}\n', 'paper.md': '---\nbibliography: refs.bib\n---\n[@a]\n' });
      const text = entente(['index'], warned);
      assert.equal(text.code, 0);
      assert.match(text.out, /refs\.bib\s+1 entry\s+bibtex\s+front-matter\s+1 problem\n\n1 problem:\n {2}refs\.bib:1:10: warning bib\.missing-field /);
      assert.equal(entente(['index', '--fail-on', 'warning'], warned).code, 1);
    });

    it('leaves out the drafts of --exclude as check does, with their bibliographies', () => {
      const dir = folder({
        'refs.bib': '@article{a, author={X}, title={T}, journal={J}, year=2020}\n',
        'paper.md': '---\nbibliography: refs.bib\n---\n[@a]\n',
        'old/draft.md': '---\nbibliography: [../refs.bib, gone.bib]\n---\n[@a]\n',
      });
      const all = entente(['index'], dir);
      assert.equal(all.code, 1, all.out);
      assert.match(all.out, /for 2 drafts/);
      assert.match(all.out, /old\/draft\.md:2:29: error bibliography\.not-found/);
      for (const args of [['--exclude', 'old/**'], ['--exclude=./old/**']]) {
        const without = entente(['index', ...args], dir);
        assert.equal(without.code, 0, without.out + without.err);
        assert.match(without.out, /^Indexed 1 entry from 1 bibliography file for 1 draft in /);
        assert.doesNotMatch(without.out, /gone\.bib|problem/);
      }
      assert.match(entente(['index', '--help']).out, /--exclude <glob>/);
    });

    it('prints its help and exits 0 on --help, instead of indexing', () => {
      const { code, out } = entente(['index', '--help']);
      assert.equal(code, 0);
      assert.match(out, /^Usage: entente index \[folder\] \[options\]\n/);
      assert.match(out, /--format <f>\s+text \(default\) or json\./);
      assert.match(out, /Exit status: 0 when no problem at or above --fail-on was found, 1 when one was,\n2 on bad usage/);
      assert.doesNotMatch(out, /Indexed/);
      assert.equal(entente(['help', 'index']).out, out);
    });

    it('takes --format json as an option, not json as the folder', () => {
      const { code, out } = entente(['index', '--format', 'json', 'examples/nfm-paper']);
      assert.equal(code, 0);
      assert.equal(JSON.parse(out).entries, 28);
      assert.equal(JSON.parse(entente(['index', 'examples/nfm-paper', '--format=json']).out).entries, 28);
    });

    const usageErrors: [string[], RegExp][] = [
      [['index', '--bogus'], /^entente index: unknown option '--bogus'\nUsage: entente index \[folder\] \[options\]\n/],
      [['index', 'nonexistent'], /^entente index: no such folder: 'nonexistent'\n/],
      [['index', 'examples/nfm-paper/paper.md'], /^entente index: 'examples\/nfm-paper\/paper\.md' is a file, not a folder/],
      [['index', '--bibliography'], /^entente index: --bibliography needs a value/],
      [['index', '--format', 'xml'], /^entente index: --format must be one of text, json, not 'xml'/],
      [['index', 'a', 'b'], /^entente index: one folder at most/],
      [['index', '--json', '--format', 'text'], /disagree/],
    ];
    for (const [args, message] of usageErrors) {
      it(`exits 2 with a clear message on: entente ${args.join(' ')}`, () => {
        const { code, out, err } = entente(args);
        assert.equal(code, 2);
        assert.equal(out, '');
        assert.match(err, message);
      });
    }
  });

  describe('entente import-references', () => {
    const seed = path.join('test', 'fixtures', 'typed-references', 'seed-nfm.txt');

    it('prints the seed paper\'s reference list as BibLaTeX, the flagged references on stderr, and exits 1', () => {
      const { code, out, err } = entente(['import-references', seed]);
      assert.equal(code, 1);
      assert.equal(out.match(/^@\w+\{/gm)?.length, 28);
      assert.match(out, /^@report\{biscop2022new,$/m);
      const lines = err.trim().split('\n');
      assert.match(lines[0], /^line 1 \(andrews2024improving\): title and book told apart at "in"/);
      assert.equal(lines.at(-1), '28 references: 28 written, 4 of them flagged, 0 not read.');
    });

    it('prints CSL-JSON with --format csl-json, reads standard input with -, and exits 0 when every reference was read fully', () => {
      const dir = folder({ 'refs.txt': 'Shea, J. (2012). Keeping NATO Relevant. Carnegie Moscow Center.\n' });
      const run = spawnSync(process.execPath, [path.join(projectRoot, 'bin', 'entente'), 'import-references', '--format=csl-json', 'refs.txt'], { cwd: dir, encoding: 'utf8' });
      assert.equal(run.status, 0);
      assert.deepEqual(JSON.parse(run.stdout), [
        { id: 'shea2012keeping', type: 'book', author: [{ family: 'Shea', given: 'J.' }], title: 'Keeping NATO Relevant', publisher: 'Carnegie Moscow Center', issued: { 'date-parts': [[2012]] } },
      ]);
      assert.equal(run.stderr, '1 reference: 1 written, 0 of them flagged, 0 not read.\n');
      const piped = execFileSync(process.execPath, [path.join(projectRoot, 'bin', 'entente'), 'import-references', '-'], { input: 'Shea, J. (2012). Keeping NATO Relevant. Carnegie.\n', encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] });
      assert.match(piped, /^@book\{shea2012keeping,$/m);
    });

    it('exits 2 without a file, with two, or with one it cannot read', () => {
      for (const args of [['import-references'], ['import-references', 'a', 'b'], ['import-references', 'no-such-file.txt'], ['import-references', '--format', 'ris', seed]]) {
        const { code, out, err } = entente(args);
        assert.equal(code, 2, args.join(' '));
        assert.equal(out, '');
        assert.match(err, /Usage: entente import-references FILE/);
      }
    });
  });

  describe('entente check', () => {
    it('reports the example drafts deliberate mistakes with a did-you-mean, and exits 1', () => {
      const { code, out } = entente(['check', 'examples/nfm-paper']);
      assert.equal(code, 1);
      assert.equal(
        out,
        [
          'examples/nfm-paper/paper.md:26:5: hint glossary.first-use "VJTF" is used before it is spelled out; on first use write "Very High Readiness Joint Task Force (VJTF)".',
          "examples/nfm-paper/paper.md:95:36: error citation.undefined No bibliography entry for 'duffeild1994nato'. Did you mean 'duffield1994nato'?",
          "examples/nfm-paper/paper.tex:81:12: error citation.undefined No bibliography entry for 'biscop2O22new'. Did you mean 'biscop2022new'?",
          '2 errors, 0 warnings, 1 note in 5 files checked',
          '',
        ].join('\n'),
      );
    });

    it('prints JSON, GitHub annotations and SARIF', () => {
      const json = JSON.parse(entente(['check', 'examples/nfm-paper', '--format', 'json']).out);
      assert.equal(json[0].code, 'glossary.first-use');
      assert.deepEqual(json[1], {
        file: 'examples/nfm-paper/paper.md', line: 95, column: 36, endLine: 95, endColumn: 52, severity: 'error', code: 'citation.undefined',
        message: "No bibliography entry for 'duffeild1994nato'. Did you mean 'duffield1994nato'?",
      });
      const github = entente(['check', 'examples/nfm-paper', '--format=github']).out.split('\n')[1];
      assert.equal(github, "::error file=examples/nfm-paper/paper.md,line=95,col=36,endLine=95,endColumn=52,title=citation.undefined::No bibliography entry for 'duffeild1994nato'. Did you mean 'duffield1994nato'?");
      const sarif = JSON.parse(entente(['check', 'examples/nfm-paper', '--format', 'sarif']).out);
      assert.equal(sarif.version, '2.1.0');
      assert.equal(sarif.runs[0].results.length, 3);
      assert.deepEqual(sarif.runs[0].results[1].locations[0].physicalLocation.region, { startLine: 95, startColumn: 36, endLine: 95, endColumn: 52 });
    });

    it('describes each SARIF rule from the table of codes, and invents no home page', () => {
      const driver = JSON.parse(entente(['check', 'examples/nfm-paper', '--format', 'sarif']).out).runs[0].tool.driver;
      assert.equal(driver.informationUri, undefined);
      assert.deepEqual(driver.rules.map((r: any) => r.id), ['citation.undefined', 'glossary.first-use']);
      for (const rule of driver.rules) {
        const info = diagnosticCodes[rule.id as keyof typeof diagnosticCodes];
        assert.equal(rule.shortDescription.text, info.description);
        assert.equal(rule.help.text, info.help);
        assert.notEqual(rule.shortDescription.text, rule.id);
        assert.ok(rule.fullDescription.text.length > rule.shortDescription.text.length);
      }
    });

    it('skips pandoc templates and Quarto extensions, and the files of --exclude; a named excluded file is a usage error', () => {
      const dir = folder({
        'refs.bib': '@article{a, author={X}, title={T}, journal={J}, year=2020}\n',
        'template.tex': '\\documentclass{article}\n$if(bibliography)$\\bibliography{$for(bibliography)$$bibliography$$sep$,$endfor$}$endif$\n\\nocite{$for(nocite-ids)$$it$$sep$, $endfor$}\n$body$\n',
        '_extensions/j/partials/before-body.tex': '\\cite{nokey}\n',
        'paper.md': '---\nbibliography: refs.bib\n---\n[@a]\n',
        'old/draft.md': '---\nbibliography: ../refs.bib\n---\n[@nokey]\n',
      });
      const all = entente(['check'], dir);
      assert.equal(all.code, 1);
      assert.deepEqual(all.out.trim().split('\n'), ["old/draft.md:4:3: error citation.undefined No bibliography entry for 'nokey'.", '1 error, 0 warnings in 4 files checked']);
      const without = entente(['check', '--exclude', 'old/**'], dir);
      assert.equal(without.code, 0, without.out + without.err);
      assert.equal(without.out.trim(), '0 errors, 0 warnings in 3 files checked');
      const named = entente(['check', '--exclude', 'old/**', 'old/draft.md'], dir);
      assert.equal(named.code, 2);
      assert.match(named.err, /'old\/draft\.md' is excluded/);
      // entente index skips them alike: the template's $bibliography$ is no missing file.
      const index = entente(['index'], dir);
      assert.equal(index.code, 0, index.out);
      assert.match(index.out, /for 2 drafts/);
      assert.doesNotMatch(index.out, /not-found|\$bibliography\$/);
    });

    it("reads a project's chapters from entente.config.json (no unknown setting) or its Makefile: no false crossref.undefined", () => {
      const chapters = {
        'refs.bib': '@book{k, author={X}, title={T}, publisher={P}, year=2020}\n',
        'intro.md': '---\nbibliography: refs.bib\n---\n# Intro {#sec:intro}\n\n@sec:lit-review reviews [@k].\n',
        'chapters/01-lit.md': '# Literature {#sec:lit-review}\n\nSince @sec:intro, [@k] and @sec:nowhere.\n',
      };
      const alone = entente(['check'], folder(chapters));
      // Alone, a label another chapter defines is a warning that says where it is (pandoc may join them); one defined nowhere, an error.
      assert.match(alone.out, /intro\.md:6:2: warning crossref\.undefined No label 'sec:lit-review' in this document\. It is defined in chapters\/01-lit\.md/);
      assert.match(alone.out, /chapters\/01-lit\.md:3:29: error crossref\.undefined No label 'sec:nowhere'/);
      const truth = ["chapters/01-lit.md:3:29: error crossref.undefined No label 'sec:nowhere' in this project.", '1 error, 0 warnings in 3 files checked'];
      const declared = entente(['check'], folder({ ...chapters, 'entente.config.json': '{"projects": [{"files": ["intro.md", "chapters/*.md"]}], "diagnostics.missingFields": false}' }));
      assert.deepEqual({ out: declared.out.trim().split('\n'), err: declared.err }, { out: truth, err: '' });
      const made = entente(['check'], folder({ ...chapters, Makefile: 'SRC = intro.md $(wildcard chapters/*.md)\n\nthesis.pdf: $(SRC)\n\tpandoc --citeproc -F pandoc-crossref $^ -o $@\n' }));
      assert.deepEqual(made.out.trim().split('\n'), truth);
    });

    it('exits 0 on a clean project, and honours --fail-on and settings files', () => {
      const dir = folder({ 'refs.bib': '@article{a, author={X}, title={T}, year=2020}\n', 'paper.md': '---\nbibliography: refs.bib\n---\n[@a]\n' });
      const warned = entente(['check'], dir);
      assert.equal(warned.code, 0);
      assert.match(warned.out, /refs\.bib:1:10: warning bib\.missing-field/);
      assert.equal(entente(['check', '--fail-on', 'warning'], dir).code, 1);
      fs.mkdirSync(path.join(dir, '.vscode'));
      fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), '{\n  // writers turn this off\n  "entente.diagnostics.missingFields": false,\n}\n');
      assert.deepEqual(entente(['check', '--fail-on', 'warning'], dir), { code: 0, out: '0 errors, 0 warnings in 2 files checked\n', err: '' });
      // index reads the same settings.
      assert.doesNotMatch(entente(['index'], dir).out, /problem/);
    });

    it('counts one file checked in the singular, and checks a named CSL-JSON bibliography', () => {
      const dir = folder({ 'refs.json': '[{"id": "a", "type": "book", "title": "T", "author": [{"family": "X"}], "publisher": "P", "issued": {"date-parts": [[2020]]}}]\n' });
      assert.deepEqual(entente(['check', 'refs.json'], dir), { code: 0, out: '0 errors, 0 warnings in 1 file checked\n', err: '' });
    });

    it('prints its help and exits 0 on --help', () => {
      const { code, out } = entente(['check', '--help']);
      assert.equal(code, 0);
      assert.match(out, /^Usage: entente check \[paths or globs\.\.\.\] \[options\]\n/);
      assert.match(out, /--fail-on <s>\s+Exit 1 when a problem at or above this severity is found/);
      assert.match(out, /Every path or glob must match at least one draft or bibliography\./);
    });

    it('checks a plain-text draft it is given by name, never one it finds in a folder', () => {
      const dir = folder({ 'notes.txt': "NATO's 30 members met. Russia\u0e42s war went on.\n", 'paper.md': 'Plain.\n' });
      const named = entente(['check', path.join(dir, 'notes.txt')]);
      assert.equal(named.code, 0, named.err);
      assert.match(named.out, /notes\.txt:1:8: information glossary\.fact NATO has had 32 members/);
      assert.match(named.out, /notes\.txt:1:30: warning text\.mojibake/);
      assert.match(named.out, /in 1 file checked/);
      const walked = entente(['check', dir]);
      assert.doesNotMatch(walked.out, /notes\.txt/);
    });

    it('exits 2 when a path or glob matches no draft or bibliography, even beside one that does', () => {
      const empty = folder({});
      const notes = folder({ 'notes.log': 'hello\n' });
      const cases: [string[], string][] = [
        [['check', 'nothing/*.md'], "entente check: 'nothing/*.md' matches no draft or bibliography"],
        [['check', 'examples/nfm-paper', 'nothing/*.md'], "entente check: 'nothing/*.md' matches no draft or bibliography"],
        [['check', empty], `entente check: '${empty}' matches no draft or bibliography`],
        [['check', path.join(notes, 'notes.log')], `entente check: '${path.join(notes, 'notes.log')}' is not a draft or bibliography`],
        [['check', 'no/such/folder'], "entente check: no such file or folder: 'no/such/folder'"],
      ];
      for (const [args, message] of cases) {
        const { code, out, err } = entente(args);
        assert.equal(code, 2, args.join(' '));
        assert.equal(out, '');
        assert.equal(err.split('\n')[0], message);
      }
      assert.equal(entente(['check'], empty).code, 2);
    });

    it('exits 2 on an unknown option, a missing value or a bad one', () => {
      for (const args of [['--format', 'xml'], ['--bogus'], ['--fail-on'], ['--unused=yes'], ['--bibliography', '--unused']]) {
        const { code, err } = entente(['check', ...args]);
        assert.equal(code, 2, args.join(' '));
        assert.match(err, /^entente check: .*\nUsage: entente check /);
      }
    });
  });
});

describe('the entente-language-server command', () => {
  it('prints its usage on stderr and exits 2 without a transport', () => {
    const bare = runBin('entente-language-server', []);
    assert.equal(bare.code, 2);
    assert.match(bare.err, /^Usage: entente-language-server --stdio/);
    const odd = runBin('entente-language-server', ['--stdoi']);
    assert.equal(odd.code, 2);
    assert.match(odd.err, /no transport in '--stdoi'/);
  });

  it('prints its usage and exits 0 on --help', () => {
    assert.deepEqual({ ...runBin('entente-language-server', ['--help']), out: '' }, { code: 0, out: '', err: '' });
    assert.match(runBin('entente-language-server', ['--help']).out, /^Usage: entente-language-server --stdio/);
  });
});
