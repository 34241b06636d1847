/**
 * Pandoc template syntax (`$if(bibliography)$`, `$for(nocite-ids)$$it$$sep$, $endfor$`, `$body$`,
 * `${ if(x) }`): a file that has it is a template pandoc fills in (`pandoc -D latex`, Quarto's
 * partials under `_extensions/`), not a draft, and its `\bibliography{$bibliography$}` names no file.
 * LaTeX's own `$...$` math never has these control words directly after the `$`.
 */
const control = /\$\{?\s*(?:(?:if|for)\([\w.-]+\)|endif|endfor|else|sep|body)\s*\}?\$/;

export function isPandocTemplate(text: string): boolean {
  return control.test(text);
}
