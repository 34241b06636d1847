/**
 * A long editing session against the REAL server (`bin/entente-language-server --stdio`, built
 * by `npm run build`): thousands of random incremental edits across two Markdown drafts, a LaTeX
 * draft and a `.bib` (insertions, deletions, replacements, emoji and other surrogate pairs,
 * combining marks, CRLF), then renames and quick fixes, then requests the server cannot answer.
 *
 * After each batch of edits the long-lived server's view must equal the client's text: every key
 * its diagnostics and symbols name lies exactly where the client's text has it, and its
 * diagnostics and symbols equal those of a reference server given the full texts (and, at the
 * end, of a fresh server). Seeded (ENTENTE_SOAK_SEED, else ENTENTE_FUZZ_SEED) and bounded:
 * ENTENTE_SOAK_EDITS edits (default 2,000), ENTENTE_SOAK_SECONDS for the editing (default 45).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { parseBibtex } from '../../server/src/service/parsers/bibliography/bibtex';
import { parseLatexCitations } from '../../server/src/service/parsers/drafts/latexCitations';
import { parseMarkdownCitations } from '../../server/src/service/parsers/drafts/markdownCitations';
import { LineIndex } from '../../server/src/service/text';
import { applyEdits } from '../unit/fixture';
import { exampleDir, fuzzSeed, random } from './inputs';
import { RobustClient, type PublishedDiagnostics } from '../protocol/lspClient';

const seed = Number(process.env.ENTENTE_SOAK_SEED ?? fuzzSeed);
const totalEdits = Number(process.env.ENTENTE_SOAK_EDITS ?? 2000);
const editSeconds = Number(process.env.ENTENTE_SOAK_SECONDS ?? 45);
const batchSize = 100;
/** Short debounce so that a batch settles quickly (the setting's minimum is 1 ms). */
const settings = { diagnostics: { delay: 1 } };

interface Position {
  line: number;
  character: number;
}

/** LSP positions as an editor counts them: UTF-16 code units, lines ended by `\r\n`, `\n` or `\r`. */
function positionAt(text: string, offset: number): Position {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: offset - lineStart };
}

function offsetAt(text: string, p: Position): number {
  let line = 0;
  let i = 0;
  while (line < p.line && i < text.length) {
    const c = text.charCodeAt(i++);
    if (c === 10 || (c === 13 && text.charCodeAt(i) !== 10)) line++;
  }
  return Math.min(i + p.character, text.length);
}

function sliceOf(text: string, r: { start: Position; end: Position }): string {
  return text.slice(offsetAt(text, r.start), offsetAt(text, r.end));
}

interface Doc {
  name: string;
  file: string;
  uri: string;
  languageId: string;
  text: string;
  version: number;
  /** Size the edits keep the text near (they prefer deleting above twice, inserting below half). */
  size: number;
}

/** The second Markdown draft: CRLF line ends, emoji, combining marks, CJK, citations and a cross-reference. */
const notes = [
  '---',
  'title: "Notes 😀"',
  'bibliography: refs.bib',
  '---',
  '',
  '# Notes on readiness 👩‍👩‍👧 {#sec-notes}',
  '',
  'The NFM [@biscop2022new] replaced the NRF; see also @szenes2023reinforcing and [-@shea2012keeping, p. 3].',
  '',
  '## Café, café (e\u0301), 中文, 𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '',
  'As @sec-notes shows, [@deni2024new; @monaghan2024nato] agree; @unknownkey2020 does not exist.',
  '',
].join('\r\n');

/** What insertions are made of. `#` becomes a fresh number: each marker key is unique, so its place can be checked. */
const pieces: Record<string, string[]> = {
  markdown: ['[@zz#]', '@zz# ', '[@shea2012keeping]', '[@biscop2022new; @zz#, p. 4]', '\n\n# Heading # \n', '{#sec-x#}', '`code @zz#`', '<!-- @zz# -->', '$@zz#$'],
  latex: ['\\cite{zz#}', '\\parencite{shea2012keeping,zz#}', '\\label{sec:zz#}', '\\ref{sec:zz#}', '% \\cite{zz#}\n', '\n\\section{Zz #}\n', '\\verb|\\cite{zz#}|'],
  bibtex: ['\n@misc{zz#, title = {T #}}\n', '\n@book{zz#, author = {Zoltán, A.}, title = {B}, year = 2020}\n', ' note = {N},', '{', '}', '"', ' # ', '\n@string{m# = {M}}\n'],
  common: ['x', 'word ', ' ', '\n', '\r\n', '\r\n\r\n', '😀', '👩‍👩‍👧', 'e\u0301', '中文', '𝔘', '\t', '{', '}', '[', ']', '@', '"', "'", '%', '\\', ',', '-'],
};

class Session {
  private readonly next: () => number;
  private counter = 0;
  edits = 0;

  constructor(readonly docs: Doc[], private readonly client: RobustClient, s: number) {
    this.next = random(s);
  }

  private int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An offset that splits neither a CRLF nor a surrogate pair (an editor never does). */
  private safe(text: string, o: number): number {
    if (o > 0 && o < text.length) {
      const before = text.charCodeAt(o - 1);
      const after = text.charCodeAt(o);
      if ((before === 13 && after === 10) || (before >= 0xd800 && before < 0xdc00 && after >= 0xdc00 && after < 0xe000)) return o - 1;
    }
    return o;
  }

  private insertion(doc: Doc): string {
    const own = pieces[doc.languageId];
    const list = this.next() < 0.5 ? own : pieces.common;
    let s = list[this.int(list.length)];
    if (this.next() < 0.3) s += pieces.common[this.int(pieces.common.length)];
    return s.replace(/#/g, () => String(++this.counter));
  }

  /** One random change, applied to the client's text; returns the LSP change event. */
  private change(doc: Doc): { range: { start: Position; end: Position }; text: string } {
    const t = doc.text;
    const growing = t.length < doc.size / 2;
    const shrinking = t.length > doc.size * 2;
    const r = this.next();
    const op = growing ? 'insert' : shrinking ? (r < 0.7 ? 'delete' : 'replace') : r < 0.45 ? 'insert' : r < 0.7 ? 'delete' : 'replace';
    const start = this.safe(t, this.int(t.length + 1));
    const length = op === 'insert' ? 0 : this.next() < 0.9 ? 1 + this.int(12) : 1 + this.int(300);
    let end = this.safe(t, Math.min(t.length, start + length));
    if (end < start) end = start;
    const text = op === 'delete' ? '' : this.insertion(doc);
    const range = { start: positionAt(t, start), end: positionAt(t, end) };
    doc.text = t.slice(0, start) + text + t.slice(end);
    return { range, text };
  }

  /** One `didChange` holding one to three changes (applied in order, as LSP says), at most `max`. */
  edit(max = 3): void {
    const weights = [0.35, 0.25, 0.25, 0.15];
    let r = this.next();
    let i = 0;
    while (i < weights.length - 1 && r >= weights[i]) r -= weights[i++];
    const doc = this.docs[i];
    const count = Math.min(max, this.next() < 0.8 ? 1 : 2 + this.int(2));
    const contentChanges = Array.from({ length: count }, () => this.change(doc));
    doc.version++;
    this.edits += count;
    this.client.notify('textDocument/didChange', { textDocument: { uri: doc.uri, version: doc.version }, contentChanges });
  }
}

/** Diagnostics as comparable lines, sorted. */
function diagnosticLines(p: PublishedDiagnostics | undefined): string[] {
  return (p?.diagnostics ?? [])
    .map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.severity} ${d.code} ${d.message}`)
    .sort();
}

function versions(docs: Doc[]): Map<string, number> {
  return new Map(docs.map((d) => [d.uri, d.version]));
}

/** Every symbol, children included. */
function flatten(symbols: any[] | null): any[] {
  return (symbols ?? []).flatMap((s) => [s, ...flatten(s.children ?? [])]);
}

/** Copies the example workspace to a temp folder (the tests never touch the original) and adds notes.md. */
function workspaceCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entente-soak-'));
  for (const f of fs.readdirSync(exampleDir)) fs.copyFileSync(path.join(exampleDir, f), path.join(dir, f));
  fs.writeFileSync(path.join(dir, 'notes.md'), notes);
  return dir;
}

function openDocs(dir: string): Doc[] {
  return [
    ['paper.md', 'markdown'],
    ['notes.md', 'markdown'],
    ['paper.tex', 'latex'],
    ['refs.bib', 'bibtex'],
  ].map(([name, languageId]) => {
    const file = path.join(dir, name);
    const text = fs.readFileSync(file, 'utf8');
    return { name, file, uri: URI.file(file).toString(), languageId, text, version: 1, size: text.length };
  });
}

async function startServer(dir: string, docs: readonly Doc[], version?: (d: Doc) => number): Promise<RobustClient> {
  const client = new RobustClient();
  client.settings = settings;
  await client.initialize(dir);
  for (const d of docs) client.open(d.file, d.languageId, d.text, version ? version(d) : d.version);
  return client;
}

/** The edits of a WorkspaceEdit by URI, whichever form it takes. */
function editsByUri(edit: any): Map<string, { range: any; newText: string }[]> {
  const out = new Map<string, { range: any; newText: string }[]>();
  for (const [uri, edits] of Object.entries(edit?.changes ?? {})) out.set(uri, edits as any[]);
  for (const dc of edit?.documentChanges ?? []) if (dc.edits) out.set(dc.textDocument.uri, [...(out.get(dc.textDocument.uri) ?? []), ...dc.edits]);
  return out;
}

const rangeKey = (r: any) => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;

describe(`the real server over a long editing session (seed ${seed}, ${totalEdits} edits; replay with ENTENTE_SOAK_SEED=${seed})`, function () {
  this.timeout(180000);
  const cleanup: (() => unknown)[] = [];
  /** A server on a fresh copy of the example workspace; both go when the test ends, even if starting fails. */
  const serverOnCopy = async (): Promise<{ dir: string; server: RobustClient }> => {
    const dir = workspaceCopy();
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const server = new RobustClient();
    cleanup.push(() => server.stop());
    server.settings = settings;
    await server.initialize(dir);
    return { dir, server };
  };
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  it('keeps every document equal to the client text through thousands of incremental edits, with flat memory', async () => {
    const dir = workspaceCopy();
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const docs = openDocs(dir);
    const server = await startServer(dir, docs);
    cleanup.push(() => server.stop());
    const reference = await startServer(dir, docs);
    cleanup.push(() => reference.stop());
    await server.settle(versions(docs));
    await reference.settle(versions(docs));
    const rssStart = server.rssMB();

    /**
     * The long-lived server's view against the client's text: keys its diagnostics and symbols name
     * lie where the client's text has them; diagnostics and symbols equal the reference's.
     */
    const compareViews = async (label: string): Promise<{ problems: string[]; keys: number }> => {
      const problems: string[] = [];
      let keys = 0;
      for (const d of docs) {
        const where = `${label}, ${d.name}@${d.version}`;
        const published = diagnosticLines(server.diagnostics.get(d.uri));
        const expected = diagnosticLines(reference.diagnostics.get(d.uri));
        if (JSON.stringify(published) !== JSON.stringify(expected)) {
          const extra = published.filter((l) => !expected.includes(l));
          const missing = expected.filter((l) => !published.includes(l));
          problems.push(`${where}: diagnostics differ from the reference's\n  only the server: ${extra.join('\n    ')}\n  only the reference: ${missing.join('\n    ')}`);
        }
        for (const diag of server.diagnostics.get(d.uri)?.diagnostics ?? []) {
          const m = diag.code === 'citation.undefined' ? /^No bibliography entry for '(.+?)'\./.exec(diag.message) : null;
          if (!m) continue;
          keys++;
          const actual = sliceOf(d.text, diag.range);
          if (actual !== m[1]) problems.push(`${where}: the diagnostic for '${m[1]}' covers ${JSON.stringify(actual)} in the client's text`);
        }
        const symbols = await server.request('textDocument/documentSymbol', { textDocument: { uri: d.uri } });
        const expectedSymbols = await reference.request('textDocument/documentSymbol', { textDocument: { uri: d.uri } });
        if (JSON.stringify(symbols) !== JSON.stringify(expectedSymbols)) problems.push(`${where}: symbols differ from the reference's`);
        if (d.languageId === 'bibtex') {
          for (const sym of flatten(symbols)) {
            keys++;
            const actual = sliceOf(d.text, sym.selectionRange);
            if (actual !== sym.name) problems.push(`${where}: entry '${sym.name}' is at ${JSON.stringify(actual)} in the client's text`);
          }
        }
      }
      return { problems, keys };
    };

    const session = new Session(docs, server, seed);
    const mismatches: string[] = [];
    let batches = 0;
    let keysChecked = 0;
    const started = Date.now();
    while (session.edits < totalEdits && Date.now() - started < editSeconds * 1000) {
      const target = Math.min(totalEdits, session.edits + batchSize);
      while (session.edits < target) session.edit(target - session.edits);
      batches++;
      // The reference gets each document whole (a change without a range replaces the text).
      for (const d of docs) reference.notify('textDocument/didChange', { textDocument: { uri: d.uri, version: d.version }, contentChanges: [{ text: d.text }] });
      await server.settle(versions(docs));
      await reference.settle(versions(docs));
      let check = await compareViews(`batch ${batches}`);
      if (check.problems.length) {
        // A busy machine may publish late: settle longer once before counting a difference.
        await server.settle(versions(docs), 2000);
        await reference.settle(versions(docs), 2000);
        check = await compareViews(`batch ${batches}`);
      }
      mismatches.push(...check.problems);
      keysChecked += check.keys;
      if (mismatches.length > 20) break;
    }

    // A fresh server opening the final texts sees what the long-lived one sees.
    const fresh = await startServer(dir, docs);
    cleanup.push(() => fresh.stop());
    await fresh.settle(versions(docs), 1000);
    for (const d of docs) {
      const published = diagnosticLines(server.diagnostics.get(d.uri));
      const expected = diagnosticLines(fresh.diagnostics.get(d.uri));
      const extra = published.filter((l) => !expected.includes(l));
      const missing = expected.filter((l) => !published.includes(l));
      if (extra.length || missing.length) mismatches.push(`at the end, ${d.name}@${d.version}: the long-lived server and a fresh one disagree\n  only the long-lived server: ${extra.join('\n    ')}\n  only the fresh server: ${missing.join('\n    ')}`);
    }
    const rssEnd = server.rssMB();
    const failures = server.logs.filter((l) => / failed: /.test(l));
    console.log(
      `      soak (seed ${seed}): ${session.edits} edits in ${batches} batches over ${docs.length} documents in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `${keysChecked} key places checked, ${mismatches.length} mismatches (lost edits), ${failures.length} handler failures; server RSS ${rssStart.toFixed(0)} MB -> ${rssEnd.toFixed(0)} MB`,
    );
    assert.equal(mismatches.slice(0, 3).join('\n'), '', `the server's view differs from the client's (seed ${seed})`);
    assert.deepEqual(failures, [], 'a request handler threw');
    assert.ok(!server.exited, 'the server died');
    assert.ok(session.edits >= Math.min(totalEdits, 500), `only ${session.edits} edits in ${editSeconds} s`);
    if (!Number.isNaN(rssStart)) assert.ok(rssEnd < rssStart + 150, `server RSS grew from ${rssStart.toFixed(0)} MB to ${rssEnd.toFixed(0)} MB`);
  });

  it('renames a key with one exact WorkspaceEdit: the key ranges only, in open (unsaved) and closed files', async () => {
    const { dir, server } = await serverOnCopy();
    const md = path.join(dir, 'paper.md');
    const disk = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
    // Unsaved edits that move every line of the open draft: the edit must use the editor's text.
    const mdText = disk('paper.md').replace(/\n---\n/, '\n---\n\n# Unsaved 😀\n\nAgain [@shea2012keeping] and @shea2012keeping.\n');
    const mdUri = server.open(md, 'markdown', mdText);
    const uri = (f: string) => URI.file(path.join(dir, f)).toString();
    const old = 'shea2012keeping';

    const check = async (texts: Map<string, string>, newName: string) => {
      const at = mdText.indexOf(`[@${old}]`) + 3;
      const position = positionAt(mdText, at);
      const prepared = await server.request('textDocument/prepareRename', { textDocument: { uri: mdUri }, position });
      assert.equal(sliceOf(mdText, prepared.range), old);
      const edit = await server.request('textDocument/rename', { textDocument: { uri: mdUri }, position, newName });
      const byUri = editsByUri(edit);
      // Exactly the places the parsers find the key at, in each file the key lives in.
      const expected = new Map<string, string[]>([
        [uri('paper.md'), parseMarkdownCitations(texts.get(uri('paper.md'))!).citations.filter((c) => c.key === old).map((c) => rangeKey(c.range))],
        [uri('paper.tex'), parseLatexCitations(texts.get(uri('paper.tex'))!).filter((c) => c.key === old).map((c) => rangeKey(c.range))],
        [uri('notes.md'), parseMarkdownCitations(texts.get(uri('notes.md'))!).citations.filter((c) => c.key === old).map((c) => rangeKey(c.range))],
        [uri('refs.bib'), parseBibtex(texts.get(uri('refs.bib'))!).value.entries.filter((e) => e.key === old).map((e) => rangeKey(e.keyRange))],
      ]);
      assert.deepEqual([...byUri.keys()].sort(), [...expected.keys()].sort(), 'the rename touches other files');
      for (const [u, edits] of byUri) {
        const text = texts.get(u)!;
        assert.deepEqual(edits.map((e) => rangeKey(e.range)).sort(), expected.get(u)!.sort(), `${u}: other ranges than the key's`);
        for (const e of edits) {
          assert.equal(sliceOf(text, e.range), old);
          assert.equal(e.newText, newName);
        }
        // Applied, the text differs only there.
        const after = applyEdits(text, edits);
        assert.equal(after.length, text.length + edits.length * (newName.length - old.length));
        assert.equal(after.split(newName).join(old), text);
      }
    };

    // refs.bib, notes.md and paper.tex closed: positions from the disk.
    const closed = (bib: string) => new Map([[uri('paper.md'), mdText], [uri('notes.md'), disk('notes.md')], [uri('paper.tex'), disk('paper.tex')], [uri('refs.bib'), bib]]);
    await check(closed(disk('refs.bib')), 'shea2012keepingRenamed');
    // refs.bib open with unsaved lines on top: its positions come from the editor's text.
    const bibText = '% unsaved 😀\r\n@misc{zz1, title = {Z}}\r\n' + disk('refs.bib');
    server.open(path.join(dir, 'refs.bib'), 'bibtex', bibText);
    await check(closed(bibText), 'sheaKeeping2012');
    // Nothing was written to disk.
    assert.equal(disk('refs.bib'), fs.readFileSync(path.join(exampleDir, 'refs.bib'), 'utf8'));
  });

  it('quick fixes edit the misspelt key only, and add a stub entry exactly at the end of the bibliography, open or closed', async () => {
    const { dir, server } = await serverOnCopy();
    const file = path.join(dir, 'notes.md');
    const text = notes + '\r\nA typo: [@shea2012keepng] 😀.\r\n';
    const uri = server.open(file, 'markdown', text);
    const bibUri = URI.file(path.join(dir, 'refs.bib')).toString();
    await server.settle(new Map([[uri, 1]]));
    const diagnostic = server.diagnostics.get(uri)!.diagnostics.find((d) => d.code === 'citation.undefined' && d.message.includes('shea2012keepng'))!;
    assert.ok(diagnostic, 'no diagnostic for the typo');
    assert.equal(sliceOf(text, diagnostic.range), 'shea2012keepng');

    const fixes = async () => server.request<any[]>('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
    const check = async (bibText: string) => {
      const actions = await fixes();
      const change = actions.find((a) => a.title.startsWith('Change to shea2012keeping'));
      assert.ok(change, actions.map((a) => a.title).join(', '));
      assert.deepEqual([...editsByUri(change.edit).keys()], [uri]);
      const [only] = editsByUri(change.edit).get(uri)!;
      assert.equal(editsByUri(change.edit).get(uri)!.length, 1);
      assert.equal(sliceOf(text, only.range), 'shea2012keepng');
      assert.equal(applyEdits(text, [only]), text.replace('[@shea2012keepng]', '[@shea2012keeping]'));

      const stub = actions.find((a) => a.title.startsWith("Add a stub entry for 'shea2012keepng'"));
      assert.ok(stub, actions.map((a) => a.title).join(', '));
      assert.deepEqual([...editsByUri(stub.edit).keys()], [bibUri]);
      const edits = editsByUri(stub.edit).get(bibUri)!;
      assert.equal(edits.length, 1);
      const end = new LineIndex(bibText).positionAt(bibText.length);
      assert.deepEqual(edits[0].range, { start: end, end }, 'the stub is not inserted at the very end');
      const after = applyEdits(bibText, edits);
      assert.ok(after.startsWith(bibText));
      const before = parseBibtex(bibText).value.entries.map((e) => e.key);
      assert.deepEqual(parseBibtex(after).value.entries.map((e) => e.key), [...before, 'shea2012keepng']);
    };
    await check(fs.readFileSync(path.join(dir, 'refs.bib'), 'utf8'));
    // refs.bib open with unsaved entries at its end: the stub goes after them.
    const open = fs.readFileSync(path.join(dir, 'refs.bib'), 'utf8') + '\n@misc{unsaved2025, title = {Not yet on disk}}\n';
    server.open(path.join(dir, 'refs.bib'), 'bibtex', open);
    await check(open);
  });

  it('survives requests it cannot answer: the next request works', async () => {
    const { dir, server } = await serverOnCopy();
    const text = fs.readFileSync(path.join(dir, 'paper.md'), 'utf8');
    const uri = server.open(path.join(dir, 'paper.md'), 'markdown', text);
    const position = positionAt(text, text.indexOf('[@szenes2023reinforcing]') + 3);
    const works = async (after: string) => {
      const hover = await server.request('textDocument/hover', { textDocument: { uri }, position });
      assert.match(hover?.contents?.value ?? '', /Szenes/, `no hover after ${after}`);
      assert.ok(!server.exited, `the server died after ${after}`);
    };
    await works('opening');
    const unknown = URI.file(path.join(dir, 'never-opened.md')).toString();
    const bad: [string, string, unknown][] = [
      ['hover on a document never opened', 'textDocument/hover', { textDocument: { uri: unknown }, position }],
      ['rename on a document never opened', 'textDocument/rename', { textDocument: { uri: unknown }, position, newName: 'x' }],
      ['hover without params', 'textDocument/hover', {}],
      ['completion with null params', 'textDocument/completion', null],
      ['symbols with a textDocument that is a number', 'textDocument/documentSymbol', { textDocument: 42 }],
      ['definition far past the end', 'textDocument/definition', { textDocument: { uri }, position: { line: 1e9, character: 1e9 } }],
      ['references at negative positions', 'textDocument/references', { textDocument: { uri }, position: { line: -5, character: -1 }, context: { includeDeclaration: true } }],
      ['a rename to an invalid key', 'textDocument/rename', { textDocument: { uri }, position, newName: 'has space}' }],
      ['a code action for a diagnostic the server never made', 'textDocument/codeAction', { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [{ range: null, source: 'entente', code: 'citation.undefined', data: 'junk', message: 'x' }] } }],
      ['a document status for nothing', 'entente/documentStatus', { uri: 17 }],
      ['a method that does not exist', 'entente/doesNotExist', {}],
      ['a command that does not exist', 'workspace/executeCommand', { command: 'entente.nope', arguments: [1] }],
    ];
    for (const [what, method, params] of bad) {
      await server.request(method, params).catch(() => undefined); // an error response is fine; silence or a crash is not
      await works(what);
    }
    // Notifications that make no sense: a change to a document never opened, a range past the end, a closed-twice document.
    server.notify('textDocument/didChange', { textDocument: { uri: unknown, version: 2 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'x' }] });
    server.notify('textDocument/didClose', { textDocument: { uri: unknown } });
    server.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: 1e6, character: 0 }, end: { line: 1e6, character: 5 } }, text: '\n' }] });
    await works('nonsense notifications');
  });
});
