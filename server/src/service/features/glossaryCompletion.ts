/**
 * Completion of glossary keys just inside a glossary command's braces: `\gls{|`, `\Gls{n|`,
 * `\acrshort[hyper=false]{|`, `\ac{|`, `\acs{|` (LaTeX) and Quarto's `\acr{|` (Markdown). One key
 * per command: no completion after a comma. Items are the keys of the project's glossary (LaTeX
 * definitions, front-matter acronyms), with the expansion as detail and the hover text as
 * documentation; the item replaces the whole typed key.
 */
import { CompletionItemKind, type CompletionItem, type Range } from 'vscode-languageserver-types';
import { LineIndex } from '../text';
import type { Glossary } from '../glossary/model';
import { glossaryCommands, type DocumentKind } from '../glossary/prose';
import { termMarkdown } from './glossaryHover';

export interface GlossaryCompletionContext {
  command: string;
  /** The key typed so far, up to the cursor. */
  prefix: string;
  /** The key being typed, before and after the cursor: what an item replaces. */
  range: Range;
}

/** `\cmd*[opts]{prefix|` on the cursor's line, outside a `%` comment (LaTeX). */
const beforeCursor = /\\([A-Za-z]+)[*+]?(?:\[[^\]\n]*\])?\{([^{},\\%\s]*)$/;

export function glossaryCompletionContext(text: string, offset: number, kind: DocumentKind): GlossaryCompletionContext | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(Math.max(lineStart, offset - 300), offset);
  const m = beforeCursor.exec(before);
  if (!m || !glossaryCommands.has(m[1])) return undefined;
  if (kind === 'latex' && /(?:^|[^\\])(?:\\\\)*%/.test(before.slice(0, m.index))) return undefined;
  let end = offset;
  while (end < text.length && !/[{},\\%\s]/.test(text[end])) end++;
  const lines = new LineIndex(text);
  return { command: m[1], prefix: m[2], range: lines.range(offset - m[2].length, end) };
}

export function glossaryCompletion(text: string, offset: number, kind: DocumentKind, glossary: Glossary): CompletionItem[] | undefined {
  const context = glossaryCompletionContext(text, offset, kind);
  if (!context) return undefined;
  const terms = glossary.keyedTerms().sort((a, b) => a.key!.localeCompare(b.key!));
  return terms.map((term) => ({
    label: term.key!,
    kind: CompletionItemKind.Constant,
    labelDetails: { description: term.short },
    detail: term.expansion ?? term.short,
    documentation: { kind: 'markdown', value: termMarkdown(term, glossary, kind) },
    filterText: term.key,
    textEdit: { range: context.range, newText: term.key! },
  }));
}
