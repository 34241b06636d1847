/**
 * Diagnostics: broken citations and cross-references in drafts, and problems in bibliography
 * files. Every diagnostic has a stable `code`, `source: "entente"`, `relatedInformation` pointing
 * at its twin, and a `data` payload the quick fixes read instead of re-analysing.
 */
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver-types';
import type { BibEntry, Citation, Range } from '../model';
import type { DeclaredPath, DocumentFacts, LabelFact, LabelIndex } from '../index/documents';
import type { LoadedBibliography } from '../index/bibliographies';
import { isCitable, type Located, type ScopeIndex } from '../index/scopeIndex';
import type { Scope } from '../index/scope';
import { declaredDuplicates, duplicateKeys } from './duplicateKeys';
import { firstOthers } from './bounds';
import { displayPath, extname } from '../index/paths';
import { shortAuthors } from '../render/csl';
import { closestNames } from '../nearest';
import { fieldOf, namesOf } from '../parsers/bibliography/bibtex';
import { eachPaced, type Steps } from '../pacing';

export const source = 'entente';

export interface DiagnosticOptions {
  /** `bib.missing-field` warnings. */
  missingFields: boolean;
}

/** `data` of `citation.undefined`. */
export interface UndefinedCitationData {
  key: string;
  candidates: { key: string; label: string }[];
  /** The bibliography a stub entry would go into. */
  stub?: { uri: string; format: string };
}

/** `data` of `crossref.undefined`. */
export interface UndefinedLabelData {
  label: string;
  candidates: string[];
}

/** Diagnostics of a Markdown or LaTeX draft. */
/** What else a draft's cross-references are read against: the starts of labels macros or cells make, other drafts' labels. */
export interface LabelContext {
  generated?: readonly string[];
  /** The labels of the workspace's other Markdown drafts, for a draft in no known project (see `undefinedRefs`). */
  elsewhere?: LabelIndex;
}

export function draftDiagnostics(facts: DocumentFacts, scope: Scope, index: ScopeIndex, labels: LabelIndex, folder?: string, context: LabelContext = {}): Diagnostic[] {
  const citations = citationCheck(facts, scope, index);
  const declared = scope.sources.filter((s) => s.origin !== 'workspace' && s.origin !== 'setting');
  return [
    ...undefinedCitationDiagnostics(scope, index, citations, folder),
    ...inlineReferenceErrors(scope),
    ...missingBibliographies(citations, folder),
    ...declaredDuplicates(declared, index.bibliographies, facts.kind === 'latex' ? 'biber' : 'pandoc', facts.uri, folder),
    // An included file that cannot be read (generated, not committed) may define any label: say nothing of them.
    ...(scope.labelsIncomplete ? [] : undefinedRefs(facts, labels, context, scope.projectFiles.length > 1, folder)),
    ...duplicateLabels(facts, labels, folder),
  ];
}

/** What the citation checks of a draft read, computed once per check. */
interface CitationCheck {
  /** Citations no bibliography of the scope defines, in text order; none when the file is not plainly a draft. */
  unresolved: Citation[];
  /** The bibliographies the draft itself declares that cannot be read (reported on its declarations). */
  unreadable: { bib: LoadedBibliography; declaredAt: Range }[];
  /** A bibliography it inherits (`_quarto.yml`, another file of its project) cannot be read: reported there. */
  inheritedUnreadable: boolean;
}

/**
 * A file is plainly a draft whose citations are meant for pandoc or LaTeX when it is a LaTeX file, a Quarto or
 * R Markdown file, a Markdown file that declares or inherits a bibliography (front matter, `_quarto.yml`,
 * `_metadata.yml`) or holds `references:`, or one that cites a key its bibliographies define. A README or a
 * changelog that thanks `@someone`, in a folder that declares nothing, is none of these: its citations are not checked.
 */
function citationCheck(facts: DocumentFacts, scope: Scope, index: ScopeIndex): CitationCheck {
  const unreadable: CitationCheck['unreadable'] = [];
  let inheritedUnreadable = false;
  for (const s of scope.sources) {
    if (!s.declaredIn || !s.declaredAt) continue;
    const bib = index.bibliographies.find((b) => b.uri === s.uri);
    if (!bib?.fileError) continue;
    if (s.declaredIn === facts.uri) unreadable.push({ bib, declaredAt: s.declaredAt });
    else inheritedUnreadable = true;
  }
  const cited = facts.citations.filter((c) => c.key !== '*');
  // BibTeX finds keys regardless of case (`\cite{ok}` cites `Ok`, silently); biber and pandoc do not. An `@xdata` entry is never cited.
  const ignoreCase = scope.backend === 'bibtex';
  const unresolved = cited.filter((c) => !index.resolve(c.key, ignoreCase).some((l) => isCitable(l.entry)));
  const plainlyDraft =
    facts.kind !== 'markdown' ||
    ['.qmd', '.rmd'].includes(extname(facts.uri)) ||
    !!scope.inline ||
    scope.sources.some((s) => s.origin !== 'setting' && s.origin !== 'workspace') ||
    unresolved.length < cited.length;
  return { unresolved: plainlyDraft ? unresolved : [], unreadable, inheritedUnreadable };
}

/**
 * The citations `citation.undefined` reports: none while a bibliography the draft declares or inherits cannot
 * be read (the keys may be in it), nor in a file that is not plainly a draft. For the semantic tokens.
 */
export function undefinedCitations(facts: DocumentFacts, scope: Scope, index: ScopeIndex): Citation[] {
  const check = citationCheck(facts, scope, index);
  return check.unreadable.length > 0 || check.inheritedUnreadable ? [] : check.unresolved;
}

/**
 * `citation.undefined`, with did-you-mean. While a bibliography the draft declares or inherits cannot be read,
 * the keys found nowhere may be in it: they are not reported one by one; its declaration has the error (and,
 * in the draft's own, their count).
 */
function undefinedCitationDiagnostics(scope: Scope, index: ScopeIndex, { unresolved, unreadable, inheritedUnreadable }: CitationCheck, folder?: string): Diagnostic[] {
  if (unreadable.length > 0 || inheritedUnreadable) return [];
  const out: Diagnostic[] = [];
  const stub = stubTarget(scope, index);
  const candidatesFor = new Map<string, UndefinedCitationData['candidates']>();
  // A draft that names no bibliography sees the workspace's as a guess: its build may name another (a Makefile's
  // `--bibliography`, a defaults file). A key missing there is worth a warning, not an error.
  const guessed = scope.sources.length > 0 && scope.sources.every((s) => s.origin === 'workspace') && !scope.inline;
  for (const c of unresolved) {
    let candidates = candidatesFor.get(c.key);
    if (!candidates) {
      // A key defined in two files is one suggestion (one quick fix), not two.
      const hits = index.search.search(c.key, 6).hits.filter((h, i, all) => all.findIndex((o) => o.record.key === h.record.key) === i);
      candidates = hits.slice(0, 3).map((h) => ({ key: h.record.key, label: candidateLabel(h.record.entry) }));
      candidatesFor.set(c.key, candidates);
    }
    const hint = candidates.length ? ` Did you mean ${candidates.map((x) => `'${x.key}'`).join(', ')}?` : '';
    const xdata = index.lookup(c.key)[0];
    // A stub would be a second entry with the key of the @xdata entry.
    const data: UndefinedCitationData = { key: c.key, candidates, stub: xdata ? undefined : stub };
    const where = guessed ? ` in the workspace's bibliographies (this draft names none, so the one its build uses is not known)` : '';
    out.push({
      range: c.range,
      severity: guessed ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
      code: 'citation.undefined',
      source,
      message: `${xdata ? xdataMessage(xdata, folder) : `No bibliography entry for '${c.key}'${where}.`}${hint}`,
      data,
    });
  }
  return out;
}

/** biber leaves an `@xdata` entry out of the bibliography (LaTeX: citation undefined), and pandoc finds no such citation. */
function xdataMessage({ entry, uri }: Located, folder?: string): string {
  return `'${entry.key}' is a biblatex @xdata entry (${displayPath(uri, folder)}:${entry.keyRange.start.line + 1}): it only holds fields that entries with xdata = {${entry.key}} inherit, and cannot be cited.`;
}

/** "Biscop (2022) The New Force Model…" */
export function candidateLabel(entry: BibEntry): string {
  const who = shortAuthors(entry);
  const title = entry.title ? ` ${entry.title.length > 60 ? `${entry.title.slice(0, 59)}…` : entry.title}` : '';
  return `${who || 'Anonymous'} (${entry.year ?? 'n.d.'})${title}`;
}

/** The bibliography the document itself declares first (where a stub entry belongs). */
function stubTarget(scope: Scope, index: ScopeIndex): UndefinedCitationData['stub'] {
  const declared = scope.sources.find((s) => s.origin !== 'setting' && s.origin !== 'workspace') ?? scope.sources[0];
  if (!declared) return undefined;
  const bib = index.bibliographies.find((b) => b.uri === declared.uri);
  return bib && !bib.fileError ? { uri: bib.uri, format: bib.format } : undefined;
}

/**
 * Problems of the bibliographies a draft declares that are reported in the draft: its own `references:`
 * block, and declared files that do not exist or cannot be read (at the declaration).
 */
export function declaredBibliographyDiagnostics(facts: DocumentFacts, scope: Scope, index: ScopeIndex, folder?: string): Diagnostic[] {
  return [...inlineReferenceErrors(scope), ...missingBibliographies(citationCheck(facts, scope, index), folder)];
}

/** Problems of the draft's own `references:` block (its ranges are in the draft). */
function inlineReferenceErrors(scope: Scope): Diagnostic[] {
  return (scope.inline?.errors ?? []).map((e) => ({
    range: e.range,
    severity: e.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
    code: e.code,
    source,
    message: e.message,
  }));
}

function missingBibliographies({ unresolved, unreadable }: CitationCheck, folder?: string): Diagnostic[] {
  if (unreadable.length === 0) return [];
  const unchecked = new Set(unresolved.map((c) => c.key)).size;
  const note = unchecked ? ` ${unchecked} cited ${unchecked === 1 ? 'key is' : 'keys are'} in no other bibliography of this draft and cannot be checked until it is read.` : '';
  return unreadable.map(({ bib, declaredAt }, i) => {
    const d = fileErrorDiagnostic(bib, declaredAt, folder);
    return i === 0 ? { ...d, message: d.message + note } : d;
  });
}

/**
 * `bibliography.not-found` or `bibliography.unreadable`: at the declaration that names the file, or at
 * the start of the file itself when no draft declares it (a file named in the settings).
 */
export function fileErrorDiagnostic(bib: LoadedBibliography, declaredAt?: Range, folder?: string): Diagnostic {
  return {
    range: declaredAt ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Error,
    code: bib.fileError === 'does not exist' ? 'bibliography.not-found' : 'bibliography.unreadable',
    source,
    message: `Bibliography ${displayPath(bib.uri, folder)} ${bib.fileError ?? 'could not be read'}.`,
    data: { uri: bib.uri },
  };
}

/** `crossref.undefined`; a label that a macro of the project may make (`generated`) is not reported. */
/**
 * `crossref.undefined`. A pandoc-crossref reference (`@sec:x`) to a label another draft defines (`elsewhere`, given
 * for a draft in no known project) is a warning that says where it is: pandoc may well read the two together (a
 * Makefile or a script Entente cannot follow). Quarto's `@fig-x` is resolved per document outside a book: an error.
 */
function undefinedRefs(facts: DocumentFacts, labels: LabelIndex, { generated = [], elsewhere }: LabelContext, project: boolean, folder?: string): Diagnostic[] {
  const where = facts.kind === 'latex' ? 'LaTeX project' : project ? 'project' : 'document';
  const out: Diagnostic[] = [];
  let all: string[] | undefined;
  for (const r of facts.refs) {
    if (labels.has(r.label) || generated.some((prefix) => r.label.startsWith(prefix))) continue;
    all ??= [...labels.keys()];
    const candidates = closestLabels(r.label, all);
    const data: UndefinedLabelData = { label: r.label, candidates };
    const other = r.label.includes(':') ? elsewhere?.get(r.label)?.[0] : undefined;
    const hint = other
      ? ` It is defined in ${displayPath(other.uri, folder)}: if pandoc reads the two together, declare them a project ("projects" in entente.config.json).`
      : candidates.length ? ` Did you mean '${candidates[0]}'?` : '';
    out.push({
      range: r.range,
      severity: other ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
      code: 'crossref.undefined',
      source,
      message: `No label '${r.label}' in this ${where}.${hint}`,
      data,
      ...(other ? { relatedInformation: [related(other.uri, other.range, 'defined here')] } : {}),
    });
  }
  return out;
}

/** `csl.unusable` on a front matter `csl:` whose style cannot be used (unreadable, not CSL, a macro bomb). */
export function unusableStyle(declared: DeclaredPath, problem: string): Diagnostic {
  const message = `The CSL style ${declared.path} cannot be used: ${problem}. Hovers show references in APA.`;
  return { range: declared.range, severity: DiagnosticSeverity.Warning, code: 'csl.unusable', source, message };
}

/** Labels within a small edit distance of `label`, closest first. */
export function closestLabels(label: string, all: readonly string[]): string[] {
  return closestNames(label, all, Math.max(1, Math.min(3, Math.floor(label.length / 4))));
}

function duplicateLabels(facts: DocumentFacts, labels: LabelIndex, folder?: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const l of facts.labels) {
    const all = labels.get(l.label) ?? [];
    if (all.length < 2) continue;
    const others = firstOthers(all, (o) => o.uri === facts.uri && sameRange(o.range, l.range));
    out.push({
      range: l.range,
      severity: DiagnosticSeverity.Warning,
      code: 'crossref.duplicate-label',
      source,
      message: `Label '${l.label}' is defined ${all.length} times.`,
      relatedInformation: others.map((o) => related(o.uri, o.range, `also defined in ${displayPath(o.uri, folder)}`)),
    });
  }
  return out;
}

/** Diagnostics of a bibliography file: syntax, duplicate keys (in the file and in the scopes it belongs to), missing fields. */
export function* bibliographyDiagnostics(bib: LoadedBibliography, scopes: readonly ScopeIndex[], options: DiagnosticOptions, folder?: string): Steps<Diagnostic[]> {
  const out: Diagnostic[] = [];
  if (bib.fileError) return out;
  for (const e of bib.errors) {
    out.push({
      range: e.range,
      severity: e.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
      code: e.code,
      source,
      message: e.message,
    });
  }
  // No `push(...list)`: a million diagnostics as arguments overflow the stack (issue 15).
  for (const d of yield* duplicateKeys(bib, scopes, folder)) out.push(d);
  if (options.missingFields) {
    yield* eachPaced(bib.entries, (entry) => {
      for (const d of missingFields(entry)) out.push(d);
    });
  }
  return out;
}

/** Fields an entry needs to be cited, by type: each inner list is "one of". */
const required: Record<string, string[][]> = {
  article: [['author', 'editor'], ['title'], ['journal', 'journaltitle'], ['year', 'date']],
  'article-journal': [['author', 'editor'], ['title'], ['container-title'], ['issued']],
  book: [['author', 'editor'], ['title'], ['publisher'], ['year', 'date']],
  inbook: [['author', 'editor'], ['title'], ['year', 'date']],
  incollection: [['author'], ['title'], ['booktitle'], ['year', 'date']],
  chapter: [['author'], ['title'], ['container-title'], ['issued']],
  inproceedings: [['author'], ['title'], ['booktitle'], ['year', 'date']],
  'paper-conference': [['author'], ['title'], ['container-title'], ['issued']],
  report: [['author', 'editor', 'institution'], ['title'], ['institution', 'publisher'], ['year', 'date']],
  techreport: [['author'], ['title'], ['institution'], ['year', 'date']],
  thesis: [['author'], ['title'], ['school', 'institution', 'publisher'], ['year', 'date', 'issued']],
  phdthesis: [['author'], ['title'], ['school', 'institution'], ['year', 'date']],
  mastersthesis: [['author'], ['title'], ['school', 'institution'], ['year', 'date']],
  online: [['title'], ['url', 'doi'], ['year', 'date', 'urldate']],
  webpage: [['title'], ['url', 'doi']],
};

function missingFields(entry: BibEntry): Diagnostic[] {
  const rules = required[entry.type];
  if (!rules) return [];
  // Every entry of an open library is checked: read only the fields the rules name, keep nothing.
  let names: ReturnType<typeof namesOf> | undefined;
  const has = (f: string) => {
    // The field first: names are parsed only for an entry without it (a CSL item's names are no field).
    if (f === 'author') return !!fieldOf(entry, 'author') || (names ??= namesOf(entry)).authors.length > 0;
    if (f === 'editor') return !!fieldOf(entry, 'editor') || !!(names ??= namesOf(entry)).editors?.length;
    if (f === 'issued') return !!entry.year || !!entry.csl?.issued;
    return !!(fieldOf(entry, f) ?? (entry.csl?.[f] as string | undefined))?.toString().trim();
  };
  const missing = rules.filter((alternatives) => !alternatives.some(has)).map((alternatives) => alternatives.join(' or '));
  if (missing.length === 0) return [];
  return [
    {
      range: entry.keyRange,
      severity: DiagnosticSeverity.Warning,
      code: 'bib.missing-field',
      source,
      message: `@${entry.type} '${entry.key}' has no ${missing.join(', ')}: the reference will be incomplete.`,
      data: { key: entry.key, missing },
    },
  ];
}

/** `citation.unused-entry` hints: entries nothing cites (`cited` holds the keys; `*` cites everything). */
export function unusedEntries(bib: LoadedBibliography, cited: ReadonlySet<string>): Diagnostic[] {
  if (cited.has('*')) return [];
  return bib.entries
    .filter((e) => !cited.has(e.key) && e.type !== 'xdata' && e.type !== 'set')
    .map((e) => ({
      range: e.keyRange,
      severity: DiagnosticSeverity.Hint,
      tags: [DiagnosticTag.Unnecessary],
      code: 'citation.unused-entry',
      source,
      message: `'${e.key}' is not cited by any draft.`,
      data: { key: e.key },
    }));
}

function related(uri: string, range: Range, message: string): DiagnosticRelatedInformation {
  return { location: { uri, range }, message };
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

export type { LabelFact };
export type { DuplicateKeyData } from './duplicateKeys';
