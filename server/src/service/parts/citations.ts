/**
 * Citations in drafts and keys in bibliographies: completion and its resolve, hover, the pickers'
 * search, and the key's definition, references and rename (across every draft that sees the same entry).
 */
import type { CompletionItem, CompletionList, Hover, Location, Range, SemanticTokens, WorkspaceEdit } from 'vscode-languageserver-types';
import type { Position } from '../model';
import type { ITextDocument } from '../workspace';
import type { Previewed, Scoped } from '../index/workspaceIndex';
import type { ScopeIndex } from '../index/scopeIndex';
import { workspaceFolderOf } from '../index/scope';
import { basename } from '../index/paths';
import { completeCitations, completeCitationsFromPreview, type CitationItemData } from '../features/completion';
import { citationHover } from '../features/hover';
import { candidateLabel } from '../features/diagnostics';
import { citationDefinition } from '../features/definition';
import { citationKeyAt, citationLocations, entryKeyAt, linkLocations, type KeyAt } from '../features/references';
import { invalidKeyReason, renameEdit } from '../features/rename';
import { citationTokens } from '../features/semanticTokens';
import { UserError, type ServiceContext } from './context';
import { IDLE_SLICE_MS, paced, type Steps } from '../pacing';

/** An entry as the "Insert Citation" and "Show Entry" pickers show it. */
export interface EntryChoice {
  key: string;
  /** "Biscop (2022) The New Force Model" */
  label: string;
  /** The formatted reference (for the first few choices only). */
  reference?: string;
  uri: string;
  range: Range;
}

export function createCitations(ctx: ServiceContext) {
  const { index } = ctx;
  /** The libraries whose preview completion has answered from (each said once in the log). */
  const previewed = new WeakSet<object>();

  /** Where the key under the cursor is defined and cited: the locations a rename must change. */
  async function keyLocations(doc: ITextDocument, position: Position): Promise<{ at: KeyAt; definitions: Location[]; citations: Location[]; indexes: ScopeIndex[] } | undefined> {
    let at: KeyAt | undefined;
    let definitionUris: Set<string>;
    if (index.isBibliography(doc.uri, doc.languageId)) {
      const bib = await index.bibliography(doc.uri);
      at = entryKeyAt(bib, position);
      definitionUris = new Set([doc.uri]);
      // A parent named in a link field may be defined in another file loaded beside this one (biber reads them as one).
      const key = at?.key;
      if (key && !bib.byKey.has(key)) definitionUris = new Set(index.scopesHolding(doc.uri).flatMap((s) => s.lookup(key).map((l) => l.uri)));
    } else {
      const { facts, index: cited } = await index.scoped(index.factsOf(doc));
      at = citationKeyAt(facts, position);
      if (!at) return undefined;
      definitionUris = new Set(cited.lookup(at.key).map((l) => l.uri));
    }
    if (!at) return undefined;
    const key = at.key;
    const citations: Location[] = [];
    const definitions = new Map<string, Location>();
    const involved: ScopeIndex[] = [];
    for (const raw of await index.allDrafts()) {
      // A LaTeX draft may cite the key through a macro its project defines elsewhere: only its scope tells.
      if (raw.kind !== 'latex' && !raw.citations.some((c) => c.key === key)) continue;
      const { facts: draft, index: cited } = await index.scoped(raw);
      if (!draft.citations.some((c) => c.key === key)) continue;
      const defs = cited.lookup(key);
      // A draft counts when it sees the same definition (or, for an undefined key, none at all).
      if (defs.length ? !defs.some((d) => definitionUris.has(d.uri)) : definitionUris.size > 0) continue;
      for (const l of citationLocations(key, [draft])) citations.push(l);
      involved.push(cited);
      for (const d of defs) definitions.set(`${d.uri}#${d.entry.keyRange.start.line}:${d.entry.keyRange.start.character}`, { uri: d.uri, range: d.entry.keyRange });
    }
    for (const uri of definitionUris) {
      for (const e of (await index.bibliography(uri)).byKey.get(key) ?? []) definitions.set(`${uri}#${e.keyRange.start.line}:${e.keyRange.start.character}`, { uri, range: e.keyRange });
    }
    const links = await linksTo(key, definitionUris, involved);
    return { at, definitions: [...definitions.values()], citations: [...citations, ...links], indexes: involved };
  }

  /**
   * Where BibTeX entries name the key as their parent, data, related entry or set member (`crossref = {key}`...):
   * in the bibliographies defining it and in those loaded beside them (biber resolves links across a document's files).
   */
  async function linksTo(key: string, definitionUris: ReadonlySet<string>, involved: readonly ScopeIndex[]): Promise<Location[]> {
    if (definitionUris.size === 0) return [];
    const uris = new Set(definitionUris);
    for (const scope of [...involved, ...[...definitionUris].flatMap((uri) => index.scopesHolding(uri))]) for (const b of scope.bibliographies) uris.add(b.uri);
    return linkLocations(key, await Promise.all([...uris].map((uri) => index.bibliography(uri))));
  }

  return {
    async completion({ facts, index: cited }: Scoped, position: Position): Promise<CompletionList | undefined> {
      const { latexCitationCommands, completionMaxItems } = ctx.configFor(facts.uri);
      return completeCitations(facts, position, cited, { latexCommands: latexCitationCommands, maxItems: completionMaxItems });
    },

    /** Completion from the preview of the scope's libraries while they are parsed; undefined when it cannot answer as the index will. */
    previewCompletion({ facts, preview }: Previewed, position: Position): CompletionList | undefined {
      const { latexCitationCommands, completionMaxItems } = ctx.configFor(facts.uri);
      const started = Date.now();
      let list: CompletionList | undefined;
      try {
        list = completeCitationsFromPreview(facts, position, preview, { latexCommands: latexCitationCommands, maxItems: completionMaxItems });
      } catch (e) {
        // A fault of the preview costs the wait for the index, never the completion.
        ctx.logger.error(`Completion from the preview failed: ${e instanceof Error ? e.stack : e}`);
        return undefined;
      }
      if (list && !previewed.has(preview.libraries[0])) {
        previewed.add(preview.libraries[0]);
        const read = preview.libraries.map((l) => `${basename(l.uri)} (${l.quick?.starts.length} entries found in ${l.quickMs} ms)`).join(', ');
        ctx.logger.info(`Completion answered from the preview of ${read} in ${Date.now() - started} ms, while it is parsed`);
      }
      return list;
    },

    /** The formatted reference of a completion item, when it is selected. */
    async resolveCompletion(item: CompletionItem): Promise<CompletionItem> {
      const data = item.data as CitationItemData | undefined;
      if (data?.kind !== 'citation') return item;
      const bib = await index.bibliography(data.bib);
      const entry = bib.byKey.get(data.key)?.[0];
      const facts = await index.factsOfUri(data.doc);
      if (!entry || !facts) return item;
      const { scope } = await index.scoped(facts);
      const style = await index.styleFor(scope, data.doc);
      const source = `*${basename(data.bib)}:${entry.keyRange.start.line + 1}*`;
      return { ...item, documentation: { kind: 'markdown', value: `${index.renderLocated({ entry, uri: data.bib }, style)}\n\n${source}` } };
    },

    async hover({ facts, scope, index: cited }: Scoped, position: Position): Promise<Hover | undefined> {
      const style = await index.styleFor(scope, facts.uri);
      const ignoreCase = scope.backend === 'bibtex';
      return citationHover(facts, position, cited, { render: (l) => index.renderLocated(l, style), folder: workspaceFolderOf(facts.uri, ctx.workspace), ignoreCase });
    },

    /** The citation keys of a draft as semantic tokens, undefined ones marked. */
    semanticTokens({ facts, scope, index: cited }: Scoped): SemanticTokens {
      return citationTokens(facts, scope, cited);
    },

    /**
     * Formats, between other requests, the references a draft cites that are not formatted yet, so that the first
     * hover of each key answers from the cache (issue 17: a key's first hover took ~25 ms at p95, citeproc's time).
     */
    async warmHovers(doc: ITextDocument, idle?: () => Promise<void>): Promise<void> {
      const { facts, scope, index: cited } = await index.scoped(index.factsOf(doc));
      const style = await index.styleFor(scope, doc.uri);
      const ignoreCase = scope.backend === 'bibtex';
      const keys = [...new Set(facts.citations.map((c) => c.key))];
      function* renders(): Steps<void> {
        for (const key of keys) {
          const found = cited.resolve(key, ignoreCase)[0];
          if (found) index.renderLocated(found, style);
          yield;
        }
      }
      // In idle time only, in short slices: twenty chapters opened at once are checked first (issue 17: warming
      // them between the checks held the last chapter's diagnostics for 5.8 s instead of 0.1 s).
      await paced(renders(), idle ? IDLE_SLICE_MS : undefined, idle);
    },

    /** Fuzzy search over everything a document can cite, for the pickers; the first `formatted` come with their reference. */
    async searchEntries(doc: ITextDocument, query: string, limit = 50, formatted = 10): Promise<EntryChoice[]> {
      const { scope, index: cited } = await index.scoped(index.factsOf(doc));
      const style = await index.styleFor(scope, doc.uri);
      if (query.trim()) await cited.searchReady();
      return cited.find(query, limit).hits.map(({ record }, i) => ({
        key: record.key,
        label: candidateLabel(record.entry),
        reference: i < formatted ? index.renderLocated({ entry: record.entry, uri: record.uri }, style) : undefined,
        uri: record.uri,
        range: record.entry.keyRange,
      }));
    },

    definition({ facts, scope, index: cited }: Scoped, position: Position): Location[] | undefined {
      return citationDefinition(facts, position, cited, scope.backend === 'bibtex');
    },

    async references(doc: ITextDocument, position: Position, includeDeclaration: boolean): Promise<Location[] | undefined> {
      const found = await keyLocations(doc, position);
      return found && (includeDeclaration ? [...found.definitions, ...found.citations] : found.citations);
    },

    async prepareRename(doc: ITextDocument, position: Position): Promise<{ range: Range; placeholder: string } | undefined> {
      const at = index.isBibliography(doc.uri, doc.languageId) ? entryKeyAt(await index.bibliography(doc.uri), position) : citationKeyAt((await index.scoped(index.factsOf(doc))).facts, position);
      return at && { range: at.range, placeholder: at.key };
    },

    /** The edit renaming the key under the cursor everywhere; a name that is not valid or already taken is refused. */
    async rename(doc: ITextDocument, position: Position, newName: string): Promise<WorkspaceEdit | undefined> {
      const found = await keyLocations(doc, position);
      if (!found) return undefined;
      const reason = invalidKeyReason(newName);
      if (reason) throw new UserError(reason);
      if (newName !== found.at.key) {
        const bibs = new Set(found.definitions.map((d) => d.uri));
        for (const uri of bibs) if ((await index.bibliography(uri)).byKey.has(newName)) throw new UserError(`'${newName}' is already a key in ${basename(uri)}.`);
        if (found.indexes.some((i) => i.lookup(newName).length > 0)) throw new UserError(`'${newName}' is already a citation key in this document's bibliographies.`);
      }
      return renameEdit([...found.definitions, ...found.citations], newName);
    },
  };
}

export type Citations = ReturnType<typeof createCitations>;
