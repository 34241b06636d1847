/**
 * Cross-reference label completion: inside `\ref{`, `\cref{`, `\eqref{`... in LaTeX, after `@fig-`, `@tbl-`,
 * `@sec-`, `@eq-`... (Quarto) or `@fig:` (pandoc-crossref) in Markdown. Each item says what its label names.
 */
import { CompletionItemKind, type CompletionItem, type CompletionList, type Range } from 'vscode-languageserver-types';
import { markdownDialect, type DocumentFacts, type LabelIndex } from '../index/documents';
import { basename } from '../index/paths';
import { isCrossRefLabel, markdownCompletionContext } from '../parsers/drafts/markdownCitations';
import { latexRefCompletionContext } from '../parsers/drafts/latexLabels';
import { latexLabelTarget, markdownLabelTarget, type LabelTarget } from '../parsers/drafts/labelTargets';

export interface LabelCompletionContext {
  /** What is typed of the label (`fig-ma`, `sec:`). */
  prefix: string;
  /** What an item replaces. */
  range: Range;
  syntax: 'latex' | 'pandoc';
  /** Markdown: the type and separator typed (`fig-`, `Fig-`, `fig:`): only labels of that type are listed. */
  type?: string;
}

/** At most this many labels are listed. */
const MAX_LABELS = 500;

/**
 * Where the cursor completes a label: a LaTeX reference command's braces, or a Markdown `@` followed by a
 * cross-reference type and its separator (`@fig-`, `@Fig-`, `@fig:`). Before the separator (`@fig`) the writer
 * may still be citing a key, which citation completion answers.
 */
export function labelContext(facts: DocumentFacts, offset: number): LabelCompletionContext | undefined {
  const text = facts.lines.text;
  // What comes just before the cursor says whether to look further (the parsers read the text from its start).
  const before = text.slice(Math.max(0, offset - 300), offset);
  if (facts.kind === 'latex') {
    if (!/\\[A-Za-z]*ref[A-Za-z]*\*?\s*(?:\[[^\]]*\]\s*){0,2}[{[][^{}[\]\\]*$/.test(before)) return undefined;
    const ctx = latexRefCompletionContext(text, offset);
    return ctx && { ...ctx, syntax: 'latex' };
  }
  if (facts.kind !== 'markdown' || !/@\{?[A-Za-z]{2,3}[-:][^\s@;,[\]{}]*$/.test(before)) return undefined;
  const ctx = markdownCompletionContext(text, offset, markdownDialect(facts.uri));
  const type = ctx && /^[A-Za-z]{2,3}[-:]/.exec(ctx.prefix)?.[0];
  return type && isCrossRefLabel(`${type}x`) ? { prefix: ctx.prefix, range: ctx.range, syntax: 'pandoc', type } : undefined;
}

/** The target of a label where `files` define it. */
export function labelTargetOf(label: string, definition: { uri: string; range: Range }, files: readonly DocumentFacts[]): LabelTarget | undefined {
  const file = files.find((f) => f.uri === definition.uri);
  if (!file) return undefined;
  const start = file.lines.offsetAt(definition.range.start);
  return file.kind === 'latex' ? latexLabelTarget(file.lines.text, start) : markdownLabelTarget(file.lines.text, start, label);
}

/**
 * The project's labels that could complete what is typed (its letters in order: VS Code filters the rest as the
 * writer types, so the list is complete), in reading order, then `more` (citation keys of the same shape).
 */
export function completeLabels(ctx: LabelCompletionContext, labels: LabelIndex, files: readonly DocumentFacts[], more: CompletionItem[]): CompletionList {
  const items: CompletionItem[] = [];
  for (const [label, definitions] of labels) {
    if (items.length >= MAX_LABELS) break;
    const lower = label.toLowerCase();
    // In Markdown only labels of the type typed (`@fig-` lists figures, `@sec-` sections).
    if ((ctx.type && !lower.startsWith(ctx.type.toLowerCase())) || !inOrder(ctx.prefix.toLowerCase(), lower)) continue;
    const target = labelTargetOf(label, definitions[0], files);
    // `@Fig-map` writes "Figure 1" at the start of a sentence: the capital typed is kept.
    const text = ctx.type && /^[A-Z]/.test(ctx.type) ? label[0].toUpperCase() + label.slice(1) : label;
    items.push(labelItem(text, target, definitions[0].uri, ctx.range, items.length));
  }
  for (const item of more) items.push({ ...item, sortText: `1${item.sortText ?? ''}`, filterText: typeof item.label === 'string' ? item.label : undefined });
  return { isIncomplete: false, items };
}

function labelItem(label: string, target: LabelTarget | undefined, uri: string, range: Range, rank: number): CompletionItem {
  return {
    label,
    labelDetails: target && { description: target.text.length > 60 ? `${target.text.slice(0, 59)}…` : target.text },
    kind: CompletionItemKind.Reference,
    detail: target ? `${target.kind}: ${target.text}` : `Label in ${basename(uri)}`,
    sortText: `0${rank.toString().padStart(6, '0')}`,
    filterText: label,
    textEdit: { range, newText: label },
  };
}

/** Are the characters of `typed` in `word`, in order? */
function inOrder(typed: string, word: string): boolean {
  let i = 0;
  for (let j = 0; i < typed.length && j < word.length; j++) if (typed[i] === word[j]) i++;
  return i === typed.length;
}
