#!/usr/bin/env node
// Writes large, realistic BibTeX files for the benchmark from the real files vendored in
// test/fixtures/real-bib (see its ORIGINS.md): their entries, repeated with renamed keys (the
// targets of crossref/xref/xdata renamed alike) until N entries. The same input always gives the same bytes.
//
//   node bench/make-large-bib.mjs OUT_DIR [N ...]      (default N: 10000 50000 100000)
//
// Output: OUT_DIR/large-<N>.bib. Every file starts with the same real entries (copy 0 keeps its keys),
// after the @string file biber's papers use (TUGboat's macros are in its own file).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const realBibDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'real-bib');

const macroFiles = ['biber-definitions.bib'];
const entryFiles = [
  'tugboat-1980-1987.bib', 'bbt-unabbrev-1436-2.bib', 'biber-papers.bib', 'bbt-jabref-groups-97.bib', 'bbt-discarded-873.bib',
  'biblatex-examples.bib', 'jabref-authors.bib', 'jabref-testjabref.bib',
];

// An entry's head: `@type{key,` (or with parentheses); @string, @preamble and @comment are not entries.
const head = /@(\s*)([A-Za-z]+)(\s*)([{(])(\s*)([^,\s={}()]+)(\s*),/g;
const special = /^(string|preamble|comment)$/i;
const inheritance = /(\b(?:crossref|xref|xdata)\s*=\s*[{"])([^}"]+)([}"])/gi;

const read = (file) => `\n% ---- ${file} ----\n` + readFileSync(join(realBibDir, file), 'utf8');

function isEntry(chunk) {
  head.lastIndex = 0;
  const m = head.exec(chunk);
  return !!m && !special.test(m[2]);
}

/** `chunk` with its entry keys and the keys it inherits from suffixed. */
function rekey(chunk, suffix) {
  return chunk
    .replace(head, (m, a, type, b, open, c, key, d) => (special.test(type) ? m : `@${a}${type}${b}${open}${c}${key}${suffix}${d},`))
    .replace(inheritance, (m, a, keys, z) => a + keys.split(',').map((k) => k.trim() + suffix).join(',') + z);
}

/** The text of a file of `n` entries. */
export function largeBib(n) {
  const macros = macroFiles.map(read).join('\n');
  // Split at each line that starts an entry, so that a file can stop at exactly n entries.
  const chunks = entryFiles.map(read).join('\n').split(/\n(?=\s*@)/);
  const parts = [macros];
  let count = 0;
  for (let copy = 0; count < n; copy++) {
    for (const chunk of chunks) {
      if (count >= n) break;
      if (isEntry(chunk)) count++;
      parts.push(copy === 0 ? chunk : rekey(chunk, `-c${copy}`));
    }
  }
  return parts.join('\n');
}

/** A hash of this generator and its inputs: the same stamp, the same bytes. */
export function largeBibStamp() {
  const hash = createHash('sha256').update(readFileSync(fileURLToPath(import.meta.url)));
  for (const file of [...macroFiles, ...entryFiles]) hash.update(readFileSync(join(realBibDir, file)));
  return hash.digest('hex');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [outDir = '.', ...sizes] = process.argv.slice(2);
  const targets = (sizes.length ? sizes : ['10000', '50000', '100000']).map(Number);
  if (targets.some((n) => !Number.isInteger(n) || n <= 0)) {
    process.stderr.write('Usage: node bench/make-large-bib.mjs OUT_DIR [N ...]   (N: a positive number of entries)\n');
    process.exit(2);
  }
  mkdirSync(outDir, { recursive: true });
  for (const n of targets) {
    const out = join(outDir, `large-${n}.bib`);
    writeFileSync(out, largeBib(n));
    console.log(`${out}: ${n} entries`);
  }
}
