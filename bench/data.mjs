// The benchmark's inputs: the large .bib files (generated once into .bench/), the keys and a few
// entries read from them, and the workspaces the server is pointed at (drafts, a thesis).
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { largeBib, largeBibStamp } from './make-large-bib.mjs';

/**
 * The library sizes of each mode. `main` is the file the completion, hover, memory, diagnostics,
 * re-index and .bib-editing scenarios use, and the one the targets and heavy baselines are about (the "50k file").
 * `huge`: the file of the huge-library scenario (200k entries, ~100 MB; the smoke's largest file plays it).
 * `peerSize`: the file the peers of issue 17 (bibtex-parser, biblatex-csl-converter) parse; in the smoke the 1k
 * file, as they take seconds per thousand entries. The smoke's files are small enough to be all real
 * entries (make-large-bib starts every file with them).
 */
export const scales = {
  full: { sizes: [10000, 50000, 100000], main: 50000, huge: 200000, peerSize: 50000 },
  smoke: { sizes: [1000, 2000, 4000], main: 2000, huge: 4000, peerSize: 1000 },
};
export const bibName = (n) => `large-${n}.bib`;

/**
 * Writes the missing large files of `sizes` into `cacheDir` (make-large-bib.mjs, from the vendored real
 * files). A file made by another version of the generator or its inputs (see `largeBibStamp`) is made again.
 */
export function ensureLargeFiles(cacheDir, sizes) {
  mkdirSync(cacheDir, { recursive: true });
  const stampFile = join(cacheDir, 'large-files.stamp');
  const stamp = largeBibStamp();
  const fresh = existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp;
  for (const n of sizes) {
    const file = join(cacheDir, bibName(n));
    if (fresh && existsSync(file)) continue;
    writeFileSync(file, largeBib(n));
    console.log(`${file}: ${n} entries`);
  }
  if (!fresh) {
    // Files of other sizes were made from the old inputs: gone, so that no run measures them.
    for (const n of [...scales.full.sizes, scales.full.huge, ...scales.smoke.sizes]) if (!sizes.includes(n)) rmSync(join(cacheDir, bibName(n)), { force: true });
    writeFileSync(stampFile, stamp);
  }
}

/** A small deterministic PRNG (mulberry32), so every run cites and hovers the same keys. */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sample(list, n, rand) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(list[Math.floor(rand() * list.length)]);
  return out;
}

// The entry head make-large-bib.mjs uses; @string/@preamble/@comment are not entries.
const head = /@\s*([A-Za-z]+)\s*[{(]\s*([^,\s={}()]+)\s*,/g;
const special = /^(string|preamble|comment)$/i;
// A key Pandoc accepts without braces (the server's own rule, completion.ts).
const bareKey = /^[\p{L}\p{N}_](?:[\p{L}\p{N}_]|[:.#$%&\-+?<>~/](?=[\p{L}\p{N}_]))*$/u;

/** Entry keys of a .bib file with their offsets; `citable` only those a Markdown draft can cite bare. */
export function readKeys(file) {
  const text = readFileSync(file, 'utf8');
  const entries = [];
  for (const m of text.matchAll(head)) if (!special.test(m[1])) entries.push({ key: m[2], offset: m.index });
  const counts = new Map();
  for (const e of entries) counts.set(e.key, (counts.get(e.key) ?? 0) + 1);
  const citable = entries.filter((e) => counts.get(e.key) === 1 && bareKey.test(e.key) && /[A-Za-z]{3}/.test(e.key)).map((e) => e.key);
  return { text, entries, citable };
}

/** Where the title value of the entry at `offset` starts (just after `title = {` or `"`), or -1. */
export function titleOffset(text, offset) {
  const next = text.indexOf('\n@', offset + 1);
  const body = text.slice(offset, next < 0 ? text.length : next);
  const m = /(^|[\s,])title\s*=\s*[{"]/i.exec(body);
  return m ? offset + m.index + m[0].length : -1;
}

export const frontMatter = (bib, title = 'Bench draft') => `---\ntitle: ${title}\nbibliography: ${bib}\n---\n\n`;

/** `.bench/ws-N/` with the N-entry .bib (a symlink) and a draft ending in a citation being typed. */
export function draftWorkspace(cacheDir, n, name = `ws-${n}`, { copy = false } = {}) {
  const ws = join(cacheDir, name);
  mkdirSync(ws, { recursive: true });
  const bib = join(ws, bibName(n));
  const source = join(cacheDir, bibName(n));
  if (copy) {
    copyFileSync(source, bib);
  } else if (!existsSync(bib)) {
    try {
      symlinkSync(join('..', bibName(n)), bib);
    } catch {
      copyFileSync(source, bib);
    }
  }
  return { ws, bib };
}

/** The draft's text: front matter, a little prose, and a last line the completion scenario types into. */
export function draftText(n, lastLine) {
  return `${frontMatter(bibName(n))}# Introduction\n\nThe literature on this is large.\n\n${lastLine}`;
}

/** A document that cites `keys`, one per line; returns the text and the offset of each key. */
export function citingText(n, keys) {
  let text = `${frontMatter(bibName(n), 'Hover targets')}`;
  const offsets = [];
  for (const key of keys) {
    const line = `As argued in [@${key}], this holds.\n`;
    offsets.push(text.length + line.indexOf('@') + 1);
    text += line;
  }
  return { text, offsets };
}

/**
 * A 20-chapter thesis in `.bench/ws-thesis/` (`wsName`) citing the `main`-entry file: each chapter has
 * the same front matter and `perChapter` citations of random real keys (written to disk). Each chapter
 * also comes as `typoText`: the same with `unknownPerChapter` keys that exist nowhere (never written to disk).
 */
export function thesisWorkspace(cacheDir, citable, { main, wsName = 'ws-thesis', chapters = 20, perChapter = 150, unknownPerChapter = 2, seed = 7 }) {
  const { ws } = draftWorkspace(cacheDir, main, wsName);
  const rand = random(seed);
  const out = [];
  for (let c = 1; c <= chapters; c++) {
    const name = `chapter-${String(c).padStart(2, '0')}`;
    const keys = sample(citable, perChapter, rand);
    const unknown = Array.from({ length: unknownPerChapter }, (_, i) => `nosuchkey-ch${c}-${i + 1}`);
    const withTypos = [...keys];
    for (const [i, u] of unknown.entries()) withTypos.splice(Math.floor(((i + 1) * keys.length) / (unknown.length + 1)), 0, u);
    const { text, firstKeyOffset } = chapterText(main, c, keys);
    const file = join(ws, `${name}.md`);
    if (!existsSync(file) || readFileSync(file, 'utf8') !== text) writeFileSync(file, text);
    out.push({ file, text, firstKeyOffset, citations: keys.length, typoFile: join(ws, `${name}-typos.md`), typoText: chapterText(main, c, withTypos).text, unknown: unknown.length });
  }
  return { ws, chapters: out, citations: chapters * perChapter };
}

function chapterText(main, c, keys) {
  let text = `${frontMatter(bibName(main), `Chapter ${c}`)}# Chapter ${c}\n\n`;
  let firstKeyOffset = -1;
  for (let i = 0; i < keys.length; i += 3) {
    const sentence = `Prior work covers this point in some depth [${keys.slice(i, i + 3).map((k) => `@${k}`).join('; ')}], and we build on it.\n\n`;
    if (firstKeyOffset < 0) firstKeyOffset = text.length + sentence.indexOf('@') + 1;
    text += sentence;
  }
  return { text, firstKeyOffset };
}
