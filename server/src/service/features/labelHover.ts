/**
 * Hover on a cross-reference (`\ref{sec:x}`, `@fig-map`) or a label: what the label names (the heading, the
 * caption, the equation's first line) and where it is defined. Nothing for a label the project does not define.
 */
import type { Hover } from 'vscode-languageserver-types';
import type { Position } from '../model';
import type { DocumentFacts, LabelIndex } from '../index/documents';
import { basename } from '../index/paths';
import { refAt } from './definition';
import { labelTargetOf } from './labelCompletion';

export function labelHover(facts: DocumentFacts, position: Position, labels: LabelIndex, files: readonly DocumentFacts[]): Hover | undefined {
  const ref = refAt(facts, position);
  // Quarto reads `@Fig-map` as `fig-map` with a capital "Figure".
  const definitions = ref && (labels.get(ref.label) ?? labels.get(ref.label[0].toLowerCase() + ref.label.slice(1)));
  if (!ref || !definitions?.length) return undefined;
  const [first] = definitions;
  const target = labelTargetOf(ref.label, first, files);
  const where = `*${basename(first.uri)}:${first.range.start.line + 1}*`;
  const what = target ? `**${target.kind}**: ${escapeMarkdown(target.text)}` : `**${escapeMarkdown(ref.label)}**`;
  return { contents: { kind: 'markdown', value: `${what}\n\n${where}` }, range: ref.range };
}

/** Markdown's special characters shown as themselves. */
function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_[\]<>#|]/g, '\\$&');
}
