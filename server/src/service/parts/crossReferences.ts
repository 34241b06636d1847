/**
 * Cross-references in drafts (`\ref{sec:x}`, `@fig-x`) and their labels across a project (a LaTeX
 * root and its includes, a Quarto project): completion, hover, definition, references and rename of a label.
 */
import type { CompletionList, Hover, Location, Range, WorkspaceEdit } from 'vscode-languageserver-types';
import type { Position } from '../model';
import type { ITextDocument } from '../workspace';
import type { Scoped } from '../index/workspaceIndex';
import type { DocumentFacts } from '../index/documents';
import { labelDefinition, refAt } from '../features/definition';
import { completeLabels, labelContext } from '../features/labelCompletion';
import { labelHover } from '../features/labelHover';
import { citationsStartingWith } from '../features/completion';
import { labelLocations } from '../features/references';
import { invalidLabelReason, renameEdit } from '../features/rename';
import { UserError, type ServiceContext } from './context';

export function createCrossReferences(ctx: ServiceContext) {
  const { index } = ctx;

  /** The label under the cursor in a draft, with its project's files. */
  async function labelAt(doc: ITextDocument, position: Position) {
    const facts = index.factsOf(doc);
    const ref = refAt(facts, position);
    if (!ref) return undefined;
    const { scope } = await index.scoped(facts);
    return { ref, facts, ...(await index.projectLabels(scope)) };
  }

  return {
    /** Whether `completion` answers at this place (labels, not citations). */
    completesAt(facts: DocumentFacts, position: Position): boolean {
      return labelContext(facts, facts.lines.offsetAt(position)) !== undefined;
    },

    /** Labels inside `\ref{` and kin, or after `@fig-` and kin (with the citation keys of that shape); undefined elsewhere. */
    async completion({ facts, scope, index: cited }: Scoped, position: Position): Promise<CompletionList | undefined> {
      const at = labelContext(facts, facts.lines.offsetAt(position));
      if (!at) return undefined;
      const { labels, files } = await index.projectLabels(scope);
      const keys = at.syntax === 'pandoc' ? citationsStartingWith(facts, { ...at, syntax: 'pandoc' }, cited, ctx.configFor(facts.uri).completionMaxItems) : [];
      return completeLabels(at, labels, files, keys);
    },

    async hover({ facts, scope }: Scoped, position: Position): Promise<Hover | undefined> {
      if (!refAt(facts, position)) return undefined;
      const { labels, files } = await index.projectLabels(scope);
      return labelHover(facts, position, labels, files);
    },

    async definition({ facts, scope }: Scoped, position: Position): Promise<Location[] | undefined> {
      return labelDefinition(facts, position, (await index.projectLabels(scope)).labels);
    },

    async references(doc: ITextDocument, position: Position, includeDeclaration: boolean): Promise<Location[] | undefined> {
      const label = await labelAt(doc, position);
      return label && labelLocations(label.ref.label, label.files, includeDeclaration);
    },

    prepareRename(doc: ITextDocument, position: Position): { range: Range; placeholder: string } | undefined {
      const ref = refAt(index.factsOf(doc), position);
      return ref && { range: ref.range, placeholder: ref.label };
    },

    /** The edit renaming the label under the cursor across its project; a name that is not valid or already taken is refused. */
    async rename(doc: ITextDocument, position: Position, newName: string): Promise<WorkspaceEdit | undefined> {
      const label = await labelAt(doc, position);
      if (!label) return undefined;
      const reason = invalidLabelReason(newName, label.facts.kind === 'markdown');
      if (reason) throw new UserError(reason);
      if (newName !== label.ref.label && label.labels.has(newName)) throw new UserError(`'${newName}' is already a label in this project.`);
      return renameEdit(labelLocations(label.ref.label, label.files, true), newName);
    },
  };
}

export type CrossReferences = ReturnType<typeof createCrossReferences>;
