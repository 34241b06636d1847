/** "Did you mean" among names (labels, glossary keys): the closest by edit distance, case-insensitive. */

/** Names compared per call at most (a project of 20,000 keys asks a few thousand times: the budget bounds each). */
const maxCompared = 50_000;
/** Longer names are compared by their first characters only (a 3,000-character label is no typo of another). */
const maxLength = 256;

/** Up to 3 of `names` within `max` edits of `name` (and at most `maxLengthGap` longer or shorter), closest first. */
export function closestNames(name: string, names: readonly string[], max: number, maxLengthGap = max): string[] {
  const wanted = name.toLowerCase().slice(0, maxLength);
  const found: { n: string; d: number }[] = [];
  let compared = 0;
  for (const n of names) {
    if (Math.abs(n.length - name.length) > maxLengthGap) continue;
    if (++compared > maxCompared) break;
    const d = boundedDistance(wanted, n.toLowerCase().slice(0, maxLength), max);
    if (d <= max) found.push({ n, d });
  }
  return found
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
    .slice(0, 3)
    .map((x) => x.n);
}

/**
 * Levenshtein distance when it is at most `max`, else `max + 1`: only the band of `2 * max + 1` diagonals
 * around the main one is computed, so two 3,000-character names cost 3,000 x 7 steps, not 9,000,000.
 */
export function boundedDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const inf = max + 1;
  let prev = new Int32Array(b.length + 2).fill(inf);
  let cur = new Int32Array(b.length + 2).fill(inf);
  for (let j = 0; j <= Math.min(b.length, max); j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - max);
    const to = Math.min(b.length, i + max);
    // Cells just outside the band read as "too far".
    cur[from - 1] = from === 1 && i <= max ? i : inf;
    cur[to + 1] = inf;
    let best = cur[from - 1];
    for (let j = from; j <= to; j++) {
      const d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1), inf);
      cur[j] = d;
      if (d < best) best = d;
    }
    if (best > max) return inf;
    [prev, cur] = [cur, prev];
  }
  return Math.min(prev[b.length], inf);
}
