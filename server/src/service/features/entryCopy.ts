/**
 * "Copy the entry for hooker2024 from extra.json into refs.bib": one entry of a bibliography written into
 * another, in the other's format. BibTeX into BibTeX and RIS into RIS as written; into CSL-JSON or CSL-YAML the
 * entry's CSL item (a CSL source's own item, a BibTeX entry through citation-js's BibLaTeX mapping); a CSL or RIS
 * entry into BibTeX through citation-js's BibTeX output. The copy must parse in the target as one more entry with
 * the key, with no new error and (as written) the same fields: otherwise nothing is offered.
 */
import type { TextEdit } from 'vscode-languageserver-types';
import type { BibEntry, BibFormat } from '../model';
import { LineIndex } from '../text';
import { parseBibliography } from '../index/bibliographies';
import { linkedKeys } from '../parsers/bibliography/bibtexLinks';
import { bibtexOfCsl, toCsl } from '../render/csl';
import { entryInsertion, type NewEntry } from './bibliographyEdits';
import { cleanCsl } from './export';

/** A bibliography's current text, its format, and the entry of its current parse. */
export interface CopySource {
  text: string;
  format: BibFormat;
  entry: BibEntry;
}

/** A field longer than this is cut by the CSL conversion (`clipField`): such an entry is not copied through it. */
const convertibleChars = 2000;

/** The edit adding a copy of `from.entry` to `to` (its current text), or undefined when no exact copy can be made. */
export function entryCopy(from: CopySource, to: { text: string; format: BibFormat }): TextEdit | undefined {
  const { entry } = from;
  // A child without its parent (crossref, xdata) would lose the fields it inherits.
  if (from.format === 'bibtex' && linkedKeys(entry).length > 0) return undefined;
  const written = newEntry(from, to.format);
  const edit = written && entryInsertion(to.text, to.format, written);
  return edit && isExactCopy(to, edit, from) ? edit : undefined;
}

function newEntry(from: CopySource, format: BibFormat): NewEntry | undefined {
  const { entry } = from;
  if (format === from.format && (format === 'bibtex' || format === 'ris')) return { block: verbatim(from).split(/\r?\n/) };
  if (format === 'ris') return undefined;
  if (from.format === 'bibtex' && Object.values(entry.rawFields ?? {}).some((v) => v.length > convertibleChars)) return undefined;
  const item = entry.csl ? { ...entry.csl, id: entry.key } : cleanCsl(toCsl(entry));
  if (format === 'csl-json' || format === 'csl-yaml') return { item };
  const bibtex = bibtexOfCsl(item, entry.key);
  return bibtex ? { block: bibtex.split('\n') } : undefined;
}

function verbatim({ text, entry }: CopySource): string {
  const lines = new LineIndex(text);
  return text.slice(lines.offsetAt(entry.range.start), lines.offsetAt(entry.range.end));
}

/** The target after the edit: its entries and one more with the key, no more errors, and a verbatim copy reads as the original. */
function isExactCopy(to: { text: string; format: BibFormat }, edit: TextEdit, from: CopySource): boolean {
  const lines = new LineIndex(to.text);
  const at = lines.offsetAt(edit.range.start);
  const after = to.text.slice(0, at) + edit.newText + to.text.slice(lines.offsetAt(edit.range.end));
  const errors = (t: string) => parseBibliography(t, to.format).errors.filter((e) => e.severity !== 'warning').length;
  const before = parseBibliography(to.text, to.format).value.entries;
  const now = parseBibliography(after, to.format).value.entries;
  if (now.length !== before.length + 1 || errors(after) > errors(to.text)) return false;
  const copies = now.filter((e) => e.key === from.entry.key);
  if (copies.length !== 1 || before.some((e) => e.key === from.entry.key)) return false;
  // A BibTeX entry using a macro the target does not define reads differently there.
  return to.format !== from.format || JSON.stringify(copies[0].fields) === JSON.stringify(from.entry.fields);
}
