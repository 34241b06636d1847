/**
 * Bounds on what diagnostics send, whatever the input: a file of 2,000,000 `[@a]` or 2,000 copies
 * of one key must not become a message of hundreds of megabytes (issue 15). Applied to every list
 * of diagnostics the service returns, in the editor and in `entente check`.
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';

const source = 'entente';

/** Related places listed per diagnostic (the message counts the others). */
export const maxRelatedPerDiagnostic = 10;
/** Characters of a message (a key of a megabyte is shown cut). */
export const maxMessageChars = 1000;

/**
 * At most `max` diagnostics, the most severe first and then in order, plus one `diagnostics.truncated`
 * saying how many were left out; related information and messages cut to their bounds.
 */
export function boundDiagnostics(list: Diagnostic[], max: number): Diagnostic[] {
  let kept = list;
  if (list.length > max) {
    const order = list.map((d, i) => ({ d, i })).sort((a, b) => (a.d.severity ?? 1) - (b.d.severity ?? 1) || a.i - b.i);
    kept = order.slice(0, max).sort((a, b) => a.i - b.i).map((x) => x.d);
  }
  const out = kept.map(boundOne);
  if (list.length > max) out.push(truncated(list.length - max, max));
  return out;
}

function boundOne(d: Diagnostic): Diagnostic {
  const related = d.relatedInformation;
  const tooMany = related && related.length > maxRelatedPerDiagnostic;
  if (typeof d.message !== 'string' || (!tooMany && d.message.length <= maxMessageChars)) return d;
  let message = d.message.length > maxMessageChars ? `${d.message.slice(0, maxMessageChars - 1)}…` : d.message;
  if (tooMany) message += ` (${related.length} related places; the first ${maxRelatedPerDiagnostic} are listed)`;
  return { ...d, message, relatedInformation: tooMany ? related.slice(0, maxRelatedPerDiagnostic) : related };
}

function truncated(left: number, max: number): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    code: 'diagnostics.truncated',
    source,
    message: `${left.toLocaleString('en-US')} more problems in this file are not shown: at most ${max.toLocaleString('en-US')} are (setting entente.diagnostics.maxPerFile).`,
  };
}

/**
 * The other places a diagnostic lists as related information (the other definitions of a duplicate): the first
 * few only, so that 2,000 copies of a key make 2,000 diagnostics of a few places each, not 4,000,000 places.
 */
export function firstOthers<T>(all: Iterable<T>, isSelf: (o: T) => boolean): T[] {
  const out: T[] = [];
  for (const o of all) {
    if (out.length === maxRelatedPerDiagnostic) break;
    if (!isSelf(o)) out.push(o);
  }
  return out;
}
