/** Rename a citation key or a cross-reference label everywhere: one exact WorkspaceEdit. */
import type { Location, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';

/** A key every syntax accepts bare: BibTeX (no space, comma, brace, quote...), Pandoc (`@key`), CSL-JSON. */
const validKey = /^[\p{L}\p{N}_](?:[\p{L}\p{N}_]|[:.#$&\-+?<>~/](?=[\p{L}\p{N}_]))*$/u;

/** Why `name` cannot be a citation key, or undefined when it can. */
export function invalidKeyReason(name: string): string | undefined {
  if (!name) return 'A citation key cannot be empty.';
  if (!validKey.test(name)) return `'${name}' is not a valid citation key: use letters, digits and _ , with : . - / + between them.`;
  return undefined;
}

/** Why `name` cannot be a LaTeX/Quarto label, or undefined. */
export function invalidLabelReason(name: string, quarto: boolean): string | undefined {
  if (!name) return 'A label cannot be empty.';
  if (/[\s{}\\,%#]/.test(name)) return `'${name}' is not a valid label.`;
  if (quarto && !/^[a-z]+-/.test(name)) return `'${name}' is not a Quarto cross-reference label (it must keep its prefix, e.g. fig-).`;
  return undefined;
}

/** One edit per location, grouped by file, sorted and without duplicates. */
export function renameEdit(locations: readonly Location[], newName: string): WorkspaceEdit {
  const changes: Record<string, TextEdit[]> = {};
  const seen = new Set<string>();
  for (const { uri, range } of locations) {
    const k = `${uri}#${range.start.line}:${range.start.character}`;
    if (seen.has(k)) continue;
    seen.add(k);
    (changes[uri] ??= []).push({ range, newText: newName });
  }
  for (const edits of Object.values(changes)) edits.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { changes };
}
