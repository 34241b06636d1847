/** The LaTeX prose scanner (see `prose.ts`). */
import { Scanner, glossaryCommands, isLetter, lineEnd, words, type ProseView } from './proseScanner';

const headingCommands = new Set(words('part chapter section subsection subsubsection paragraph subparagraph title subtitle'));
const nonProse = new Set(
  words(`label ref eqref pageref autoref cref Cref nameref vref hyperref nocite bibitem usepackage RequirePackage documentclass
  input include includeonly subfile import subimport inputfrom includefrom addbibresource bibliography bibliographystyle
  printbibliography url includegraphics graphicspath newcommand renewcommand providecommand DeclareRobustCommand
  newenvironment renewenvironment setlength addtolength setcounter addtocounter newcounter pagestyle thispagestyle
  hypersetup color definecolor newacronym newabbreviation newglossaryentry longnewglossaryentry provideglossaryentry
  DeclareAcronym acro newacro acrodef acsetup setacronymstyle setabbreviationstyle printglossary printglossaries
  printnoidxglossary printnoidxglossaries printacronyms loadglsentries newglossary lstset lstinputlisting inputminted
  captionsetup geometry addcontentsline vspace hspace newtheorem`),
);
/** Commands whose first argument only is not prose. */
const firstArgNonProse = new Set(words('href textcolor colorbox'));
const verbatimEnvironments = new Set(words('verbatim verbatim* Verbatim Verbatim* BVerbatim LVerbatim lstlisting minted comment filecontents filecontents*'));
const mathEnvironments = new Set(
  words('equation equation* align align* alignat alignat* gather gather* multline multline* flalign flalign* eqnarray eqnarray* math displaymath dmath'),
);

// ---------------------------------------------------------------------------------------------
// LaTeX

export class LatexScanner extends Scanner {
  run(): ProseView {
    const t = this.text;
    const special = /[\\%$~]/g;
    let i = 0;
    while (i < t.length) {
      special.lastIndex = i;
      if (!special.exec(t)) break;
      i = special.lastIndex - 1;
      const c = t[i];
      if (c === '%') {
        const end = lineEnd(t, i);
        this.mask(i, end);
        i = end;
      } else if (c === '~') {
        this.mask(i, i + 1, ' ');
        i++;
      } else if (c === '$') i = this.math(i);
      else i = this.command(i);
    }
    return this.view();
  }

  private math(i: number): number {
    const t = this.text;
    const double = t[i + 1] === '$';
    const close = double ? '$$' : '$';
    const limit = this.paragraphEnd(i);
    let k = this.next(close, i + close.length);
    while (k > 0 && t[k - 1] === '\\') k = this.next(close, k + 1);
    const end = k >= 0 && k < limit ? k + close.length : i + close.length;
    this.mask(i, end);
    return end;
  }

  private command(i: number): number {
    const t = this.text;
    let j = i + 1;
    while (isLetter(t.charCodeAt(j))) j++;
    if (j === i + 1) {
      const next = t[i + 1];
      if (next === '(' || next === '[') {
        const close = next === '(' ? '\\)' : '\\]';
        const k = this.next(close, i + 2);
        const end = k >= 0 ? k + 2 : i + 2;
        this.mask(i, end);
        return end;
      }
      this.mask(i, i + 2, next === ' ' ? ' ' : '\0');
      return i + 2;
    }
    const name = t.slice(i + 1, j);
    if (name === 'verb') {
      const d = t[j] === '*' ? j + 1 : j;
      const k = t[d] && !/[\sA-Za-z]/.test(t[d]) ? t.indexOf(t[d], d + 1) : -1;
      const end = k >= 0 && k < lineEnd(t, d) ? k + 1 : lineEnd(t, d);
      this.mask(i, end);
      return end;
    }
    if (name === 'begin' || name === 'end') return this.environment(i, j, name === 'begin');
    if (glossaryCommands.has(name)) {
      const end = this.glossaryCommand(i, name, j, true);
      this.mask(i, end);
      return end;
    }
    const star = t[j] === '*' ? j + 1 : j;
    this.mask(i, star);
    if (headingCommands.has(name)) {
      let s = this.skipSpace(star);
      if (t[s] === '[') s = this.skipSpace(this.groupEnd(s, true).end);
      if (t[s] === '{') this.headings.push([s, this.groupEnd(s, true).end]);
      return star;
    }
    if (nonProse.has(name) || name.toLowerCase().includes('cite') || firstArgNonProse.has(name)) {
      let end = star;
      for (let n = 0; n < 8; n++) {
        const s = this.skipSpace(end);
        const open = t[s];
        if (!(open === '{' || open === '[' || (open === '(' && name.includes('cite')))) break;
        end = this.groupEnd(s, name !== 'url' && name !== 'href').end;
        if (firstArgNonProse.has(name) && open === '{') break;
      }
      this.mask(i, end);
      return end;
    }
    return star;
  }

  /** `\begin{env}` / `\end{env}`: verbatim and math environments are skipped whole. */
  private environment(i: number, j: number, begin: boolean): number {
    const t = this.text;
    const m = /[ \t]*\{([^{}\n]*)\}/y;
    m.lastIndex = j;
    const env = m.exec(t)?.[1];
    if (env === undefined) {
      this.mask(i, j);
      return j;
    }
    if (begin && (verbatimEnvironments.has(env) || mathEnvironments.has(env))) {
      const close = `\\end{${env}}`;
      const k = this.next(close, m.lastIndex);
      const end = k < 0 ? t.length : k + close.length;
      this.mask(i, end);
      return end;
    }
    this.mask(i, m.lastIndex);
    return m.lastIndex;
  }
}

