/**
 * Typed author-date references (APA 6/7, Harvard "Available at: URL (Accessed: date)", Chicago
 * author-date) read into entries. Pure; never throws. Each reference yields an entry or a failure, and
 * whatever was guessed or left out is said in `flags`: a field it is unsure of is left out, never guessed.
 *
 * The reading peels a reference from both ends: the access date and the URLs/DOI first, then names and
 * date at the start, then the shape of what is left (chapter "In ...", article "Journal, 9(4), pp. 3-43",
 * report "(Series No. 5)", book or web page "Title. Publisher.").
 */
import type { Name } from '../../model';
import { monthNumber, peelLinks } from './referenceLinks';
import { readNames } from './referenceNames';
import { splitReferences, type TypedSource } from './referenceSplit';

export type ReferenceType = 'article' | 'book' | 'chapter' | 'report' | 'webpage' | 'thesis' | 'conference';

/** The fields read, as plain Unicode text. `container` is the journal, the book of a chapter or the proceedings. */
export interface ReferenceFields {
  year?: string;
  month?: string;
  day?: string;
  title?: string;
  container?: string;
  volume?: string;
  issue?: string;
  pages?: string;
  publisher?: string;
  address?: string;
  series?: string;
  number?: string;
  /** "2" for "(2nd ed.)". */
  edition?: string;
  event?: string;
  url?: string;
  doi?: string;
  /** ISO date: 2025-01-31. */
  urldate?: string;
  /** Text of the reference that no field holds (kept, never dropped). */
  note?: string;
}

export interface TypedReference {
  type: ReferenceType;
  authors: Name[];
  editors: Name[];
  fields: ReferenceFields;
  /** "2019a": the letter typed after the year. */
  yearSuffix?: string;
}

export interface ReadReference extends TypedSource {
  /** Undefined when the text could not be read as a reference (then `flags` says why). */
  reference?: TypedReference;
  /** What was uncertain, one sentence each; empty when the reference was read fully. */
  flags: string[];
}

/** The longest text read as one reference (the longest in the seed paper has 420 characters). */
const MAX_REFERENCE = 3000;

/** A sentence end inside a reference: ". ", "? ", "! " not after an initial ("U.S. Army", "Henry A. Kissinger"). */
function sentenceEnds(s: string): number[] {
  const ends: number[] = [];
  const re = /[.?!](?=\s+\S)/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const before = s.slice(Math.max(0, m.index - 2), m.index);
    if (s[m.index] === '.' && /(^|[\s.\-(])\p{Lu}$/u.test(before)) continue;
    if (s[m.index] === '.' && /\b(?:pp|No|no|Vol|vol|ed|eds|Ed|Eds|St|Dr)$/.test(s.slice(Math.max(0, m.index - 4), m.index))) continue;
    ends.push(m.index);
  }
  return ends;
}

const trimEnd = (s: string) => s.replace(/[\s.,;:]+$/, '').trim();
/** A title keeps its "?" or "!"; a closing period or comma goes. */
const cleanTitle = (s: string) => s.trim().replace(/([?!])[.,]$/, '$1').replace(/[.,:;]$/, '').trim();

interface Head {
  names: string;
  editorsFirst: boolean;
  year?: string;
  yearSuffix?: string;
  month?: string;
  day?: string;
  rest: string;
}

/** Names and date: "Biscop, S. (2022, September). …", "NATO (2022) …", "Biscop, Sven. 2022. …". */
function readHead(s: string): Head | undefined {
  const eds = String.raw`(?:\s*\((?:Eds?|eds?|Hrsg)\.?\)|,\s*eds?\.)?`;
  const apa = new RegExp(String.raw`^([^()]+?)(${eds})\.?\s*\((\d{4})([a-z])?(?:,\s*([^)]*))?\)[.,]?\s*(.*)$`, 'su').exec(s);
  const nd = apa ? undefined : new RegExp(String.raw`^([^()]+?)(${eds})\.?\s*\((n\.\s?d\.)\)[.,]?\s*(.*)$`, 'su').exec(s);
  const chicago = apa || nd ? undefined : new RegExp(String.raw`^([^()]+?)(${eds})[.,]?\s+(\d{4})([a-z])?\.\s+(.*)$`, 'su').exec(s);
  if (apa) {
    const head: Head = { names: apa[1], editorsFirst: apa[2].trim() !== '', year: apa[3], yearSuffix: apa[4], rest: apa[6] };
    if (apa[5]) {
      const when = /^(\p{L}+\.?)(?:\s+(\d{1,2}))?$|^(\d{1,2})\s+(\p{L}+\.?)$/u.exec(apa[5].trim());
      const month = when && monthNumber(when[1] ?? when[4]);
      if (!month) return undefined;
      head.month = month;
      head.day = when[2] ?? when[3];
    }
    return head;
  }
  if (nd) return { names: nd[1], editorsFirst: nd[2].trim() !== '', rest: nd[4] };
  if (chicago) return { names: chicago[1], editorsFirst: chicago[2].trim() !== '', year: chicago[3], yearSuffix: chicago[4], rest: chicago[5] };
  return undefined;
}

const PAGES = String.raw`(\p{L}?\d+(?:\s*[-–—]\s*\p{L}?\d+)?)`;
const normPages = (p: string) => p.replace(/\s*[-–—]+\s*/g, '–');

/** "Title. Journal, 109(5), pp. 763–787" / "“Title.” Journal 92 (1): 175–95" → article fields, or undefined. */
function readArticle(body: string, fields: ReferenceFields, flags: string[]): boolean {
  const apa = new RegExp(String.raw`^(.*?),\s*(?:[Vv]ol\.\s*)?(\d+)(?:\s*\(([^)]+)\)|:(\d+)|,\s*[Nn]o\.\s*([\w–-]+))?(?:,\s*(?:pp?\.\s*)?${PAGES})?$`, 'u').exec(body);
  const chicago = apa ? undefined : new RegExp(String.raw`^(.*?)\s+(\d+)(?:,?\s*no\.\s*([\w–-]+))?(?:\s*\(([^)]+)\))?:\s*${PAGES}$`, 'u').exec(body);
  let lead: string;
  if (apa && (apa[3] || apa[4] || apa[5] || apa[6])) {
    lead = apa[1];
    fields.volume = apa[2];
    const issue = apa[3] ?? apa[4] ?? apa[5];
    if (issue) fields.issue = issue.replace(/[-–]/g, '-');
    if (apa[6]) fields.pages = normPages(apa[6]);
  } else if (chicago) {
    lead = chicago[1];
    fields.volume = chicago[2];
    const issue = chicago[3] ?? (chicago[4] && /^\d+(?:[-–]\d+)?$/.test(chicago[4]) ? chicago[4] : undefined);
    if (issue) fields.issue = issue;
    if (chicago[4] && !issue) {
      const month = monthNumber(chicago[4].split(/\s+/)[0]);
      if (month) fields.month = month;
    }
    fields.pages = normPages(chicago[5]);
  } else return false;
  const quoted = /^[“"](.+?)[”"]\s*(.+)$/u.exec(lead) ?? /^['‘](.+?)['’][,.]\s+(.+)$/u.exec(lead);
  if (quoted) {
    fields.title = cleanTitle(quoted[1]);
    fields.container = trimEnd(quoted[2]);
    return true;
  }
  const ends = sentenceEnds(lead);
  if (ends.length) {
    const at = ends[ends.length - 1];
    fields.title = cleanTitle(lead.slice(0, at + 1));
    fields.container = trimEnd(lead.slice(at + 1));
    return true;
  }
  const comma = lead.lastIndexOf(', ');
  if (comma > 0) {
    fields.title = cleanTitle(lead.slice(0, comma));
    fields.container = trimEnd(lead.slice(comma + 2));
    flags.push(`title and journal told apart at the last comma: "${fields.container}"`);
    return true;
  }
  flags.push('the journal could not be told from the title: both left out');
  return true;
}

/** "Place: Publisher" or "Publisher", with any pages the text gives ("SACT NATO HQ, pp. 169-177"). */
function readPublisher(text: string, fields: ReferenceFields): void {
  let s = trimEnd(text);
  const pages = new RegExp(String.raw`,?\s*pp?\.\s*${PAGES}$`, 'u').exec(s);
  if (pages) {
    fields.pages ??= normPages(pages[1]);
    s = trimEnd(s.slice(0, pages.index));
  }
  const place = /^([\p{Lu}][\p{L} .,'-]{1,40}?):\s+(.+)$/u.exec(s);
  if (place && place[1].split(/\s+/).length <= 4) {
    fields.address = place[1];
    s = place[2];
  }
  if (s) fields.publisher = s;
}

/** "In [Editors (Eds.),] Book (pp. 1–9). Publisher" and Chicago's "In Book, edited by X, 1–9. Place: Publisher". */
function readChapter(inner: string, fields: ReferenceFields, editors: Name[], flags: string[]): void {
  let s = inner;
  const eds = /^(.+?)\s*\((?:Eds?|eds?)\.\),\s*(.*)$/su.exec(s);
  if (eds) {
    editors.push(...editorsGivenFirst(eds[1]));
    s = eds[2];
  }
  const apa = new RegExp(String.raw`^(.*?)\s*\((?:pp?\.\s*)?${PAGES}\)[.,]?\s*(.*)$`, 'u').exec(s);
  if (apa) {
    fields.container = cleanTitle(apa[1]);
    fields.pages = normPages(apa[2]);
    if (apa[3]) readPublisher(apa[3], fields);
    return;
  }
  const chicago = new RegExp(String.raw`^(.*?),\s*(?:edited by\s+(.+?),\s*)?(?:pp?\.\s*)?${PAGES}\.\s*(.*)$`, 'u').exec(s);
  if (chicago) {
    fields.container = cleanTitle(chicago[1]);
    if (chicago[2]) editors.push(...editorsGivenFirst(chicago[2]));
    fields.pages = normPages(chicago[3]);
    if (chicago[4]) readPublisher(chicago[4], fields);
    return;
  }
  const ends = sentenceEnds(s);
  if (ends.length) {
    fields.container = cleanTitle(s.slice(0, ends[0] + 1));
    readPublisher(s.slice(ends[0] + 1), fields);
  } else {
    fields.container = cleanTitle(s);
  }
  flags.push('the book of the chapter has no pages in parentheses: check its title and publisher');
}

/** Editors are written "R. W. Maass" or "Peter J. Katzenstein" (given name first), Harvard's "Smith, J." inverted. */
function editorsGivenFirst(text: string): Name[] {
  const inverted = /^\s*[^,.]+,\s*((?:\p{Lu}\p{Ll}?\.\s*-?\s*)+)(?:,|$)/u.exec(text);
  if (inverted) return readNames(text).names;
  return text
    .replace(/,?\s*(?:&|\band\b)\s+/g, ', ')
    .split(/\s*,\s*/)
    .filter((t) => t.trim())
    .map((t) => {
      const words = t.trim().split(/\s+/);
      const family = words.pop()!;
      return words.length ? { family, given: words.join(' ').replace(/\.(?=\p{Lu})/gu, '. ') } : { family };
    });
}

/** What follows names and date: decides the type and reads title, container and publication facts. */
function readBody(body: string, ref: TypedReference, flags: string[]): void {
  const f = ref.fields;
  let s = trimEnd(body);
  // "Title (2nd ed.). Publisher": the edition is no part of the title.
  const edition = /\s*\((\d+)(?:st|nd|rd|th)\s+(?:ed|edn|rev\. ed)\.?\)/.exec(s);
  if (edition) {
    f.edition = edition[1];
    s = s.slice(0, edition.index) + s.slice(edition.index + edition[0].length);
  }
  // Thesis: "Title [Doctoral dissertation, University]." or "Title. PhD thesis. University."
  const thesis = /^(.*?)\s*\[(?:Doctoral dissertation|Master['’]s thesis|PhD thesis|Ph\.D\. diss\.?),\s*([^\]]+)\][.,]?\s*(.*)$/su.exec(s) ??
    /^(.*?)\s*\((?:Doctoral dissertation|Master['’]s thesis|PhD thesis|Unpublished doctoral dissertation)\)[.,]?\s*(.*?)()$/su.exec(s) ??
    /^(.*?)[.,]\s*(?:PhD|Ph\.D\.|Doctoral|Master['’]?s|MA|MPhil)\s+(?:thesis|dissertation|diss\.)[.,]?\s*(.*?)()$/su.exec(s);
  if (thesis) {
    ref.type = 'thesis';
    f.title = cleanTitle(thesis[1]);
    if (thesis[2]) f.publisher = trimEnd(thesis[2]);
    return;
  }
  const presented = /^(.*?[.?!])\s+(?:Paper|Presentation|Poster) presented at (?:the )?(.+)$/su.exec(s);
  if (presented) {
    ref.type = 'conference';
    f.title = cleanTitle(presented[1]);
    const parts = presented[2].split(/,\s*/);
    f.event = trimEnd(parts[0]);
    if (parts.length > 1) f.address = trimEnd(parts.slice(1).join(', '));
    return;
  }
  const chapter = /^(.*?[.?!”"])\s+In:?\s+(.+)$/su.exec(s);
  if (chapter) {
    ref.type = /\b(?:Proceedings|Conference|Symposium|Workshop)\b/.test(chapter[2]) ? 'conference' : 'chapter';
    f.title = cleanTitle(chapter[1].replace(/^[“"](.*)[”"]$/u, '$1'));
    readChapter(chapter[2], f, ref.editors, flags);
    return;
  }
  // Chapter or article without "In": "Title, R. Karp & R. W. Maass (Eds.). Publisher, pp. 1-9".
  const eds = /^(.*),\s+([^,]+?)\s*\((?:Eds?|eds?)\.\)[.,]\s*(.*)$/su.exec(s);
  if (eds) {
    ref.type = 'chapter';
    ref.editors.push(...editorsGivenFirst(eds[2]));
    splitAtIn(eds[1], f, flags);
    readPublisher(eds[3], f);
    return;
  }
  const lowerIn = new RegExp(String.raw`^(.*)\s+in\s+(\p{Lu}[^,]*?),\s*pp?\.\s*${PAGES}[.,]\s*(.*)$`, 'su').exec(s);
  if (lowerIn) {
    ref.type = 'chapter';
    f.title = cleanTitle(lowerIn[1]);
    f.container = cleanTitle(lowerIn[2]);
    f.pages = normPages(lowerIn[3]);
    if (lowerIn[4]) readPublisher(lowerIn[4], f);
    flags.push(`title and book told apart at "in": "${f.container}"`);
    return;
  }
  if (readArticle(s, f, flags)) {
    ref.type = 'article';
    return;
  }
  // Report: "Title (Egmont Policy Brief No. 285). Publisher." / "Title (RR-1253-A). RAND."
  const series = /^(.*?)\s*\(([^()]*?)\s*(?:No\.|Number|no\.|Nr\.)\s*([^()\s]+)\)[.,]?\s*(.*)$/su.exec(s) ??
    /^(.*?)\s*\(()([A-Z]{1,5}-?\d[\w-]*)\)[.,]?\s*(.*)$/su.exec(s);
  if (series) {
    ref.type = 'report';
    f.title = cleanTitle(series[1]);
    if (series[2]) f.series = series[2].trim();
    f.number = series[3];
    if (series[4]) readPublisher(series[4], f);
    return;
  }
  const ends = sentenceEnds(s);
  const quoted = /^[“"](.+?)[”"]\s*(.*)$/u.exec(s) ?? /^['‘](.+?)['’][,.]\s+(.*)$/u.exec(s);
  let after: string;
  /** The title runs to the first comma and the rest, unread, is in note. */
  let unsplit = false;
  if (quoted) {
    f.title = cleanTitle(quoted[1]);
    after = quoted[2];
  } else if (ends.length) {
    // "Title? Subtitle. Place: Publisher": the publisher follows the last sentence end.
    const at = ends[ends.length - 1];
    f.title = cleanTitle(s.slice(0, at + 1));
    after = s.slice(at + 1);
    if (ends.length > 1) flags.push(`title read up to the last sentence end: "${f.title}"`);
  } else if (/,/.test(s) && /\bpp?\.\s*\d/.test(s)) {
    const comma = s.indexOf(',');
    f.title = cleanTitle(s.slice(0, comma));
    after = '';
    const rest = trimEnd(s.slice(comma + 1));
    f.note = f.note ? `${rest}; ${f.note}` : rest;
    unsplit = true;
    const pages = new RegExp(String.raw`pp?\.\s*${PAGES}`, 'u').exec(rest);
    if (pages) f.pages = normPages(pages[1]);
    flags.push(`read up to the first comma as the title; the rest is kept in note: "${rest}"`);
  } else {
    f.title = cleanTitle(s);
    after = '';
  }
  if (after.trim()) readPublisher(after, f);
  if (unsplit && /\b(?:Proceedings|Conference|Symposium|Workshop)\b/.test(f.note ?? '')) ref.type = 'conference';
  else if (unsplit) {
    ref.type = 'chapter';
    flags.push('read as a chapter: the text after the title has pages but no journal or book that could be told apart');
  } else if (ref.editors.length && !ref.authors.length) ref.type = 'book';
  else if (f.url && (/\.pdf$/i.test(f.url) || /jstor\.org\/stable\/resrep/i.test(f.url))) ref.type = 'report';
  else if (f.url) ref.type = 'webpage';
  else if (f.publisher && ref.authors.length === 1 && ref.authors[0].literal) {
    ref.type = 'report';
    flags.push('a publication of an organisation without a URL: read as a report');
  } else if (f.publisher) ref.type = 'book';
  else {
    ref.type = 'book';
    flags.push('no publisher, journal or URL: read as a book');
  }
}

/** "Function in Alliances and Partnerships…": the last " in " before a capital splits title and book. */
function splitAtIn(s: string, f: ReferenceFields, flags: string[]): void {
  const all = [...s.matchAll(/\s+in\s+(?=\p{Lu})/gu)];
  const at = all[all.length - 1];
  if (at?.index !== undefined) {
    f.title = cleanTitle(s.slice(0, at.index));
    f.container = cleanTitle(s.slice(at.index + at[0].length));
    flags.push(`title and book told apart at "in": "${f.container}"`);
  } else {
    f.title = cleanTitle(s);
    flags.push('editors without a book title: the title may hold both');
  }
}

/** One typed reference (one line, wrapped lines already joined). */
export function readReference(text: string): { reference?: TypedReference; flags: string[] } {
  if (text.length > MAX_REFERENCE) return { flags: [`longer than ${MAX_REFERENCE} characters: more than one reference, or none`] };
  const flags: string[] = [];
  const fields: ReferenceFields = {};
  const s = peelLinks(text.replace(/\s+/g, ' ').trim(), fields, flags);
  const head = readHead(s);
  if (!head) return { flags: ['no author and date at the start ("Family, I. (2020).", "Family, Given. 2020.")'] };
  const names = readNames(head.names);
  flags.push(...names.flags);
  if (!names.names.length) return { flags };
  const ref: TypedReference = { type: 'book', authors: head.editorsFirst ? [] : names.names, editors: head.editorsFirst ? names.names : [], fields };
  if (head.year) fields.year = head.year;
  else flags.push('no date (n.d.)');
  if (head.yearSuffix) ref.yearSuffix = head.yearSuffix;
  if (head.month) fields.month = head.month;
  if (head.day) fields.day = head.day;
  readBody(head.rest, ref, flags);
  if (!fields.title) flags.push('no title');
  return { reference: ref, flags };
}

/** Every reference of a pasted block, in order: one result per reference, read or flagged. */
export function readReferenceList(text: string): ReadReference[] {
  return splitReferences(text).map((source) => ({ ...source, ...readReference(source.text) }));
}
