/**
 * Typed citations checked against a typed reference list (issue 16, part 3): drafts that come from Word hold
 * "(Biscop, 2022)", "Deni (2024) argues" and a typed "References" section. `citation.unmatched` is an in-text
 * citation no reference matches (with did-you-mean for a wrong year or a misspelt name), `reference.uncited` a
 * reference no citation names. The references are read by `parsers/references/` (the reader of Convert Reference
 * List to Bibliography), and the quick fix "Replace with [@biscop2022new]" uses the keys that command gives them.
 *
 * Said only where the text is plainly an author-date citation: a parenthesis holding names and a year, or a
 * capitalised name right before "(2024)". A narrative "Name (2024)" whose name no reference has is not reported
 * (it may be a place, an event or a title); a parenthesis whose words are a month or a season is no citation.
 */
import { CodeActionKind, DiagnosticSeverity, type CodeAction, type Diagnostic } from 'vscode-languageserver-types';
import type { Name, Range } from '../model';
import type { LineIndex } from '../text';
import { importReferences, keyPart, type ImportedReference } from './importReferences';
import { boundedDistance } from '../nearest';

const source = 'entente';

/** A "References" heading: Markdown (`# References`) or a line alone. */
const HEADING = /^(?:#{1,6}\s*)?(?:References|Reference list|Bibliography|Works cited|Literature cited|Sources)\s*:?\s*$/im;

export interface TypedCitationPart {
  /** Family names as typed ("Iskandarov", "Gawliczek"), and whether "et al." follows them. */
  names: string[];
  etAl: boolean;
  year: string;
  start: number;
  end: number;
}

export interface TypedCitation {
  /** The whole citation: "(Biscop, 2022; Deni, 2024)" or "Deni (2024)". */
  start: number;
  end: number;
  narrative: boolean;
  parts: TypedCitationPart[];
  /** Per part: the locator typed after the year (", p. 12"), if any. */
  locators: (string | undefined)[];
}


/** Month and season names: "(March 2022)", "(Spring 2020)" date a thing, they cite nothing. */
const NOT_NAMES = new Set('january february march april may june july august september october november december spring summer autumn fall winter see also and et al the in on from since until by between'.split(' '));

const NAME = String.raw`\p{Lu}[\p{L}’'\-]+(?:\s+\p{Lu}[\p{L}’'\-]+){0,3}`;
const YEAR = String.raw`(?:\d{4}[a-z]?|n\.\s?d\.)`;
/** One cited work inside parentheses: "see Iskandarov & Gawliczek, 2018, p. 12" (prefix, names, years, locator). */
const PART = new RegExp(
  String.raw`^(?<prefix>(?:see also|see|e\.g\.,?|cf\.|also|i\.e\.,?)\s+)?(?<names>${NAME}(?:\s*,\s*${NAME})*(?:\s*,?\s*(?:&|and)\s+${NAME})?(?:\s+et\s+al\.?)?)\s*,?\s+(?<years>${YEAR}(?:\s*,\s*${YEAR})*)(?<locator>\s*[,:]\s*.+)?$`,
  'u',
);
/** A narrative citation: "Deni (2024)", "Iskandarov et al. (2019a, p. 4)", "Biscop’s (2022)". */
const NARRATIVE = new RegExp(
  String.raw`(?<![\p{L}\d])(?<names>\p{Lu}[\p{L}’'\-]+(?:\s+(?:&|and)\s+\p{Lu}[\p{L}’'\-]+|\s+et\s+al\.)?)(?:’s|'s)?\s+\((?<years>${YEAR}(?:\s*,\s*${YEAR})*)(?<locator>\s*,\s*[^)]+)?\)`,
  'gu',
);

/** The citations of `text[from, to)` (the prose before the reference list). */
export function typedCitations(text: string, from: number, to: number): TypedCitation[] {
  const out: TypedCitation[] = [];
  const body = text.slice(from, to);
  for (const m of body.matchAll(/\(([^()\n]{4,400})\)/g)) {
    const inner = m[1];
    if (!/\b(?:\d{4}[a-z]?|n\.\s?d\.)/.test(inner)) continue;
    const parts: TypedCitationPart[] = [];
    const locators: (string | undefined)[] = [];
    let at = from + m.index! + 1;
    let ok = true;
    for (const piece of inner.split(';')) {
      const trimmed = piece.trim();
      const p = PART.exec(trimmed);
      const start = at + piece.indexOf(trimmed);
      at += piece.length + 1;
      if (!p?.groups) {
        ok = false;
        break;
      }
      const names = namesOf(p.groups.names);
      if (!names) {
        ok = false;
        break;
      }
      for (const year of p.groups.years.split(/\s*,\s*/)) parts.push({ names: names.names, etAl: names.etAl, year: year.replace(/\s/g, ''), start, end: start + trimmed.length });
      locators.push(p.groups.locator?.replace(/^\s*[,:]\s*/, ''));
    }
    if (ok && parts.length) out.push({ start: from + m.index!, end: from + m.index! + m[0].length, narrative: false, parts, locators });
  }
  for (const m of body.matchAll(NARRATIVE)) {
    const names = namesOf(m.groups!.names);
    if (!names) continue;
    const start = from + m.index!;
    const end = start + m[0].length;
    if (out.some((c) => c.start <= start && start < c.end)) continue;
    const parts = m.groups!.years.split(/\s*,\s*/).map((year) => ({ names: names.names, etAl: names.etAl, year: year.replace(/\s/g, ''), start, end }));
    out.push({ start, end, narrative: true, parts, locators: [m.groups!.locator?.replace(/^\s*,\s*/, '')] });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The family names of "Iskandarov, Gawliczek, & Mrozek", "Hasan et al.", "Global Firepower"; undefined when they are no names. */
function namesOf(s: string): { names: string[]; etAl: boolean } | undefined {
  const etAl = /\s+et\s+al\.?$/.test(s);
  const names = s
    .replace(/\s+et\s+al\.?$/, '')
    .replace(/[’']s$/, '')
    .split(/\s*,\s*(?:&\s*|and\s+)?|\s+(?:&|and)\s+/)
    .map((n) => n.trim())
    .filter(Boolean);
  if (!names.length || names.some((n) => n.split(/\s+/).some((w) => NOT_NAMES.has(w.toLowerCase())))) return undefined;
  return { names, etAl };
}

/** Letters only, accents dropped, lower case: how names are compared (as keys are made of them). */
const fold = keyPart;

const familyOf = (n: Name) => n.family ?? n.literal ?? '';

/** Whether a reference is the work a citation part names: its first author and year, and any other author named. */
function matches(part: TypedCitationPart, ref: ImportedReference): boolean {
  const r = ref.reference!;
  const people = r.authors.length ? r.authors : r.editors;
  if (!people.length || fold(familyOf(people[0])) !== fold(part.names[0])) return false;
  if (!yearMatches(part.year, ref)) return false;
  // "Iskandarov & Gawliczek": the second author must be Gawliczek; a named list must name them all.
  for (let i = 1; i < part.names.length; i++) if (!people[i] || fold(familyOf(people[i])) !== fold(part.names[i])) return false;
  return true;
}

function yearMatches(year: string, ref: ImportedReference): boolean {
  const r = ref.reference!;
  const typed = `${r.fields.year ?? 'n.d.'}${r.yearSuffix ?? ''}`;
  const plain = (s: string) => s.toLowerCase().replace(/[\s.]/g, '');
  if (plain(year) === plain(typed)) return true;
  // "(Iskandarov, 2019)" for "2019a": the letter is biblatex's or APA's to add; the year is right.
  return !!r.fields.year && year === r.fields.year;
}

/** Names that differ by a typo: an edit distance of 2 or less. */
function nearName(a: string, b: string): boolean {
  return boundedDistance(fold(a), fold(b), 2) <= 2;
}

/** How a reference is named in a message: "Biscop (2022)", "Iskandarov and Gawliczek (2018)", "Hasan et al. (2024)". */
function shown(ref: ImportedReference): string {
  const r = ref.reference!;
  const people = (r.authors.length ? r.authors : r.editors).map(familyOf);
  const names = people.length > 2 ? `${people[0]} et al.` : people.join(' and ');
  return `${names} (${r.fields.year ?? 'n.d.'}${r.yearSuffix ?? ''})`;
}

function shownPart(p: TypedCitationPart): string {
  return `${p.names.length > 2 ? `${p.names[0]} et al.` : p.names.join(' and ')}${p.etAl ? ' et al.' : ''} (${p.year})`;
}

/** Where the reference list starts (the heading's line start) and its references, when a draft has one with two or more. */
export function typedReferenceList(text: string, lines: LineIndex): { start: number; references: ImportedReference[] } | undefined {
  let heading: RegExpExecArray | null = null;
  const pattern = new RegExp(HEADING.source, 'gim');
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) heading = m; // the last such heading
  if (!heading) return undefined;
  const start = heading.index;
  const after = text.slice(start + heading[0].length);
  // The list runs to the next heading of the Markdown document, or to the end.
  const next = /\n#{1,6}\s/.exec(after);
  const list = next ? after.slice(0, next.index) : after;
  const firstLine = lines.positionAt(start + heading[0].length).line;
  const { references } = importReferences(list, 'bibtex', firstLine);
  const read = references.filter((r) => r.reference);
  return read.length >= 2 ? { start, references: read } : undefined;
}

/** `citation.unmatched` and `reference.uncited` of a draft with a typed reference list (`masked`: its prose view). */
export function typedCitationDiagnostics(text: string, masked: string, lines: LineIndex): Diagnostic[] {
  const list = typedReferenceList(text, lines);
  if (!list) return [];
  const { references } = list;
  const cited = new Set<ImportedReference>();
  const out: Diagnostic[] = [];
  const citations = typedCitations(masked, 0, list.start);
  // No typed citation at all: the draft cites otherwise (footnotes, numbers), or the list is all there is.
  if (citations.length === 0) return [];
  for (const c of citations) {
    const found = c.parts.map((p) => references.find((r) => matches(p, r)));
    found.forEach((r) => r && cited.add(r));
    c.parts.forEach((p, i) => {
      if (found[i]) return;
      const sameName = references.filter((r) => (r.reference!.authors[0] ?? r.reference!.editors[0]) && fold(familyOf(r.reference!.authors[0] ?? r.reference!.editors[0])) === fold(p.names[0]));
      const near = references.filter((r) => {
        const first = r.reference!.authors[0] ?? r.reference!.editors[0];
        return first && yearMatches(p.year, r) && nearName(familyOf(first), p.names[0]);
      });
      // A narrative "Name (2024)" whose name no reference has may be no citation at all: say nothing.
      if (c.narrative && !sameName.length && !near.length) return;
      const candidates = [...sameName, ...near]
        .filter((r, j, all) => all.indexOf(r) === j)
        .sort((a, b) => Number(!yearMatches(p.year, a)) - Number(!yearMatches(p.year, b)))
        .slice(0, 3);
      const hint = candidates.length ? ` Did you mean ${candidates.map(shown).join(', ')}?` : '';
      out.push({
        range: lines.range(p.start, p.end),
        severity: DiagnosticSeverity.Warning,
        code: 'citation.unmatched',
        source,
        message: `No reference in the reference list for ${shownPart(p)}.${hint}`,
      });
    });
  }
  for (const r of references) {
    if (cited.has(r)) continue;
    const lineStart = lines.offsetAt({ line: r.line - 1, character: 0 });
    const lineEnd = text.indexOf('\n', lineStart);
    const range: Range = lines.range(lineStart, Math.min(lineEnd < 0 ? text.length : lineEnd, lineStart + 200));
    out.push({ range, severity: DiagnosticSeverity.Information, code: 'reference.uncited', source, message: `${shown(r)} is never cited in the text.` });
  }
  return out;
}

/**
 * "Replace with [@biscop2022new, p. 12]" on a typed citation at `range` whose every work is in the reference list,
 * with the keys Convert Reference List to Bibliography gives those references.
 */
export function typedCitationActions(uri: string, text: string, masked: string, lines: LineIndex, range: Range): CodeAction[] {
  const list = typedReferenceList(text, lines);
  if (!list) return [];
  const [from, to] = [lines.offsetAt(range.start), lines.offsetAt(range.end)];
  const out: CodeAction[] = [];
  for (const c of typedCitations(masked, 0, list.start)) {
    if (c.end < from || c.start > to) continue;
    const keys = c.parts.map((p) => list.references.find((r) => matches(p, r))?.key);
    if (!keys.every(Boolean)) continue;
    const replacement = citationText(c, keys as string[]);
    out.push({ title: `Replace with ${replacement}`, kind: CodeActionKind.RefactorRewrite, edit: { changes: { [uri]: [{ range: lines.range(c.start, c.end), newText: replacement }] } } });
  }
  return out;
}

/** The pandoc citation a typed one becomes: "[@a, p. 12; @b]", or "@a" for a narrative one ("@a [p. 12]"). */
function citationText(c: TypedCitation, keys: readonly string[]): string {
  if (c.narrative) {
    const locator = c.locators[0];
    return `@${keys.join(', @')}${locator ? ` [${locator}]` : ''}`;
  }
  // Parts with several years share their piece's locator, written after the last.
  const pieces: string[] = [];
  let piece = 0;
  c.parts.forEach((p, i) => {
    const last = i === c.parts.length - 1 || c.parts[i + 1].start !== p.start;
    const locator = last ? c.locators[piece] : undefined;
    pieces.push(`@${keys[i]}${locator ? `, ${locator}` : ''}`);
    if (last) piece++;
  });
  return `[${pieces.join('; ')}]`;
}
