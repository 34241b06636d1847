/** "Did you mean" among names (labels, glossary keys): the closest by edit distance, case-insensitive. */

/** Up to 3 of `names` within `max` edits of `name` (and at most `maxLengthGap` longer or shorter), closest first. */
export function closestNames(name: string, names: readonly string[], max: number, maxLengthGap = max): string[] {
  const wanted = name.toLowerCase();
  return names
    .filter((n) => Math.abs(n.length - name.length) <= maxLengthGap)
    .map((n) => ({ n, d: levenshtein(wanted, n.toLowerCase()) }))
    .filter((x) => x.d <= max)
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
    .slice(0, 3)
    .map((x) => x.n);
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return prev[b.length];
}
