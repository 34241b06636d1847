/**
 * Semantic tokens: every citation key of a draft is a `citation`, and one that `citation.undefined` reports is
 * also `undefined`, so that a theme colours keys as citations and wrong keys as wrong (package.json maps them to
 * TextMate scopes the default themes colour). One pass over the draft's facts, in text order.
 */
import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver-types';
import type { Citation } from '../model';
import type { DocumentFacts } from '../index/documents';
import type { Scope } from '../index/scope';
import type { ScopeIndex } from '../index/scopeIndex';
import { undefinedCitations } from './diagnostics';

export const semanticTokensLegend: SemanticTokensLegend = { tokenTypes: ['citation'], tokenModifiers: ['undefined'] };

const citationType = 0;
const undefinedModifier = 1 << 0;

export function citationTokens(facts: DocumentFacts, scope: Scope, index: ScopeIndex): SemanticTokens {
  const missing = new Set(undefinedCitations(facts, scope, index));
  // A token is one line; positions are LSP positions already (UTF-16), as the facts keep them.
  const keys = facts.citations.filter((c) => c.key !== '*' && c.range.start.line === c.range.end.line && c.range.end.character > c.range.start.character);
  keys.sort(byStart);
  const data: number[] = [];
  let line = 0;
  let character = 0;
  let end = -1;
  for (const c of keys) {
    const { start } = c.range;
    // Two facts over the same text (a key read by two macros) make one token.
    if (start.line === line && start.character < end) continue;
    data.push(start.line - line, start.line === line ? start.character - character : start.character, c.range.end.character - start.character, citationType, missing.has(c) ? undefinedModifier : 0);
    line = start.line;
    character = start.character;
    end = c.range.end.character;
  }
  return { data };
}

function byStart(a: Citation, b: Citation): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}
