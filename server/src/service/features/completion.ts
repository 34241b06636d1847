/**
 * Citation completion: after `@` in Markdown, inside `\cite{...}` in LaTeX.
 * Fuzzy over key, authors, year and title; the formatted reference is resolved lazily.
 */
import { CompletionItemKind, type CompletionItem, type CompletionList, type Range } from 'vscode-languageserver-types';
import type { CitationCompletionContext, Position } from '../model';
import { markdownDialect, type DocumentFacts } from '../index/documents';
import type { ScopeIndex } from '../index/scopeIndex';
import type { ScopePreview } from '../index/libraryPreview';
import { searchRecord, type SearchHit, type SearchRecord } from '../index/search';
import { markdownCompletionContext } from '../parsers/drafts/markdownCitations';
import { latexCompletionContext } from '../parsers/drafts/latexCitations';
import { shortAuthors } from '../render/csl';

/** What `completionItem/resolve` needs to format the reference. */
export interface CitationItemData {
  kind: 'citation';
  key: string;
  /** Bibliography file of the entry. */
  bib: string;
  /** The document asking (its scope decides the CSL style). */
  doc: string;
}

export function citationContext(facts: DocumentFacts, offset: number, latexCommands: readonly string[]): CitationCompletionContext | undefined {
  const text = facts.lines.text;
  if (facts.kind === 'markdown') return markdownCompletionContext(text, offset, markdownDialect(facts.uri)) ?? multiWordContext(text, offset);
  if (facts.kind === 'latex') return latexCompletionContext(text, offset, facts.latex?.citeCommands ?? latexCommands);
  return undefined;
}

/**
 * `[@nato force|`: inside an open bracketed citation, the writer may type several words to search
 * by author and title. The query runs from the `@` to the cursor, on one line, up to a few words.
 */
function multiWordContext(text: string, offset: number): CitationCompletionContext | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const m = /\[(?:[^\][]*?[\s;])?-?@([\p{L}\p{N}_][\p{L}\p{N}_ .:'’-]{0,80})$/u.exec(before);
  if (!m || !m[1].includes(' ')) return undefined;
  const keyStart = offset - m[1].length;
  // The `@` itself must stand where a citation may start (not in code, math, an e-mail...).
  const atStart = markdownCompletionContext(text, keyStart);
  if (!atStart) return undefined;
  return { prefix: m[1], range: { start: atStart.range.start, end: positionAfter(atStart.range.start, m[1].length) }, syntax: 'pandoc' };
}

function positionAfter(p: Position, n: number): Position {
  return { line: p.line, character: p.character + n };
}

/** Characters a bare Pandoc key may hold; others need `@{...}`. */
const bareKey = /^[\p{L}\p{N}_](?:[\p{L}\p{N}_]|[:.#$%&\-+?<>~/](?=[\p{L}\p{N}_]))*$/u;

export async function completeCitations(
  facts: DocumentFacts,
  position: Position,
  index: ScopeIndex,
  options: { latexCommands: readonly string[]; maxItems: number },
): Promise<CompletionList | undefined> {
  const offset = facts.lines.offsetAt(position);
  const ctx = citationContext(facts, offset, options.latexCommands);
  if (!ctx) return undefined;
  // A query needs the search: a large library's is built between other requests (an empty query lists entries at once).
  if (ctx.prefix.trim()) await index.searchReady();
  return citationList(facts, ctx, index.find(ctx.prefix, options.maxItems).hits);
}

/**
 * Citation completion from the preview of libraries still being parsed (issue 17): the items the index
 * will give, or undefined when the preview cannot be sure of them (the caller waits for the index).
 */
export function completeCitationsFromPreview(facts: DocumentFacts, position: Position, preview: ScopePreview, options: { latexCommands: readonly string[]; maxItems: number }): CompletionList | undefined {
  const ctx = citationContext(facts, facts.lines.offsetAt(position), options.latexCommands);
  const hits = ctx && preview.find(ctx.prefix, options.maxItems);
  return ctx && hits ? citationList(facts, ctx, hits) : undefined;
}

function citationList(facts: DocumentFacts, ctx: CitationCompletionContext, hits: readonly SearchHit[]): CompletionList {
  const braced = ctx.syntax === 'pandoc' && isBraced(facts.lines.text, ctx.range, facts);
  const items = hits.map((hit, rank) => citationItem(hit.record, rank, ctx, braced, facts.uri));
  // Always incomplete: the server ranks fuzzily (typos, title words) and must be asked again as the writer types.
  return { isIncomplete: true, items };
}

/**
 * The entries whose key starts with what is typed at a label's place (`@fig-` where a bibliography holds `fig-legacy`):
 * pandoc cites such a key when no label has its name, so label completion lists them after the labels.
 */
export function citationsStartingWith(facts: DocumentFacts, ctx: CitationCompletionContext, index: ScopeIndex, maxItems: number): CompletionItem[] {
  const prefix = ctx.prefix.toLowerCase();
  const items: CompletionItem[] = [];
  for (const { entry, uri } of index.citable()) {
    if (items.length >= maxItems) break;
    if (entry.key.toLowerCase().startsWith(prefix)) items.push(citationItem(searchRecord(entry, uri), items.length, ctx, isBraced(facts.lines.text, ctx.range, facts), facts.uri));
  }
  return items;
}

function isBraced(text: string, range: Range, facts: DocumentFacts): boolean {
  const start = facts.lines.offsetAt(range.start);
  return text.slice(Math.max(0, start - 2), start) === '@{';
}

function citationItem(r: SearchRecord, rank: number, ctx: CitationCompletionContext, braced: boolean, doc: string): CompletionItem {
  const who = shortAuthors(r.entry) || r.entry.fields.editor || '';
  const detail = `${who}${who ? ' ' : ''}(${r.year || 'n.d.'})`;
  const needsBraces = ctx.syntax === 'pandoc' && !braced && !bareKey.test(r.key);
  const data: CitationItemData = { kind: 'citation', key: r.key, bib: r.uri, doc };
  return {
    label: r.key,
    labelDetails: { description: truncate(r.title, 60) },
    kind: CompletionItemKind.Reference,
    detail,
    sortText: rank.toString().padStart(6, '0'),
    // What the writer typed comes first so the editor never filters out a fuzzy or typo match.
    filterText: `${ctx.prefix} ${r.key} ${truncate(r.authors, 200)} ${r.year} ${truncate(r.title, 200)}`,
    textEdit: { range: ctx.range, newText: needsBraces ? `{${r.key}}` : r.key },
    data,
  };
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}
