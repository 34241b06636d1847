/** Pure helpers of the client's commands (no `vscode` import, so unit tests can load them). */

/** The text to insert for `key` at the cursor: a bare key inside an open citation, a whole citation elsewhere. */
export function citationText(languageLatex: boolean, lineBefore: string, key: string): string {
  if (languageLatex) return /\\[A-Za-z]*cite[A-Za-z]*\*?(?:\[[^\]]*\]){0,2}\{[^}]*$/.test(lineBefore) ? (/[{,]\s*$/.test(lineBefore) ? key : `,${key}`) : `\\cite{${key}}`;
  const open = lineBefore.lastIndexOf('[');
  const inBracket = open >= 0 && !lineBefore.slice(open).includes(']') && lineBefore.slice(open).includes('@');
  if (inBracket) return /[;[]\s*$/.test(lineBefore) ? `@${key}` : `; @${key}`;
  return `[@${key}]`;
}
