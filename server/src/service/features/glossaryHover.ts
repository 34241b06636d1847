/**
 * Hover on a glossary term: a mention in prose (`NFM`, `Article 5`, `collective defence`) or the
 * key of a glossary command (`\gls{nfm}`, `\acrshort{nfm}`, `\ac{nfm}`, Quarto's `\acr{NFM}`).
 * Shows the short form and expansion, the definition, the key facts (kind, founding date,
 * members), related terms, the sources (with "Cite as" when the project's bibliography has one),
 * and where a project term is defined.
 */
import type { Hover } from 'vscode-languageserver-types';
import { LineIndex } from '../text';
import { displayPath } from '../index/paths';
import { isAcronymForm, type Glossary, type GlossaryTerm, type TermSource } from '../glossary/model';
import { proseView, type DocumentKind, type GlossaryRef, type ProseView } from '../glossary/prose';

export interface TermHoverOptions {
  /** The document's prose view, when the caller caches it per document version. */
  view?: ProseView;
  /** The bibliography key of a source, when the project's bibliography holds it. */
  citationKeyFor?: (source: TermSource, term: GlossaryTerm) => string | undefined;
  /** The workspace folder URI, for short file names. */
  folder?: string;
  /** Members listed before "and N more" (default 8). */
  maxMembers?: number;
  /**
   * Which mentions hover (`entente.glossary.hover`): `names`, acronyms and named institutions, treaties, forces...
   * (not the built-in concepts, ordinary words such as "balancing" or "alliance"); `all`; `off`. Default `names`.
   */
  which?: 'names' | 'all' | 'off';
  /** `short` (default): the expansion, two sentences, the key facts, one source; `full`: the whole entry. */
  detail?: 'short' | 'full';
  /**
   * The link of a short card to the full entry (`command:entente.showTerm?...`), when the editor runs it; a card
   * without one says nothing about more.
   */
  fullEntryLink?: (term: GlossaryTerm) => string | undefined;
}

/** The editor's command that shows a term's full entry (sources, related terms): the link of a short card. */
export const showTermCommand = 'entente.showTerm';

/** `command:` link to the full entry of `id` as the draft `uri` sees it (VS Code runs it with these arguments). */
export function showTermLink(uri: string | undefined, id: string): string {
  return `command:${showTermCommand}?${encodeURIComponent(JSON.stringify([{ uri, id }]))}`;
}

/** A term under the cursor: a prose mention, or the key of a glossary command (`ref`). */
export interface TermAt {
  term: GlossaryTerm;
  start: number;
  end: number;
  ref?: GlossaryRef;
}

/** The term at `offset`, if any (also for go-to-definition). */
export function termAt(text: string, kind: DocumentKind, offset: number, glossary: Glossary, view = proseView(text, kind)): TermAt | undefined {
  const ref = view.refs.find((r) => r.start <= offset && offset <= r.end);
  if (ref) {
    const term = glossary.byKey(ref.key);
    return term ? { term, start: ref.start, end: ref.end, ref } : undefined;
  }
  const mentions = glossary.findMentions(view.masked, Math.max(0, offset - 400), offset + 1);
  const m = mentions.find((x) => x.start <= offset && offset < x.end) ?? mentions.find((x) => x.end === offset);
  return m ? { term: m.term, start: m.start, end: m.end } : undefined;
}

export function termHover(text: string, kind: DocumentKind, offset: number, glossary: Glossary, options: TermHoverOptions = {}): Hover | undefined {
  if (options.which === 'off') return undefined;
  const view = options.view ?? proseView(text, kind);
  const found = termAt(text, kind, offset, glossary, view);
  if (!found) return undecidedHover(text, offset, glossary, view, options.fullEntryLink);
  // A concept of the built-in glossary is an ordinary word of the field: it hovers only when asked (`all`) or named by a glossary command.
  if ((options.which ?? 'names') === 'names' && !found.ref && found.term.origin === 'builtin' && found.term.kind === 'concept' && !isAcronymForm(found.term.short)) return undefined;
  return {
    contents: { kind: 'markdown', value: termMarkdown(found.term, glossary, kind, options) },
    range: new LineIndex(text).range(found.start, found.end),
  };
}

/** A form two terms share, and nothing in the document tells which: their names, and no choice made (no first-use note either). */
function undecidedHover(text: string, offset: number, glossary: Glossary, view: ProseView, fullEntryLink: TermHoverOptions['fullEntryLink']): Hover | undefined {
  const at = glossary.undecidedAt(view.masked, offset);
  if (!at) return undefined;
  const written = escapeMarkdown(text.slice(at.start, at.end));
  const lines = at.senses.map((t) => {
    const link = fullEntryLink?.(t);
    return `- **${escapeMarkdown(t.expansion ?? t.short)}**${t.definition ? `: ${escapeMarkdown(firstSentences(t.definition, 1))}` : ''}${link ? ` [Full entry](${link})` : ''}`;
  });
  return {
    contents: { kind: 'markdown', value: [`**${written}** may mean:`, lines.join('\n'), 'Nothing near it tells which: spell it out on first use.'].join('\n\n') },
    range: new LineIndex(text).range(at.start, at.end),
  };
}

/** The hover text of a term (also usable as completion documentation). */
export function termMarkdown(term: GlossaryTerm, glossary: Glossary, kind: DocumentKind, options: TermHoverOptions = {}): string {
  const parts: string[] = [];
  const expansion = term.expansion && term.expansion !== term.short ? ` — ${escapeMarkdown(term.expansion)}` : '';
  parts.push(`**${escapeMarkdown(term.short)}**${expansion}`);
  const short = (options.detail ?? 'short') === 'short';
  if (term.definition) parts.push(escapeMarkdown(short ? shortDefinition(term.definition) : term.definition));
  const facts = keyFacts(term, options.maxMembers ?? 8);
  if (facts) parts.push(facts);
  const related = (term.related ?? []).map((id) => glossary.get(id)?.short).filter((s): s is string => !!s);
  if (related.length && !short) parts.push(`See also: ${related.map(escapeMarkdown).join(', ')}`);
  const sources = (term.sources ?? []).map((s) => sourceLine(s, term, kind, options, short ? shortTitle : Infinity));
  // A short card links to the full entry when it leaves something out: more of the definition, related terms, sources.
  const more = short && (shortDefinition(term.definition ?? '') !== (term.definition ?? '') || related.length > 0 || sources.length > 1 || sources[0]?.includes('…'));
  const link = more ? options.fullEntryLink?.(term) : undefined;
  const fullEntry = link ? `[Full entry](${link})` : undefined;
  if (short && sources.length) parts.push(`Source: ${sources[0]}${sources.length > 1 ? ` (and ${sources.length - 1} more)` : ''}${fullEntry ? ` · ${fullEntry}` : ''}`);
  else if (sources.length) parts.push(sources.length === 1 ? `Source: ${sources[0]}` : `Sources:\n${sources.map((s) => `- ${s}`).join('\n')}`);
  if (fullEntry && !(short && sources.length)) parts.push(fullEntry);
  const where = definedAt(term, options.folder);
  if (where) parts.push(where);
  return parts.join('\n\n');
}

/** Most characters of a short card's definition, and of a source's title there: a card fits on a screen. */
const shortLength = 300;
const shortTitle = 90;

/** A short card's definition: two sentences, one when two are long, cut at a word when even one is. */
function shortDefinition(text: string): string {
  const two = firstSentences(text, 2);
  if (two.length <= shortLength) return two;
  return cut(firstSentences(text, 1), shortLength);
}

/** `text` cut at a word boundary to at most `max` characters, with an ellipsis. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max - 2);
  return `${head.slice(0, head.lastIndexOf(' ') > max / 2 ? head.lastIndexOf(' ') : head.length).replace(/[\s,;:]+$/, '')} …`;
}

/** The first `n` sentences of a definition (a card read at a glance; the whole entry is `detail: full`). */
function firstSentences(text: string, n: number): string {
  const sentences = text.match(/[^.!?]+(?:[.!?]+(?=\s|$)|$)/g) ?? [text];
  if (sentences.length <= n) return text;
  return `${sentences.slice(0, n).join('').trim()} …`;
}

function keyFacts(term: GlossaryTerm, maxMembers: number): string {
  const out: string[] = [];
  if (term.kind) out.push(`*${escapeMarkdown(term.kind[0].toUpperCase() + term.kind.slice(1))}*`);
  if (term.founded) out.push(`${foundedVerb(term.kind)} ${readableDate(term.founded)}`);
  if (term.dissolved) out.push(`ended ${readableDate(term.dissolved)}`);
  const members = term.members ?? [];
  if (members.length) {
    const shown = members.length > maxMembers ? members.slice(0, maxMembers) : members;
    const more = members.length - shown.length;
    out.push(`${members.length} members: ${shown.map(escapeMarkdown).join(', ')}${more ? ` and ${more} more` : ''}`);
  }
  return out.join(' · ');
}

function foundedVerb(kind: string | undefined): string {
  switch (kind) {
    case 'treaty':
    case 'agreement':
      return 'signed';
    case 'document':
    case 'clause':
    case 'concept':
      return 'adopted';
    case 'summit':
      return 'held';
    case 'initiative':
    case 'programme':
      return 'launched';
    case 'force':
    case 'command':
      return 'established';
    default:
      return 'founded';
  }
}

const months = 'January February March April May June July August September October November December'.split(' ');

/** `1949-04-04` -> `4 April 1949`; `1949-04` -> `April 1949`; anything else as it is. */
export function readableDate(iso: string): string {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(iso.trim());
  if (!m) return escapeMarkdown(iso);
  const month = m[2] ? months[Number(m[2]) - 1] : undefined;
  if (!month) return m[1];
  return m[3] ? `${Number(m[3])} ${month} ${m[1]}` : `${month} ${m[1]}`;
}

function sourceLine(s: TermSource, term: GlossaryTerm, kind: DocumentKind, options: TermHoverOptions, maxTitle = Infinity): string {
  const title = escapeMarkdown(cut(s.title, maxTitle));
  const head = s.url && /^https?:\/\//i.test(s.url) ? `[${title}](${encodeURI(s.url)})` : `*${title}*`;
  const details = [s.author, s.publisher, s.date ? readableDate(s.date) : s.year, s.citation].filter((d): d is string => !!d);
  let line = details.length ? `${head}, ${details.map((d) => (d === s.date || d === s.year ? d : escapeMarkdown(d))).join(', ')}` : head;
  if (s.type === 'secondary') line += ' (scholarship)';
  const key = options.citationKeyFor?.(s, term);
  if (key) line += kind === 'latex' ? ` — Cite as \`\\cite{${key}}\`` : ` — Cite as \`[@${key}]\``;
  return line;
}

function definedAt(term: GlossaryTerm, folder: string | undefined): string | undefined {
  if (term.origin === 'builtin') return undefined;
  const from = term.basedOn ? ' (facts from the built-in glossary)' : '';
  if (!term.uri || !term.range) return from ? `Project term${from}` : undefined;
  const line = term.range.start.line + 1;
  return `Defined in [${escapeMarkdown(displayPath(term.uri, folder))}:${line}](${term.uri}#L${line})${from}`;
}

function escapeMarkdown(s: string): string {
  return s.replace(/([\\`*_[\]<>#|])/g, '\\$1');
}
