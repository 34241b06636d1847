// One baseline parse of one file, in its own process so memory never accumulates.
// Usage: node bench/baseline.mjs floor|citation-js|latex-utensils|bibtex-parser|biblatex-csl-converter FILE
// Prints one JSON line: { ms, entries?, error?, peakMB } (ms covers reading and parsing).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [kind, file] = process.argv.slice(2);
const require = createRequire(import.meta.url);

/** Each baseline reads the file and parses it; returns how many entries it found. */
const baselines = {
  // The floor: read the file and find every entry key with a plain regex.
  floor() {
    const text = readFileSync(file, 'utf8');
    const re = /@\w+\s*\{\s*([^,\s]+)\s*,/g;
    let n = 0;
    while (re.exec(text)) n++;
    return n;
  },
  // citation-js, as Entente's renderer and many tools use it: new Cite(text) with plugin-bibtex.
  'citation-js'() {
    const { Cite } = require('@citation-js/core');
    require('@citation-js/plugin-bibtex');
    const text = readFileSync(file, 'utf8');
    return new Cite(text).data.length;
  },
  // latex-utensils, LaTeX Workshop's BibTeX parser.
  'latex-utensils'() {
    const { bibtexParser } = require('latex-utensils');
    const text = readFileSync(file, 'utf8');
    return bibtexParser.parse(text).content.filter((e) => bibtexParser.isEntry(e)).length;
  },
  // @retorquere/bibtex-parser, Better BibTeX for Zotero's parser: parse(text) with its default options
  // (an ES module only: loaded below with import()).
  'bibtex-parser'() {
    const text = readFileSync(file, 'utf8');
    return loaded.parse(text).entries.length;
  },
  // biblatex-csl-converter, Fidus Writer's: new BibLatexParser(text, options).parse(), as its README shows.
  'biblatex-csl-converter'() {
    const text = readFileSync(file, 'utf8');
    const parsed = new loaded.BibLatexParser(text, { processUnexpected: true, processUnknown: true }).parse();
    return Object.keys(parsed.entries).length;
  },
};

function peakMB() {
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

const run = baselines[kind];
if (!run) {
  process.stderr.write(`unknown baseline ${kind}\n`);
  process.exit(2);
}
// Libraries are loaded before the clock starts: only reading and parsing is timed.
let loaded;
if (kind === 'citation-js') {
  require('@citation-js/core');
  require('@citation-js/plugin-bibtex');
} else if (kind === 'latex-utensils') {
  require('latex-utensils');
} else if (kind === 'bibtex-parser') {
  loaded = await import('@retorquere/bibtex-parser');
} else if (kind === 'biblatex-csl-converter') {
  loaded = await import('biblatex-csl-converter');
}
const t0 = performance.now();
let result;
try {
  result = { entries: run() };
} catch (e) {
  result = { error: String(e?.message ?? e).split('\n')[0].slice(0, 200) };
}
result.ms = performance.now() - t0;
result.peakMB = peakMB();
process.stdout.write(`${JSON.stringify(result)}\n`);
