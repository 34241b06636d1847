// Turns the raw measurements into the table's rows, checked against the targets of issue 5.
import { formatMs, median, row, vsBaseline, vsFloor } from './report.mjs';

const k = (n) => `${n / 1000}k`;
const finite = (xs) => xs.filter((x) => Number.isFinite(x));
/** The status of a scenario whose runs all failed (the first failure), or undefined. */
const failed = (runs, key = 'status') => (runs.length && runs.every((r) => r[key]) ? runs[0][key] : undefined);

/** `sizes`: the library sizes of the run; `main`: the one of the session scenarios, targets and heavy baselines (50000). */
export function buildRows(results, { want, sizes, main }) {
  const rows = [];
  const notes = [];
  const b = results.baselines;
  const M = k(main);
  const floorMain = b[`floor-${main}`]?.ms;
  const cjs = b['citation-js'];
  const lu = b['latex-utensils'];
  // Completion, hover and memory run on the server of the main (50k) cold index: its failure is theirs.
  const sessionError = results.sessionError ?? results.cold[main]?.find((r) => r.error)?.error;

  // Cold index, per size; only the main size (50k) has the targets and the baselines.
  if (want('cold')) {
    for (const n of sizes) {
      const runs = results.cold[n] ?? [];
      const samples = finite(runs.map((r) => r.ms));
      const floorN = b[`floor-${n}`]?.ms;
      const isMain = n === main;
      const status = samples.length ? undefined : (runs.find((r) => r.error)?.error ?? 'not run');
      rows.push(
        row(`cold index ${k(n)} (spawn -> first completion)`, {
          samples,
          status,
          target: isMain ? '< 1 s, <= 10x floor, >= 5x faster than both' : '',
          floor: vsFloor(median(samples), floorN),
          citationJs: isMain ? vsBaseline(median(samples), cjs) : '—',
          latexUtensils: isMain ? vsBaseline(median(samples), lu) : '—',
          check: isMain ? coldCheck(floorMain, cjs, lu) : undefined,
        }),
      );
      if (isMain) {
        rows.push(row(`  ${M}: of which spawn -> initialize answered`, { samples: finite(runs.map((r) => r.initMs)) }));
        rows.push(row(`  ${M}: of which read + parse (server log)`, { samples: finite(runs.map((r) => r.serverParseMs)), floor: vsFloor(median(finite(runs.map((r) => r.serverParseMs))), floorMain) }));
      }
      const errors = runs.filter((r) => r.error).length;
      if (errors && samples.length) notes.push(`cold index ${k(n)}: ${errors}/${runs.length} runs failed (${runs.find((r) => r.error).error}).`);
    }
  }

  // Completion per keystroke, all queries and per kind of query.
  let ranking = [];
  if (want('completion')) {
    const all = results.completion.flatMap((c) => c.all);
    const p95Under = (ms) => ({ p95 }) => (p95 < ms ? [] : [`p95 ${formatMs(p95)} >= ${ms} ms`]);
    rows.push(row(`completion ${M}, per keystroke (all queries)`, { samples: all, target: 'p95 < 20 ms', check: p95Under(20), status: all.length ? undefined : (sessionError ?? 'not run') }));
    const kinds = [...new Set(results.completion.flatMap((c) => Object.keys(c.byKind)))];
    for (const kind of kinds) {
      const samples = results.completion.flatMap((c) => c.byKind[kind] ?? []);
      rows.push(row(`  completion ${M}: ${kind}`, { samples, target: 'p95 < 20 ms', check: p95Under(20) }));
    }
    ranking = results.completion.at(-1)?.ranking ?? [];
    if (ranking.length) {
      const ok = ranking.filter((r) => r.ok).length;
      rows.push(row('completion ranking: first item as expected', { status: `${ok}/${ranking.length}`, target: '' }));
    }
  }

  if (want('hover')) {
    const p95Under = ({ p95 }) => (p95 < 10 ? [] : [`p95 ${formatMs(p95)} >= 10 ms`]);
    const status = results.hover.length ? undefined : (sessionError ?? 'not run');
    rows.push(row(`hover ${M}, keys never hovered before`, { samples: results.hover.flatMap((h) => h.fresh), target: 'p95 < 10 ms', check: p95Under, status }));
    rows.push(row(`hover ${M}, repeated keys (cached)`, { samples: results.hover.flatMap((h) => h.repeated), target: 'p95 < 10 ms', check: p95Under, status }));
    const unresolved = [...new Set(results.hover.flatMap((h) => h.unresolved))];
    if (unresolved.length) notes.push(`hover: ${unresolved.length} cited keys were not found by the server (e.g. ${unresolved.slice(0, 3).join(', ')}).`);
  }

  if (want('diagnostics')) {
    const d = results.diagnostics;
    const t = results.thesis ?? {};
    const fulls = d.filter((x) => x.full);
    const status = fulls.length ? undefined : (failed(d) ?? 'not run');
    rows.push(row(`diagnostics: ${t.chapters} chapters opened (${t.citations} citations)`, { samples: fulls.map((x) => x.full.ms), status, target: '< 200 ms', check: ({ median: m }) => (m < 200 ? [] : [`${formatMs(m)} >= 200 ms`]) }));
    const edits = fulls.flatMap((x) => x.edit?.samples ?? []);
    const checks = fulls.flatMap((x) => x.edit?.checks ?? []);
    const editStatus = edits.length ? undefined : (status ?? fulls.find((x) => x.edit?.status)?.edit.status ?? 'not run');
    rows.push(row(`diagnostics: 1-character edit -> publish, minus the ${t.diagnosticsDelayMs} ms debounce`, { samples: checks, status: editStatus, target: '< 30 ms', check: ({ median: m }) => (m < 30 ? [] : [`${formatMs(m)} >= 30 ms`]) }));
    if (edits.length) rows.push(row(`  1-character edit -> publish, as the editor sees it`, { samples: edits }));
    const others = fulls.flatMap((x) => x.edit?.others ?? []);
    if (others.length) rows.push(row(`  1-character edit -> other ${t.chapters - 1} open chapters re-published`, { samples: others }));
    const typos = fulls.filter((x) => Number.isFinite(x.typos?.ms)).map((x) => x.typos.ms);
    if (fulls.length) rows.push(row(`  ${t.chapters} chapters with ${t.unknownPerChapter} unknown keys each`, { samples: typos, status: typos.length ? undefined : (fulls[0].typos?.status ?? 'not run') }));
    for (const note of new Set(fulls.flatMap((x) => [x.edit?.note]).filter(Boolean))) notes.push(`diagnostics: ${note}.`);
    const reported = fulls.find((x) => x.full.reported);
    if (reported) notes.push(`diagnostics: on chapters that cite only keys of the .bib, the server reported ${reported.full.reported} diagnostics (${Object.entries(reported.full.codes).map(([c, n]) => `${c} x${n}`).join(', ')}).`);
  }

  if (want('reindex')) {
    const r = results.reindex;
    const ok = r.filter((x) => Number.isFinite(x.ms));
    const status = ok.length ? undefined : (failed(r) ?? 'not run');
    const m = median(ok.map((x) => x.ms));
    rows.push(row(`re-index ${M} after one title changed`, { samples: ok.map((x) => x.ms), status, target: '< 300 ms', floor: vsFloor(m, floorMain), check: ({ median: med }) => (med < 300 ? [] : [`${formatMs(med)} >= 300 ms`]) }));
    const during = r.flatMap((x) => x.during ?? []);
    rows.push(row('  completion during re-index', { samples: during, status: during.length ? undefined : status, target: 'p95 < 20 ms (keeps answering)', check: ({ p95 }) => (p95 < 20 ? [] : [`p95 ${formatMs(p95)} >= 20 ms`]) }));
    if (during.length) notes.push(`re-index: ${during.length} completions answered during the re-index of ${ok.length} run(s); slowest ${formatMs(Math.max(...during))}.`);
    const stalls = ok.map((x) => Math.max(...(x.after ?? [0]))).filter((ms) => ms > 250);
    if (stalls.length) notes.push(`re-index: in ${stalls.length}/${ok.length} runs a completion up to 1 s after the change was visible still took ${formatMs(Math.max(...stalls))} (a second re-index, e.g. the server's own file watcher firing after didChangeWatchedFiles?).`);
    const parses = ok.map((x) => x.parses).filter(Boolean);
    if (parses.some((p) => p.length > 1)) notes.push(`re-index: the server parsed the file ${parses.map((p) => p.length).join(', ')} times per change (runs), though one didChangeWatchedFiles was sent (its own fs.watch too?); parse times it logged: ${parses.map((p) => p.join(' + ')).join(', ')} ms.`);
    if (r.some((x) => x.foundBefore)) notes.push('re-index: the probe word matched the entry before the change (typo matching?); the re-index time may be too short.');
  }

  if (want('memory')) {
    const rss = finite(results.memory.map((m) => m.rssMB));
    rows.push(row(`server RSS after indexing ${M}`, { samples: rss, unit: 'MB', status: rss.length ? undefined : (sessionError ?? 'not run'), target: '< 300 MB', check: ({ median: m }) => (m < 300 ? [] : [`${m.toFixed(0)} MB >= 300 MB`]) }));
    const after = finite(results.memory.map((m) => m.rssAfterMB));
    if (after.length && (want('completion') || want('hover'))) rows.push(row('  RSS after completion + hover scenarios', { samples: after, unit: 'MB' }));
  }

  // The baselines themselves, for reference.
  if (want('baselines') || want('cold')) {
    for (const n of sizes) {
      const f = b[`floor-${n}`];
      if (f && (n === main || want('cold'))) rows.push(row(`baseline: floor (read + regex keys), ${k(n)}`, { samples: f.samples }));
    }
    for (const [name, r] of [['citation-js new Cite()', cjs], ['latex-utensils bibtexParser.parse()', lu]]) {
      if (!r) continue;
      const label = `baseline: ${name}, ${M}${r.peakMB ? ` (peak ${r.peakMB.toFixed(0)} MB)` : ''}`;
      if (r.timedOut) rows.push(row(label, { status: `timeout (> ${formatMs(r.ms)})` }));
      else if (r.error) rows.push(row(label, { status: `throws after ${formatMs(r.ms)}` }));
      else rows.push(row(label, { samples: r.samples, floor: vsFloor(r.ms, floorMain) }));
      if (r.error) notes.push(`${name} on the ${M} file: ${r.error}${r.timedOut ? '' : ` (after ${formatMs(r.ms)})`}.`);
    }
  }
  return { rows, notes, ranking };
}

/** Cold index of the main file (50k): under 1 s, within 10x the floor, at least 5x faster than both baselines. */
function coldCheck(floorMs, cjs, lu) {
  return ({ median: m }) => {
    const failures = [];
    if (!(m < 1000)) failures.push(`${formatMs(m)} >= 1 s`);
    if (Number.isFinite(floorMs) && m > 10 * floorMs) failures.push(`${(m / floorMs).toFixed(1)}x floor > 10x`);
    for (const [name, base] of [['citation-js', cjs], ['latex-utensils', lu]]) {
      if (base && !base.timedOut && Number.isFinite(base.ms) && base.ms / m < 5) failures.push(`${(base.ms / m).toFixed(1)}x vs ${name}${base.error ? ' (until it threw)' : ''} < 5x`);
    }
    return failures;
  };
}
