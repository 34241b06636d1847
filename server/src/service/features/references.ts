/** Find references: every citation of a key across the drafts that see the same definition. */
import type { Location } from 'vscode-languageserver-types';
import type { Position, Range } from '../model';
import type { DocumentFacts } from '../index/documents';
import type { LoadedBibliography } from '../index/bibliographies';
import { rangeContains } from '../text';
import { citationAt } from './hover';
import { linkedKeys, linkRanges } from '../parsers/bibliography/bibtexLinks';

export interface KeyAt {
  key: string;
  range: Range;
}

/** The citation key under the cursor in a draft. */
export function citationKeyAt(facts: DocumentFacts, position: Position): KeyAt | undefined {
  const c = citationAt(facts, position);
  return c && c.key !== '*' ? { key: c.key, range: c.range } : undefined;
}

/**
 * The key under the cursor in a bibliography file: a name in a link field (`crossref = {parent}`: the parent's key,
 * where it is written), else the key of the entry the cursor is in (anywhere in it; the key's range is returned).
 */
export function entryKeyAt(bib: LoadedBibliography, position: Position): KeyAt | undefined {
  const entry = bib.entries.find((e) => rangeContains(e.keyRange, position)) ?? bib.entries.find((e) => rangeContains(e.range, position));
  if (!entry) return undefined;
  for (const key of linkedKeys(entry)) {
    const range = linkRanges(entry, key).find((r) => rangeContains(r, position));
    if (range) return { key, range };
  }
  return { key: entry.key, range: entry.keyRange };
}

/** Citations of `key` in the given drafts. */
export function citationLocations(key: string, drafts: readonly DocumentFacts[]): Location[] {
  const out: Location[] = [];
  for (const f of drafts) for (const c of f.citations) if (c.key === key) out.push({ uri: f.uri, range: c.range });
  return out;
}

/** Where BibTeX entries of the given bibliographies name `key` in a link field (`crossref = {key}`, `xdata = {a, key}`...). */
export function linkLocations(key: string, bibs: readonly LoadedBibliography[]): Location[] {
  const out: Location[] = [];
  for (const bib of bibs) {
    if (bib.format !== 'bibtex') continue;
    for (const entry of bib.entries) for (const range of linkRanges(entry, key)) out.push({ uri: bib.uri, range });
  }
  return out;
}

/** References to a label (and, with `withDefinitions`, its definitions) in a project's files. */
export function labelLocations(label: string, files: readonly DocumentFacts[], withDefinitions: boolean): Location[] {
  const out: Location[] = [];
  for (const f of files) {
    if (withDefinitions) for (const l of f.labels) if (l.label === label) out.push({ uri: f.uri, range: l.range });
    for (const r of f.refs) if (r.label === label) out.push({ uri: f.uri, range: r.range });
  }
  return out;
}
