/**
 * Diagnostics: of one document (a draft, a bibliography, a glossary file), and of every file under
 * some paths (`entente check`, "Check Workspace").
 */
import type { Diagnostic } from 'vscode-languageserver-types';
import { bibliographyExtensions } from '../index/bibliographies';
import { draftExtensions, isDraftFile, type DocumentFacts } from '../index/documents';
import type { ScopeIndex } from '../index/scopeIndex';
import { workspaceFolderOf, type Scope } from '../index/scope';
import { displayPath, extname } from '../index/paths';
import { bibliographyDiagnostics, draftDiagnostics, fileErrorDiagnostic, unusedEntries } from '../features/diagnostics';
import { emptyKeyDiagnostics } from '../features/emptyKeyDiagnostics';
import { caseDuplicates, citationCaseMismatches } from '../features/keyCaseDiagnostics';
import { isPandocTemplate } from '../parsers/drafts/pandocTemplate';
import { matchesAnyGlob } from '../glob';
import type { ServiceContext } from './context';
import type { Terms } from './terms';

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
    if (isExcluded(uri)) return [];
    const folder = workspaceFolderOf(uri, workspace);
    if (bibliography) {
      const bib = await index.bibliography(uri);
      return [...bibliographyDiagnostics(bib, index.scopesHolding(uri), { missingFields: ctx.configFor(uri).missingFieldDiagnostics }, folder), ...caseDuplicates(bib, index.readersOf(uri))];
    }
    if (index.glossaries.isGlossaryFile(uri, workspace.folders())) return terms.fileDiagnostics(uri);
    const raw = await index.factsOfUri(uri);
    if (!raw || raw.kind === 'other' || isPandocTemplate(raw.lines.text)) return [];
    const { facts, scope, index: cited } = await index.scoped(raw);
    const { labels, generated } = await index.projectLabels(scope);
    return [...draftDiagnostics(facts, scope, cited, labels, folder, generated), ...emptyKeyDiagnostics(facts, scope), ...citationCaseMismatches(facts, scope, cited), ...(await terms.draftDiagnostics(facts, scope, folder))];
  }

  /**
   * What `checkFiles` checks for one path: the path itself when it is a draft, a glossary file or a
   * bibliography (a named `.json`/`.yaml` counts), or the drafts, glossary files and `.bib`/`.ris`
   * files under a folder (its `.json`/`.yaml` files only when a draft loads them).
   */
  async function checkTargets(uri: string): Promise<{ drafts: string[]; bibliographies: string[]; glossaries: string[] }> {
    const none = { drafts: [], bibliographies: [], glossaries: [] };
    if (isExcluded(uri)) return none;
    if (index.glossaries.isGlossaryFile(uri, workspace.folders())) return { ...none, glossaries: [uri] };
    if (isDraftFile(uri)) return { ...none, drafts: [uri] };
    if ((bibliographyExtensions as readonly string[]).includes(extname(uri))) return { ...none, bibliographies: [uri] };
    const inside = (f: string) => f.startsWith(uri.replace(/\/$/, '') + '/') && !isExcluded(f);
    const files = (await index.list(uri, [...draftExtensions, ...bibliographyExtensions])).filter((f) => !isExcluded(f));
    const glossaryFiles = (await index.glossaries.files()).filter(inside);
    return {
      drafts: files.filter(isDraftFile),
      bibliographies: files.filter((f) => !isDraftFile(f) && !['.json', '.yaml', '.yml'].includes(extname(f))),
      glossaries: glossaryFiles,
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
    for (const uri of uris) {
      const targets = await checkTargets(uri);
      for (const f of targets.drafts) drafts.add(f);
      for (const f of targets.bibliographies) bibs.add(f);
      for (const f of targets.glossaries) glossaryFiles.add(f);
    }
    const out = new Map<string, Diagnostic[]>();
    const cited = new Map<string, Set<string>>();
    const loadedBibs = new Set<string>();
    const metadataDeclarations = new Set<string>();
    for (const uri of [...drafts].sort()) {
      const raw = await index.factsOfUri(uri);
      if (!raw || raw.kind === 'other') continue;
      out.set(uri, await diagnosticsOf(uri, false));
      const { facts, scope, index: scopeIndex } = await index.scoped(raw);
      metadataFileErrors(scope, scopeIndex, metadataDeclarations, out);
      for (const b of scopeIndex.bibliographies) {
        if (b.uri === uri) continue;
        // Lint what drafts declare; a fallback or a master library from the settings is not the project's to fix.
        const origin = scope.sources.find((s) => s.uri === b.uri)?.origin;
        if (origin && origin !== 'workspace' && origin !== 'setting') loadedBibs.add(b.uri);
        const keys = cited.get(b.uri) ?? new Set<string>();
        for (const c of facts.citations) keys.add(c.key);
        cited.set(b.uri, keys);
      }
    }
    // Bibliographies under the paths, and those the drafts use that exist (a missing one is reported on its declaration).
    for (const uri of bibs) loadedBibs.add(uri);
    for (const uri of glossaryFiles) out.set(uri, await diagnosticsOf(uri, false));
    for (const uri of [...loadedBibs].sort()) {
      const bib = await index.bibliography(uri);
      if (bib.fileError) continue;
      const diagnostics = await diagnosticsOf(uri, true);
      if (options.unused && cited.has(uri)) for (const d of unusedEntries(bib, cited.get(uri)!)) diagnostics.push(d);
      out.set(uri, diagnostics);
    }
    return out;
  }

  /**
   * A bibliography that `_quarto.yml` or `_metadata.yml` declares and that cannot be read, added to `out` on that
   * declaration, once however many drafts inherit it (`seen`: the declarations already reported).
   */
  function metadataFileErrors(scope: Scope, scopeIndex: ScopeIndex, seen: Set<string>, out: Map<string, Diagnostic[]>): void {
    for (const s of scope.sources) {
      if ((s.origin !== 'quarto' && s.origin !== 'metadata') || !s.declaredIn || !s.declaredAt) continue;
      const bib = scopeIndex.bibliographies.find((b) => b.uri === s.uri);
      const at = `${s.declaredIn}#${s.declaredAt.start.line}:${s.declaredAt.start.character}`;
      if (!bib?.fileError || seen.has(at)) continue;
      seen.add(at);
      const list = out.get(s.declaredIn) ?? [];
      list.push(fileErrorDiagnostic(bib, s.declaredAt, workspaceFolderOf(s.declaredIn, workspace)));
      out.set(s.declaredIn, list);
    }
  }

  return { isExcluded, skipsDraft, diagnosticsOf, checkTargets, checkFiles };
}

export type Checks = ReturnType<typeof createChecks>;
