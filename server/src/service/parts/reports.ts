/**
 * What a document or a folder uses, and what it cites: the status bar's bibliographies and terms,
 * `entente index`, "Export Cited References".
 */
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import type { ITextDocument } from '../workspace';
import { bibliographyExtensions, type LoadedBibliography } from '../index/bibliographies';
import { draftExtensions, type DocumentFacts } from '../index/documents';
import { workspaceFolderOf, type BibliographySource, type Scope } from '../index/scope';
import type { ScopeIndex } from '../index/scopeIndex';
import { candidateLabel, declaredBibliographyDiagnostics, fileErrorDiagnostic } from '../features/diagnostics';
import { citedEntries, citedKeys, exportText, withLinkedEntries, type ExportFormat } from '../features/export';
import type { ServiceContext } from './context';
import type { Checks } from './checks';
import type { Terms } from './terms';

/** A bibliography as a document sees it: for the status bar and `entente index`. */
export interface BibliographyStatus {
  uri: string;
  format: string;
  origin: BibliographySource['origin'] | 'references';
  entries: number;
  errors: number;
  fileError?: string;
  parseMs: number;
}

/** An entry nothing cites, for "Show Unused Entries". */
export interface UnusedEntry {
  key: string;
  /** "Biscop (2022) The New Force Model" */
  label: string;
  uri: string;
  range: Range;
}

export interface DocumentStatus {
  /** Distinct keys the document can cite (a key defined twice counts once). */
  entries: number;
  /** Definitions beyond the first of keys defined more than once (in one file or across files). */
  duplicates?: number;
  /** Why the CSL style asked for (setting or `csl:`) is not used, when it is not: references are shown in APA. */
  styleProblem?: string;
  /** Glossary terms the document sees (built-in and project). */
  terms: number;
  bibliographies: BibliographyStatus[];
  /** How the draft's citations are written: pandoc's `[@key]`, or the LaTeX package its project loads (`latex`: plain `\cite`). */
  citations?: 'pandoc' | 'biblatex' | 'natbib' | 'latex';
}

export function createReports(ctx: ServiceContext, checks: Checks, terms: Terms) {
  const { index, workspace } = ctx;

  /** A LaTeX root with the files it includes (`\include`, `\input`), in the order the include tree is walked; any other draft alone. */
  async function withIncludes(facts: DocumentFacts): Promise<DocumentFacts[]> {
    if (facts.kind !== 'latex') return [facts];
    const { scope } = await index.scoped(facts);
    if (scope.rootUri !== facts.uri) return [facts];
    const included = await Promise.all(scope.projectFiles.filter((uri) => uri !== facts.uri).map(index.factsOfUri));
    return [facts, ...included.filter((f): f is DocumentFacts => !!f)];
  }

  return {
    /**
     * A bibliography with only the entries the given drafts cite (all drafts of the workspace when none
     * is given): BibTeX entries copied verbatim, or CSL-JSON. `missing` lists cited keys defined nowhere.
     */
    async exportCited(docUris: readonly string[] | undefined, format: ExportFormat): Promise<{ text: string; count: number; missing: string[] }> {
      const drafts = docUris ? (await Promise.all(docUris.map(index.factsOfUri))).filter((f): f is DocumentFacts => !!f) : await index.allDrafts();
      const lookups: ScopeIndex[] = [];
      const keys: string[] = [];
      const read = new Set<string>();
      for (const draft of drafts) {
        for (const raw of await withIncludes(draft)) {
          if (read.has(raw.uri)) continue;
          read.add(raw.uri);
          const { facts, index: cited } = await index.scoped(raw);
          lookups.push(cited);
          for (const key of citedKeys(facts, cited)) keys.push(key);
        }
      }
      const lookup = (key: string) => lookups.map((i) => i.lookup(key)).find((l) => l.length) ?? [];
      const { found, missing } = citedEntries(keys, lookup);
      const entries = format === 'bibtex' ? withLinkedEntries(found, lookup) : found;
      const strings: Record<string, string> = {};
      for (const i of lookups) for (const b of i.bibliographies) Object.assign(strings, b.strings);
      const text = await exportText(entries, format, index.readText, strings);
      return { text, count: entries.length, missing };
    },

    /**
     * The entries no draft loading them cites: of a bibliography, or of those a draft uses (not a master library
     * from the settings), in file order.
     */
    async unusedEntries(doc: ITextDocument): Promise<UnusedEntry[]> {
      let uris = [doc.uri];
      if (!index.isBibliography(doc.uri, doc.languageId)) {
        const { scope } = await index.scoped(index.factsOf(doc));
        uris = scope.sources.filter((s) => s.origin !== 'setting').map((s) => s.uri);
      }
      const out: UnusedEntry[] = [];
      for (const uri of uris) {
        const bib = await index.bibliography(uri);
        for (const d of await checks.unusedIn(uri)) {
          const entry = bib.byKey.get((d.data as { key: string }).key)?.[0];
          if (entry) out.push({ key: entry.key, label: candidateLabel(entry), uri, range: entry.keyRange });
        }
      }
      return out;
    },

    /** Which bibliographies a document uses, with counts and failures. */
    async documentStatus(doc: ITextDocument): Promise<DocumentStatus> {
      const facts = index.factsOf(doc);
      const { scope, index: cited } = await index.scoped(facts);
      const citations = facts.kind === 'markdown' ? 'pandoc' : facts.kind !== 'latex' ? undefined : scope.biblatex ? 'biblatex' : scope.natbib ? 'natbib' : 'latex';
      const { problem } = await index.styleOf(scope, doc.uri);
      const duplicates = cited.entryCount - cited.keyCount;
      return {
        entries: cited.keyCount,
        ...(duplicates > 0 ? { duplicates } : {}),
        ...(problem ? { styleProblem: problem } : {}),
        terms: await terms.count(facts, scope),
        bibliographies: cited.bibliographies.map((b) => statusOf(b, scope, doc.uri)),
        citations,
      };
    },

    /**
     * Indexes a folder the way the drafts in it would: every draft's scope, or every
     * bibliography file when there is no draft. For `entente index`.
     */
    async indexFolder(folderUri: string, options: { problems?: boolean } = {}): Promise<{ drafts: string[]; bibliographies: BibliographyStatus[]; loaded: LoadedBibliography[]; problems: Map<string, Diagnostic[]> }> {
      const drafts: string[] = [];
      const byUri = new Map<string, { bib: LoadedBibliography; origin: BibliographyStatus['origin'] }>();
      const problems = new Map<string, Diagnostic[]>();
      const declared = new Set<string>();
      for (const uri of await index.list(folderUri, draftExtensions)) {
        const facts = await index.factsOfUri(uri);
        // What `entente check` does not check (an excluded file, a pandoc template) is not indexed either.
        if (!facts || facts.kind === 'other' || checks.skipsDraft(facts)) continue;
        drafts.push(uri);
        const { scope, index: cited } = await index.scoped(facts);
        for (const bib of cited.bibliographies) {
          const origin = bib.uri === uri ? 'references' : (scope.sources.find((s) => s.uri === bib.uri)?.origin ?? 'workspace');
          // A file some draft declares is reported with that origin, not as a workspace fallback.
          if (!byUri.has(bib.uri) || byUri.get(bib.uri)!.origin === 'workspace') byUri.set(bib.uri, { bib, origin });
        }
        if (options.problems) {
          // The same diagnostics as `checkFiles`: a missing file and a `references:` block are reported in the draft.
          const found = declaredBibliographyDiagnostics(facts, scope, cited, workspaceFolderOf(uri, workspace));
          for (const d of found) if (d.code === 'bibliography.not-found' || d.code === 'bibliography.unreadable') declared.add((d.data as { uri: string }).uri);
          if (found.length) problems.set(uri, found);
        }
      }
      if (drafts.length === 0) {
        for (const bib of await index.loadInOrder(await index.list(folderUri, bibliographyExtensions))) byUri.set(bib.uri, { bib, origin: 'workspace' });
      }
      const loaded = [...byUri.values()].map((v) => v.bib);
      if (options.problems) {
        for (const { bib, origin } of byUri.values()) {
          if (origin === 'references') continue; // its problems are the draft's
          const found = bib.fileError ? (declared.has(bib.uri) ? [] : [fileErrorDiagnostic(bib, undefined, workspaceFolderOf(bib.uri, workspace))]) : await checks.diagnosticsOf(bib.uri, true);
          if (found.length) problems.set(bib.uri, found);
        }
      }
      return { drafts, loaded, bibliographies: [...byUri.values()].map(({ bib, origin }) => ({ ...statusOf(bib, undefined, ''), origin })), problems };
    },
  };
}

export type Reports = ReturnType<typeof createReports>;

function statusOf(bib: LoadedBibliography, scope: Scope | undefined, docUri: string): BibliographyStatus {
  const origin = bib.uri === docUri ? 'references' : (scope?.sources.find((s) => s.uri === bib.uri)?.origin ?? 'workspace');
  return { uri: bib.uri, format: bib.format, origin, entries: bib.entries.length, errors: bib.errors.length, fileError: bib.fileError, parseMs: bib.parseMs };
}
