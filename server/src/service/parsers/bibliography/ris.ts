/**
 * RIS bibliographies: line-based `XX  - value` records from `TY  - ` to `ER  - `.
 *
 * Keys: the `ID` tag when present. Otherwise the key Pandoc generates when it reads the same
 * file (Text.Pandoc.Readers.RIS), so that `[@Smith_Doe_2020]` resolves here as it does in
 * Pandoc: the first word (up to a comma or space) of each AU/A1 author joined with `_`, then
 * `_` + each PY/Y1 value as written; a repeated key gets `a`, `b`... (its first use stays bare).
 *
 * Tolerance: a line that does not start with a tag continues the previous value when that is
 * free text (wrapped abstracts and notes, as Zotero and citation-js read them); a missing `ER`,
 * a stray line between records, a malformed tag line or any other line is reported at its line
 * and never hides the other records.
 */
import type { BibEntry, BibFile, ParseError, ParseResult } from '../../model';
import { LineIndex } from '../../text';
import { entryFromCsl } from './csl';
import { drain, eachPaced, ITEMS_PER_STEP, type Steps } from '../../pacing';

/** RIS reference types -> CSL types (the table @citation-js/plugin-ris uses). */
const RIS_TYPES: Record<string, string> = {
  ABST: 'article-journal', ADVS: 'motion_picture', AGGR: 'dataset', ANCIENT: 'classic', ART: 'graphic', BILL: 'bill',
  BLOG: 'post-weblog', BOOK: 'book', CASE: 'legal_case', CHAP: 'chapter', CHART: 'figure', CLSWK: 'classic',
  COMP: 'software', CONF: 'paper-conference', CPAPER: 'paper-conference', CTLG: 'entry', DATA: 'dataset',
  DBASE: 'dataset', DICT: 'entry-dictionary', EBOOK: 'book', ECHAP: 'chapter', EDBOOK: 'book', EJOUR: 'article-journal',
  ELEC: 'webpage', ENCYC: 'entry-encyclopedia', EQUA: 'article', FIGURE: 'figure', GEN: 'document', GOVDOC: 'report',
  GRANT: 'article', HEAR: 'hearing', ICOMM: 'personal_communication', INPR: 'article-journal', JFULL: 'article-journal',
  JOUR: 'article-journal', JOURN: 'article-journal', LEGAL: 'legislation', MANSCPT: 'manuscript', MAP: 'map',
  MGZN: 'article-magazine', MPCT: 'motion_picture', MULTI: 'motion_picture', MUSIC: 'musical_score',
  NEWS: 'article-newspaper', PAMP: 'pamphlet', PAT: 'patent', PCOMM: 'personal_communication', RPRT: 'report',
  SER: 'periodical', SLIDE: 'motion_picture', SOUND: 'motion_picture', STAND: 'standard', STAT: 'legislation',
  THES: 'thesis', UNBILL: 'manuscript', UNPB: 'manuscript', VIDEO: 'motion_picture', WEB: 'webpage',
};
const BOOK_TYPES = new Set(['book', 'classic']);

/** A line that was meant to be a tag line but is not one (`AU- x`, `au  - x`, `AU-`). */
const MALFORMED_TAG = /^(?:[A-Z][A-Z0-9][ \t]*(?:-|$)|[A-Za-z][A-Za-z0-9][ \t]*-(?:[ \t]|$))/;
/** Free-text tags whose long values some exporters wrap onto the next lines. */
const CONTINUABLE = new Set(['AB', 'N1', 'N2', 'TI', 'T1', 'T2', 'T3', 'TT', 'BT', 'CT', 'ST', 'JF', 'JO', 'KW', 'PB', 'AD', 'CY', 'M1', 'M3', 'RN']);
const TAG_SYNTAX = "'XX  - value' (two capitals or a capital and a digit, two spaces, '-', a space)";

interface Tag {
  tag: string;
  value: string;
  /** Offsets of the value (of its first line when it continues on the next lines). */
  start: number;
  end: number;
}

interface RisRecord {
  /** Start and end of the `TY` line, the end of the record (its `ER` line, or its last line). */
  start: number;
  tyEnd: number;
  end: number;
  tags: Tag[];
}

export function parseRis(text: string): ParseResult<BibFile> {
  return drain(parseRisSteps(text));
}

/** `parseRis`, pausing between lines and records (`pacing.ts`). */
export function* parseRisSteps(text: string): Steps<ParseResult<BibFile>> {
  const entries: BibEntry[] = [];
  const errors: ParseError[] = [];
  const lines = new LineIndex(text);
  const report: Report = (start, end, message, severity = 'error') =>
    errors.push({ message, range: lines.range(start, end), code: 'bib.syntax', severity });
  try {
    const records = yield* readRecords(text, report);
    const pandocIds = new Map<string, number>();
    yield* eachPaced(records, (rec) => {
      const entry = recordEntry(rec, pandocIds, lines, report);
      if (entry) entries.push(entry);
    });
  } catch (e) {
    report(0, 0, `Could not read this RIS file: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { value: { format: 'ris', entries }, errors };
}

type Report = (start: number, end: number, message: string, severity?: 'error' | 'warning') => void;

/** Splits the text into records, reporting misplaced and malformed lines. One pass, line by line. */
function* readRecords(text: string, report: Report): Steps<RisRecord[]> {
  const records: RisRecord[] = [];
  let rec: RisRecord | undefined;
  let last: Tag | undefined; // the value a continuation line extends
  let inGarbage = false; // one error per run of stray lines, not one per line
  const unclosed = (r: RisRecord) => report(r.start, r.tyEnd, "This record has no 'ER  - ' line to end it");
  let lineStart = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let n = 1; lineStart <= text.length; n++) {
    if (n % (16 * ITEMS_PER_STEP) === 0) yield;
    const nl = text.indexOf('\n', lineStart);
    let lineEnd = nl < 0 ? text.length : nl;
    if (text.charCodeAt(lineEnd - 1) === 0x0d && lineEnd > lineStart) lineEnd--;
    const next = nl < 0 ? text.length + 1 : nl + 1;
    let first = lineStart; // first non-blank character
    while (first < lineEnd && isBlank(text.charCodeAt(first))) first++;
    if (first === lineEnd) {
      inGarbage = false; // blank line
    } else {
      const tag = readTag(text, first, lineEnd);
      if (tag) {
        inGarbage = false;
        if (tag.tag === 'TY') {
          if (rec) unclosed(rec);
          rec = { start: first, tyEnd: lineEnd, end: lineEnd, tags: [tag] };
          records.push(rec);
          last = tag;
        } else if (!rec) {
          const what = tag.tag === 'ER' ? "'ER  - ' without a record to end" : `'${tag.tag}' line outside a record`;
          report(first, lineEnd, `${what}: a record starts with 'TY  - '`);
        } else if (tag.tag === 'ER') {
          rec.end = lineEnd;
          rec = last = undefined;
        } else {
          rec.tags.push(tag);
          rec.end = lineEnd;
          last = tag;
        }
      } else if (!rec) {
        if (!inGarbage) report(first, lineEnd, "Expected a record starting with 'TY  - '");
        inGarbage = true;
      } else {
        const line = text.slice(first, lineEnd).trimEnd();
        if (MALFORMED_TAG.test(line) || !last || !CONTINUABLE.has(last.tag)) {
          if (!inGarbage) report(first, lineEnd, `Malformed RIS line: expected ${TAG_SYNTAX}`);
          inGarbage = true;
          last = undefined; // what follows a broken line is not its continuation
        } else {
          last.value = last.value ? `${last.value} ${line}` : line;
          rec.end = lineEnd;
        }
      }
    }
    lineStart = next;
  }
  if (rec) unclosed(rec);
  return records;
}

/**
 * `XX  - value` between `start` (the first non-blank character) and `end` (the line end), or
 * undefined. Hand-written rather than a regex: it runs on every line of files with 100,000s of lines.
 */
function readTag(text: string, start: number, end: number): Tag | undefined {
  const a = text.charCodeAt(start);
  const b = text.charCodeAt(start + 1);
  if (!(isUpper(a) && (isUpper(b) || (b >= 0x30 && b <= 0x39)))) return undefined;
  let i = start + 2;
  if (!isBlank(text.charCodeAt(i))) return undefined; // Pandoc wants at least one space before the dash
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== 0x2d || (i + 1 < end && !isBlank(text.charCodeAt(i + 1)))) return undefined; // '-' then a blank or the end
  let vs = i + 1;
  while (vs < end && isBlank(text.charCodeAt(vs))) vs++;
  let ve = end;
  while (ve > vs && isBlank(text.charCodeAt(ve - 1))) ve--;
  return { tag: text.slice(start, start + 2), value: text.slice(vs, ve), start: vs, end: ve };
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

function isUpper(c: number): boolean {
  return c >= 0x41 && c <= 0x5a;
}

/** A record -> its entry, keyed by `ID` or by Pandoc's generated key. */
function recordEntry(rec: RisRecord, pandocIds: Map<string, number>, lines: LineIndex, report: Report): BibEntry | undefined {
  const values = new Map<string, Tag[]>();
  for (const t of rec.tags) {
    if (!t.value) continue;
    const list = values.get(t.tag);
    if (list) list.push(t);
    else values.set(t.tag, [t]);
  }
  const idTag = values.get('ID')?.[0];
  const base = idTag ? idTag.value : generatedKey(rec.tags);
  // Pandoc de-duplicates every id: the second `X` becomes `Xa`, the third `Xb`. Explicit IDs are
  // kept as written so that the index can report them as duplicates.
  if (!base) {
    // No key at all (not `a`, `b`... as the suffixes below would make: `[@a]` would cite a bogus entry).
    report(rec.start, rec.tyEnd, 'This record has no ID, author or year to make a citation key from', 'warning');
    return undefined;
  }
  const n = pandocIds.get(base);
  pandocIds.set(base, n === undefined ? 0x61 : n + 1);
  if (!idTag && n !== undefined && n > 0x7a) {
    report(rec.start, rec.tyEnd, `More than 27 records would get the key '${base}' (its suffixes a-z are used up): give this one an ID`, 'warning');
    return undefined;
  }
  const key = idTag || n === undefined ? base : base + String.fromCharCode(n);
  const keyRange = idTag ? lines.range(idTag.start, idTag.end) : lines.range(rec.start, rec.tyEnd);
  return entryFromCsl(toCsl(values), key, keyRange, lines.range(rec.start, rec.end));
}

/** Pandoc's key for a record without ID: `Family_Family_Year`. */
function generatedKey(tags: Tag[]): string {
  const authors = tags.filter((t) => t.tag === 'AU' || t.tag === 'A1').map((t) => /^[^,\s]*/.exec(t.value)![0]);
  const dates = tags.filter((t) => t.tag === 'PY' || t.tag === 'Y1').map((t) => `_${t.value}`);
  return authors.join('_') + dates.join('');
}

/** The record's tags -> a CSL-JSON item. The first of several tags for one variable wins. */
function toCsl(values: Map<string, Tag[]>): Record<string, unknown> {
  const first = (...tags: string[]) => tags.map((t) => values.get(t)?.[0]?.value).find((v) => v !== undefined);
  const all = (...tags: string[]) => tags.flatMap((t) => (values.get(t) ?? []).map((v) => v.value));
  const type = RIS_TYPES[(first('TY') ?? '').toUpperCase()] ?? 'document';
  const item: Record<string, unknown> = { type };
  const set = (name: string, value: unknown) => {
    if (value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0)) item[name] = value;
  };
  set('author', all('AU', 'A1').map(risName));
  set('editor', all('A2', 'ED').map(risName));
  const bookTitle = first('BT');
  set('title', first('TI', 'T1', 'CT') ?? (BOOK_TYPES.has(type) ? bookTitle : undefined));
  set('container-title', first('T2', 'JF', 'JO') ?? (BOOK_TYPES.has(type) ? undefined : bookTitle) ?? first('JA', 'J2', 'J1'));
  set('container-title-short', first('JA', 'J2', 'J1'));
  set('collection-title', first('T3'));
  set('title-short', first('ST'));
  set('issued', issuedDate(first('DA'), first('PY'), first('Y1')));
  set('accessed', risDate(first('Y2')));
  set('publisher', first('PB'));
  set('publisher-place', first('CY', 'PP'));
  set('volume', first('VL'));
  set('issue', first('IS'));
  set('edition', first('ET'));
  set('number-of-volumes', first('NV'));
  set('page', pages(first('SP'), first('EP')));
  set('DOI', first('DO')?.replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:\s*)/i, ''));
  set('URL', first('UR', 'LK'));
  set('abstract', first('AB', 'N2'));
  set('note', all('N1').join('\n'));
  const sn = first('SN');
  if (sn) set(/^\d{4}-?\d{3}[\dXx](?![\dXx-])/.test(sn) ? 'ISSN' : 'ISBN', sn);
  set('keyword', all('KW').join(', '));
  set('language', first('LA'));
  set('call-number', first('CN'));
  set('source', first('DB'));
  return item;
}

/** "Family, Given[, Suffix]"; without a comma, one word is a family name and several a literal (an institution). */
function risName(value: string): Record<string, string> {
  const parts = value.split(/\s*,\s*/);
  if (parts.length >= 2 && parts[0]) {
    const name: Record<string, string> = { family: parts[0] };
    if (parts[1]) name.given = parts[1];
    if (parts[2]) name.suffix = parts.slice(2).join(', ');
    return name;
  }
  return /\s/.test(value) ? { literal: value } : { family: value };
}

/** `DA` is the full date, `PY` the year: prefer DA unless it contradicts PY. */
function issuedDate(da?: string, py?: string, y1?: string): Record<string, unknown> | undefined {
  const full = risDate(da);
  const year = risDate(py) ?? risDate(y1);
  const y = (d?: Record<string, unknown>) => (d?.['date-parts'] as number[][] | undefined)?.[0]?.[0];
  if (full?.['date-parts'] && (!year || !year['date-parts'] || y(full) === y(year))) return full;
  return year ?? full;
}

/** RIS dates are `YYYY/MM/DD/other` (any part may be empty); ISO `YYYY-MM-DD` is common too. */
function risDate(value?: string): Record<string, unknown> | undefined {
  if (!value) return undefined;
  const m = /^(\d{4})(?:[/-](\d{0,2})(?:[/-](\d{0,2}))?)?/.exec(value.trim());
  if (!m) return { raw: value };
  const parts = [Number(m[1])];
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month >= 1 && month <= 12) {
    parts.push(month);
    if (day >= 1 && day <= 31) parts.push(day);
  }
  return { 'date-parts': [parts] };
}

function pages(sp?: string, ep?: string): string | undefined {
  if (sp && ep && !/[-–—]/.test(sp)) return `${sp}-${ep}`;
  return sp ?? ep;
}
