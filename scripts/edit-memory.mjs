// Memory while typing into a large open bibliography (issue 17): starts the bundled server over
// stdio, opens a .bib as a document (and a draft that cites from it), types characters into one
// title with incremental didChange at a steady pace, and samples the server's VmRSS and VmHWM.
//
//   node scripts/edit-memory.mjs FILE.bib [--edits 200] [--interval 50] [--server dist/server.js]
//        [--node-args "--expose-gc --trace-gc"] [--no-draft] [--settle 4000]
//
// FILE.bib is copied into a temporary workspace (e.g. .bench/large-50000.bib, which the bench makes).
// Prints one line per second of samples, then the RSS after the open, the peak and the end, and VmHWM.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const bibFile = args[0]?.startsWith('--') ? undefined : args[0];
if (!bibFile) {
  console.error('usage: node scripts/edit-memory.mjs FILE.bib [--edits N] [--interval MS] [--server PATH] [--node-args "..."] [--no-draft]');
  process.exit(2);
}
const edits = Number(option('edits', 200));
const interval = Number(option('interval', 50));
const settleMs = Number(option('settle', 4000));
const serverJs = resolve(option('server', join(root, 'dist', 'server.js')));
const nodeArgs = (option('node-args', '') ?? '').split(/\s+/).filter(Boolean);
const withDraft = !args.includes('--no-draft');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ws = mkdtempSync(join(tmpdir(), 'entente-editmem-'));
const bibPath = join(ws, 'library.bib');
copyFileSync(bibFile, bibPath);
const text = readFileSync(bibPath, 'utf8');
const draftPath = join(ws, 'draft.md');
const draftText = '---\nbibliography: library.bib\n---\n\nSee [@\n';
writeFileSync(draftPath, draftText);

const child = spawn(process.execPath, [...nodeArgs, serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], cwd: ws });
let stderr = '';
child.stderr.on('data', (d) => {
  stderr += d;
  if (nodeArgs.some((a) => a.startsWith('--trace-gc'))) process.stderr.write(d);
});
const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
const logs = [];
const publishes = [];
connection.onNotification('window/logMessage', (p) => logs.push(p.message));
connection.onNotification('textDocument/publishDiagnostics', (p) => publishes.push({ at: performance.now(), uri: p.uri, version: p.version, count: p.diagnostics.length }));
connection.onNotification(() => undefined);
connection.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
connection.onRequest('client/registerCapability', () => null);
connection.onRequest('window/workDoneProgress/create', () => null);
connection.onRequest(() => null);
connection.listen();

function memory() {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}
const samples = [];
const sampler = setInterval(() => samples.push({ at: performance.now(), phase, ...memory() }), 100);
let phase = 'open';

const wsUri = pathToFileURL(ws).href;
const bibUri = pathToFileURL(bibPath).href;
const draftUri = pathToFileURL(draftPath).href;
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`server ${serverJs} ${nodeArgs.join(' ')}; ${(text.length / 1048576).toFixed(1)} M chars; ${edits} edits every ${interval} ms; load ${load()}`);

await connection.sendRequest('initialize', {
  processId: process.pid,
  rootUri: wsUri,
  workspaceFolders: [{ uri: wsUri, name: 'ws' }],
  capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true } } }, workspace: { configuration: true } },
});
await connection.sendNotification('initialized', {});
const opened = performance.now();
await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: bibUri, languageId: 'bibtex', version: 1, text } });
if (withDraft) {
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: draftUri, languageId: 'markdown', version: 1, text: draftText } });
  const items = await connection.sendRequest('textDocument/completion', { textDocument: { uri: draftUri }, position: { line: 4, character: 6 } });
  console.log(`draft completion: ${(items?.items ?? items ?? []).length} items after ${(performance.now() - opened).toFixed(0)} ms`);
}
// Until the bibliography's first diagnostics.
while (!publishes.some((p) => p.uri === bibUri)) await sleep(50);
await sleep(1000);
const afterOpen = memory();
console.log(`after open: RSS ${afterOpen.rss.toFixed(0)} MB, HWM ${afterOpen.hwm.toFixed(0)} MB (${((performance.now() - opened) / 1000).toFixed(1)} s)`);

// Typing into a title in the middle of the file.
const at = text.indexOf('title', text.length >> 1);
const brace = text.indexOf('{', at) + 1;
let line = 0;
for (let i = text.indexOf('\n'); i !== -1 && i < brace; i = text.indexOf('\n', i + 1)) line++;
const character = brace - (text.lastIndexOf('\n', brace - 1) + 1);
phase = 'typing';
const typed = 'the quick brown fox jumps over the lazy dog ';
const typingStarted = performance.now();
let version = 1;
for (let i = 0; i < edits; i++) {
  const c = typed[i % typed.length];
  const pos = { line, character: character + i };
  await connection.sendNotification('textDocument/didChange', {
    textDocument: { uri: bibUri, version: ++version },
    contentChanges: [{ range: { start: pos, end: pos }, text: c }],
  });
  await sleep(interval);
}
const typingMs = performance.now() - typingStarted;
phase = 'settle';
const lastVersion = version;
const settleStart = performance.now();
while (!publishes.some((p) => p.uri === bibUri && p.version === lastVersion) && performance.now() - settleStart < 60_000) await sleep(20);
const lastPublishMs = performance.now() - settleStart;
await sleep(settleMs);
const end = memory();
clearInterval(sampler);

const typing = samples.filter((s) => s.phase !== 'open');
const peak = Math.max(...typing.map((s) => s.rss));
for (let t = 0; t < typing.length; t += 10) {
  const s = typing[t];
  process.stdout.write(`${((s.at - typingStarted) / 1000).toFixed(1)}s ${s.rss.toFixed(0)}  `);
}
console.log();
const parses = logs.filter((m) => m.startsWith('Indexed ') && m.includes('library.bib')).length;
const full = logs.filter((m) => m.startsWith('Reading all of')).length;
console.log(`typing ${(typingMs / 1000).toFixed(1)} s; last publish ${lastPublishMs.toFixed(0)} ms after the last edit; parses logged ${parses} (${full} full)`);
console.log(`RSS after open ${afterOpen.rss.toFixed(0)} MB; peak while typing ${peak.toFixed(0)} MB; end ${end.rss.toFixed(0)} MB; VmHWM ${end.hwm.toFixed(0)} MB; load ${load()}`);

await connection.sendRequest('shutdown').catch(() => undefined);
await connection.sendNotification('exit').catch(() => undefined);
// The server ends itself on `exit` (a CPU profile is written then); killed if it has not after 10 s.
await Promise.race([new Promise((r) => child.once('exit', r)), sleep(10_000)]);
child.kill();
rmSync(ws, { recursive: true, force: true });
if (stderr.trim() && !nodeArgs.length) console.error(stderr.trim().split('\n').slice(-5).join('\n'));
process.exit(0);
