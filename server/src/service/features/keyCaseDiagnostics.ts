/**
 * `bib.case-duplicate`: two keys of one BibTeX file that differ only in case (`Ok` and `ok`), judged by
 * the programs that read the file, as seen with BibTeX 0.99d and biber 2.18:
 * - BibTeX compares keys regardless of case: the second entry is an error, "Repeated entry", and is skipped
 *   (across the files of one `\bibliography{a,b}` too). It also resolves `\cite{ok}` to `Ok`, silently.
 * - biber keeps both, but warns "Possible typo (case mismatch) between datasource keys: 'ok' and 'Ok'",
 *   cited or not.
 * - pandoc (citeproc) keeps both as different keys, silently: a file only Markdown drafts read is not reported.
 * A file no draft is known to read yet is a BibTeX file first: reported.
 *
 * And in a draft: BibTeX takes the first spelling it meets of a key (`\cite{ok}`) and rejects a later one that
 * differs in case (`\cite{Ok}`: "Case mismatch error between cite keys Ok and ok"), which LaTeX then reports
 * undefined. Within one document, that later citation is a `citation.undefined`, with "Change to ok" as its fix.
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { BibEntry, Citation } from '../model';
import type { DocumentFacts } from '../index/documents';
import type { LoadedBibliography } from '../index/bibliographies';
import { foldCase, type ScopeIndex } from '../index/scopeIndex';
import type { BibliographyReader, Scope } from '../index/scope';
import { candidateLabel, source, type UndefinedCitationData } from './diagnostics';
import { eachPaced, type Steps } from '../pacing';

/** `data` of `bib.case-duplicate`. */
export interface CaseDuplicateData {
  key: string;
  twin: { key: string; uri: string; range: BibEntry['keyRange'] };
}

export function* caseDuplicates(bib: LoadedBibliography, readers: ReadonlySet<BibliographyReader>): Steps<Diagnostic[]> {
  if (bib.fileError || bib.format !== 'bibtex') return [];
  if (readers.size > 0 && [...readers].every((r) => r === 'pandoc')) return [];
  const out: Diagnostic[] = [];
  const first = new Map<string, BibEntry>();
  yield* eachPaced(bib.entries, (entry) => {
    const folded = foldCase(entry.key);
    const twin = first.get(folded);
    if (!twin) first.set(folded, entry);
    else if (twin.key !== entry.key) {
      const data: CaseDuplicateData = { key: entry.key, twin: { key: twin.key, uri: bib.uri, range: twin.keyRange } };
      out.push({
        range: entry.keyRange,
        severity: DiagnosticSeverity.Warning,
        code: 'bib.case-duplicate',
        source,
        message: message(entry.key, twin, readers),
        relatedInformation: [{ location: { uri: bib.uri, range: twin.keyRange }, message: `'${twin.key}' defined here` }],
        data,
      });
    }
  });
  return out;
}

function message(key: string, twin: BibEntry, readers: ReadonlySet<BibliographyReader>): string {
  const where = `'${twin.key}' (line ${twin.keyRange.start.line + 1})`;
  if (readers.has('bibtex')) return `Key '${key}' differs from ${where} only in case: BibTeX reads them as one key and skips this entry ("Repeated entry").`;
  if (readers.has('biber') && !readers.has('latex')) return `Key '${key}' differs from ${where} only in case: biber warns "Possible typo (case mismatch)", and a citation of one is easily meant for the other.`;
  return `Key '${key}' differs from ${where} only in case: BibTeX skips this entry ("Repeated entry"), biber warns of a possible typo.`;
}

/** In a BibTeX project, citations of a key already cited with another case in the document (see the module comment). */
export function citationCaseMismatches(facts: DocumentFacts, scope: Scope, index: ScopeIndex): Diagnostic[] {
  if (facts.kind !== 'latex' || scope.backend !== 'bibtex') return [];
  const out: Diagnostic[] = [];
  const first = new Map<string, Citation>();
  for (const c of facts.citations) {
    if (c.key === '*') continue;
    const folded = foldCase(c.key);
    const earlier = first.get(folded);
    if (!earlier) first.set(folded, c);
    else if (earlier.key !== c.key) {
      const found = index.resolve(earlier.key, true);
      if (found.length === 0) continue; // undefined either way: reported as such
      const data: UndefinedCitationData = { key: c.key, candidates: [{ key: earlier.key, label: candidateLabel(found[0].entry) }] };
      out.push({
        range: c.range,
        severity: DiagnosticSeverity.Error,
        code: 'citation.undefined',
        source,
        message: `'${c.key}' was cited as '${earlier.key}' on line ${earlier.range.start.line + 1}: BibTeX keeps the first spelling and leaves this one undefined ("Case mismatch error between cite keys").`,
        relatedInformation: [{ location: { uri: facts.uri, range: earlier.range }, message: `first cited as '${earlier.key}'` }],
        data,
      });
    }
  }
  return out;
}
