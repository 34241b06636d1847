/**
 * The entries a BibTeX entry names in its link fields (`linkFields`): its `crossref` parent, its `xref`,
 * its `xdata` entries, its `related` entries and, for a `@set`, its `entryset` members. Rename changes
 * these names with the key; Export Cited References brings the entries they name along.
 */
import type { BibEntry, Range } from '../../model';
import { BibtexEntry, fieldOf } from './bibtex';
import { linkFields } from './bibtexScanner';

/** The keys an entry names in its link fields, in field order, each once. */
export function linkedKeys(entry: BibEntry): string[] {
  const keys = new Set<string>();
  for (const field of linkFields) {
    for (const k of fieldOf(entry, field)?.split(',') ?? []) if (k.trim()) keys.add(k.trim());
  }
  return [...keys];
}

/**
 * Where `entry` names `key` in a link field whose value is written plainly, in braces or quotes
 * (`crossref = {key}`, `xdata = "a, key"`): the ranges of each mention in the entry's file.
 * A value built from macros or `#` is not a list of names as written, and is left alone.
 */
export function linkRanges(entry: BibEntry, key: string): Range[] {
  if (!(entry instanceof BibtexEntry) || !entry.links) return [];
  const { text } = entry.source;
  const out: Range[] = [];
  for (const [s, e] of Object.values(entry.links)) {
    const from = entry.start + s;
    const to = entry.start + e;
    if (to > text.length || to - from < 2) continue;
    const delimited = (text[from] === '{' && text[to - 1] === '}') || (text[from] === '"' && text[to - 1] === '"');
    const inner = text.slice(from + 1, to - 1);
    if (!delimited || /[{}"#]/.test(inner)) continue;
    let at = from + 1;
    for (const piece of inner.split(',')) {
      const name = piece.trim();
      const start = at + piece.indexOf(name);
      if (name === key) out.push(entry.source.lines.range(start, start + key.length));
      at += piece.length + 1;
    }
  }
  return out;
}
