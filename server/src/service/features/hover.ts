/** Hover on a citation key: the formatted reference, where it is defined, its DOI/URL. */
import type { Hover } from 'vscode-languageserver-types';
import type { Citation, Position } from '../model';
import type { DocumentFacts } from '../index/documents';
import { isCitable, type ScopeIndex, type Located } from '../index/scopeIndex';
import { rangeContains } from '../text';
import { displayPath } from '../index/paths';
import { escapeMarkdown } from '../render/csl';

export interface HoverHost {
  /** The reference formatted in the document's style, as Markdown. */
  render(located: Located): string;
  /** The workspace folder, for short file names. */
  folder?: string;
  /** Keys are found regardless of case (a BibTeX project: BibTeX finds `Ok` for `\cite{ok}`). */
  ignoreCase?: boolean;
}

export function citationAt(facts: DocumentFacts, position: Position): Citation | undefined {
  return facts.citations.find((c) => rangeContains(c.range, position));
}

export function citationHover(facts: DocumentFacts, position: Position, index: ScopeIndex, host: HoverHost): Hover | undefined {
  const citation = citationAt(facts, position);
  if (!citation) return undefined;
  const all = index.resolve(citation.key, !!host.ignoreCase);
  const found = all.filter((l) => isCitable(l.entry));
  if (found.length === 0) {
    const value = all.length ? xdataEntry(all[0], host) : unknownKey(citation.key, index, host);
    return { range: citation.range, contents: { kind: 'markdown', value } };
  }
  const [first, ...others] = facts.kind === 'latex' ? found : pandocOrder(found, facts.uri);
  const reference = host.render(first);
  const parts = [reference, links(first, reference), definedAt(first, host)];
  const rule = facts.kind === 'latex' ? 'biber uses the first definition' : 'pandoc uses the last definition';
  if (others.length) parts.push(`⚠ Defined ${found.length} times (${rule}, shown here); also in ${others.map((l) => definedAt(l, host)).join(', ')}`);
  return { range: citation.range, contents: { kind: 'markdown', value: parts.filter(Boolean).join('\n\n') } };
}

/** The definitions of a key, the one pandoc (citeproc) uses first: the document's own `references:`, else the last file's. */
function pandocOrder(found: readonly Located[], docUri: string): Located[] {
  return [...found.filter((l) => l.uri === docUri), ...found.filter((l) => l.uri !== docUri).reverse()];
}

/** DOI and URL as links, unless the formatted reference already shows them (APA prints both). */
function links({ entry }: Located, reference: string): string {
  const shown = reference.replace(/\\/g, '');
  const out: string[] = [];
  const doi = (entry.fields.doi ?? (entry.csl?.DOI as string | undefined))?.replace(/^https?:\/\/(dx\.)?doi\.org\//i, '').trim();
  if (doi && !shown.includes(doi)) out.push(`[doi:${escapeMarkdown(doi)}](https://doi.org/${encodeURI(doi)})`);
  const url = (entry.fields.url ?? (entry.csl?.URL as string | undefined))?.trim();
  if (url && /^https?:\/\//i.test(url) && !(doi && url.includes(doi)) && !shown.includes(url)) out.push(`[${escapeMarkdown(shorten(url))}](${encodeURI(url)})`);
  return out.join(' · ');
}

function shorten(url: string): string {
  return url.length > 60 ? `${url.slice(0, 57)}…` : url;
}

function definedAt({ entry, uri }: Located, host: HoverHost): string {
  const line = entry.keyRange.start.line + 1;
  return `[${escapeMarkdown(displayPath(uri, host.folder))}:${line}](${uri}#L${line})`;
}

function unknownKey(key: string, index: ScopeIndex, host: HoverHost): string {
  const files = index.bibliographies.map((b) => escapeMarkdown(displayPath(b.uri, host.folder)));
  const where = files.length ? `the bibliographies of this document (${files.join(', ')})` : 'any bibliography (this document declares none and none was found)';
  return `**\`${key}\`**: no entry with this key in ${where}.`;
}

/** An `@xdata` entry is no reference: say what it is instead of formatting it. */
function xdataEntry(located: Located, host: HoverHost): string {
  const key = located.entry.key;
  return `**\`${key}\`** is a biblatex \`@xdata\` entry (${definedAt(located, host)}): it only holds fields that entries with \`xdata = {${key}}\` inherit, and cannot be cited.`;
}
