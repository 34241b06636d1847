#!/usr/bin/env node
// `npm run bench`: Entente at library scale (issues 5 and 17), through the real server over stdio.
// Usage: node bench/run.mjs [--runs N] [--quick | --smoke]
//          [--only cold,fuzzy,second,completion,hover,memory,diagnostics,reindex,huge,bibedit,baselines,peers]
//                           [--server path/to/server.js]   (default: bin/entente-language-server, i.e. dist/server.js)
// Prints one table at the end and writes .bench/results.json (and .bench/results.md).
// Always exits 0 unless the harness itself fails: it is a benchmark, not a test.
// --smoke (CI): one run of every scenario on 1k/2k/4k-entry files (2k in the role of the 50k file),
// short timeouts; writes .bench/smoke-results.{json,md} and exits 1 when a scenario could not be
// measured (timeout, n/a, error); the targets never fail it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killAllServers } from './lsp.mjs';
import { bibName, ensureLargeFiles, random, readKeys, scales, thesisWorkspace, titleOffset } from './data.mjs';
import { describe, killBaselines, peers, runBaseline, summarize } from './baselines.mjs';
import { coldIndex, completionLatency, completionQueries, hoverLatency, serverCacheFiles } from './session.mjs';
import { diagnostics, reindex } from './editing.mjs';
import { bibEditMemory, hugeLibrary } from './scale.mjs';
import { buildRows } from './rows.mjs';
import { table } from './report.mjs';

const projectRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const cacheDir = join(projectRoot, '.bench');

function parseArgs(argv) {
  const smoke = argv.includes('--smoke');
  const quick = !smoke && argv.includes('--quick');
  const value = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${name}=`))?.split('=')[1];
  };
  const runs = Number(value('--runs') ?? (smoke ? 1 : quick ? 2 : 5));
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs wants a positive integer');
  const only = value('--only')?.split(',').map((s) => s.trim());
  const server = value('--server');
  return { quick, smoke, runs, only, server };
}

/**
 * What a mode measures and how long it waits. `sizes`/`main`: the library files (data.mjs `scales`);
 * `tag`: the suffix of the workspaces and result files that would otherwise be shared with the full mode.
 */
function modeOf(args) {
  if (args.smoke) {
    return {
      ...scales.smoke,
      label: ' (smoke)',
      tag: '-smoke',
      results: 'smoke-results',
      timeouts: { cold: 10_000, request: 5_000, diagnostics: 10_000, reindex: 10_000 },
      hoverKeys: { fresh: 20, repeated: 5 },
      hoverRepeats: 2,
      diagnosticEdits: 2,
      heavyRuns: 1,
      heavyTimeoutMs: 30_000,
      lateTimeoutMs: 20_000,
      bibEdit: { keystrokes: 100 },
    };
  }
  return {
    ...scales.full,
    label: args.quick ? ' (quick)' : '',
    tag: '',
    results: 'results',
    timeouts: { cold: 60_000, request: 10_000, diagnostics: 10_000, reindex: 30_000 },
    hoverKeys: { fresh: args.quick ? 40 : 100, repeated: 10 },
    hoverRepeats: args.quick ? 3 : 10,
    diagnosticEdits: args.quick ? 4 : 6,
    heavyRuns: args.quick ? 1 : Math.min(args.runs, 3),
    heavyTimeoutMs: 120_000,
    lateTimeoutMs: args.quick ? 30_000 : 120_000,
    bibEdit: { keystrokes: 200 },
  };
}

const log = (m) => console.log(m);

function machine(serverJs) {
  const git = (...a) => {
    try {
      return execFileSync('git', a, { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return undefined;
    }
  };
  return {
    server: serverJs,
    date: new Date().toISOString(),
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGB: +(os.totalmem() / 2 ** 30).toFixed(1),
    platform: `${os.platform()} ${os.release()}`,
    commit: git('rev-parse', '--short', 'HEAD'),
    uncommittedFiles: git('status', '--porcelain')?.split('\n').filter(Boolean).length,
    serverBuilt: existsSync(serverJs) ? statSync(serverJs).mtime.toISOString() : undefined,
    loadAtStart: os.loadavg().map((l) => +l.toFixed(2)),
  };
}

/** The keys every scenario uses, read once from the files (deterministic: same keys every run). */
function chooseKeys({ sizes, main, hoverKeys }) {
  const small = readKeys(join(cacheDir, bibName(Math.min(...sizes))));
  const big = readKeys(join(cacheDir, bibName(main)));
  const lettersOf = (k) => /^[A-Za-z]+/.exec(k)?.[0] ?? '';
  // In every file: the large files all start with the same real entries.
  const coldKey = small.citable.find((k, i) => i >= small.citable.length / 2 && lettersOf(k).length >= 4);
  const mid = big.citable.find((k, i) => i >= big.citable.length / 2 && k.length >= 10);
  const full = big.citable.find((k, i) => i >= big.citable.length * 0.3 && k.length >= 8);
  const byKey = new Map(big.entries.map((e) => [e.key, e.offset]));
  const reindexKey = big.citable.find((k, i) => i >= big.citable.length * 0.6 && titleOffset(big.text, byKey.get(k)) >= 0);
  const rand = random(42);
  const distinct = (n, avoid) => {
    const out = new Set();
    while (out.size < n) {
      const k = big.citable[Math.floor(rand() * big.citable.length)];
      if (!avoid.has(k)) out.add(k);
    }
    return [...out];
  };
  const warm = distinct(5, new Set());
  const fresh = distinct(hoverKeys.fresh, new Set(warm));
  const repeated = distinct(hoverKeys.repeated, new Set([...warm, ...fresh]));
  return {
    keys: {
      coldPrefix: lettersOf(coldKey).slice(0, 4),
      prefix: mid.slice(0, Math.min(8, mid.length - 2)),
      full,
      reindexTarget: { key: reindexKey, offset: byKey.get(reindexKey) },
      hover: { warm, fresh, repeated },
    },
    citable: big.citable,
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const want = (name) => !args.only || args.only.includes(name);
  const started = performance.now();
  const mode = modeOf(args);
  const serverBin = args.server ? resolve(args.server) : join(projectRoot, 'bin', 'entente-language-server');
  const meta = machine(args.server ? serverBin : join(projectRoot, 'dist', 'server.js'));
  log(`Entente benchmark: ${args.runs} run(s)${mode.label}, ${meta.date}`);
  log(`Machine: ${meta.cpu}, ${meta.cores} cores, ${meta.memoryGB} GB, ${meta.platform}, Node ${meta.node}`);
  log(`Load average at start (1/5/15 min): ${meta.loadAtStart.join(' / ')}${meta.loadAtStart[0] > meta.cores * 0.5 ? '  (busy machine: numbers will be noisy)' : ''}`);
  log(`Server: ${relative(projectRoot, meta.server)} built ${meta.serverBuilt ?? 'MISSING'}; commit ${meta.commit ?? '?'}${meta.uncommittedFiles ? ` + ${meta.uncommittedFiles} uncommitted file(s)` : ''}`);
  if (!meta.serverBuilt) throw new Error(`${meta.server} is missing: run \`npm run build\` (or \`npm run bench\`, which builds first)`);

  mkdirSync(cacheDir, { recursive: true });
  ensureLargeFiles(cacheDir, [...new Set([...mode.sizes, ...(want('huge') ? [mode.huge] : [])])]);
  const { keys, citable } = chooseKeys(mode);
  const ctx = {
    projectRoot,
    cacheDir,
    serverBin,
    sizes: mode.sizes,
    main: mode.main,
    huge: mode.huge,
    peerSize: mode.peerSize,
    // XDG_CACHE_HOME of every server: emptied before each first start, kept for a second start.
    serverCache: join(cacheDir, `server-cache${mode.tag}`),
    hoverIdleMs: 1000,
    bibEdit: mode.bibEdit,
    lateTimeoutMs: mode.lateTimeoutMs,
    workspaces: { thesis: `ws-thesis${mode.tag}`, reindex: `ws-reindex${mode.tag}` },
    timeouts: mode.timeouts,
    hoverRepeats: mode.hoverRepeats,
    diagnosticEdits: mode.diagnosticEdits,
    diagnosticsDelayMs: 250,
    heavyTimeoutMs: mode.heavyTimeoutMs,
    keys,
  };
  const results = { meta, args, keys: { ...keys, hover: undefined }, baselines: {}, cold: {}, second: {}, completion: [], hover: [], memory: [], diagnostics: [], reindex: [], huge: [], bibEdit: [] };

  const thesis = want('diagnostics') ? thesisWorkspace(cacheDir, citable, { main: ctx.main, wsName: ctx.workspaces.thesis }) : undefined;
  if (thesis) results.thesis = { chapters: thesis.chapters.length, citations: thesis.citations, unknownPerChapter: thesis.chapters[0].unknown, diagnosticsDelayMs: ctx.diagnosticsDelayMs };
  const state = { noDiagnostics: false, heavyRuns: mode.heavyRuns };
  for (let run = 1; run <= args.runs; run++) {
    log(`\nRun ${run}/${args.runs} (load ${os.loadavg()[0].toFixed(2)}):`);
    await oneRun(run, { ctx, results, want, thesis, state });
  }

  for (const [kind, runs] of Object.entries(results.baselines)) results.baselines[kind] = summarize(kind, runs);
  meta.loadAtEnd = os.loadavg().map((l) => +l.toFixed(2));
  meta.seconds = +((performance.now() - started) / 1000).toFixed(1);
  const { rows, notes, ranking } = buildRows(results, { want, sizes: ctx.sizes, main: ctx.main, huge: ctx.huge, bibEdit: ctx.bibEdit });
  results.rows = rows.map((r) => ({ scenario: r.scenario, target: r.target, pass: r.pass, floor: r.floor, vs: r.vs, ...r.raw }));
  results.ranking = ranking;

  const header = [
    `Entente benchmark, ${meta.date}: ${meta.cpu}, ${meta.cores} cores, Node ${meta.node}; ${args.runs} run(s)${mode.label}, ${meta.seconds} s`,
    `Load average (1 min) at start ${meta.loadAtStart[0]}, at end ${meta.loadAtEnd[0]}; commit ${meta.commit ?? '?'}${meta.uncommittedFiles ? ` + ${meta.uncommittedFiles} uncommitted file(s)` : ''}`,
  ];
  const rankingLines = ranking.map((r) => `  ${r.ok ? 'ok  ' : 'MISS'} [@${r.query}] (${r.kind}): expected ${r.expect}; first: ${r.first ?? '(no items)'}${r.firstDetail ? ` (${r.firstDetail})` : ''}`);
  const out = [
    ...header,
    '',
    ...(ranking.length ? ['Ranking (first item of the last run, after the whole query was typed):', ...rankingLines, ''] : []),
    table(rows, peers.filter((p) => results.baselines[p.kind]).map((p) => [p.kind, p.column])),
    ...(notes.length ? ['', 'Notes:', ...notes.map((n) => `- ${n}`)] : []),
  ].join('\n');
  const smokeLines = [];
  if (args.smoke) {
    results.unmeasured = unmeasured(rows, results);
    smokeLines.push(
      '',
      `Smoke: ${mode.sizes.map((n) => `${n / 1000}k`).join('/')} entries, ${mode.main / 1000}k in the role of the 50k file; the targets are about 50k, so pass/FAIL here is for information and never fails the smoke.`,
      results.unmeasured.length ? `Smoke FAILED: ${results.unmeasured.length} scenario(s) could not be measured:` : 'Smoke OK: every scenario was measured.',
      ...results.unmeasured.map((u) => `- ${u}`),
    );
  }
  const text = `${out}${smokeLines.map((l) => `\n${l}`).join('')}`;
  log(`\n${text}`);
  writeFileSync(join(cacheDir, `${mode.results}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(cacheDir, `${mode.results}.md`), `${text}\n`);
  log(`\nWrote ${join('.bench', `${mode.results}.json`)} and ${join('.bench', `${mode.results}.md`)}.`);
  return args.smoke && results.unmeasured.length ? 1 : 0;
}

/**
 * The smoke's failures: rows that hold no measurement where one was expected (a status `timeout`,
 * `n/a (...)`, `error: ...`, `not run`, or no sample at all), and baselines whose process crashed
 * (the row of a library that threw shows `throws after`: a measurement, not a failure).
 */
function unmeasured(rows, results) {
  const out = [];
  for (const r of rows) {
    const status = r.raw.status;
    if (status ? /^(timeout|n\/a|error|not run)/.test(status) : r.raw.n === 0) out.push(`${r.scenario.trim()}: ${status ?? 'no sample'}`);
  }
  for (const [kind, b] of Object.entries(results.baselines)) {
    for (const r of b.runs ?? []) if (!r.timedOut && r.error && (kind.startsWith('floor') || r.error.startsWith('crashed'))) out.push(`baseline ${kind}: ${r.error}`);
  }
  return out;
}

/**
 * One run: baselines, cold index of each size (completion, hover and memory on the main, 50k, server) and its
 * second start, diagnostics, re-index, the huge library, editing the main .bib.
 */
async function oneRun(run, { ctx, results, want, thesis, state }) {
  const { cacheDir, keys, sizes, main } = ctx;
  const M = `${main / 1000}k`;
  const starts = want('cold') || want('fuzzy') || want('second');
  const hugeRun = want('huge') && run <= state.heavyRuns;
  if (want('baselines') || starts || want('peers') || hugeRun) {
    // The floor of every file a row compares with: each size, the peers' file, the huge file.
    const floorSizes = new Set([...sizes, ...(want('peers') || want('baselines') ? [ctx.peerSize] : []), ...(hugeRun ? [ctx.huge] : [])]);
    for (const n of floorSizes) (results.baselines[`floor-${n}`] ??= []).push(await runBaseline('floor', join(cacheDir, bibName(n))));
    // The heavy peers run in the first runs alone, those of issue 17 (seconds per thousand entries) in the first.
    const ran = [...floorSizes].map((n) => `floor-${n}`);
    if (want('baselines') || want('cold') || want('peers')) {
      for (const p of peers) {
        if (run > (p.late ? 1 : state.heavyRuns)) continue;
        const n = p.late ? ctx.peerSize : main;
        (results.baselines[p.kind] ??= []).push(await runBaseline(p.kind, join(cacheDir, bibName(n)), p.late ? ctx.lateTimeoutMs : ctx.heavyTimeoutMs, n));
        ran.push(p.kind);
      }
    }
    log(`  baselines: ${ran.map((k) => `${k} ${describe(results.baselines[k].at(-1))}`).join(', ')}`);
  }
  for (const n of sizes) {
    const session = n === main && (want('completion') || want('hover') || want('memory'));
    if (!starts && !session) continue;
    const cold = await coldIndex(ctx, n, { keep: session });
    (results.cold[n] ??= []).push({ ms: cold.ms, initMs: cold.initMs, fuzzyMs: cold.fuzzyMs, fuzzyStatus: cold.fuzzyStatus, serverParseMs: cold.serverParseMs, serverEntries: cold.serverEntries, memory: cold.memory, error: cold.error });
    log(`  cold index ${n}: ${cold.error ?? `${cold.ms.toFixed(0)} ms (initialize ${cold.initMs.toFixed(0)} ms, server-logged parse ${cold.serverParseMs ?? '?'} ms, RSS ${cold.memory?.rssMB.toFixed(0)} MB); fuzzy search ready ${cold.fuzzyStatus ?? `${cold.fuzzyMs.toFixed(0)} ms`}`}`);
    try {
      if (cold.server) await sessionOn(cold, { ctx, results, want, M });
    } finally {
      await cold.server?.stop();
    }
    if (want('second') && !cold.error) {
      const cacheFiles = serverCacheFiles(ctx);
      const again = await coldIndex(ctx, n, { second: true });
      (results.second[n] ??= []).push({ ms: again.ms, fuzzyMs: again.fuzzyMs, fuzzyStatus: again.fuzzyStatus, cacheFiles, error: again.error });
      log(`  second start ${n}: ${again.error ?? `${again.ms.toFixed(0)} ms to the first completion, ${again.fuzzyStatus ?? `${again.fuzzyMs.toFixed(0)} ms`} to the full fuzzy search`} (${cacheFiles} file(s) in the server's cache folder)`);
    }
  }
  await laterScenarios(run, { ctx, results, want, thesis, state, hugeRun });
}

/** Memory, completion and hover on the kept server of the main file's cold index. */
async function sessionOn(cold, { ctx, results, want, M }) {
  try {
    results.memory.push({ rssMB: cold.memory?.rssMB });
    if (want('completion')) {
      const c = await completionLatency(ctx, cold.server, cold.doc, completionQueries(ctx.keys));
      results.completion.push(c);
      log(`  completion ${M}: ${c.all.length} keystrokes, max ${Math.max(...c.all).toFixed(1)} ms; ranking ${c.ranking.filter((r) => r.ok).length}/${c.ranking.length} as expected`);
    }
    if (want('hover')) {
      const h = await hoverLatency(ctx, cold.server, cold.ws, ctx.keys.hover);
      results.hover.push(h);
      log(`  hover ${M}: ${h.fresh.length} new keys (max ${Math.max(...h.fresh).toFixed(1)} ms), ${h.repeated.length} repeated (max ${Math.max(...h.repeated).toFixed(1)} ms)${h.unresolved.length ? `, ${h.unresolved.length} keys unresolved` : ''}${h.idle.published ? '' : '; no publishDiagnostics for the draft before hovering'}`);
    }
    results.memory.at(-1).rssAfterMB = cold.server.memory()?.rssMB;
  } catch (e) {
    const status = e.name === 'TimeoutError' ? 'timeout' : `error: ${e.message}`;
    log(`  session ${M}: ${status}`);
    results.sessionError = status;
  }
}

/** The scenarios with servers of their own, after the cold indexes. */
async function laterScenarios(run, { ctx, results, want, thesis, state, hugeRun }) {
  const M = `${ctx.main / 1000}k`;
  if (want('diagnostics') && !state.noDiagnostics) {
    const d = await diagnostics(ctx, thesis);
    results.diagnostics.push(d);
    state.noDiagnostics = !!d.noDiagnostics;
    const ms = (xs) => xs.map((x) => x.toFixed(0)).join(', ');
    log(`  diagnostics: ${d.status ?? `full ${d.full.ms.toFixed(0)} ms (${d.full.reported} reported); after edit ${d.edit?.status ?? `${ms(d.edit.samples)} ms (all settled: ${ms(d.edit.others)} ms)`}; with unknown keys ${d.typos?.status ?? `${d.typos?.ms.toFixed(0)} ms`}`}`);
  }
  if (want('reindex')) {
    const r = await reindex(ctx, run);
    results.reindex.push(r);
    log(`  re-index ${M}: ${r.status ?? `${r.ms.toFixed(0)} ms, ${r.parses.length} parse(s) logged (${r.parses.join(', ')} ms); completions during: ${r.during.map((x) => x.toFixed(0)).join(', ')} ms; 1 s after: max ${Math.max(...r.after).toFixed(0)} ms`}`);
  }
  if (hugeRun) {
    const h = await hugeLibrary(ctx);
    results.huge.push(h);
    log(`  huge library ${ctx.huge / 1000}k: ${h.status ?? `${h.ms.toFixed(0)} ms to the first completion, RSS ${h.rssMB?.toFixed(0)} MB (peak ${h.peakMB?.toFixed(0)} MB); ${h.hovers} hovers meanwhile, longest ${h.longestWaitMs.toFixed(0)} ms; completion max ${Math.max(...h.completion).toFixed(1)} ms`}`);
  }
  if (want('bibedit') && run <= state.heavyRuns) {
    const b = await bibEditMemory(ctx);
    results.bibEdit.push(b);
    log(`  editing the ${M} .bib: ${b.status ?? `${b.keystrokes} keystrokes in ${b.typingSeconds.toFixed(1)} s; RSS before the open ${b.beforeOpenMB?.toFixed(0)} MB, peak while typing ${b.peakMB.toFixed(0)} MB, end ${b.endMB?.toFixed(0)} MB, VmHWM ${b.hwmMB?.toFixed(0)} MB`}`);
  }
}

const killChildren = () => {
  killAllServers();
  killBaselines();
};
const cleanUp = (code) => {
  killChildren();
  process.exit(code);
};
process.on('exit', killChildren);
process.on('SIGINT', () => cleanUp(130));
process.on('SIGTERM', () => cleanUp(143));

main().then(
  (code) => cleanUp(code),
  (e) => {
    console.error(`bench failed: ${e?.stack ?? e}`);
    cleanUp(1);
  },
);
