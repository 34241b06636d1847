/**
 * `bib.duplicate-key`: a key defined more than once where one draft sees it. In the bibliography file, on each
 * entry that is not the first definition in the file or in a scope that loads it; and on the draft's (or
 * `_quarto.yml`'s) declaration of a file that redefines keys an earlier declared file defines, saying whose entry
 * is used: pandoc 2.17 (citeproc) silently uses the last definition, biber and BibTeX the first.
 */
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver-types';
import type { BibEntry, Range } from '../model';
import type { LoadedBibliography } from '../index/bibliographies';
import type { Located, ScopeIndex } from '../index/scopeIndex';
import type { BibliographySource } from '../index/scope';
import { displayPath } from '../index/paths';
import { firstOthers } from './bounds';
import { eachPaced, type Steps } from '../pacing';

const source = 'entente';

/** `data` of `bib.duplicate-key`. */
export interface DuplicateKeyData {
  key: string;
  /** The duplicate entry's own range (for "remove this duplicate"). */
  entryRange: Range;
  /** Which of the file's entries with this key it is (0: the first), and how many there are: the quick fix finds it again by them. */
  occurrence: number;
  count: number;
  first: { uri: string; range: Range };
}

/**
 * `bib.duplicate-key` on each entry of the file that is not the first definition of its key: in the file, or in
 * a scope that loads it (the first file of the scope that defines the key holds the first definition).
 */
export function* duplicateKeys(bib: LoadedBibliography, scopes: readonly ScopeIndex[], folder?: string): Steps<Diagnostic[]> {
  const out: Diagnostic[] = [];
  const at = (uri: string, entry: BibEntry) => `${uri}#${entry.range.start.line}:${entry.range.start.character}`;
  yield* eachPaced(bib.byKey, ([key, entries]) => {
    const lookups = scopes.flatMap((scope) => scope.lookup(key));
    if (entries.length === 1 && lookups.every((l) => l.entry === entries[0])) return; // the one definition: no positions needed
    // Every definition of the key this file's scopes see (a scope may hold another parse of this file).
    const all = new Map<string, Located>();
    for (const l of [...lookups, ...entries.map((entry) => ({ entry, uri: bib.uri }))]) all.set(at(l.uri, l.entry), l);
    if (all.size < 2) return;
    for (const [occurrence, e] of entries.entries()) {
      const self = at(bib.uri, e);
      const first = e !== entries[0] ? { uri: bib.uri, entry: entries[0] } : scopes.map((scope) => scope.lookup(key)[0]).find((l) => l && at(l.uri, l.entry) !== self);
      if (!first) continue;
      const others = firstOthers(all.entries(), ([k]) => k === self).map(([, l]) => l);
      const data: DuplicateKeyData = { key, entryRange: e.range, occurrence, count: entries.length, first: { uri: first.uri, range: first.entry.keyRange } };
      out.push({
        range: e.keyRange,
        severity: DiagnosticSeverity.Error,
        code: 'bib.duplicate-key',
        source,
        message: `Duplicate key '${key}': also defined ${first.uri === bib.uri ? `on line ${first.entry.keyRange.start.line + 1}` : `in ${displayPath(first.uri, folder)}`}${all.size > 2 ? ` (${all.size} definitions)` : ''}.`,
        relatedInformation: others.map((o) => related(o.uri, o.entry.keyRange, `'${key}' defined here`)),
        data,
      });
    }
  });
  return out;
}

/** Most keys a duplicate on a declaration names, and related locations it carries. */
const MAX_KEYS_NAMED = 5;
const MAX_RELATED = 10;

/**
 * `bib.duplicate-key` on a declaration in `declaredIn`: the keys its bibliography defines that another of the same
 * declarations (`sources`, in order) defines too, saying whose entry is used: pandoc 2.17 (citeproc) uses the last
 * definition, biber and BibTeX the first, both silently. The bibliography file reports each entry itself.
 */
export function declaredDuplicates(sources: readonly BibliographySource[], bibs: readonly LoadedBibliography[], processor: 'pandoc' | 'biber', declaredIn: string, folder?: string): Diagnostic[] {
  const loaded = sources.map((s) => bibs.find((b) => b.uri === s.uri && !b.fileError)).filter((b, i, all): b is LoadedBibliography => !!b && all.indexOf(b) === i);
  if (loaded.length < 2) return [];
  const out: Diagnostic[] = [];
  for (const source of sources) {
    const bib = loaded.find((b) => b.uri === source.uri);
    if (source.declaredIn !== declaredIn || !source.declaredAt || !bib) continue;
    // On the declaration of the later file of each pair.
    const earlier = loaded.slice(0, loaded.indexOf(bib));
    const keys = [...bib.byKey.keys()].filter((key) => earlier.some((o) => o.byKey.has(key)));
    if (keys.length) out.push(declaredDuplicate(bib, keys, loaded, processor, source.declaredAt, folder));
  }
  return out;
}

function declaredDuplicate(bib: LoadedBibliography, keys: string[], loaded: readonly LoadedBibliography[], processor: 'pandoc' | 'biber', at: Range, folder?: string): Diagnostic {
  const name = (b: LoadedBibliography) => displayPath(b.uri, folder);
  const holders = (key: string) => loaded.filter((b) => b.byKey.has(key));
  const others = [...new Set(keys.flatMap((k) => holders(k).filter((b) => b !== bib)))];
  const winners = new Set(keys.map((k) => (processor === 'pandoc' ? holders(k).at(-1)! : holders(k)[0])));
  const shown = keys.slice(0, MAX_KEYS_NAMED).map((k) => `'${k}'`).join(', ') + (keys.length > MAX_KEYS_NAMED ? ` and ${keys.length - MAX_KEYS_NAMED} more` : '');
  const what = keys.length === 1 ? `${shown} is` : `${keys.length} keys (${shown}) are`;
  const rule = processor === 'pandoc' ? 'pandoc uses the last definition' : 'biber and BibTeX use the first definition';
  const used = winners.size === 1 ? `; ${rule}: ${name([...winners][0])}'s` : `; ${rule}`;
  const related = keys.slice(0, MAX_KEYS_NAMED).flatMap((k) => holders(k).map((b) => relatedEntry(b, k, folder))).slice(0, MAX_RELATED);
  return {
    range: at,
    severity: DiagnosticSeverity.Warning,
    code: 'bib.duplicate-key',
    source,
    message: `${what} defined in ${name(bib)} and also in ${others.map(name).join(', ')}${used}.`,
    relatedInformation: related,
  };
}

function relatedEntry(bib: LoadedBibliography, key: string, folder?: string): DiagnosticRelatedInformation {
  return related(bib.uri, bib.byKey.get(key)![0].keyRange, `'${key}' in ${displayPath(bib.uri, folder)}`);
}

function related(uri: string, range: Range, message: string): DiagnosticRelatedInformation {
  return { location: { uri, range }, message };
}
