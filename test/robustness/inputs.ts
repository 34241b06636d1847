/**
 * Inputs and checks shared by the robustness tests: the real files the fuzzers mutate (the
 * example workspace and the vendored real `.bib` files of test/fixtures/real-bib), the
 * fast-check arbitraries that cut and damage them, and the checks every parse result must pass.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import type { Range } from '../../server/src/service/model';
import { projectRoot, realBibDir } from '../paths';

export const exampleDir = path.join(projectRoot, 'examples', 'nfm-paper');
/** Real `.bib` files (several deliberately nasty): the vendored ones, or ENTENTE_BIB_DATA's. */
export const bibDataDir = process.env.ENTENTE_BIB_DATA ?? realBibDir;

/** The seed and run count of the fuzzers: `ENTENTE_FUZZ_SEED` replays a failure, `ENTENTE_FUZZ_RUNS` searches longer. */
export const fuzzSeed = Number(process.env.ENTENTE_FUZZ_SEED ?? 20250301);
export const fuzzRuns = Number(process.env.ENTENTE_FUZZ_RUNS ?? 5000);
/** Longest slice of a real file a fuzz input starts from (ENTENTE_FUZZ_MAX_SLICE: larger finds superlinear parsers). */
export const fuzzMaxSlice = Number(process.env.ENTENTE_FUZZ_MAX_SLICE ?? 4000);

function read(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

function filesUnder(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const item of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, item.name);
    if (item.isDirectory()) out.push(...filesUnder(full, ext));
    else if (item.name.endsWith(ext)) out.push(full);
  }
  return out.sort();
}

/** CSL items of the example (the source of the CSL-JSON, CSL-YAML and RIS corpora). */
function exampleItems(): Record<string, any>[] {
  return JSON.parse(read(path.join(exampleDir, 'refs-extra.json')));
}

/** A CSL item as an RIS record (enough tags to exercise the reader). */
function risRecord(item: Record<string, any>, withId: boolean): string {
  const lines = [`TY  - ${item.type === 'book' ? 'BOOK' : item.type === 'webpage' ? 'ELEC' : 'JOUR'}`];
  if (withId) lines.push(`ID  - ${item.id}`);
  if (item.title) lines.push(`TI  - ${item.title}`);
  for (const a of [...(item.author ?? []), ...(item.editor ?? [])]) lines.push(`AU  - ${a.family ?? a.literal}${a.given ? `, ${a.given}` : ''}`);
  const year = item.issued?.['date-parts']?.[0]?.[0];
  if (year) lines.push(`PY  - ${year}`, `DA  - ${year}/01/02/`);
  if (item['container-title']) lines.push(`T2  - ${item['container-title']}`);
  if (item.publisher) lines.push(`PB  - ${item.publisher}`);
  if (item.URL) lines.push(`UR  - ${item.URL}`);
  lines.push('N1  - A note that runs', '  on a continuation line', 'ER  - ');
  return lines.join('\n');
}

export interface Corpora {
  bibtex: string[];
  cslJson: string[];
  cslYaml: string[];
  ris: string[];
  markdown: string[];
  latex: string[];
}

let cached: Corpora | undefined;

/** The real inputs, by format, read once. */
export function corpora(): Corpora {
  if (cached) return cached;
  const items = exampleItems();
  const markdown = [path.join(exampleDir, 'paper.md'), path.join(exampleDir, 'README.md'), path.join(projectRoot, 'README.md')]
    .filter((f) => fs.existsSync(f))
    .map(read);
  const yamlItems = stringify(items);
  cached = {
    bibtex: [path.join(exampleDir, 'refs.bib'), ...filesUnder(bibDataDir, '.bib')].map(read),
    cslJson: [
      read(path.join(exampleDir, 'refs-extra.json')),
      JSON.stringify(items),
      JSON.stringify({ items }, null, 1),
      JSON.stringify(items[0], null, '\t').replace(/\n/g, '\r\n'),
    ],
    cslYaml: [
      yamlItems,
      `---\nreferences:\n${yamlItems.replace(/^/gm, '  ')}...\n`,
      '- id: base\n  type: book\n  title: &t A shared title\n  author: &a [{family: Doe, given: J.}]\n- id: "quoted:key"\n  title: *t\n  author: *a\n- id: 1e3\n  issued: {date-parts: [[2020, 2]]}\n',
    ],
    ris: [
      items.map((item, i) => risRecord(item, i % 2 === 0)).join('\n\n'),
      '\uFEFF' + items.slice(0, 3).map((item) => risRecord(item, false)).join('\r\n').replace(/\n/g, '\r\n'),
    ],
    markdown: [
      ...markdown,
      '---\ntitle: x\nnocite: |\n  @a, @b\nreferences:\n- id: inline\n  title: T\n---\n# A {#sec-a}\n\nSee [@a; -@b, p. 3], @c [-@{odd key}] and @fig-x.\n\n```{#lst-x}\n@notacitation\n```\n\n![Map](m.png){#fig-x}\n',
    ],
    latex: [
      read(path.join(exampleDir, 'paper.tex')),
      '% !TEX root = main.tex\n\\section{A}\\label{sec:a}\n\\cites(pre)(post)[p.~1]{a,b}[2]{c}\\volcite[3]{d}\n\\cref{sec:a, fig:b}\\verb|\\cite{no}|\n\\begin{verbatim}\\cite{no}\\end{verbatim}\n\\input{ch1}\\import{dir/}{ch2}\\bibliography{refs,more}\\addbibresource{x.bib}\n',
    ],
  };
  return cached;
}

/** Characters and fragments that break parsers: delimiters, line ends, NULs, lone surrogates, emoji, combining marks. */
export const nastyPieces = [
  '{', '}', '{{', '}}', '@', '"', "'", '\n', '\r\n', '\r', '\0', '\uD800', '\uDC00', '\uDBFF\uDFFF', '\\', '%', '#', ',', '=',
  '[', ']', '(', ')', '-', ':', '$', '`', '~', '|', '*', '&', '!', '?', ';', ' ', '\t', '\uFEFF', '\u2028', '\u00A0',
  '😀', '👩‍👩‍👧', 'e\u0301', 'Zoltán', '中文',
  '---\n', '...\n', '```\n', '<!--', '-->', '{#', '#| label: ', '[@', '@{', '-@', 'nocite: ',
  'TY  - ', 'ER  - ', 'ID  - ', 'AU  - ', '\\cite{', '\\parencite[', '\\label{', '\\ref{', '\\verb|', '\\begin{verbatim}', '\\end{verbatim}', '% !TEX root = ',
  '@string{', '@comment{', '@preamble{', '@article{', 'crossref = ', 'xdata = ', ' # ',
  '&a ', '*a', '<<: ', '- id: ', 'references:\n', '!!binary ', '{"id": ', '"id"', '\\u00', '1e999', '-0',
];

export interface Mutation {
  op: 'insert' | 'delete' | 'duplicate' | 'replace';
  at: number;
  length: number;
  piece: string;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('insert', 'delete', 'duplicate', 'replace'),
  at: fc.nat(),
  length: fc.nat({ max: 40 }),
  piece: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...nastyPieces) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) }),
});

export function mutate(text: string, mutations: readonly Mutation[]): string {
  let t = text;
  for (const m of mutations) {
    const at = m.at % (t.length + 1);
    const end = Math.min(t.length, at + m.length);
    if (m.op === 'insert') t = t.slice(0, at) + m.piece + t.slice(at);
    else if (m.op === 'delete') t = t.slice(0, at) + t.slice(end);
    else if (m.op === 'duplicate') t = t.slice(0, end) + t.slice(at, end) + t.slice(end);
    else t = t.slice(0, at) + m.piece + t.slice(end);
  }
  return t;
}

/**
 * Texts for one parser: slices of its real inputs with random damage (most of the runs),
 * soups of syntax fragments, and arbitrary strings (any UTF-16, lone surrogates included).
 */
export function fuzzInputs(real: readonly string[], maxSlice = fuzzMaxSlice): fc.Arbitrary<string> {
  const slice = fc
    .record({ file: fc.nat(), start: fc.nat(), length: fc.integer({ min: 0, max: maxSlice }), mutations: fc.array(mutation, { maxLength: 16 }) })
    .map(({ file, start, length, mutations }) => {
      const text = real[file % real.length];
      const from = text.length > length ? start % (text.length - length + 1) : 0;
      return mutate(text.slice(from, from + length), mutations);
    });
  const soup = fc
    .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...nastyPieces) }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) }), { maxLength: 120 })
    .map((pieces) => pieces.join(''));
  const anything = fc.string({ unit: 'binary', maxLength: 400 });
  return fc.oneof({ weight: 6, arbitrary: slice }, { weight: 3, arbitrary: soup }, { weight: 1, arbitrary: anything });
}

/** A seeded generator (mulberry32), for reproducible inputs outside fast-check. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- checks ----

/** Lines as the service counts them (`\n` ends a line; a `\r` before it belongs to the line). */
export class Lines {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** The offset of a position, asserting that the position exists in the text. */
  offset(p: { line: number; character: number }, what: string): number {
    assert.ok(Number.isInteger(p.line) && Number.isInteger(p.character), `${what}: position ${JSON.stringify(p)} is not made of integers`);
    assert.ok(p.line >= 0 && p.line < this.starts.length, `${what}: line ${p.line} outside the text (${this.starts.length} lines)`);
    const start = this.starts[p.line];
    const end = p.line + 1 < this.starts.length ? this.starts[p.line + 1] - 1 : this.text.length;
    assert.ok(p.character >= 0 && p.character <= end - start, `${what}: character ${p.character} outside line ${p.line} (${end - start} characters)`);
    return start + p.character;
  }

  /** [start, end) offsets of a range, asserting it lies inside the text and start <= end. */
  range(r: Range, what: string): [number, number] {
    const s = this.offset(r.start, `${what} start`);
    const e = this.offset(r.end, `${what} end`);
    assert.ok(s <= e, `${what}: starts after it ends (${JSON.stringify(r)})`);
    return [s, e];
  }

  slice(r: Range, what: string): string {
    const [s, e] = this.range(r, what);
    return this.text.slice(s, e);
  }
}

/** Problems a parser reports: a range inside the text, a message, a known severity and code. */
export function checkErrors(lines: Lines, errors: readonly { message: string; range: Range; code: string; severity?: string }[], code = 'bib.syntax'): void {
  for (const e of errors) {
    lines.range(e.range, `error "${e.message}"`);
    assert.equal(typeof e.message, 'string');
    assert.ok(e.message.length > 0, 'an error without a message');
    assert.equal(e.code, code);
    assert.ok(e.severity === undefined || e.severity === 'error' || e.severity === 'warning', `severity ${e.severity}`);
  }
}

/** Milliseconds a parse of `length` characters may take before it counts as a hang (gross on purpose: no flaky failures). */
export function timeBound(length: number): number {
  return 50 + 0.05 * length;
}

/**
 * Runs `parse`, asserting that it returns (does not throw) within `timeBound`. A slow run is
 * timed twice more and the fastest counts: a hang repeats, a GC pause or a busy machine does not.
 */
export function timed<T>(what: string, text: string, parse: () => T): T {
  let best = Infinity;
  let result: T;
  for (let attempt = 0; attempt < 3 && best > timeBound(text.length); attempt++) {
    const started = performance.now();
    result = parse();
    best = Math.min(best, performance.now() - started);
  }
  assert.ok(best <= timeBound(text.length), `${what} took ${best.toFixed(1)} ms on ${text.length} characters (bound ${timeBound(text.length).toFixed(0)} ms)`);
  return result!;
}

/** Renders a text for a failure message: short, escaped. */
export function show(text: string): string {
  return JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}…(${text.length} chars)` : text);
}
