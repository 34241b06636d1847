/**
 * "Convert Reference List to Bibliography" and `entente import-references`: a typed reference list
 * (`parsers/references/`) written as BibLaTeX or CSL-JSON, with keys such as `biscop2022new` and one
 * report line per flagged reference. No reference is lost: each becomes an entry or a failure line.
 */
import type { Name } from '../model';
import { readReferenceList, type ReadReference, type ReferenceType, type TypedReference } from '../parsers/references/typedReferences';

export type ImportFormat = 'bibtex' | 'csl-json';

export interface ImportedReference {
  /** Undefined when the reference could not be read (it is then in no output entry). */
  key?: string;
  /** 1-based line of the reference in the input (or its document). */
  line: number;
  source: string;
  flags: string[];
  reference?: TypedReference;
}

export interface ImportResult {
  text: string;
  /** Entries written. */
  count: number;
  references: ImportedReference[];
  /** One line per flagged reference: `line 3 (key): what was uncertain; ...` */
  report: string[];
}

const STOP = new Set('a an the of on in at to for and or but with by from as is are be its it this that what why how who when where de la le les el los der die das des du van von'.split(' '));

/** Letters only, accents dropped: "Ewers Peters" → "ewerspeters" (keys; names compared by `typedCitations.ts`). */
export function keyPart(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

/** biscop2022new: first author's (or editor's) family name, year, first significant title word. */
function baseKey(ref: TypedReference): string {
  const first = ref.authors[0] ?? ref.editors[0];
  const name = first ? keyPart(first.family ?? (first.literal ?? '').split(/\s+/).find((w) => !STOP.has(w.toLowerCase())) ?? '') : '';
  const words = (ref.fields.title ?? '').split(/[\s\-–—:;,.?!/]+/).map(keyPart);
  const word = words.find((w) => w.length > 0 && !STOP.has(w)) ?? '';
  return `${name || 'anon'}${ref.fields.year ?? 'nd'}${word}`;
}

/** Keys unique within the list: a repeated base gets a, b, c... in order. */
function assignKeys(refs: readonly (TypedReference | undefined)[]): (string | undefined)[] {
  const bases = refs.map((r) => (r ? baseKey(r) : undefined));
  const counts = new Map<string, number>();
  for (const b of bases) if (b) counts.set(b, (counts.get(b) ?? 0) + 1);
  const seen = new Map<string, number>();
  const used = new Set(bases.filter((b): b is string => !!b && counts.get(b) === 1));
  return bases.map((b) => {
    if (!b || counts.get(b) === 1) return b;
    let n = seen.get(b) ?? 0;
    let key: string;
    do key = b + suffix(n++);
    while (used.has(key));
    seen.set(b, n);
    used.add(key);
    return key;
  });
}

function suffix(n: number): string {
  return n < 26 ? String.fromCharCode(97 + n) : suffix(Math.floor(n / 26) - 1) + String.fromCharCode(97 + (n % 26));
}

/** `firstLine`: the 0-based line of the text in its document (a selection), so the report's lines are the document's. */
export function importReferences(text: string, format: ImportFormat, firstLine = 0): ImportResult {
  const read: ReadReference[] = readReferenceList(text);
  const keys = assignKeys(read.map((r) => r.reference));
  const references: ImportedReference[] = read.map((r, i) => ({ key: keys[i], line: firstLine + r.line + 1, source: r.text, flags: r.flags, reference: r.reference }));
  const report = references
    .filter((r) => r.flags.length || !r.reference)
    .map((r) => (r.reference ? `line ${r.line} (${r.key}): ${r.flags.join('; ')}` : `line ${r.line}: not read (${r.flags.join('; ')}): ${r.source}`));
  const written = references.filter((r) => r.reference);
  const out = format === 'bibtex' ? references.map(bibtexEntry).join('\n') : JSON.stringify(written.map(cslItem), null, 2) + '\n';
  return { text: out, count: written.length, references, report };
}

// ---- BibLaTeX ----

const BIBTEX_TYPES: Record<ReferenceType, string> = {
  article: 'article',
  book: 'book',
  chapter: 'incollection',
  report: 'report',
  webpage: 'online',
  thesis: 'thesis',
  conference: 'inproceedings',
};

const LATEX_SPECIAL: Record<string, string> = {
  '\\': '\\textbackslash{}',
  // BibTeX counts "\{" as a brace: a lone one would leave the entry open.
  '{': '\\textbraceleft{}',
  '}': '\\textbraceright{}',
  '^': '\\textasciicircum{}',
  '~': '\\textasciitilde{}',
};

/** Text for a braced BibTeX value: LaTeX's special characters escaped; no brace of the text reaches the file. */
export function bibtexEscape(s: string): string {
  return s.replace(/[\\{}&%$#_^~]/g, (c) => LATEX_SPECIAL[c] ?? `\\${c}`);
}

/** A URL or DOI as biblatex reads it (verbatim): only what would break the braces or a comment is encoded. */
function bibtexVerbatim(s: string): string {
  return s.replace(/[{}\\]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** Words with a capital after their first letter ("NATO", "McFaul", "COVID-19") keep their case in sentence-case styles. */
function protectCase(escaped: string): string {
  return escaped.replace(/(?<![\\\p{L}])(\p{L}[\p{L}\p{N}’'-]*)/gu, (w) => (/^.\P{Lu}*\p{Lu}/u.test(w) && !/^\\/.test(w) ? `{${w}}` : w));
}

function bibtexName(n: Name): string {
  if (n.literal) return `{${bibtexEscape(n.literal)}}`;
  const family = bibtexEscape(n.family ?? '');
  // A family name of several words ("Ewers Peters") must not lose its first word to the given names.
  const last = /\s/.test(family) ? `{${family}}` : family;
  const suffix = n.suffix ? `, ${bibtexEscape(n.suffix)}` : '';
  return n.given ? `${last}${suffix}, ${bibtexEscape(n.given)}` : `{${family}}`;
}

function bibtexEntry(r: ImportedReference): string {
  const comments = r.flags.map((f) => `% ${f.replace(/\n/g, ' ')}\n`).join('');
  if (!r.reference || !r.key) return `% Not read (line ${r.line}): ${r.source.replace(/\n/g, ' ')}\n${comments}`;
  const ref = r.reference;
  const f = ref.fields;
  const rows: [string, string][] = [];
  const add = (name: string, value: string | undefined, raw = false) => {
    if (value) rows.push([name, raw ? value : bibtexEscape(value)]);
  };
  if (ref.authors.length) rows.push(['author', ref.authors.map(bibtexName).join(' and ')]);
  if (ref.editors.length) rows.push(['editor', ref.editors.map(bibtexName).join(' and ')]);
  if (f.title) rows.push(['title', protectCase(bibtexEscape(f.title))]);
  const container = ref.type === 'article' ? 'journaltitle' : 'booktitle';
  if (f.container) rows.push([container, protectCase(bibtexEscape(f.container))]);
  add('eventtitle', f.event);
  const date = [f.year, f.month?.padStart(2, '0'), f.day?.padStart(2, '0')].filter(Boolean).join('-');
  add('date', f.year ? date : undefined);
  add('edition', f.edition);
  add('volume', f.volume);
  add('number', ref.type === 'article' ? f.issue : f.number);
  add(ref.type === 'report' ? 'type' : 'series', f.series);
  add('pages', f.pages?.replace(/–/g, '--'));
  const publisherField = ref.type === 'report' || ref.type === 'thesis' ? 'institution' : ref.type === 'webpage' ? 'organization' : 'publisher';
  add(publisherField, f.publisher);
  add(ref.type === 'conference' && f.event ? 'venue' : 'location', f.address);
  add('doi', f.doi && bibtexVerbatim(f.doi), true);
  add('url', f.url && bibtexVerbatim(f.url), true);
  add('urldate', f.urldate);
  add('note', f.note);
  const width = Math.max(...rows.map(([n]) => n.length));
  const body = rows.map(([n, v]) => `  ${n.padEnd(width)} = {${v}},`).join('\n');
  return `${comments}@${BIBTEX_TYPES[ref.type]}{${r.key},\n${body}\n}\n`;
}

// ---- CSL-JSON ----

const CSL_TYPES: Record<ReferenceType, string> = {
  article: 'article-journal',
  book: 'book',
  chapter: 'chapter',
  report: 'report',
  webpage: 'webpage',
  thesis: 'thesis',
  conference: 'paper-conference',
};

function cslName(n: Name): Record<string, string> {
  if (n.literal) return { literal: n.literal };
  const out: Record<string, string> = {};
  if (n.family) out.family = n.family;
  if (n.given) out.given = n.given;
  if (n.suffix) out.suffix = n.suffix;
  return out;
}

function cslItem(r: ImportedReference): Record<string, unknown> {
  const ref = r.reference!;
  const f = ref.fields;
  const item: Record<string, unknown> = { id: r.key, type: CSL_TYPES[ref.type] };
  if (ref.authors.length) item.author = ref.authors.map(cslName);
  if (ref.editors.length) item.editor = ref.editors.map(cslName);
  if (f.title) item.title = f.title;
  if (f.container) item['container-title'] = f.container;
  if (ref.type === 'webpage' && f.publisher) item['container-title'] = f.publisher;
  else if (f.publisher) item.publisher = f.publisher;
  if (f.address) item[ref.type === 'conference' && f.event ? 'event-place' : 'publisher-place'] = f.address;
  if (f.event) item['event-title'] = f.event;
  if (f.year) item.issued = { 'date-parts': [[Number(f.year), ...(f.month ? [Number(f.month)] : []), ...(f.day ? [Number(f.day)] : [])]] };
  if (f.edition) item.edition = f.edition;
  if (f.volume) item.volume = f.volume;
  if (f.issue) item.issue = f.issue;
  if (f.pages) item.page = f.pages;
  if (f.series) item[ref.type === 'report' ? 'genre' : 'collection-title'] = f.series;
  if (f.number) item.number = f.number;
  if (f.doi) item.DOI = f.doi;
  if (f.url) item.URL = f.url;
  if (f.urldate) item.accessed = { 'date-parts': [f.urldate.split('-').map(Number)] };
  if (f.note) item.note = f.note;
  return item;
}
