/** Diagnostics of the project's own glossary definitions: syntax, and one short form with two meanings. */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { ParseError } from '../model';
import type { GlossaryTerm } from '../glossary/model';
import { displayPath } from '../index/paths';

export function glossarySyntaxDiagnostics(errors: readonly ParseError[]): Diagnostic[] {
  return errors.map((e) => ({
    range: e.range,
    severity: e.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
    code: e.code || 'glossary.syntax',
    source: 'entente',
    message: e.message,
  }));
}

const norm = (s: string | undefined) => (s ?? '').normalize('NFKC').toLowerCase().replace(/[\s\u2010-\u2015-]+/g, ' ').trim();

/**
 * `glossary.conflict`: the same short form defined more than once with different expansions across
 * the project's glossaries. Reported on each definition in `uri` after the first, pointing at it.
 */
export function glossaryConflicts(lists: readonly (readonly GlossaryTerm[])[], uri: string, folder?: string): Diagnostic[] {
  const first = new Map<string, GlossaryTerm>();
  const out: Diagnostic[] = [];
  for (const term of lists.flat()) {
    if (!term.expansion) continue;
    const earlier = first.get(term.short);
    if (!earlier) {
      first.set(term.short, term);
      continue;
    }
    if (norm(earlier.expansion) === norm(term.expansion) || term.uri !== uri || !term.range) continue;
    const where = earlier.uri && earlier.range ? `${displayPath(earlier.uri, folder)}:${earlier.range.start.line + 1}` : 'elsewhere';
    out.push({
      range: term.range,
      severity: DiagnosticSeverity.Warning,
      code: 'glossary.conflict',
      source: 'entente',
      message: `'${term.short}' is defined as '${earlier.expansion}' at ${where} and as '${term.expansion}' here.`,
      relatedInformation: earlier.uri && earlier.range ? [{ location: { uri: earlier.uri, range: earlier.range }, message: `'${term.short}' defined as '${earlier.expansion}'` }] : undefined,
    });
  }
  return out;
}
