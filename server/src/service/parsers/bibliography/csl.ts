/**
 * CSL-JSON item -> BibEntry, shared by the CSL-JSON, CSL-YAML and RIS parsers.
 * Pure: no I/O, no positions computed here (the caller passes the ranges).
 */
import type { BibEntry, Name, Range } from '../../model';

/** CSL name variables (CSL 1.0.2), rendered into `fields` as "Family, Given and ...". */
const NAME_VARIABLES = new Set([
  'author', 'chair', 'collection-editor', 'compiler', 'composer', 'container-author', 'contributor', 'curator',
  'director', 'editor', 'editorial-director', 'editor-translator', 'executive-producer', 'guest', 'host', 'illustrator',
  'interviewer', 'narrator', 'organizer', 'original-author', 'performer', 'producer', 'recipient', 'reviewed-author',
  'script-writer', 'series-creator', 'translator',
]);

/** CSL date variables; Pandoc's YAML shorthands for them are normalised by `normalizeCslDates`. */
const DATE_VARIABLES = ['issued', 'accessed', 'available-date', 'event-date', 'original-date', 'submitted'];

/** Types whose `container-title` is a journal (aliased as `journal`) or a book (aliased as `booktitle`). */
const JOURNAL_TYPES = new Set(['article', 'article-journal', 'article-magazine', 'article-newspaper', 'review', 'review-book']);
const BOOK_PART_TYPES = new Set(['chapter', 'paper-conference', 'entry', 'entry-dictionary', 'entry-encyclopedia']);

/**
 * Builds the entry for a CSL item. `item.id` is overwritten with `key` (ids may be numbers in
 * CSL-JSON; the index only knows string keys).
 */
export function entryFromCsl(item: Record<string, unknown>, key: string, keyRange: Range, range: Range): BibEntry {
  item.id = key;
  const type = typeof item.type === 'string' && item.type.trim() ? item.type.trim().toLowerCase() : 'document';
  const authorNames = cslNames(item.author);
  const editorNames = cslNames(item.editor);
  const year = cslYear(item.issued);
  const fields: Record<string, string> = {};
  for (const name of Object.keys(item)) {
    if (name === 'id' || name === 'type' || name === '__proto__') continue;
    const text = fieldText(name, item[name]);
    if (text !== undefined && text !== '') fields[name.toLowerCase()] = text;
  }
  if (year) fields.year = year;
  const container = fields['container-title'];
  if (container !== undefined) {
    if (JOURNAL_TYPES.has(type)) fields.journal ??= container;
    else if (BOOK_PART_TYPES.has(type)) fields.booktitle ??= container;
  }
  const entry: BibEntry = {
    key,
    keyRange,
    range,
    type,
    fields,
    authors: authorNames.length ? authorNames : editorNames,
    csl: item,
  };
  if (editorNames.length) entry.editors = editorNames;
  if (year) entry.year = year;
  if (fields.title !== undefined) entry.title = fields.title;
  return entry;
}

/** CSL names (an array of name objects; a bare string or object is accepted too) -> `Name[]`. */
export function cslNames(value: unknown): Name[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  const names: Name[] = [];
  for (const raw of list) {
    if (typeof raw === 'string') {
      if (raw.trim()) names.push({ literal: plainText(raw) });
      continue;
    }
    if (!isObject(raw)) continue;
    const name: Name = {};
    const family = str(raw.family);
    const given = str(raw.given);
    // Both CSL particles become `dropping`, as BibTeX's "von" part does: {van} {Gogh}.
    const particles = [str(raw['dropping-particle']), str(raw['non-dropping-particle'])].filter(Boolean).join(' ');
    const suffix = str(raw.suffix);
    const literal = str(raw.literal);
    if (family) name.family = family;
    if (given) name.given = given;
    if (particles) name.dropping = particles;
    if (suffix) name.suffix = suffix;
    if (literal && !family) name.literal = literal;
    if (Object.keys(name).length) names.push(name);
  }
  return names;
}

/** The four-digit year of a CSL date (`date-parts`, `raw`, `literal`, or a Pandoc shorthand). */
export function cslYear(date: unknown): string | undefined {
  if (typeof date === 'number') return fourDigits(String(date));
  if (typeof date === 'string') return /(?<!\d)(\d{4})(?!\d)/.exec(date)?.[1];
  if (Array.isArray(date)) return date.length ? cslYear(date[0]) : undefined;
  if (!isObject(date)) return undefined;
  const parts = date['date-parts'];
  if (Array.isArray(parts) && Array.isArray(parts[0]) && parts[0].length) {
    const y = parts[0][0];
    if (typeof y === 'number' || typeof y === 'string') return fourDigits(String(y).trim());
  }
  return cslYear(date.year) ?? cslYear(date.raw) ?? cslYear(date.literal);
}

/**
 * Rewrites Pandoc/hand-written date shorthands into CSL date objects, in place:
 * `issued: 2022`, `issued: "2022-05-01"`, `issued: "2020/2021"` (EDTF interval),
 * the legacy pandoc-citeproc `issued: [{year: 2022, month: 5}]`. Objects are left as they are.
 */
export function normalizeCslDates(item: Record<string, unknown>): void {
  for (const name of DATE_VARIABLES) {
    const value = item[name];
    if (value === undefined || value === null || (isObject(value) && !Array.isArray(value))) continue;
    const date = toCslDate(value);
    if (date) item[name] = date;
  }
}

function toCslDate(value: unknown): Record<string, unknown> | undefined {
  if (typeof value === 'number') return { 'date-parts': [[value]] };
  if (typeof value === 'string') {
    const s = value.trim();
    const ends = s.split('/');
    const parts = ends.length <= 2 ? ends.map(isoDateParts) : [];
    if (parts.length && parts.every((p): p is number[] => p !== undefined)) return { 'date-parts': parts };
    return s ? { raw: s } : undefined;
  }
  if (Array.isArray(value)) {
    const parts = value.filter(isObject).map((d) => ['year', 'month', 'day'].map((k) => Number(d[k])).filter((n) => Number.isFinite(n) && n !== 0));
    if (parts.length && parts.every((p) => p.length)) return { 'date-parts': parts };
  }
  return undefined;
}

/** "2022", "2022-05", "2022-05-01" -> [2022, 5, 1]; anything else -> undefined. */
function isoDateParts(s: string): number[] | undefined {
  const m = /^(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(s.trim());
  return m ? [m[1], m[2], m[3]].filter((p) => p !== undefined).map(Number) : undefined;
}

/** A CSL variable's value as plain text for `fields`, or undefined when it is not displayable. */
function fieldText(name: string, value: unknown): string | undefined {
  if (typeof value === 'string') return plainText(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (NAME_VARIABLES.has(name)) return cslNames(value).map(nameText).join(' and ');
  if (Array.isArray(value)) {
    const items = value.filter((v) => typeof v === 'string' || typeof v === 'number').map((v) => plainText(String(v)));
    return items.length ? items.join(', ') : undefined;
  }
  if (isObject(value)) return dateText(value);
  return undefined;
}

/** A CSL date object as text: "2022-05-01", "2020/2021", or its raw/literal form. */
function dateText(date: Record<string, unknown>): string | undefined {
  const parts = date['date-parts'];
  if (Array.isArray(parts) && parts.length) {
    // Month and day are zero-padded so dates read and sort as ISO dates: [[2022, 5, 1]] -> 2022-05-01.
    const ends = parts.filter(Array.isArray).map((p) => p.map((x, i) => (i > 0 ? String(x).padStart(2, '0') : String(x))).join('-'));
    if (ends.length && ends[0]) return ends.join('/');
  }
  return str(date.literal) || str(date.raw) || undefined;
}

function nameText(n: Name): string {
  if (n.literal) return n.literal;
  const family = [n.dropping, n.family].filter(Boolean).join(' ');
  return [family, n.given, n.suffix].filter(Boolean).join(', ');
}

/** CSL rich text -> plain text: drops the HTML-like tags CSL allows (`<i>`, `<b>`, `<sup>`, `<span class="nocase">`...). */
export function plainText(s: string): string {
  return s.includes('<') ? s.replace(/<\/?(?:i|b|sup|sub|sc|span)\b[^>]*>/gi, '') : s;
}

function fourDigits(s: string): string | undefined {
  return /^\d{4}$/.test(s) ? s : undefined;
}

function str(v: unknown): string {
  return typeof v === 'string' ? plainText(v).trim() : typeof v === 'number' ? String(v) : '';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}
