// Runs the baselines (bench/baseline.mjs) in child processes, one process per parse, with a timeout
// (never in parallel with anything else: 2 cores).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { median } from './report.mjs';

const here = new URL('.', import.meta.url).pathname;

/**
 * The peers: other parsers of a whole .bib, each run by bench/baseline.mjs under its `kind`. `call` names the
 * API timed (in the baseline rows), `column` the table's "vs" column. `late`: added by issue 17, run in the first run only.
 */
export const peers = [
  { kind: 'citation-js', call: 'citation-js new Cite()', column: 'vs citation-js' },
  { kind: 'latex-utensils', call: 'latex-utensils bibtexParser.parse()', column: 'vs latex-utensils' },
  { kind: 'bibtex-parser', call: '@retorquere/bibtex-parser parse()', column: 'vs bibtex-parser', late: true },
  { kind: 'biblatex-csl-converter', call: 'biblatex-csl-converter BibLatexParser.parse()', column: 'vs biblatex-csl', late: true },
];
const running = new Set();

/** Kills the baseline processes still running (on exit or Ctrl-C). */
export function killBaselines() {
  for (const child of running) child.kill('SIGKILL');
}

/** One baseline parse in a child process; `{ ms, peakMB, entries?, error?, timedOut? }`. */
export function runBaseline(kind, file, timeoutMs = 120_000, size = undefined) {
  return new Promise((done) => {
    const resolve = (r) => done({ ...r, size });
    const started = performance.now();
    const child = spawn(process.execPath, [join(here, 'baseline.mjs'), kind, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ kind, ms: timeoutMs, timedOut: true });
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      running.delete(child);
      clearTimeout(timer);
      if (signal === 'SIGKILL' && performance.now() - started >= timeoutMs) return;
      try {
        const last = out.trim().split('\n').pop();
        resolve({ kind, ...JSON.parse(last) });
      } catch {
        // Killed by the system (out of memory) or crashed: report what it said.
        const why = (err.trim().split('\n').find((l) => /Error|heap/i.test(l)) ?? `exit ${code ?? signal}`).slice(0, 160);
        resolve({ kind, ms: performance.now() - started, error: `crashed: ${why}` });
      }
    });
  });
}

/** One run, for the progress log: "118 ms" or "1.9 s, throws: ...". */
export function describe(r) {
  if (r.timedOut) return 'timeout';
  const ms = r.ms >= 1000 ? `${(r.ms / 1000).toFixed(1)} s` : `${r.ms.toFixed(0)} ms`;
  return `${ms}${r.error ? ' (threw)' : ''}${r.peakMB && r.peakMB > 200 ? ` peak ${r.peakMB.toFixed(0)} MB` : ''}`;
}

/** Runs of one baseline -> `{ samples, ms (median), peakMB (max), error?, timedOut? }`. */
export function summarize(kind, results) {
  const finished = results.filter((r) => !r.timedOut);
  return {
    kind,
    size: results[0]?.size,
    runs: results,
    samples: finished.map((r) => r.ms),
    ms: finished.length ? median(finished.map((r) => r.ms)) : results[0]?.ms,
    peakMB: Math.max(...results.map((r) => r.peakMB ?? 0)) || undefined,
    error: results.find((r) => r.error)?.error,
    entries: finished.find((r) => r.entries !== undefined)?.entries,
    timedOut: results.some((r) => r.timedOut),
  };
}
