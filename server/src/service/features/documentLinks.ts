/**
 * Document links: the files a draft names, opened with a click. LaTeX: `\input`, `\include`, `\subfile`, `\import`
 * (against the root's folder, as LaTeX reads them; `.tex` added when the name has none), `\bibliography{a,b}` (each
 * name, `.bib` added), `\addbibresource`; Markdown: front matter `bibliography:`, `csl:` and included files (against
 * the draft's folder). Only files that exist are links; a missing bibliography has its diagnostic.
 */
import type { DocumentLink } from 'vscode-languageserver-types';
import type { DeclaredPath, DocumentFacts } from '../index/documents';
import { dirname, extname, resolvePath } from '../index/paths';

export async function documentLinks(facts: DocumentFacts, rootUri: string | undefined, exists: (uri: string) => Promise<boolean>, home?: string): Promise<DocumentLink[]> {
  const out: DocumentLink[] = [];
  const link = async (d: DeclaredPath, dir: string, candidates: (uri: string) => string[]) => {
    if (/^[a-z][a-z0-9+.-]+:\/\//i.test(d.path)) return; // biblatex's remote resources
    for (const uri of candidates(resolvePath(dir, d.path, home))) {
      if (await exists(uri)) return void out.push({ range: d.range, target: uri });
    }
  };
  const same = (uri: string) => [uri];
  if (facts.latex) {
    const dir = dirname(rootUri ?? facts.uri);
    for (const d of facts.latex.inputs) await link(d, dir, (uri) => (extname(uri) ? [uri, `${uri}.tex`] : [`${uri}.tex`, uri]));
    for (const d of [...facts.latex.bibliographies, ...facts.latex.suffixedBibliographies]) {
      await link(d, dir, (uri) => (d.command?.startsWith('bibliography') && !extname(uri) ? [`${uri}.bib`] : [uri]));
    }
  }
  if (facts.markdown) {
    const dir = dirname(facts.uri);
    const { bibliography, csl, includes = [] } = facts.markdown;
    for (const d of [...bibliography, ...(csl ? [csl] : []), ...includes]) await link(d, dir, same);
  }
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
