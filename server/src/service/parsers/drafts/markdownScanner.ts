/**
 * The scanner behind `markdownCitations.ts`: one linear pass over a Markdown text that finds the
 * `@` where a citation may stand (its sites) and the cross-reference labels (`{#fig-x}`,
 * `#| label: fig-x`), reading block structure line by line and inline structure character by
 * character (see `markdownCitations.ts` for the grammar and its approximations).
 */
import { findFrontMatter } from './frontMatter';

/** Quarto's reserved cross-reference types (`@fig-x`), and pandoc-crossref's (`@fig:x`). */
const quartoTypes = new Set('fig tbl lst tip nte wrn imp cau thm lem cor prp cnj def exm exr sol rem alg eq sec'.split(' '));
const crossrefTypes = new Set('fig tbl eq lst sec'.split(' '));

/** Whether a key names a cross-reference target rather than a bibliography entry (`fig-x`, `Fig-x`, `fig:x`). */
export function isCrossRefLabel(key: string): boolean {
  const m = /^([A-Za-z]{2,3})([-:])./.exec(key);
  if (!m) return false;
  const type = m[1].toLowerCase();
  if (m[1] !== type && m[1] !== type[0].toUpperCase() + type.slice(1)) return false;
  return m[2] === '-' ? quartoTypes.has(type) : crossrefTypes.has(type);
}

/** An `@` where a citation may stand; its key may be empty (the writer is typing). */
export interface Site {
  at: number;
  /** After `@` (after `{` when braced). */
  keyStart: number;
  /** End of the key (the `}` when braced and closed). */
  keyEnd: number;
  braced: boolean;
  closed: boolean;
  suppressAuthor: boolean;
  inText: boolean;
  nocite: boolean;
}

/** An open `[`: a citation bracket unless it turns out to be a link, a span or unclosed. */
interface Bracket {
  /** Not `![` (image) nor `^[` (inline note). */
  cite: boolean;
  /** The sites directly inside it, bracketed until it proves not to be a citation bracket. */
  sites: Site[];
}

export const keyPunct = ':.#$%&-+?<>~/';
const alnum = /[\p{L}\p{N}]/u;
const fenceOpen = /^(?:[ \t]*>)*[ \t]*(`{3,}|~{3,})(.*)$/;
const fenceClose = /^(?:[ \t]*>)*[ \t]*(`{3,}|~{3,})[ \t]*$/;
const listItem = /^[ \t]{0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)/;
const heading = /^ {0,3}#{1,6}(?:[ \t]|$)/;
const cellOption = /^[ \t]*(?:#|\/\/|%%|--)\|/;
const knitrLabel = /^([ \t]*\{[ \t]*[A-Za-z][\w.]*[ \t]*(?:,[ \t]*|[ \t]+))([\w:.-]+)(?=[ \t]*[,}])/;
const knitrLabelOption = /^([ \t]*\{[ \t]*[A-Za-z][\w.]*[^}]*?[,\s]label[ \t]*=[ \t]*["'])([\w:.-]+)(?=["'])/;
const cellCaption = /^[ \t]*(?:#|\/\/|%%|--)\|[ \t]*(?:fig|tbl|lst)-(?:cap|subcap)[ \t]*:/;
const cellListItem = /^[ \t]*(?:#|\/\/|%%|--)\|[ \t]+-[ \t]/;
const cellLabel = /^[ \t]*(?:#|\/\/|%%|--)\|[ \t]*label[ \t]*:[ \t]*["']?([\w:.-]+)/;
const attrId = /\{[ \t]*#([\w:.-]+)/y;
const urlRest = /[^\s<>"'`()[\]]*/y;
const autolink = /<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>/y;
/** The characters `inline` acts on (and the line break that ends its search); others are skipped at once. */
const inlineSpecial = /[\\`$<@[\]{:\n]/g;
const blankLine = /\n[ \t]*(?:\r?\n|$)/g;

/** Length (1 or 2 code units) of the letter, digit or `_` at `i`, or 0: Pandoc's `regchar`. */
export function regChar(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 ? 1 : 0;
  if (Number.isNaN(c)) return 0;
  const cp = text.codePointAt(i)!;
  return alnum.test(String.fromCodePoint(cp)) ? (cp > 0xffff ? 2 : 1) : 0;
}

/** Whether the character ending at `i` (exclusive) is a letter or digit. */
function alnumBefore(text: string, i: number): boolean {
  if (i <= 0) return false;
  const lo = text.charCodeAt(i - 1);
  const at = lo >= 0xdc00 && lo < 0xe000 && i >= 2 ? i - 2 : i - 1;
  return regChar(text, at) > 0 && text[at] !== '_';
}

/** Pandoc's `notAfterString`: a citation cannot follow a word (`nato@x.org`) or `x.` */
function afterString(text: string, i: number): boolean {
  return alnumBefore(text, i) || (text[i - 1] === '.' && alnumBefore(text, i - 1));
}

/** End of Pandoc's `simpleCiteIdentifier` at `start` (== start when there is none). */
function simpleKeyEnd(text: string, start: number, allowStar: boolean): number {
  let i = start + (allowStar && text[start] === '*' ? 1 : regChar(text, start));
  if (i === start) return start;
  for (;;) {
    const r = regChar(text, i);
    if (r) i += r;
    else if (!keyPunct.includes(text[i] ?? ' ')) return i;
    else if (regChar(text, i + 1) || ((text[i] === ':' || text[i] === '/') && text[i + 1] === '/')) i++;
    else return i;
  }
}

/** Finds the citation sites and labels of `text`, up to the line holding offset `stop`. */
export function scan(text: string, stop: number): Scanner {
  return new Scanner(text).run(stop);
}

class Scanner {
  readonly sites: Site[] = [];
  /** `cell`: the label of an executable cell (its plots are also `label-1`, `label-2`...). */
  readonly labels: { label: string; start: number; cell?: boolean }[] = [];
  private brackets: Bracket[] = [];
  private paraEndCache = -1;
  /** Per closing delimiter, the paragraph end up to which it is known to be absent. */
  private missing = new Map<string, number>();
  /** No `-->` after the last `<!--` looked at: later ones cannot close either. */
  private noCommentEnd = false;
  /** A link destination opened before this offset was found unclosed on its line. */
  private noDestinationBefore = -1;

  constructor(private readonly text: string) {}

  run(stop: number): this {
    const t = this.text;
    const fm = findFrontMatter(t);
    let pos = 0;
    if (fm) {
      this.nocite(fm.contentStart, fm.contentEnd);
      pos = fm.end;
    }
    // `options`: still in the leading `#| option` lines of an executable cell (```` ```{r} ````).
    let fence: { char: string; length: number; options: boolean; captions?: boolean } | undefined;
    let prevBlank = true;
    let indented = false;
    let inList = false;
    while (pos < t.length && pos <= stop) {
      let end = t.indexOf('\n', pos);
      if (end < 0) end = t.length;
      const line = t.slice(pos, t[end - 1] === '\r' ? end - 1 : end);
      const wasBlank = prevBlank;
      prevBlank = false;
      if (fence) {
        const close = fenceClose.exec(line);
        if (close && close[1][0] === fence.char && close[1].length >= fence.length) fence = undefined;
        else if (fence.options && (fence.options = cellOption.test(line))) {
          const m = cellLabel.exec(line);
          if (m) this.label(m[1], pos + m[0].length - m[1].length, true);
          // Captions are Markdown: `#| fig-cap: "Map [@nato2024]"`, and the items of a `fig-subcap:` list.
          const head = cellCaption.exec(line);
          const caption = head ?? (fence.captions ? cellListItem.exec(line) : null);
          // A caption key with no value on its line is a list (`fig-subcap:` then `#|   - "..."` lines).
          fence.captions = head ? /:[ \t]*$/.test(line) : !!caption;
          if (caption) {
            end = Math.min(end, this.inline(pos + caption[0].length, end));
            this.endParagraph();
          }
        }
      } else if (line.trim() === '') {
        prevBlank = true;
        this.endParagraph();
      } else if (indentWidth(line) >= 4 && !inList && (wasBlank || indented)) {
        indented = true;
      } else {
        indented = false;
        const open = fenceOpen.exec(line);
        if (open && !(open[1][0] === '`' && open[2].includes('`'))) {
          this.endParagraph();
          fence = { char: open[1][0], length: open[1].length, options: /^[ \t]*\{[ \t]*[A-Za-z]/.test(open[2]) };
          this.infoLabels(open[2], pos + line.length - open[2].length);
        } else {
          if (listItem.test(line)) inList = true;
          else if (wasBlank && indentWidth(line) === 0) inList = false;
          const isHeading = heading.test(line);
          if (isHeading) this.endParagraph();
          end = this.inline(pos, end);
          if (isHeading) this.endParagraph();
        }
      }
      pos = end + 1;
    }
    this.endParagraph();
    return this;
  }

  /** `nocite:` in the front matter: its `@keys` (and `@*`) are citations. */
  private nocite(start: number, end: number): void {
    const m = /^nocite[ \t]*:/m.exec(this.text.slice(start, end));
    if (!m) return;
    let i = start + m.index + m[0].length;
    // The value: the rest of the line and the indented (or blank) lines under it.
    const next = /\n(?![ \t]|\r?\n)/g;
    next.lastIndex = i;
    const stop = Math.min(end, next.exec(this.text)?.index ?? end);
    for (i = this.text.indexOf('@', i); i >= 0 && i < stop; i = this.text.indexOf('@', i + 1)) {
      if (afterString(this.text, i)) continue;
      const keyEnd = simpleKeyEnd(this.text, i + 1, true);
      this.sites.push({ at: i, keyStart: i + 1, keyEnd, braced: false, closed: true, suppressAuthor: false, inText: false, nocite: true });
    }
  }

  /** ```` ```{#lst-x .python} ````: a listing's label in the fence's attributes. */
  private infoLabels(info: string, offset: number): void {
    if (!info.trimStart().startsWith('{')) return;
    for (const m of info.matchAll(/[{\s]#([\w:.-]+)/g)) this.label(m[1], offset + m.index! + 2);
    // knitr's chunk label: ```{r fig-map, fig.width=6}``` or ```{r, label="fig-map"}```.
    const chunk = knitrLabel.exec(info) ?? knitrLabelOption.exec(info);
    if (chunk) this.label(chunk[2], offset + chunk.index + chunk[1].length, true);
  }

  private label(label: string, start: number, cell = false): void {
    if (isCrossRefLabel(label)) this.labels.push(cell ? { label, start, cell } : { label, start });
  }

  /** Scans inline content from `i` to the end of its line, or of the line a multi-line span ends on. Returns that line end. */
  private inline(i: number, end: number): number {
    const t = this.text;
    while (i < end) {
      inlineSpecial.lastIndex = i;
      if (!inlineSpecial.test(t) || (i = inlineSpecial.lastIndex - 1) >= end) return end;
      switch (t.charCodeAt(i)) {
        case 0x5c: i = this.backslash(i); break; // \
        case 0x60: i = this.codeSpan(i); break; // `
        case 0x24: i = this.math(i); break; // $
        case 0x3c: i = this.angle(i); break; // <
        case 0x40: i = this.at(i); break; // @
        case 0x5b: this.brackets.push({ cite: !/[!^]/.test(t[i - 1] ?? ''), sites: [] }); i++; break; // [
        case 0x5d: i = this.closeBracket(i, end); break; // ]
        case 0x7b: this.attributes(i); i++; break; // {
        case 0x3a: i = this.bareUrl(i); break; // :
        default: i++;
      }
      if (i > end) {
        end = t.indexOf('\n', i);
        if (end < 0) end = t.length;
      }
    }
    return end;
  }

  /** The `\n` before the next blank line (or the end): inline spans never cross it. */
  private paragraphEnd(i: number): number {
    if (i < this.paraEndCache) return this.paraEndCache;
    blankLine.lastIndex = i;
    const m = blankLine.exec(this.text);
    return (this.paraEndCache = m ? m.index : this.text.length);
  }

  /** Offset of `close` after `from` in this paragraph, or -1; a miss is remembered for the paragraph. */
  private find(close: string, from: number, valid?: (k: number) => boolean): number {
    const limit = this.paragraphEnd(from);
    if (this.missing.get(close) === limit) return -1;
    for (let k = this.text.indexOf(close, from); k >= 0 && k < limit; k = this.text.indexOf(close, k + 1)) {
      if (!valid || valid(k)) return k;
    }
    this.missing.set(close, limit);
    return -1;
  }

  /** `\(...\)` math, or an escaped punctuation character (`\@`). */
  private backslash(i: number): number {
    const k = this.text[i + 1] === '(' ? this.find('\\)', i + 2) : -1;
    if (k >= 0) return k + 2;
    return /[!-/:-@[-`{-~]/.test(this.text[i + 1] ?? '') ? i + 2 : i + 1;
  }

  /** A code span closes with a backtick run of the same length (CommonMark). */
  private codeSpan(i: number): number {
    const t = this.text;
    let j = i;
    while (t[j] === '`') j++;
    const run = t.slice(i, j);
    const k = this.find(run, j, (k) => t[k - 1] !== '`' && t[k + run.length] !== '`');
    return k >= 0 ? k + run.length : j;
  }

  /** `$$...$$`, or `$...$` opened before a non-space and closed after one, not before a digit (Pandoc). */
  private math(i: number): number {
    const t = this.text;
    if (t[i + 1] === '$') {
      const k = this.find('$$', i + 2);
      return k >= 0 ? k + 2 : i + 2;
    }
    if (i + 1 >= t.length || /\s/.test(t[i + 1])) return i + 1;
    const k = this.find('$', i + 1, (k) => !/\s/.test(t[k - 1]) && t[k - 1] !== '\\' && !/[0-9]/.test(t[k + 1] ?? ''));
    return k >= 0 ? k + 1 : i + 1;
  }

  /** HTML comments (which may cross blank lines) and autolinks `<https://...>`. */
  private angle(i: number): number {
    const t = this.text;
    if (t.startsWith('<!--', i)) {
      const k = this.noCommentEnd ? -1 : t.indexOf('-->', i + 4);
      if (k < 0) this.noCommentEnd = true;
      return k >= 0 ? k + 3 : i + 4;
    }
    autolink.lastIndex = i;
    return autolink.test(t) ? autolink.lastIndex : i + 1;
  }

  /** A bare URL `https://host/@user`: skipped to its end. */
  private bareUrl(i: number): number {
    const t = this.text;
    if (t[i + 1] !== '/' || t[i + 2] !== '/' || !/[A-Za-z]/.test(t[i - 1] ?? '')) return i + 1;
    urlRest.lastIndex = i;
    urlRest.test(t);
    return urlRest.lastIndex;
  }

  /** `{#fig-x ...}`: a label, when its type is a cross-reference type. */
  private attributes(i: number): void {
    attrId.lastIndex = i;
    const m = attrId.exec(this.text);
    if (m) this.label(m[1], attrId.lastIndex - m[1].length);
  }

  /** Closes the innermost `[`; a link's destination `](url)` is skipped. */
  private closeBracket(i: number, end: number): number {
    const b = this.brackets.pop();
    const next = this.text[i + 1];
    if (b && (next === '(' || next === '[' || next === '{')) for (const s of b.sites) s.inText = true;
    // An unclosed destination is no link; later ones on that line are assumed unclosed too (linear).
    if (next !== '(' || i < this.noDestinationBefore) return i + 1;
    let depth = 0;
    for (let j = i + 1; j < end; j++) {
      const c = this.text[j];
      if (c === '\\') j++;
      else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return j + 1;
    }
    this.noDestinationBefore = end;
    return i + 1;
  }

  /** Brackets left open at a paragraph's end were no citation brackets. */
  private endParagraph(): void {
    for (const b of this.brackets) for (const s of b.sites) s.inText = true;
    this.brackets = [];
  }

  private at(i: number): number {
    const t = this.text;
    if (afterString(t, i)) return i + 1;
    const suppressAuthor = t[i - 1] === '-' && !afterString(t, i - 1);
    const top = this.brackets[this.brackets.length - 1];
    const site: Site = { at: i, keyStart: i + 1, keyEnd: i + 1, braced: false, closed: true, suppressAuthor, inText: !top?.cite, nocite: false };
    this.sites.push(site);
    if (top?.cite) top.sites.push(site);
    if (t[i + 1] !== '{') {
      site.keyEnd = simpleKeyEnd(t, i + 1, false);
      return Math.max(site.keyEnd, i + 1);
    }
    // `@{...}`: balanced braces, no whitespace; unclosed, the key runs to the next space.
    Object.assign(site, { braced: true, closed: false, keyStart: i + 2 });
    let depth = 0;
    let j = i + 1;
    for (; j < t.length && !/\s/.test(t[j]); j++) {
      if (t[j] === '{') depth++;
      else if (t[j] === '}' && --depth === 0) {
        Object.assign(site, { closed: true, keyEnd: j });
        return j + 1;
      }
    }
    site.keyEnd = j;
    return j;
  }
}

/** Columns of leading white space (tabs to the next multiple of 4). */
export function indentWidth(line: string): number {
  let w = 0;
  for (const c of line) {
    if (c === ' ') w++;
    else if (c === '\t') w += 4 - (w % 4);
    else break;
  }
  return w;
}
