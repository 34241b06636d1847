/** Go to definition: a citation to its entry's key, a cross-reference to its label. */
import type { Location } from 'vscode-languageserver-types';
import type { Position } from '../model';
import type { DocumentFacts, LabelFact, LabelIndex } from '../index/documents';
import type { ScopeIndex } from '../index/scopeIndex';
import { rangeContains } from '../text';
import { citationAt } from './hover';

export function refAt(facts: DocumentFacts, position: Position): LabelFact | undefined {
  return facts.refs.find((r) => rangeContains(r.range, position)) ?? facts.labels.find((l) => rangeContains(l.range, position));
}

/** `ignoreCase`: a BibTeX project, where `\cite{ok}` finds `Ok`. */
export function citationDefinition(facts: DocumentFacts, position: Position, index: ScopeIndex, ignoreCase = false): Location[] | undefined {
  const citation = citationAt(facts, position);
  if (!citation) return undefined;
  return index.resolve(citation.key, ignoreCase).map(({ entry, uri }) => ({ uri, range: entry.keyRange }));
}

export function labelDefinition(facts: DocumentFacts, position: Position, labels: LabelIndex): Location[] | undefined {
  const ref = refAt(facts, position);
  if (!ref) return undefined;
  return (labels.get(ref.label) ?? []).map((l) => ({ uri: l.uri, range: l.range }));
}
