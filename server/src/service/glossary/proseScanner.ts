/** The shared part of the prose scanners (`prose.ts`): the glossary commands, and the base that collects hidden ranges. */

export type DocumentKind = 'markdown' | 'latex';

/** A glossary command and its key: `\gls{nfm}`. */
export interface GlossaryRef {
  key: string;
  /** The command name without backslash or star: `gls`, `Acrshort`, `acr`. */
  command: string;
  keyStart: number;
  keyEnd: number;
  /** From the backslash to after the closing brace (or where an unclosed key stops). */
  start: number;
  end: number;
  /** Whether the command prints the long form on first use or marks the term used (`\gls`, `\ac`, `\acrfull`, `\acused`). */
  introduces: boolean;
}

export interface ProseView {
  /** The text with non-prose replaced by U+0000; same length and line breaks as the text. */
  masked: string;
  /** Heading text ranges [start, end), in order. */
  headings: [number, number][];
  refs: GlossaryRef[];
}

export const words = (s: string) => s.split(/\s+/).filter(Boolean);
const introducing = words(`gls Gls GLS glspl Glspl GLSpl glsdisp glsfirst Glsfirst GLSfirst glsfirstplural Glsfirstplural
  acrfull Acrfull ACRfull acrfullpl Acrfullpl ACRfullpl acrlong Acrlong ACRlong acrlongpl Acrlongpl ACRlongpl
  glsentrylong Glsentrylong glsentrylongpl Glsentrylongpl glsentryfull Glsentryfull glsxtrfull Glsxtrfull GLSxtrfull
  glsxtrlong Glsxtrlong GLSxtrlong glsxtrfullpl Glsxtrfullpl glsxtrlongpl Glsxtrlongpl glsunset glslocalunset
  ac Ac acp Acp acf Acf acfp Acfp acl Acl aclp Aclp iac Iac acfi acused acuse acr`);
const shortOnly = words(`acrshort Acrshort ACRshort acrshortpl Acrshortpl ACRshortpl glsentryshort Glsentryshort
  glsentryshortpl Glsentryshortpl glsxtrshort Glsxtrshort GLSxtrshort glsxtrshortpl Glsxtrshortpl glstext Glstext GLStext
  glsplural Glsplural GLSplural glsname Glsname GLSname glssymbol Glssymbol glsdesc Glsdesc GLSdesc glsentryname Glsentryname
  glsentrytext Glsentrytext glsentrydesc Glsentrydesc glsentryplural Glsentryplural glsentryfirst Glsentryfirst
  glsadd glslink Glslink glsreset glslocalreset acs Acs acsp Acsp acsu aclu acreset acsingle`);

/** Glossary commands whose braces hold one key -> whether they introduce the term. */
export const glossaryCommands: ReadonlyMap<string, boolean> = new Map([
  ...introducing.map((n) => [n, true] as const),
  ...shortOnly.map((n) => [n, false] as const),
]);

/** Collects the ranges to hide and builds the masked text. */
export abstract class Scanner {
  protected readonly hidden: [number, number, string][] = [];
  protected readonly headings: [number, number][] = [];
  protected readonly refs: GlossaryRef[] = [];
  private paraEndCache = -1;

  constructor(protected readonly text: string) {}

  protected mask(start: number, end: number, fill = '\0'): void {
    if (end > start) this.hidden.push([start, Math.min(end, this.text.length), fill]);
  }

  protected view(): ProseView {
    const t = this.text;
    const parts: string[] = [];
    let pos = 0;
    for (const [s, e, fill] of this.hidden.sort((a, b) => a[0] - b[0])) {
      if (e <= pos) continue;
      const from = Math.max(s, pos);
      const hide = t.slice(from, e);
      parts.push(t.slice(pos, from), hide.includes('\n') ? hide.replace(/[^\r\n]/g, fill) : fill.repeat(hide.length));
      pos = e;
    }
    parts.push(t.slice(pos));
    return { masked: parts.join(''), headings: this.headings.sort((a, b) => a[0] - b[0]), refs: this.refs };
  }

  private readonly nextCache = new Map<string, [number, number]>();

  /** The first `s` at or after `from` (-1: none), remembered: scanning moves forward, so this stays linear. */
  protected next(s: string, from: number): number {
    const c = this.nextCache.get(s);
    if (c && c[0] <= from && (c[1] < 0 || c[1] >= from)) return c[1];
    const at = this.text.indexOf(s, from);
    this.nextCache.set(s, [from, at]);
    return at;
  }

  /** The `\n` before the next blank line (or the text end): inline spans do not cross it. */
  protected paragraphEnd(i: number): number {
    if (i < this.paraEndCache) return this.paraEndCache;
    const blank = /\n[ \t]*\r?\n/g;
    blank.lastIndex = i;
    const m = blank.exec(this.text);
    return (this.paraEndCache = m ? m.index : this.text.length);
  }

  /** End (after the closer) of the `[`, `{` or `(` group at `i`; an unclosed group ends at the paragraph's end. */
  protected groupEnd(i: number, comments: boolean): { end: number; closed: boolean } {
    const t = this.text;
    const open = t[i];
    const close = open === '[' ? ']' : open === '(' ? ')' : '}';
    const limit = this.paragraphEnd(i);
    let depth = 0;
    let braces = 0;
    for (let j = i; j < limit; j++) {
      const c = t[j];
      if (c === '\\') j++;
      else if (c === '%' && comments) j = lineEnd(t, j) - 1;
      else if (open !== '{' && c === '{') braces++;
      else if (open !== '{' && c === '}') braces--;
      else if (braces <= 0 && c === open) depth++;
      else if (braces <= 0 && c === close && --depth === 0) return { end: j + 1, closed: true };
    }
    return { end: limit, closed: false };
  }

  /** Skips spaces and at most one line break. */
  protected skipSpace(i: number): number {
    let breaks = 0;
    for (;;) {
      const c = this.text[i];
      if (c === '\n' && ++breaks > 1) return i;
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') i++;
      else return i;
    }
  }

  /** A glossary command at `start` whose name ends at `nameEnd`: records the ref, returns where it ends. */
  protected glossaryCommand(start: number, name: string, nameEnd: number, comments: boolean): number {
    const t = this.text;
    let i = t[nameEnd] === '*' || t[nameEnd] === '+' ? nameEnd + 1 : nameEnd;
    let s = this.skipSpace(i);
    if (t[s] === '[') {
      const g = this.groupEnd(s, comments);
      if (!g.closed) return g.end;
      i = g.end;
      s = this.skipSpace(i);
    }
    if (t[s] !== '{') return i;
    const g = this.groupEnd(s, comments);
    let keyEnd = g.closed ? g.end - 1 : s + 1;
    if (!g.closed) while (keyEnd < t.length && !/[\s{}\\,%]/.test(t[keyEnd])) keyEnd++;
    let keyStart = s + 1;
    while (keyStart < keyEnd && /\s/.test(t[keyStart])) keyStart++;
    while (keyEnd > keyStart && /\s/.test(t[keyEnd - 1])) keyEnd--;
    const end = g.closed ? g.end : keyEnd;
    this.refs.push({ key: t.slice(keyStart, keyEnd), command: name, keyStart, keyEnd, start, end, introduces: glossaryCommands.get(name)! });
    return end;
  }
}

export function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 64;
}

export function lineEnd(text: string, i: number): number {
  const k = text.indexOf('\n', i);
  return k < 0 ? text.length : k;
}
