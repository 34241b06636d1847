/**
 * What a typed reference says about where and when it was read: the access date ("(Accessed: January 31,
 * 2025)", "Retrieved March 3, 2020, from"), URLs and DOIs ("doi: https://doi.org/…", "https://doi.org/…",
 * "doi:10.…"; a "doi:" before a link that is no DOI is a URL), and the dates they are written in. Pure.
 */
import type { ReferenceFields } from './typedReferences';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** "September", "Sept.", "Mar" → "9"; undefined when it is no month. */
export function monthNumber(word: string): string | undefined {
  const w = word.toLowerCase().replace(/\.$/, '');
  if (w.length < 3) return undefined;
  const i = MONTHS.findIndex((m) => m.startsWith(w) || (w === 'sept' && m === 'september'));
  return i < 0 ? undefined : String(i + 1);
}

const pad = (n: string) => n.padStart(2, '0');

/** "January 31, 2025", "31 January 2025", "2025-01-31", "01.02.2025" (day.month) → ISO; with a flag when read by convention. */
export function readDate(text: string): { iso?: string; flag?: string } {
  const t = text.trim().replace(/\.$/, '');
  let m = /^(\p{L}+\.?)\s+(\d{1,2}),?\s+(\d{4})$/u.exec(t);
  if (m && monthNumber(m[1])) return { iso: `${m[3]}-${pad(monthNumber(m[1])!)}-${pad(m[2])}` };
  m = /^(\d{1,2})(?:st|nd|rd|th)?\s+(\p{L}+\.?),?\s+(\d{4})$/u.exec(t);
  if (m && monthNumber(m[2])) return { iso: `${m[3]}-${pad(monthNumber(m[2])!)}-${pad(m[1])}` };
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (m) return { iso: t };
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(t);
  if (m && Number(m[2]) <= 12 && Number(m[1]) <= 31) {
    const iso = `${m[3]}-${pad(m[2])}-${pad(m[1])}`;
    return Number(m[1]) <= 12 ? { iso, flag: `access date "${t}" read as day.month.year` } : { iso };
  }
  return { flag: `access date "${t}" not understood: left out` };
}

/** A DOI from a doi.org URL, its %-escapes decoded (kept as written when they are malformed). */
function decoded(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Peels the access date, "Retrieved ... from", a page's "Last modified" date, URLs and DOIs off a reference. */
export function peelLinks(text: string, fields: ReferenceFields, flags: string[]): string {
  let s = text;
  const accessed = /\(\s*(?:Accessed|Viewed|Retrieved)(?:\s+on)?:?\s*([^()]*)\)/i.exec(s);
  if (accessed) {
    const date = readDate(accessed[1]);
    if (date.iso) fields.urldate = date.iso;
    if (date.flag) flags.push(date.flag);
    s = s.slice(0, accessed.index) + ' ' + s.slice(accessed.index + accessed[0].length);
  }
  const retrieved = /\bRetrieved(?: on)? ([^()]{3,30}?\d{4}),? from (?=https?:)/i.exec(s);
  if (retrieved) {
    const date = readDate(retrieved[1]);
    if (date.iso) fields.urldate = date.iso;
    if (date.flag) flags.push(date.flag);
    s = s.slice(0, retrieved.index) + s.slice(retrieved.index + retrieved[0].length);
  }
  // Chicago's web pages: "Accessed June 1, 2024." and "Last modified June 20, 2024." (kept in note).
  const chicagoAccessed = /(?<=[.”"]\s)Accessed ((?:\p{L}+\.? \d{1,2}|\d{1,2} \p{L}+\.?),? \d{4})\.(?=\s|$)/u.exec(s);
  if (chicagoAccessed) {
    const date = readDate(chicagoAccessed[1]);
    if (date.iso) fields.urldate = date.iso;
    if (date.flag) flags.push(date.flag);
    s = s.slice(0, chicagoAccessed.index) + s.slice(chicagoAccessed.index + chicagoAccessed[0].length);
  }
  const modified = /(?<=[.”"]\s)(?:Last modified|Last updated|Modified|Updated) ((?:\p{L}+\.? \d{1,2}|\d{1,2} \p{L}+\.?),? \d{4})\.(?=\s|$)/u.exec(s);
  if (modified) {
    fields.note = modified[0].replace(/\.$/, '');
    s = s.slice(0, modified.index) + s.slice(modified.index + modified[0].length);
  }
  const links = /(?:\b(?:doi|DOI):\s*|(?:Available (?:at|from)|Retrieved from|URL):?\s*)?(https?:\/\/\S+|\b10\.\d{4,9}\/\S+)/g;
  const kept: string[] = [];
  let last = 0;
  for (let m = links.exec(s); m; m = links.exec(s)) {
    let link = m[1].replace(/[.,;]+$/, '');
    if (/[)\]]$/.test(link) && !/[([]/.test(link)) link = link.slice(0, -1);
    const doi = /^(?:https?:\/\/(?:dx\.)?doi\.org\/|10\.)(.*)$/i.exec(link);
    if (doi) {
      const value = link.startsWith('10.') ? link : decoded(doi[1]);
      if (fields.doi && fields.doi !== value) flags.push(`a second DOI ${value} left out`);
      fields.doi ??= value;
    } else if (fields.url && fields.url !== link) {
      flags.push(`a second URL ${link} left out`);
    } else {
      fields.url = link;
    }
    kept.push(s.slice(last, m.index));
    last = m.index + m[0].length;
  }
  kept.push(s.slice(last));
  return kept.join(' ').replace(/\s+/g, ' ').trim();
}
