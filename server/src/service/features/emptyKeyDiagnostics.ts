/**
 * `citation.empty-key`: an empty key in a LaTeX citation (`\citep{ok,}`, `\cite{a,,b}`, `\cite{}`), as the
 * real tools see it (TeX Live 2022, BibTeX 0.99d, biber 2.18):
 * - LaTeX's `\cite` and natbib write every item of the list to the `.aux` file, an empty one as `\citation{}`:
 *   LaTeX warns "Citation `' on page 1 undefined" and BibTeX "I didn't find a database entry for """.
 *   After `\nocite{*,}` LaTeX writes `\citation{\par }` (natbib `\citation{}`), which BibTeX rejects.
 * - biblatex (biber or BibTeX backend) drops the empty items of a list (`\cite{a,}` cites `a`, silently), but
 *   warns "Citation '' undefined" for `\cite{}` and "Citation '*' undefined" for `\nocite{*,}`.
 * So a stray comma is reported unless biblatex reads it and it stands beside keys; an empty group always.
 * In Markdown, `@{}` is pandoc's citation of the empty key (pandoc 3.10's AST; citeproc warns it is not found).
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { Range } from '../model';
import type { DocumentFacts } from '../index/documents';
import type { Scope } from '../index/scope';
import { source } from './diagnostics';

/** `data` of `citation.empty-key`: the stray comma a quick fix removes (none for an empty `{}`). */
export interface EmptyKeyData {
  comma?: Range;
}

export function emptyKeyDiagnostics(facts: DocumentFacts, scope: Scope): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of facts.latex?.emptyKeys ?? []) {
    if (e.comma && scope.biblatex && !e.wildcard) continue; // biblatex drops it
    const data: EmptyKeyData = e.comma ? { comma: e.range } : {};
    out.push({
      range: e.range,
      severity: DiagnosticSeverity.Warning,
      code: 'citation.empty-key',
      source,
      message: message(e.comma, e.wildcard, !!scope.biblatex, e.command),
      data,
    });
  }
  for (const range of facts.markdown?.emptyKeys ?? []) {
    const message = 'Empty citation key @{}: pandoc cites a key \'\' that no bibliography holds ("citation  not found").';
    out.push({ range, severity: DiagnosticSeverity.Warning, code: 'citation.empty-key', source, message, data: {} });
  }
  return out;
}

function message(comma: boolean, wildcard: boolean, biblatex: boolean, command: string): string {
  if (!comma) return `Empty citation \\${command}{}: LaTeX warns "Citation \`' undefined".`;
  if (wildcard && biblatex) return `Stray comma beside *: biblatex reads \\${command}{*,} as a key '*' ("Citation '*' undefined"), not as every entry. Remove the stray comma.`;
  if (wildcard) return 'Stray comma beside *: LaTeX writes an empty key after it, which BibTeX rejects. Remove the stray comma.';
  return `Empty citation key: LaTeX warns "Citation \`' undefined" and BibTeX "I didn't find a database entry for """. Remove the stray comma.`;
}
