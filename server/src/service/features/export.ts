/**
 * "Export Cited References": a bibliography holding only the entries a draft (or the workspace)
 * cites. BibTeX entries are copied exactly as written (with the @string macros they use);
 * CSL-JSON items are converted with citation-js.
 */
import type { BibEntry } from '../model';
import type { Located, ScopeIndex } from '../index/scopeIndex';
import type { DocumentFacts } from '../index/documents';
import { escapeRegExp, LineIndex } from '../text';
import { toCsl } from '../render/csl';
import { linkedKeys } from '../parsers/bibliography/bibtexLinks';

export type ExportFormat = 'bibtex' | 'csl-json';

/** The keys a draft cites, in text order; `\nocite{*}` (or `nocite: "@*"`) cites every entry its bibliographies hold. */
export function citedKeys(facts: DocumentFacts, cited: ScopeIndex): string[] {
  const keys: string[] = [];
  for (const c of facts.citations) {
    if (c.key !== '*') keys.push(c.key);
    else for (const { entry } of cited.citable()) keys.push(entry.key);
  }
  return keys;
}

/** Entries cited, in first-citation order, without duplicates; `missing` lists keys no bibliography defines. */
export function citedEntries(keys: Iterable<string>, lookup: (key: string) => Located[]): { found: Located[]; missing: string[] } {
  const found: Located[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key) || key === '*') continue;
    seen.add(key);
    const [first] = lookup(key);
    if (first) found.push(first);
    else missing.push(key);
  }
  return { found, missing };
}

/**
 * The entries with every entry they name in a link field (`crossref`, `xdata`, `xref`, `related`,
 * `entryset`), followed transitively, each once: without them an exported child loses its parent's fields.
 * The entries a `crossref` names come last, as classic BibTeX reads a parent only after its children.
 */
export function withLinkedEntries(entries: readonly Located[], lookup: (key: string) => Located[]): Located[] {
  const out = [...entries];
  const seen = new Set(out.map((l) => l.entry.key));
  for (let i = 0; i < out.length; i++) {
    for (const key of linkedKeys(out[i].entry)) {
      if (seen.has(key)) continue;
      seen.add(key);
      const [first] = lookup(key);
      if (first) out.push(first);
    }
  }
  const parents = new Set(out.map((l) => l.entry.crossref));
  return [...out.filter((l) => !parents.has(l.entry.key)), ...out.filter((l) => parents.has(l.entry.key))];
}

/**
 * The export text. `readText` gives a bibliography file's text so BibTeX entries are copied verbatim;
 * entries from other formats are written from their fields. Macros used by copied entries come first.
 */
export async function exportText(entries: readonly Located[], format: ExportFormat, readText: (uri: string) => Promise<string | undefined>, strings: Record<string, string> = {}): Promise<string> {
  if (format === 'csl-json') return `${JSON.stringify(entries.map(({ entry }) => cleanCsl(toCsl(entry))), null, 2)}\n`;
  const texts = new Map<string, LineIndex | undefined>();
  const blocks: string[] = [];
  for (const { entry, uri } of entries) {
    if (!texts.has(uri)) {
      const text = await readText(uri);
      texts.set(uri, text === undefined ? undefined : new LineIndex(text));
    }
    const lines = texts.get(uri);
    blocks.push(entry.rawFields && lines ? lines.text.slice(lines.offsetAt(entry.range.start), lines.offsetAt(entry.range.end)) : bibtexFromEntry(entry));
  }
  const body = blocks.join('\n\n');
  const used = Object.entries(strings).filter(([name]) => new RegExp(`=\\s*(?:[^,}]*#\\s*)?${escapeRegExp(name)}\\b`, 'i').test(body));
  const macros = used.map(([name, value]) => `@string{${name} = {${value}}}`);
  return `${[...macros, ...(macros.length ? [''] : []), body].join('\n')}\n`;
}

/** citation-js adds bookkeeping fields (`_graph`, `citation-key`) that do not belong in an export. */
export function cleanCsl(item: Record<string, unknown>): Record<string, unknown> {
  const { _graph, ...rest } = item as Record<string, unknown> & { _graph?: unknown };
  void _graph;
  delete rest['citation-key'];
  return rest;
}

const bibtexTypes: Record<string, string> = {
  'article-journal': 'article', 'article-magazine': 'article', 'article-newspaper': 'article', book: 'book', chapter: 'incollection',
  'paper-conference': 'inproceedings', report: 'report', thesis: 'thesis', webpage: 'online', document: 'misc', manuscript: 'unpublished',
};

/** A BibLaTeX entry written from a CSL/RIS entry's plain fields. */
export function bibtexFromEntry(entry: BibEntry): string {
  const fields: [string, string | undefined][] = [
    ['author', entry.authors.map((n) => n.literal ? `{${n.literal}}` : [n.family, n.given].filter(Boolean).join(', ')).join(' and ') || undefined],
    ['title', entry.title],
    ['date', entry.year],
    ['journaltitle', entry.fields['container-title'] ?? entry.fields.journal],
    ['publisher', entry.fields.publisher],
    ['volume', entry.fields.volume],
    ['number', entry.fields.issue ?? entry.fields.number],
    ['pages', entry.fields.page ?? entry.fields.pages],
    ['doi', entry.fields.doi],
    ['url', entry.fields.url],
  ];
  const body = fields.filter(([, v]) => v).map(([k, v]) => `  ${k} = {${v!.replace(/[{}]/g, '')}}`);
  return `@${bibtexTypes[entry.type] ?? entry.type}{${entry.key},\n${body.join(',\n')}\n}`;
}
