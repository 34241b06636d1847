/**
 * The alliance glossary in drafts: term hover and definition, glossary-key completion, and the
 * glossary's diagnostics (first use in reading order across a project, undefined keys, definitions).
 */
import { CodeActionKind, type CodeAction, type CompletionList, type Diagnostic, type Hover, type Location, type WorkspaceEdit } from 'vscode-languageserver-types';
import type { Position, Range } from '../model';
import type { DocumentFacts } from '../index/documents';
import { workspaceFolderOf, type Scope } from '../index/scope';
import { showTermCommand, showTermLink, termAt, termHover, termMarkdown } from '../features/glossaryHover';
import { glossaryCompletion } from '../features/glossaryCompletion';
import { glossaryDiagnostics, newFirstUseState, type FirstUseState } from '../features/glossaryDiagnostics';
import { glossaryConflicts, glossarySyntaxDiagnostics } from '../features/glossaryProject';
import { documentDate, factDiagnostics } from '../features/glossaryFacts';
import { termInsertion, unknownAcronymAt } from '../features/glossaryAddTerm';
import { dirname, isInside } from '../index/paths';
import { LineIndex } from '../text';
import type { Glossary, GlossaryTerm } from '../glossary/model';
import type { Scoped } from '../index/workspaceIndex';
import type { ServiceContext } from './context';

const kindOf = (facts: DocumentFacts) => (facts.kind === 'latex' ? 'latex' : 'markdown');

/** A glossary term in a picker ("Browse Glossary"): what it is searched by, and its id for the full entry. */
export interface TermChoice {
  id: string;
  short: string;
  expansion?: string;
  /** The definition (at most 1,000 characters): a picker searches it and shows its first line. */
  definition?: string;
  kind?: string;
  origin: GlossaryTerm['origin'];
}

export function createTerms(ctx: ServiceContext) {
  const { index } = ctx;
  const firstUseStates = new Map<string, { glossary: Glossary; state: FirstUseState }>();
  const cloneState = (s: FirstUseState): FirstUseState => ({ introduced: new Set(s.introduced), reported: new Set(s.reported) });
  /** `glossary.fact`: member counts and founding years a draft states that the glossary's data contradicts. */
  function staleFacts(facts: DocumentFacts, glossary: Glossary): Diagnostic[] {
    if (!ctx.configFor(facts.uri).glossaryFacts) return [];
    const view = index.glossaries.view(facts);
    return factDiagnostics(view.masked, facts.lines, glossary.findMentions(view.masked), { asOf: documentDate(facts.lines.text) ?? ctx.today() });
  }

  return {
    /** Glossary checks of a draft: first use in reading order across its project, undefined keys, its own definitions. */
    /** `glossary.fact` alone (a plain-text draft's). */
    async factDiagnostics({ facts, scope }: Scoped): Promise<Diagnostic[]> {
      return staleFacts(facts, (await index.glossaryOf(facts, scope)).glossary);
    },

    async draftDiagnostics(facts: DocumentFacts, scope: Scope, folder?: string): Promise<Diagnostic[]> {
      const { glossary, files } = await index.glossaryOf(facts, scope);
      const kind = kindOf(facts);
      const { glossaryFirstUse, glossaryFirstUseIgnore } = ctx.configFor(facts.uri);
      const options = { firstUse: glossaryFirstUse, ignore: glossaryFirstUseIgnore };
      // The files read before this one introduce terms too; the state after each prefix of the
      // reading order is cached, so an edit in the last chapter does not re-read the others.
      let state = newFirstUseState();
      let signature = `${glossaryFirstUse}|${glossaryFirstUseIgnore.join(',')}`;
      for (const f of files) {
        if (f.uri === facts.uri) break;
        if (f.kind !== facts.kind) continue;
        signature += `|${f.uri}@${f.version}`;
        const known = firstUseStates.get(signature);
        if (known?.glossary === glossary) {
          state = cloneState(known.state);
          continue;
        }
        glossaryDiagnostics(f.lines.text, kind, glossary, { ...options, view: index.glossaries.view(f), state });
        if (firstUseStates.size > 256) firstUseStates.delete(firstUseStates.keys().next().value!);
        firstUseStates.set(signature, { glossary, state: cloneState(state) });
      }
      const own = index.glossaries.definedIn(facts);
      const projectDefinitions = files.filter((f) => f.kind === 'latex').map((f) => index.glossaries.definedIn(f).value);
      const view = index.glossaries.view(facts);
      const stale = staleFacts(facts, glossary);
      return [
        ...glossaryDiagnostics(facts.lines.text, kind, glossary, { ...options, view, state }),
        ...stale,
        ...glossarySyntaxDiagnostics(own.errors),
        ...glossaryConflicts(facts.kind === 'latex' ? projectDefinitions : [own.value], facts.uri, folder),
      ];
    },

    /**
     * A project glossary file's own problems, and its terms that a glossary file of a folder above defines otherwise
     * (the drafts of its folder see both: `glossary.conflict`, reported on the inner file).
     */
    async fileDiagnostics(uri: string): Promise<Diagnostic[]> {
      const parsed = await index.glossaries.file(uri);
      const outer = (await index.glossaries.filesServing(uri)).filter((f) => f !== uri).reverse();
      const lists = [...(await Promise.all(outer.map(async (f) => (await index.glossaries.file(f)).value))), parsed.value];
      return [...glossarySyntaxDiagnostics(parsed.errors), ...glossaryConflicts(lists, uri, workspaceFolderOf(uri, ctx.workspace))];
    },

    /** Glossary keys inside `\gls{` and kin (LaTeX). */
    async completion(facts: DocumentFacts, scope: Scope, position: Position): Promise<CompletionList | undefined> {
      if (facts.kind !== 'latex') return undefined;
      const { glossary } = await index.glossaryOf(facts, scope);
      const items = glossaryCompletion(facts.lines.text, facts.lines.offsetAt(position), 'latex', glossary);
      return items ? { isIncomplete: false, items } : undefined;
    },

    async hover({ facts, scope, index: cited }: Scoped, position: Position): Promise<Hover | undefined> {
      const { glossary } = await index.glossaryOf(facts, scope);
      const folder = workspaceFolderOf(facts.uri, ctx.workspace);
      const { glossaryHover } = ctx.configFor(facts.uri);
      await cited.searchReady(); // a source's key is looked up by its title
      const fullEntryLink = ctx.clientCommands.has(showTermCommand) ? (term: GlossaryTerm) => showTermLink(facts.uri, term.id) : undefined;
      const options = { view: index.glossaries.view(facts), citationKeyFor: index.sourceKey(cited), folder, which: glossaryHover === 'full' ? 'names' : glossaryHover, detail: glossaryHover === 'full' ? 'full' : 'short', fullEntryLink } as const;
      return termHover(facts.lines.text, kindOf(facts), facts.lines.offsetAt(position), glossary, options);
    },

    /** The full entry of a term (sources, related terms) as a draft sees it; without one, a built-in term's. */
    async card(scoped: Scoped | undefined, id: string): Promise<string | undefined> {
      const draft = scoped && scoped.facts.kind !== 'other' ? scoped : undefined;
      const glossary = draft ? (await index.glossaryOf(draft.facts, draft.scope)).glossary : index.glossaries.builtinOnly();
      const term = glossary.get(id);
      if (!term) return undefined;
      if (draft) await draft.index.searchReady();
      const folder = draft ? workspaceFolderOf(draft.facts.uri, ctx.workspace) : undefined;
      return termMarkdown(term, glossary, draft ? kindOf(draft.facts) : 'markdown', { detail: 'full', folder, citationKeyFor: draft && index.sourceKey(draft.index) });
    },

    /** Every term a draft sees, in precedence order (project terms first); without a draft, the built-in ones. */
    async choices(scoped: Scoped | undefined): Promise<TermChoice[]> {
      const draft = scoped && scoped.facts.kind !== 'other' ? scoped : undefined;
      const glossary = draft ? (await index.glossaryOf(draft.facts, draft.scope)).glossary : index.glossaries.builtinOnly();
      return glossary.terms.map((t) => ({ id: t.id, short: t.short, expansion: t.expansion, definition: t.definition && (t.definition.length > 1000 ? `${t.definition.slice(0, 999)}…` : t.definition), kind: t.kind, origin: t.origin }));
    },

    /**
     * "Add 'ESSI' to the project glossary" on an acronym at `range` that no term names and the draft spells out
     * (`features/glossaryAddTerm.ts`): extends the innermost YAML glossary file serving the draft, else creates
     * `glossary.yaml` in the folder of the draft's project (the folder holding all its files).
     */
    async addTermActions({ facts, scope }: Scoped, range: Range): Promise<CodeAction[]> {
      if (facts.kind === 'other') return [];
      const { glossary } = await index.glossaryOf(facts, scope);
      const found = unknownAcronymAt(index.glossaries.view(facts), facts.lines.offsetAt(range.start), glossary, ctx.configFor(facts.uri).glossaryFirstUseIgnore);
      if (!found) return [];
      const serving = (await index.glossaries.filesServing(facts.uri)).filter((u) => /\.ya?ml$/i.test(u));
      const target = serving[0] ?? `${commonFolder(scope.projectFiles).replace(/\/$/, '')}/glossary.yaml`;
      const folders = ctx.workspace.folders();
      if (!serving.length && (!index.glossaries.isGlossaryFile(target, folders) || (await ctx.workspace.stat(target)))) return [];
      const read = serving.length ? await ctx.workspace.readFile(target, ctx.configFor(target).maxFileBytes) : undefined;
      if (read && !('text' in read)) return [];
      const text = read?.text;
      const insertion = termInsertion(text, found);
      if (!insertion) return [];
      const at = new LineIndex(text ?? '').positionAt(insertion.offset);
      const edit = { range: { start: at, end: at }, newText: insertion.newText };
      const change: WorkspaceEdit =
        text === undefined
          ? { documentChanges: [{ kind: 'create', uri: target, options: { ignoreIfExists: true } }, { textDocument: { uri: target, version: null }, edits: [edit] }] }
          : { changes: { [target]: [edit] } };
      return [{ title: `Add '${found.short}' to the project glossary (${found.expansion})`, kind: CodeActionKind.QuickFix, edit: change }];
    },

    /** Where a project term under the cursor is defined. */
    async definition(facts: DocumentFacts, scope: Scope, position: Position): Promise<Location[] | undefined> {
      const { glossary } = await index.glossaryOf(facts, scope);
      const term = termAt(facts.lines.text, kindOf(facts), facts.lines.offsetAt(position), glossary, index.glossaries.view(facts))?.term;
      return term?.uri && term.range ? [{ uri: term.uri, range: term.range }] : undefined;
    },

    /** How many terms a draft sees (built-in and project). */
    async count(facts: DocumentFacts, scope: Scope): Promise<number> {
      return facts.kind === 'other' ? 0 : (await index.glossaryOf(facts, scope)).glossary.size;
    },
  };
}

export type Terms = ReturnType<typeof createTerms>;

/** The innermost folder holding every file (a draft alone: its own folder). */
function commonFolder(uris: readonly string[]): string {
  let folder = dirname(uris[0]);
  while (!uris.every((u) => isInside(u, folder)) && dirname(folder) !== folder) folder = dirname(folder);
  return folder;
}
