/**
 * The alliance glossary in drafts: term hover and definition, glossary-key completion, and the
 * glossary's diagnostics (first use in reading order across a project, undefined keys, definitions).
 */
import type { CompletionList, Diagnostic, Hover, Location } from 'vscode-languageserver-types';
import type { Position, Range } from '../model';
import type { DocumentFacts } from '../index/documents';
import { workspaceFolderOf, type Scope } from '../index/scope';
import { termAt, termHover } from '../features/glossaryHover';
import { glossaryCompletion } from '../features/glossaryCompletion';
import { glossaryDiagnostics, newFirstUseState, type FirstUseState } from '../features/glossaryDiagnostics';
import { glossaryConflicts, glossarySyntaxDiagnostics } from '../features/glossaryProject';
import type { Glossary } from '../glossary/model';
import type { Scoped } from '../index/workspaceIndex';
import type { ServiceContext } from './context';

const kindOf = (facts: DocumentFacts) => (facts.kind === 'latex' ? 'latex' : 'markdown');

export function createTerms(ctx: ServiceContext) {
  const { index } = ctx;
  const firstUseStates = new Map<string, { glossary: Glossary; state: FirstUseState }>();
  const cloneState = (s: FirstUseState): FirstUseState => ({ introduced: new Set(s.introduced), reported: new Set(s.reported) });

  return {
    /** Glossary checks of a draft: first use in reading order across its project, undefined keys, its own definitions. */
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
      return [
        ...glossaryDiagnostics(facts.lines.text, kind, glossary, { ...options, view: index.glossaries.view(facts), state }),
        ...glossarySyntaxDiagnostics(own.errors),
        ...glossaryConflicts(facts.kind === 'latex' ? projectDefinitions : [own.value], facts.uri, folder),
      ];
    },

    /** A project glossary file's own problems. */
    async fileDiagnostics(uri: string): Promise<Diagnostic[]> {
      const parsed = await index.glossaries.file(uri);
      return [...glossarySyntaxDiagnostics(parsed.errors), ...glossaryConflicts([parsed.value], uri, workspaceFolderOf(uri, ctx.workspace))];
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
      const options = { view: index.glossaries.view(facts), citationKeyFor: index.sourceKey(cited), folder, which: glossaryHover === 'full' ? 'names' : glossaryHover, detail: glossaryHover === 'full' ? 'full' : 'short' } as const;
      return termHover(facts.lines.text, kindOf(facts), facts.lines.offsetAt(position), glossary, options);
    },

    /** Where a project term under the cursor is defined. */
    async definition(facts: DocumentFacts, scope: Scope, position: Position): Promise<Location[] | undefined> {
      const { glossary } = await index.glossaryOf(facts, scope);
      const term = termAt(facts.lines.text, kindOf(facts), facts.lines.offsetAt(position), glossary, index.glossaries.view(facts))?.term;
      return term?.uri && term.range ? [{ uri: term.uri, range: term.range }] : undefined;
    },

    /** The terms a draft sees, by short form: for the status bar's list. */
    async list(facts: DocumentFacts, scope: Scope): Promise<TermChoice[]> {
      if (facts.kind === 'other') return [];
      const { glossary } = await index.glossaryOf(facts, scope);
      return glossary.terms
        .map((t) => ({ short: t.short, expansion: t.expansion, definition: t.definition, origin: t.origin, ...(t.uri && t.range ? { uri: t.uri, range: t.range } : {}) }))
        .sort((a, b) => a.short.localeCompare(b.short));
    },

    /** How many terms a draft sees (built-in and project). */
    async count(facts: DocumentFacts, scope: Scope): Promise<number> {
      return facts.kind === 'other' ? 0 : (await index.glossaryOf(facts, scope)).glossary.size;
    },
  };
}

export type Terms = ReturnType<typeof createTerms>;

/** A glossary term as the status bar's list shows it. */
export interface TermChoice {
  short: string;
  expansion?: string;
  definition?: string;
  origin: string;
  /** Where a project term is defined. */
  uri?: string;
  range?: Range;
}
