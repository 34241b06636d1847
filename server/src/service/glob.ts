/**
 * Glob patterns, matched without regular expressions (pure: used by the service and the file-system
 * adapter). A pattern from the settings is the user's, and a regular expression built from
 * `**\/**\/**\/a*b*c*d*e*f` backtracks exponentially on near-miss paths (issue 15: 46 s per request).
 * Here matching is dynamic programming over path segments and, within a segment, the two-pointer
 * wildcard walk: O(path x pattern) at worst, whatever the pattern.
 *
 * Syntax: `**` (a whole segment) any folders, `*` and `?` within a name, `[...]`/`[!...]` classes,
 * `{a,b}` alternatives (not nested; at most 256 expansions, the rest taken literally).
 */

/** A compiled glob: `test` as a regular expression would, on a `/`-separated path. */
export interface Glob {
  test(path: string): boolean;
}

type Token = { kind: 'char'; c: string } | { kind: 'any' } | { kind: 'star' } | { kind: 'class'; negate: boolean; ranges: [string, string][] };
/** A path segment's pattern, or `**` (any number of segments). */
type Segment = Token[] | 'globstar';

const maxExpansions = 256;

export function compileGlob(glob: string): Glob {
  const alternatives = expandBraces(glob).map(segments);
  return { test: (path) => alternatives.some((alt) => matchPath(alt, path.split('/'))) };
}

/** `a/{b,c}/*.{bib,json}` -> its alternatives without braces. */
function expandBraces(glob: string): string[] {
  let out = [''];
  for (let i = 0; i < glob.length; i++) {
    const end = glob[i] === '{' ? glob.indexOf('}', i) : -1;
    const options = end < 0 ? [glob[i]] : glob.slice(i + 1, end).split(',');
    if (end >= 0 && out.length * options.length <= maxExpansions) {
      out = out.flatMap((prefix) => options.map((o) => prefix + o));
      i = end;
    } else out = out.map((prefix) => prefix + glob[i]);
  }
  return out;
}

function segments(glob: string): Segment[] {
  return glob.split('/').map((s) => (s === '**' ? 'globstar' : tokens(s)));
}

function tokens(segment: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '*') {
      if (out.at(-1)?.kind !== 'star') out.push({ kind: 'star' }); // `**` inside a name is `*`
    } else if (c === '?') out.push({ kind: 'any' });
    else if (c === '[' && segment.indexOf(']', i + 2) > 0) {
      const end = segment.indexOf(']', i + 2);
      let body = segment.slice(i + 1, end);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      const ranges: [string, string][] = [];
      for (let k = 0; k < body.length; k++) {
        if (body[k + 1] === '-' && k + 2 < body.length) {
          ranges.push([body[k], body[k + 2]]);
          k += 2;
        } else ranges.push([body[k], body[k]]);
      }
      out.push({ kind: 'class', negate, ranges });
      i = end;
    } else out.push({ kind: 'char', c });
  }
  return out;
}

/** Whether the path's segments match: `**` takes zero or more of them (DP over both indexes, no recursion). */
function matchPath(pattern: Segment[], path: string[]): boolean {
  // reach[j]: pattern[0..i) matches path[0..j).
  let reach = new Uint8Array(path.length + 1);
  reach[0] = 1;
  for (const seg of pattern) {
    const next = new Uint8Array(path.length + 1);
    if (seg === 'globstar') {
      let any = 0;
      for (let j = 0; j <= path.length; j++) next[j] = any = any | reach[j];
    } else {
      for (let j = 0; j < path.length; j++) if (reach[j] && matchSegment(seg, path[j])) next[j + 1] = 1;
    }
    reach = next;
  }
  return reach[path.length] === 1;
}

/** The two-pointer wildcard walk: on a mismatch, the last `*` takes one more character. */
function matchSegment(pattern: Token[], name: string): boolean {
  let p = 0;
  let n = 0;
  let starP = -1;
  let starN = 0;
  while (n < name.length) {
    const t = pattern[p];
    if (t && t.kind === 'star') {
      starP = p++;
      starN = n;
    } else if (t && matchesOne(t, name[n])) {
      p++;
      n++;
    } else if (starP >= 0) {
      p = starP + 1;
      n = ++starN;
    } else return false;
  }
  while (pattern[p]?.kind === 'star') p++;
  return p === pattern.length;
}

function matchesOne(t: Token, c: string): boolean {
  if (t.kind === 'char') return t.c === c;
  if (t.kind === 'any') return true;
  if (t.kind === 'class') return t.ranges.some(([lo, hi]) => c >= lo && c <= hi) !== t.negate;
  return false;
}

const compiled = new Map<string, Glob>();

/** A compiled glob, from a cache of the patterns seen (the settings' few). */
export function globOf(glob: string): Glob {
  let g = compiled.get(glob);
  if (!g) {
    if (compiled.size >= 1024) compiled.clear();
    compiled.set(glob, (g = compileGlob(glob)));
  }
  return g;
}

/**
 * Whether `relativePath` (a path inside a workspace folder, `/`-separated) matches one of the settings' `globs`
 * (relative to that folder; a leading `./` is allowed). Each glob is compiled once.
 */
export function matchesAnyGlob(relativePath: string, globs: readonly string[]): boolean {
  return globs.some((glob) => globOf(glob.replace(/^\.\//, '')).test(relativePath));
}
