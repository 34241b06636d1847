/**
 * Diagnostics: of one document (a draft, a bibliography, a glossary file), and of every file under
 * some paths (`entente check`, "Check Workspace").
 */
import type { Diagnostic } from 'vscode-languageserver-types';
import { bibliographyExtensions } from '../index/bibliographies';
import { draftExtensions, isDraftFile, isPlainTextDraft, labelIndex, type DocumentFacts, type LabelIndex } from '../index/documents';
import { isProjectMetadata, workspaceFolderOf, type BibliographySource, type Scope } from '../index/scope';
import type { ScopeIndex } from '../index/scopeIndex';
import { displayPath, extname } from '../index/paths';
import { bibliographyDiagnostics, draftDiagnostics, fileErrorDiagnostic, unusableStyle, unusedEntries, type LabelContext } from '../features/diagnostics';
import { emptyKeyDiagnostics } from '../features/emptyKeyDiagnostics';
import { caseDuplicates, citationCaseMismatches } from '../features/keyCaseDiagnostics';
import { declaredDuplicates } from '../features/duplicateKeys';
import { isPandocTemplate } from '../parsers/drafts/pandocTemplate';
import { matchesAnyGlob } from '../glob';
import type { ServiceContext } from './context';
import type { Terms } from './terms';
import { paced, QUICK_SLICE_MS } from '../pacing';
import { findMojibakeSteps, mojibakeDiagnostics, mojibakeFindings } from '../mojibake';
import { typedCitationDiagnostics } from '../features/typedCitations';
import type { BibEntry } from '../model';
import { linkedKeys } from '../parsers/bibliography/bibtexLinks';

export function createChecks(ctx: ServiceContext, terms: Terms) {
  const { index, workspace } = ctx;

  /** Is the file excluded from checks (`entente.files.exclude`, relative to its workspace folder)? */
  function isExcluded(uri: string): boolean {
    const folder = workspaceFolderOf(uri, workspace);
    return !!folder && matchesAnyGlob(displayPath(uri, folder), ctx.configFor(uri).excludeFiles);
  }

  /** A draft that is not checked: excluded (`entente.files.exclude`), or a pandoc template, which is no draft at all. */
  function skipsDraft(facts: DocumentFacts): boolean {
    return isExcluded(facts.uri) || isPandocTemplate(facts.lines.text);
  }

  /** Diagnostics of one document (draft or bibliography); none for an excluded file or a pandoc template. */
  async function diagnosticsOf(uri: string, bibliography: boolean): Promise<Diagnostic[]> {
    if (isExcluded(uri) || (await index.isProjectOutput(uri))) return [];
    const folder = workspaceFolderOf(uri, workspace);
    if (bibliography) return bibliographyDiagnosticsOf(uri);
    if (isProjectMetadata(uri)) return metadataDiagnostics(uri);
    if (index.glossaries.isGlossaryFile(uri, workspace.folders())) return terms.fileDiagnostics(uri);
    const raw = await index.factsOfUri(uri);
    if (raw?.kind === 'other' && isPlainTextDraft(uri)) return plainTextDiagnostics(raw);
    if (!raw || raw.kind === 'other' || isPandocTemplate(raw.lines.text)) return [];
    const { facts, scope, index: cited } = await index.scoped(raw);
    const { labels, generated } = await index.projectLabels(scope);
    const context: LabelContext = { generated, elsewhere: await labelsElsewhere(facts, scope, labels) };
    if (facts.citations.length) await cited.searchReady(); // did-you-mean
    return [
      ...draftDiagnostics(facts, scope, cited, labels, folder, context),
      ...(await cslDiagnostics(facts, scope)),
      ...emptyKeyDiagnostics(facts, scope),
      ...citationCaseMismatches(facts, scope, cited),
      ...(await terms.draftDiagnostics(facts, scope, folder)),
      ...(await mangledText(facts)),
      ...(facts.kind === 'markdown' && ctx.configFor(facts.uri).typedCitationDiagnostics ? typedCitationDiagnostics(facts.lines.text, index.glossaries.view(facts).masked, facts.lines) : []),
    ];
  }

  /** A plain-text draft's: mangled text, typed citations against its typed reference list, stale alliance facts. */
  async function plainTextDiagnostics(raw: DocumentFacts): Promise<Diagnostic[]> {
    const scoped = await index.scoped(raw);
    return [
      ...(await mangledText(raw)),
      ...(ctx.configFor(raw.uri).typedCitationDiagnostics ? typedCitationDiagnostics(raw.lines.text, index.glossaries.view(raw).masked, raw.lines) : []),
      ...(await terms.factDiagnostics(scoped)),
    ];
  }

  /** `text.mojibake` in a draft. */
  async function mangledText(facts: DocumentFacts): Promise<Diagnostic[]> {
    if (!ctx.configFor(facts.uri).mangledTextDiagnostics) return [];
    const { text } = facts.lines;
    return mojibakeDiagnostics(mojibakeFindings(text, await paced(findMojibakeSteps(text)), facts.lines));
  }

  /**
   * The labels of the workspace's other Markdown drafts, for a Markdown draft in no known project that names a
   * pandoc-crossref label it does not define (read only then: `undefinedRefs` says where such a label is).
   */
  async function labelsElsewhere(facts: DocumentFacts, scope: Scope, labels: LabelIndex): Promise<LabelIndex | undefined> {
    if (facts.kind !== 'markdown' || scope.projectFiles.length !== 1) return undefined;
    if (!facts.refs.some((r) => r.label.includes(':') && !labels.has(r.label))) return undefined;
    return labelIndex((await index.allDrafts()).filter((f) => f.kind === 'markdown' && f.uri !== facts.uri));
  }

  /** `csl.unusable` on a front matter `csl:` whose style cannot be used (unreadable, not CSL, a macro bomb). */
  async function cslDiagnostics(facts: DocumentFacts, scope: Scope): Promise<Diagnostic[]> {
    const declared = facts.markdown?.csl;
    if (!declared || !scope.cslUri) return [];
    await index.styleFor(scope, facts.uri);
    const problem = index.styleProblemOf(scope.cslUri);
    return problem ? [unusableStyle(declared, problem)] : [];
  }

  /**
   * Bibliography -> the scope indexes of the workspace's drafts that load it, whatever was opened or checked
   * before: a key defined in two of a scope's files is a duplicate. A draft that reaches a bibliography only by
   * the workspace fallback does not count: the fallback joins unrelated projects' files (a real thesis folder: 600
   * false duplicates between papers that each declare their own `.bib`).
   */
  async function scopesLoading(): Promise<Map<string, Set<ScopeIndex>>> {
    const out = new Map<string, Set<ScopeIndex>>();
    for (const facts of await index.allDrafts()) {
      if (skipsDraft(facts)) continue;
      const { scope, index: scopeIndex } = await index.scoped(facts);
      for (const s of scope.sources) {
        // The workspace fallback joins every bibliography of the folder, unrelated ones too: their common keys are no duplicates.
        if (s.origin === 'workspace') continue;
        const set = out.get(s.uri) ?? new Set<ScopeIndex>();
        out.set(s.uri, set.add(scopeIndex));
      }
    }
    return out;
  }

  /**
   * A bibliography's own problems, and the keys it shares with another file of a draft that loads both; with
   * `entente.diagnostics.unusedEntries` (the editor's diagnostics only), the entries no draft loading it cites.
   */
  async function bibliographyDiagnosticsOf(uri: string, loaders?: Map<string, Set<ScopeIndex>>): Promise<Diagnostic[]> {
    const bib = await index.bibliography(uri);
    if (bib.fileError) return [];
    const scopes = [...((loaders ?? (await scopesLoading())).get(uri) ?? [])];
    // Paced: an open library of 200,000 entries takes a second to check, and other requests are answered meanwhile;
    // in short slices, since it runs again after each change of the library while the writer types (issue 17).
    const found = await paced(bibliographyDiagnostics(bib, scopes, { missingFields: ctx.configFor(uri).missingFieldDiagnostics }, workspaceFolderOf(uri, workspace)), QUICK_SLICE_MS);
    for (const d of await paced(caseDuplicates(bib, index.readersOf(uri)), QUICK_SLICE_MS)) found.push(d);
    if (ctx.configFor(uri).mangledTextDiagnostics) for (const d of mojibakeDiagnostics(bib.mangled ?? [])) found.push(d);
    if (!loaders && ctx.configFor(uri).unusedEntryDiagnostics) for (const d of await unusedIn(uri)) found.push(d);
    return found;
  }

  /**
   * `citation.unused-entry` for the entries of a bibliography that no draft of the workspace loading it cites
   * (whatever found the file for the draft: its declaration, its project, the settings, the workspace fallback);
   * none when no draft loads it.
   */
  async function unusedIn(uri: string): Promise<Diagnostic[]> {
    const bib = await index.bibliography(uri);
    if (bib.fileError) return [];
    let cited: Set<string> | undefined;
    for (const raw of await index.allDrafts()) {
      if (skipsDraft(raw)) continue;
      const { facts, scope, index: scopeIndex } = await index.scoped(raw);
      if (!scopeIndex.bibliographies.some((b) => b.uri === uri)) continue;
      cited ??= new Set();
      for (const key of citedEntryKeys(facts, scope, scopeIndex)) cited.add(key);
    }
    return cited ? unusedEntries(bib, cited) : [];
  }

  /**
   * Problems of the bibliographies a `_quarto.yml` or `_metadata.yml` declares, on their declarations: one that
   * cannot be read, keys two of them define. The editor's diagnostics of the open file, and `checkFiles`'.
   */
  async function metadataDiagnostics(uri: string): Promise<Diagnostic[]> {
    const sources = await index.metadataSources(uri);
    const bibs = await index.loadInOrder(sources.map((s) => s.uri));
    const folder = workspaceFolderOf(uri, workspace);
    const unreadable = sources.flatMap((s, i) => (bibs[i].fileError ? [fileErrorDiagnostic(bibs[i], s.declaredAt, folder)] : []));
    return [...unreadable, ...declaredDuplicates(sources, bibs, 'pandoc', uri, folder)];
  }

  /**
   * What `checkFiles` checks for one path: the path itself when it is a draft, a glossary file, a
   * `_quarto.yml`/`_metadata.yml` or a bibliography (a named `.json`/`.yaml` counts), or the drafts,
   * glossary files, project metadata and `.bib`/`.ris` files under a folder (its `.json`/`.yaml` files
   * only when a draft loads them).
   */
  async function checkTargets(uri: string): Promise<CheckTargets> {
    const none = { drafts: [], bibliographies: [], glossaries: [], metadata: [] };
    if (isExcluded(uri)) return none;
    if (isProjectMetadata(uri)) return { ...none, metadata: [uri] };
    if (index.glossaries.isGlossaryFile(uri, workspace.folders())) return { ...none, glossaries: [uri] };
    // A plain-text draft is checked when named, never found in a folder: most .txt files are no drafts.
    if (isDraftFile(uri) || isPlainTextDraft(uri)) return { ...none, drafts: [uri] };
    if ((bibliographyExtensions as readonly string[]).includes(extname(uri))) return { ...none, bibliographies: [uri] };
    const inside = (f: string) => f.startsWith(uri.replace(/\/$/, '') + '/') && !isExcluded(f);
    const files: string[] = [];
    for (const f of await index.list(uri, [...draftExtensions, ...bibliographyExtensions])) if (!isExcluded(f) && !(await index.isProjectOutput(f))) files.push(f);
    const glossaryFiles = (await index.glossaries.files()).filter(inside);
    return {
      drafts: files.filter(isDraftFile),
      bibliographies: files.filter((f) => !isDraftFile(f) && !['.json', '.yaml', '.yml'].includes(extname(f))),
      glossaries: glossaryFiles,
      metadata: files.filter(isProjectMetadata),
    };
  }

  /**
   * Diagnostics of every draft under the given folders or files, and of the bibliographies
   * they use; with `unused`, entries nothing cites. For `entente check` and "Check Workspace".
   */
  async function checkFiles(uris: readonly string[], options: { unused?: boolean } = {}): Promise<Map<string, Diagnostic[]>> {
    const drafts = new Set<string>();
    const bibs = new Set<string>();
    const glossaryFiles = new Set<string>();
    const metadata = new Set<string>();
    for (const uri of uris) {
      const targets = await checkTargets(uri);
      for (const f of targets.drafts) drafts.add(f);
      for (const f of targets.bibliographies) bibs.add(f);
      for (const f of targets.glossaries) glossaryFiles.add(f);
      for (const f of targets.metadata) metadata.add(f);
    }
    const out = new Map<string, Diagnostic[]>();
    const commandSources = new Map<string, BibliographySource>();
    const cited = new Map<string, Set<string>>();
    const loadedBibs = new Set<string>();
    for (const uri of [...drafts].sort()) {
      const raw = await index.factsOfUri(uri);
      if (raw && isPlainTextDraft(uri)) out.set(uri, await diagnosticsOf(uri, false));
      if (!raw || raw.kind === 'other') continue;
      out.set(uri, await diagnosticsOf(uri, false));
      const { facts, scope, index: scopeIndex } = await index.scoped(raw);
      // The project metadata a draft inherits is checked too, wherever it is; and a Makefile's `--bibliography`.
      for (const s of scope.sources) if (s.declaredIn && isProjectMetadata(s.declaredIn)) metadata.add(s.declaredIn);
      for (const s of scope.sources) if (s.origin === 'project' && s.declaredIn && !isDraftFile(s.declaredIn)) commandSources.set(`${s.declaredIn}#${s.uri}`, s);
      for (const b of scopeIndex.bibliographies) {
        if (b.uri === uri) continue;
        // Lint what drafts declare; a fallback or a master library from the settings is not the project's to fix.
        const origin = scope.sources.find((s) => s.uri === b.uri)?.origin;
        if (origin && origin !== 'workspace' && origin !== 'setting') loadedBibs.add(b.uri);
        const keys = cited.get(b.uri) ?? new Set<string>();
        for (const key of citedEntryKeys(facts, scope, scopeIndex)) keys.add(key);
        cited.set(b.uri, keys);
      }
    }
    // Bibliographies under the paths, and those the drafts use that exist (a missing one is reported on its declaration).
    for (const uri of bibs) loadedBibs.add(uri);
    for (const uri of glossaryFiles) out.set(uri, await diagnosticsOf(uri, false));
    // Metadata files are counted as checked only when they hold a problem.
    for (const uri of [...metadata].sort()) {
      const found = await metadataDiagnostics(uri);
      if (found.length) out.set(uri, found);
    }
    // A bibliography a build command names that cannot be read: one error on that command, not one per citation.
    for (const s of commandSources.values()) {
      const bib = await index.bibliography(s.uri);
      if (!bib.fileError || !s.declaredIn) continue;
      out.set(s.declaredIn, [...(out.get(s.declaredIn) ?? []), fileErrorDiagnostic(bib, s.declaredAt, workspaceFolderOf(s.declaredIn, workspace))]);
    }
    const loaders = loadedBibs.size ? await scopesLoading() : undefined;
    for (const uri of [...loadedBibs].sort()) {
      const bib = await index.bibliography(uri);
      if (bib.fileError) continue;
      const diagnostics = isExcluded(uri) ? [] : await bibliographyDiagnosticsOf(uri, loaders);
      if ((options.unused || ctx.configFor(uri).unusedEntryDiagnostics) && cited.has(uri)) for (const d of unusedEntries(bib, cited.get(uri)!)) diagnostics.push(d);
      out.set(uri, diagnostics);
    }
    return out;
  }

  return { isExcluded, skipsDraft, diagnosticsOf, checkTargets, checkFiles, unusedIn };
}

export type Checks = ReturnType<typeof createChecks>;

/**
 * The keys of the entries a draft cites, as its program finds them (BibTeX regardless of case), with the entries
 * their link fields name (`crossref`, `xdata`...: a parent is used by its cited children); `*` for `\nocite{*}`.
 */
function citedEntryKeys(facts: DocumentFacts, scope: Scope, scopeIndex: ScopeIndex): Set<string> {
  const keys = new Set<string>();
  const visited = new Set<BibEntry>();
  const ignoreCase = scope.backend === 'bibtex';
  const visit = (entry: BibEntry) => {
    if (visited.has(entry)) return;
    visited.add(entry);
    keys.add(entry.key);
    for (const linked of linkedKeys(entry)) for (const l of scopeIndex.resolve(linked, ignoreCase)) visit(l.entry);
  };
  for (const c of facts.citations) {
    if (c.key === '*') keys.add('*');
    else {
      keys.add(c.key);
      for (const l of scopeIndex.resolve(c.key, ignoreCase)) visit(l.entry);
    }
  }
  return keys;
}

/** What `checkFiles` checks under a path. */
export interface CheckTargets {
  drafts: string[];
  bibliographies: string[];
  glossaries: string[];
  /** `_quarto.yml` and `_metadata.yml`: the bibliographies they declare. */
  metadata: string[];
}
