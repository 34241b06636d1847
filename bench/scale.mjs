// Scenarios of issue 17 ("Library scale, next step") that need a server of their own:
// - the huge library (200k entries, ~100 MB; 4k in the smoke): cold index while a small draft is hovered
//   every 50 ms (does any request stall?), memory, then completion per keystroke;
// - editing a large .bib (the main file, 50k; 2k in the smoke) opened in the editor: keystrokes inside a
//   title at typing pace, as incremental didChange notifications, with the server's RSS sampled meanwhile.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenDocument, Server, TimeoutError, fileUri, sleep } from './lsp.mjs';
import { bibName, draftText, draftWorkspace, frontMatter, random, titleOffset } from './data.mjs';
import { completeUntilItems, completionLatency, completionQueries, emptyServerCache, serverOptions } from './session.mjs';
import { warmServer } from './editing.mjs';

const status = (e) => (e instanceof TimeoutError ? 'timeout' : `error: ${e.message}`);

// A small library of its own for the draft hovered while the huge one is read.
const smallBib = `@book{small-atlas,
  author = {Ada Writer},
  title = {A Small Atlas of Alliances},
  publisher = {Bench Press},
  year = {2020}
}
`;
const smallDraft = `${frontMatter('small.bib', 'A small draft')}As argued in [@small-atlas], this holds.\n`;

/**
 * The huge library: spawn (cache emptied), open a small draft with its own .bib and hover its citation
 * until it answers; then open a draft of the huge file and ask for completions until one holds items,
 * while the small draft's citation is hovered every 50 ms (not waiting for the answers): the longest of
 * those hovers is the longest any request waited while the library was read. Then the completion
 * queries are typed into the draft of the huge file.
 */
export async function hugeLibrary(ctx) {
  const n = ctx.huge;
  const { ws } = draftWorkspace(ctx.cacheDir, n);
  writeFileSync(join(ws, 'small.bib'), smallBib);
  emptyServerCache(ctx);
  const t0 = performance.now();
  const server = new Server(ctx.projectRoot, serverOptions(ctx));
  try {
    await server.initialize(ws, ctx.timeouts.cold);
    const small = new OpenDocument(server, join(ws, 'small.md'), smallDraft);
    const at = small.position(smallDraft.indexOf('@small-atlas') + 2);
    const deadline = t0 + ctx.timeouts.cold;
    for (;;) {
      const { result } = await server.hover(small.uri, at, Math.max(1, deadline - performance.now()));
      if (result?.contents?.value) break;
      if (performance.now() > deadline) throw new TimeoutError('hover on the small draft', ctx.timeouts.cold);
      await sleep(20);
    }
    // Hovers every 50 ms while the huge library is read.
    const waits = [];
    const pending = [];
    let pinging = true;
    const pinger = (async () => {
      while (pinging) {
        pending.push(server.hover(small.uri, at, ctx.timeouts.cold).then((r) => waits.push(r.ms), () => waits.push(Infinity)));
        await sleep(50);
      }
    })();
    const opened = performance.now();
    const doc = new OpenDocument(server, join(ws, 'draft.md'), draftText(n, `See [@${ctx.keys.coldPrefix}`));
    let first;
    try {
      first = await completeUntilItems(server, doc, Math.max(1, deadline - performance.now()));
    } finally {
      pinging = false;
      await pinger;
      await Promise.all(pending);
    }
    const memory = server.memory();
    const result = { ms: first.at - t0, openToFirstMs: first.at - opened, rssMB: memory?.rssMB, hovers: waits.length, longestWaitMs: Math.max(...waits) };
    const c = await completionLatency(ctx, server, doc, completionQueries(ctx.keys));
    result.completion = c.all;
    result.peakMB = server.memory()?.peakMB;
    return result;
  } catch (e) {
    return { status: status(e) };
  } finally {
    await server.stop();
  }
}

/** Line and character of `offset` in `text`, without copying the text (it may be 100 MB). */
function positionIn(text, offset) {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, character: offset - lineStart };
}

/**
 * Editing a large .bib: a server with the main file indexed (through a draft), then that .bib opened in
 * the editor (didOpen with its whole text), and `ctx.bibEdit.keystrokes` characters typed inside one entry's title at
 * typing pace (every 40-60 ms), each an incremental didChange (one inserted character, as VS Code sends it).
 * The server's VmRSS is sampled every 100 ms from just before the didOpen to 1 s after the last keystroke.
 */
export async function bibEditMemory(ctx) {
  const { ws, bib } = draftWorkspace(ctx.cacheDir, ctx.main);
  let server;
  try {
    ({ server } = await warmServer(ctx, ws));
    const text = readFileSync(bib, 'utf8');
    const { offset } = ctx.keys.reindexTarget;
    const at = titleOffset(text, offset);
    if (at < 0) throw new Error(`no title found for ${ctx.keys.reindexTarget.key}`);
    const samples = [];
    const sample = () => {
      const m = server.memory();
      if (m) samples.push({ at: performance.now(), rssMB: m.rssMB });
    };
    sample();
    const before = samples[0]?.rssMB;
    const sampler = setInterval(sample, 100);
    try {
      const uri = fileUri(bib);
      const published = server.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri, ctx.timeouts.diagnostics).then(() => true, () => false);
      server.open(bib, text, 'bibtex');
      const openPublished = await published;
      const typingFrom = performance.now();
      const pos = positionIn(text, at);
      const word = 'typing pace ';
      const rand = random(17);
      let version;
      for (let i = 0; i < ctx.bibEdit.keystrokes; i++) {
        const here = { line: pos.line, character: pos.character + i };
        version = server.change(uri, { start: here, end: here }, word[i % word.length]);
        await sleep(40 + Math.floor(rand() * 21));
      }
      const typed = performance.now();
      const last = await server.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && (p.version === undefined || p.version >= version), ctx.timeouts.diagnostics).then(({ at: t }) => t - typed, () => undefined);
      await sleep(Math.max(0, 1000 - (performance.now() - typed)));
      sample();
      const typing = samples.filter((s) => s.at >= typingFrom).map((s) => s.rssMB);
      return {
        keystrokes: ctx.bibEdit.keystrokes,
        typingSeconds: (typed - typingFrom) / 1000,
        beforeOpenMB: before,
        peakMB: Math.max(...typing),
        endMB: samples.at(-1)?.rssMB,
        hwmMB: server.memory()?.peakMB,
        samples: typing.length,
        openPublished,
        lastPublishMs: last,
      };
    } finally {
      clearInterval(sampler);
    }
  } catch (e) {
    return { status: status(e) };
  } finally {
    await server?.stop();
  }
}
