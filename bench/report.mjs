// Statistics, ratios against the baselines, targets (issues 5 and 17) and the one table the benchmark prints.

export function quantile(values, q) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  const pos = (v.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

export const median = (values) => quantile(values, 0.5);
export const p95 = (values) => quantile(values, 0.95);

export function formatMs(ms) {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

const formatMB = (mb) => (mb === undefined || !Number.isFinite(mb) ? '—' : `${mb.toFixed(0)} MB`);

/** "7.9x floor": how many times the floor a measurement takes. */
export function vsFloor(ms, floorMs) {
  if (!Number.isFinite(ms) || !Number.isFinite(floorMs) || floorMs <= 0) return '—';
  return `${(ms / floorMs).toFixed(1)}x floor`;
}

/** "12x faster" (or "3.1x slower") than a baseline; a baseline that threw or timed out is marked. */
export function vsBaseline(ms, baseline) {
  if (!Number.isFinite(ms) || !baseline) return '—';
  if (baseline.timedOut) return `faster (baseline > ${formatMs(baseline.ms)})`;
  if (!Number.isFinite(baseline.ms)) return '—';
  const r = baseline.ms / ms;
  const mark = baseline.error ? ' (it threw)' : '';
  return r >= 1 ? `${r.toFixed(1)}x faster${mark}` : `${(1 / r).toFixed(1)}x slower${mark}`;
}

/**
 * One row. `value` is what the median and p95 columns hold: milliseconds (`unit: 'ms'`), MB, or a plain
 * count (`unit: 'count'`). `vs`: the "vs <peer>" cells, by the peer's kind (bench/baselines.mjs `peers`).
 * `status` overrides the measurement when there is none (e.g. "timeout", "n/a (...)").
 */
export function row(scenario, { samples = [], unit = 'ms', target = '', check, floor = '—', vs = {}, status, note } = {}) {
  const fmt = unit === 'MB' ? formatMB : unit === 'count' ? formatCount : formatMs;
  const med = median(samples);
  const hi = p95(samples);
  let pass = '—';
  if (status) pass = target ? 'n/a' : '—';
  else if (check) {
    const failures = check({ median: med, p95: hi, samples });
    pass = failures.length === 0 ? 'pass' : `FAIL (${failures.join('; ')})`;
  }
  return {
    scenario,
    median: status ?? fmt(med),
    p95: status ? '' : samples.length > 1 ? fmt(hi) : '',
    target,
    floor,
    vs,
    pass,
    raw: { unit, n: samples.length, median: med, p95: hi, samples: samples.length <= 50 ? samples : undefined, status, note },
  };
}

const formatCount = (n) => (n === undefined || !Number.isFinite(n) ? '—' : String(+n.toFixed(1)));

/**
 * A Markdown table (readable in a terminal, and quotable in the README as it is). `peerColumns`:
 * `[kind, title]` of the "vs <peer>" columns, in order.
 */
export function table(rows, peerColumns = []) {
  const columns = [
    ['scenario', 'scenario'],
    ['median', 'median'],
    ['p95', 'p95'],
    ['target', 'target'],
    ['floor', 'vs floor'],
    ...peerColumns.map(([kind, title]) => [(r) => r.vs?.[kind] ?? '—', title]),
    ['pass', 'pass'],
  ];
  const cell = (r, k) => String((typeof k === 'function' ? k(r) : r[k]) ?? '');
  const widths = columns.map(([k, title]) => Math.max(title.length, ...rows.map((r) => cell(r, k).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [
    line(columns.map(([, t]) => t)),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map((r) => line(columns.map(([k]) => cell(r, k)))),
  ].join('\n');
}
