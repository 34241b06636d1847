// The first and the second start of the server on one library (issue 17: the second start reads the
// index cache). Usage: node bench/second-start.mjs [FILE.bib] [--runs N]
// (default: .bench/large-50000.bib, generated when missing). For each run: a fresh cache folder, then
// two servers one after the other on a copy of the file; each is timed from spawn to the first completion
// holding items (`[@` + a key prefix), and to the first author search holding an entry by Knuth (the full
// search built). The floor (read the file, find its keys with a regex) is measured in the same run. While the
// first server writes its cache, a completion is asked every 250 ms: the longest answer is how long a request
// waited for the writing.
// Prints one JSON line per run and a summary; exits 1 only when the harness fails.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OpenDocument, Server, sleep } from './lsp.mjs';
import { ensureLargeFiles, frontMatter } from './data.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
let file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs');
if (!file) {
  ensureLargeFiles(join(root, '.bench'), [50000]);
  file = join(root, '.bench', 'large-50000.bib');
}

/** Spawn -> first completion with items, and -> first search finding Knuth; with the server's log lines. */
async function start(ws, cacheHome) {
  const logs = [];
  const t0 = performance.now();
  const server = new Server(root, { cacheHome });
  server.listeners.add((method, params) => method === 'window/logMessage' && logs.push(params.message));
  try {
    await server.initialize(ws, 60_000);
    const init = performance.now() - t0;
    const doc = new OpenDocument(server, join(ws, 'draft.md'), `${frontMatter(basename(file))}See [@`);
    const first = await until(async () => (await server.completion(doc.uri, doc.end(), 60_000)).result?.items?.length > 0);
    doc.type('knuth');
    const search = await until(async () => {
      const items = (await server.completion(doc.uri, doc.end(), 60_000)).result?.items ?? [];
      return items.some((i) => JSON.stringify(i).toLowerCase().includes('knuth'));
    });
    return { init: init, first: first - t0, search: search - t0, logs: logs.filter((l) => /cache|Indexed/i.test(l)), log: logs, server, doc };
  } catch (e) {
    await server.stop();
    throw e;
  }
}

async function until(ok, timeoutMs = 60_000) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await ok()) return performance.now();
    await sleep(10);
  }
  throw new Error('timeout');
}

function floor() {
  const out = execFileSync(process.execPath, [join(root, 'bench', 'baseline.mjs'), 'floor', file], { encoding: 'utf8' });
  return JSON.parse(out).ms;
}

const round = (x) => Math.round(x);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
for (let run = 0; run < runs; run++) {
  const dir = mkdtempSync(join(tmpdir(), 'entente-second-start-'));
  try {
    const ws = join(dir, 'ws');
    const cache = join(dir, 'cache');
    execFileSync('mkdir', ['-p', ws]);
    copyFileSync(file, join(ws, basename(file)));
    writeFileSync(join(ws, 'draft.md'), '');
    const load = loadavg()[0].toFixed(2);
    const firstStart = await start(ws, cache);
    // The cache is written in idle time after the parse: wait for it (at most 30 s) before stopping, asking for a
    // completion every 250 ms meanwhile: the longest answer says how long a request waited for the writing.
    const folder = join(cache, 'entente');
    const waits = [];
    const doc = firstStart.doc;
    for (let i = 0; i < 120 && !(existsSync(folder) && readdirSync(folder).some((f) => f.endsWith('.cache'))); i++) {
      const t = performance.now();
      await firstStart.server.completion(doc.uri, doc.end(), 60_000);
      waits.push(performance.now() - t);
      await sleep(250);
    }
    await firstStart.server.stop();
    const secondStart = await start(ws, cache);
    await secondStart.server.stop();
    const row = {
      load,
      floor: round(floor()),
      first: { init: round(firstStart.init), completion: round(firstStart.first), search: round(firstStart.search) },
      second: { init: round(secondStart.init), completion: round(secondStart.first), search: round(secondStart.search) },
      // Completions asked while the first server wrote its cache: how many, the longest and the median answer.
      whileWriting: { requests: waits.length, longest: round(Math.max(0, ...waits)), median: round(median(waits) ?? 0) },
      written: firstStart.log.filter((l) => /written/.test(l)),
      logs: secondStart.logs,
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(
  `median of ${rows.length} (load ${loadavg().map((l) => l.toFixed(2)).join(' ')}): floor ${median(rows.map((r) => r.floor))} ms; ` +
    `first start: completion ${median(rows.map((r) => r.first.completion))} ms, search ${median(rows.map((r) => r.first.search))} ms; ` +
    `second start: completion ${median(rows.map((r) => r.second.completion))} ms, search ${median(rows.map((r) => r.second.search))} ms; ` +
    `longest completion while the cache was written ${Math.max(...rows.map((r) => r.whileWriting.longest))} ms`,
);
