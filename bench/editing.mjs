// Scenarios where things change: diagnostics of a 20-chapter thesis (full check, then after a
// one-character edit), and re-indexing the main file (50k; 2k in the smoke) after one entry's title changes on disk.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenDocument, Server, TimeoutError, fileUri, sleep } from './lsp.mjs';
import { bibName, draftText, draftWorkspace, titleOffset } from './data.mjs';
import { cacheWritten, completeUntilItems, emptyServerCache, fuzzyProbe, fuzzyReady, serverOptions } from './session.mjs';

/** A server on `ws` (a first start: its cache folder emptied) with the main file's index built (through a draft's completion), or throws. */
export async function warmServer(ctx, ws, settings = {}) {
  emptyServerCache(ctx);
  const server = new Server(ctx.projectRoot, serverOptions(ctx, settings));
  const logs = [];
  server.listeners.add((method, params) => method === 'window/logMessage' && logs.push(params.message));
  try {
    await server.initialize(ws, ctx.timeouts.cold);
    const doc = new OpenDocument(server, join(ws, 'draft.md'), draftText(ctx.main, `See [@${ctx.keys.coldPrefix}`));
    await completeUntilItems(server, doc, ctx.timeouts.cold);
    // The first completion may come from the library's preview: the scenarios start on a settled server, the
    // library indexed, its search built (a typo answered) and its index cache written, as minutes into a session.
    const t0 = performance.now();
    const probe = new OpenDocument(server, join(ws, 'probe.md'), draftText(ctx.main, `See [@${fuzzyProbe.query}`));
    const fuzzy = await fuzzyReady(server, probe, t0 + ctx.timeouts.cold);
    probe.close();
    if (fuzzy.status) throw new TimeoutError(fuzzy.status, ctx.timeouts.cold);
    await cacheWritten(logs, bibName(ctx.main), t0, ctx.timeouts.cold);
    return { server, doc };
  } catch (e) {
    await server.stop();
    throw e;
  }
}

const PUBLISH = 'textDocument/publishDiagnostics';

/** Every publishDiagnostics from now on: uri -> [{ at, count, version, codes }]. */
function recordPublishes(server) {
  const published = new Map();
  server.listeners.add((method, params, at) => {
    if (method !== PUBLISH) return;
    const list = published.get(params.uri) ?? [];
    list.push({ at, count: params.diagnostics?.length ?? 0, version: params.version, codes: (params.diagnostics ?? []).map((d) => String(d.code ?? d.message)) });
    published.set(params.uri, list);
  });
  return published;
}

/** Opens `docs` ({ file, text }) at once; resolves with the ms until each has a publish that `enough` accepts. */
async function openAndAwaitAll(ctx, server, docs, enough) {
  const pending = new Set(docs.map((d) => fileUri(d.file)));
  const all = server.waitFor(PUBLISH, (p) => {
    if (pending.has(p.uri) && (p.version === undefined || p.version >= 1) && enough(p)) pending.delete(p.uri);
    return pending.size === 0;
  }, ctx.timeouts.diagnostics);
  const t0 = performance.now();
  const open = docs.map((d) => new OpenDocument(server, d.file, d.text));
  try {
    const { at } = await all;
    return { ms: at - t0, open };
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    return { missing: pending.size, open };
  }
}

/**
 * Diagnostics of a thesis, with the server's debounce after an edit set explicitly to
 * `ctx.diagnosticsDelayMs` (entente.diagnostics.delay, default 250 ms), so that the check alone is
 * the time to the publish minus that delay.
 *   1. all chapters opened at once -> the first publish of each (a full check of 3,000 citations);
 *   2. a one-character edit of a cited key in chapter 1 (alternately breaking and repairing it)
 *      -> chapter 1's next publish; then the other chapters' re-check settles before the next edit;
 *   3. the chapters closed, and opened again with two unknown keys each (did-you-mean suggestions).
 */
export async function diagnostics(ctx, thesis) {
  let server;
  try {
    ({ server } = await warmServer(ctx, thesis.ws, { diagnostics: { delay: ctx.diagnosticsDelayMs } }));
    await server.quiet(PUBLISH, 300); // the warm-up draft's own diagnostics
    const published = recordPublishes(server);
    const uris = thesis.chapters.map((c) => fileUri(c.file));

    const full = await openAndAwaitAll(ctx, server, thesis.chapters, () => true);
    if (full.missing === uris.length) return { status: 'n/a (server publishes no diagnostics yet)', noDiagnostics: true };
    if (full.missing) return { status: `timeout (${uris.length - full.missing}/${uris.length} chapters published)` };
    const firstOf = (u) => published.get(u)?.[0];
    const reported = uris.flatMap((u) => firstOf(u)?.codes ?? []);
    const result = { full: { ms: full.ms, reported: reported.length, codes: countBy(reported) } };

    // 2. Edits in chapter 1.
    // After an edit the server re-checks the other open chapters 3 debounces later: wait past that.
    const settle = 3 * ctx.diagnosticsDelayMs + 300;
    await server.quiet(PUBLISH, settle);
    const doc = full.open[0];
    const { firstKeyOffset } = thesis.chapters[0];
    const base = published.get(doc.uri).at(-1).count;
    const edits = [];
    const others = [];
    let inconsistent = 0;
    for (let i = 0; i < ctx.diagnosticEdits; i++) {
      const breaking = i % 2 === 0;
      const t = performance.now();
      const version = breaking ? doc.replace(firstKeyOffset + 1, firstKeyOffset + 1, 'x') : doc.replace(firstKeyOffset + 1, firstKeyOffset + 2, '');
      try {
        const { at, params } = await server.waitFor(PUBLISH, (p) => p.uri === doc.uri && (p.version === undefined || p.version >= version), ctx.timeouts.diagnostics);
        edits.push(at - t);
        if ((params.diagnostics?.length ?? 0) !== (breaking ? base + 1 : base)) inconsistent++;
      } catch (e) {
        if (!(e instanceof TimeoutError)) throw e;
        result.edit = { status: 'timeout' };
        return result;
      }
      // The server re-checks the other open chapters after an edit: let that finish first.
      const settled = await server.quiet(PUBLISH, settle);
      others.push(settled - t);
    }
    result.edit = { samples: edits, checks: edits.map((ms) => ms - ctx.diagnosticsDelayMs), others, note: inconsistent ? `${inconsistent}/${edits.length} publishes after an edit did not show the expected count (${base} or ${base + 1})` : undefined };

    // 3. The same chapters with unknown keys.
    for (const d of full.open) d.close();
    await server.quiet(PUBLISH, 300);
    const typos = await openAndAwaitAll(ctx, server, thesis.chapters.map((c) => ({ file: c.typoFile, text: c.typoText })), (p) => (p.diagnostics?.length ?? 0) >= thesis.chapters[0].unknown);
    result.typos = typos.missing ? { status: 'timeout' } : { ms: typos.ms };
    return result;
  } catch (e) {
    return { status: e instanceof TimeoutError ? 'timeout' : `error: ${e.message}` };
  } finally {
    await server?.stop();
  }
}

function countBy(list) {
  const out = {};
  for (const x of list) out[x] = (out[x] ?? 0) + 1;
  return out;
}

/**
 * Re-index: on a private copy of the main file (50k), one entry's title gains a new word; the file is
 * rewritten and `workspace/didChangeWatchedFiles` sent. Completions of the new word are asked
 * until the changed entry appears; meanwhile a regular completion is timed again and again.
 */
export async function reindex(ctx, run) {
  const { ws, bib } = draftWorkspace(ctx.cacheDir, ctx.main, ctx.workspaces.reindex, { copy: true });
  let server;
  try {
    let regular;
    ({ server, doc: regular } = await warmServer(ctx, ws));
    const parses = [];
    const indexed = new RegExp(`Indexed \\d+ entries from \\S*${bibName(ctx.main).replace(/[.]/g, '\\.')} in (\\d+) ms`);
    server.listeners.add((method, params, at) => {
      const m = method === 'window/logMessage' && indexed.exec(params.message);
      if (m) parses.push({ at, ms: Number(m[1]) });
    });
    const original = readFileSync(bib, 'utf8');
    const { key: target, offset } = ctx.keys.reindexTarget;
    const at = titleOffset(original, offset);
    if (at < 0) throw new Error(`no title found for ${target}`);
    const word = `quuxbench${run}z`;
    const probe = new OpenDocument(server, join(ws, 'probe.md'), draftText(ctx.main, `See [@${word}`));
    const hasTarget = (r) => !!r?.items?.some((i) => i.label === target);
    const before = await server.completion(probe.uri, probe.end(), ctx.timeouts.request);
    for (let i = 0; i < 5; i++) await server.completion(regular.uri, regular.end(), ctx.timeouts.request);

    writeFileSync(bib, original.slice(0, at) + `${word} ` + original.slice(at));
    const t0 = performance.now();
    server.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(bib), type: 2 }] });
    const during = [];
    const deadline = t0 + ctx.timeouts.reindex;
    let doneAt;
    while (performance.now() < deadline) {
      const remaining = deadline - performance.now();
      const r = await server.completion(regular.uri, regular.end(), remaining);
      during.push(r.ms);
      const p = await server.completion(probe.uri, probe.end(), Math.max(1, deadline - performance.now()));
      during.push(p.ms);
      if (hasTarget(p.result)) {
        doneAt = performance.now();
        break;
      }
    }
    if (doneAt === undefined) return { status: 'timeout', during };
    // The server may index the file again when its own file watcher fires: watch for a second stall.
    const after = [];
    const until = performance.now() + 1000;
    while (performance.now() < until) after.push((await server.completion(regular.uri, regular.end(), ctx.timeouts.reindex)).ms);
    // How many times the server parsed the file because of this one change.
    return { ms: doneAt - t0, during, after, foundBefore: hasTarget(before.result), parses: parses.filter((p) => p.at >= t0).map((p) => p.ms) };
  } catch (e) {
    return { status: e instanceof TimeoutError ? 'timeout' : `error: ${e.message}` };
  } finally {
    await server?.stop();
  }
}
