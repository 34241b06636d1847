/**
 * The scanner behind `markdownCitations.ts`: one linear pass over a Markdown text that finds the
 * `@` where a citation may stand (its sites) and the cross-reference labels (`{#fig-x}`,
 * `#| label: fig-x`), reading block structure line by line and inline structure character by
 * character (see `markdownCitations.ts` for the grammar and its approximations).
 */
import { findFrontMatter } from './frontMatter';
import { RawSpans, exampleListMarker, isLinkDefinition, isLinkDefinitionTitle, isYamlBlockEnd, isYamlBlockStart, proseFields } from './markdownRaw';

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
/** A list marker (bullet, number, letter, roman numeral, `#`, in `x.`, `x)` or `(x)` style) and the spaces after it. */
const listItem = /^[ \t]*(?:[-+*]|(?:\d{1,9}|[a-zA-Z]|[ivxlcdm]{1,6}|[IVXLCDM]{1,6}|#)[.)]|\((?:\d{1,9}|[a-zA-Z]|[ivxlcdm]{1,6}|[IVXLCDM]{1,6}|#)\))([ \t]+|$)/;
const footnoteDefinition = /^ {0,3}\[\^[^\]\s]+\]:/;
const quotePrefix = /^(?:[ \t]{0,3}>[ \t]?)+/;
const includeLine = /^!(INCLUDE|include)[ \t]+(?:"([^"]+)"|(\S+))(?:[ \t]*,[ \t]*\d+)?[ \t]*$/;
const heading = /^ {0,3}#{1,6}(?:[ \t]|$)/;
const cellOption = /^[ \t]*(?:#|\/\/|%%|--)\|/;
const knitrLabel = /^([ \t]*\{[ \t]*[A-Za-z][\w.]*[ \t]*(?:,[ \t]*|[ \t]+))([\w:.-]+)(?=[ \t]*[,}])/;
const knitrLabelOption = /^([ \t]*\{[ \t]*[A-Za-z][\w.]*[^}]*?[,\s]label[ \t]*=[ \t]*["'])([\w:.-]+)(?=["'])/;
const cellCaption = /^[ \t]*(?:#|\/\/|%%|--)\|[ \t]*(?:fig|tbl|lst)-(?:cap|subcap)[ \t]*:/;
const cellListItem = /^[ \t]*(?:#|\/\/|%%|--)\|[ \t]+-[ \t]/;
const cellLabel = /^[ \t]*(?:#|\/\/|%%|--)\|[ \t]*label[ \t]*:[ \t]*["']?([\w:.-]+)/;
const attrId = /\{[ \t]*#([\w:.-]+)/y;
/** A whole attribute block, as pandoc reads one: ids, classes, `key=value` (quoted or not), `=format`, `-`. */
const attributeBlock = /\{[ \t\n]*(?:(?:#[\w:.-]+|\.[\w-]+|[\w-]+=(?:"[^"\n]*"|'[^'\n]*'|[^\s"'}]+)|=[\w-]+|-)[ \t\n]*)*\}/y;
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

/** What differs between the Markdown dialects Entente reads. */
export interface MarkdownDialect {
  /**
   * R Markdown (`.Rmd`): rmarkdown and RStudio read `markdown+autolink_bare_uris+tex_math_single_backslash`,
   * so `https://x.org/@a` is a link and `\\(@a\\)` math there, and citations in pandoc's and Quarto's Markdown.
   */
  rmarkdown?: boolean;
}

/** Finds the citation sites and labels of `text`, up to the line holding offset `stop`. */
export function scan(text: string, stop: number, dialect: MarkdownDialect = {}): Scanner {
  return new Scanner(text, dialect).run(stop);
}

/** A list item or footnote whose later paragraphs are indented to `content` columns (code: 4 more). */
interface Container {
  marker: number;
  content: number;
}

class Scanner {
  readonly sites: Site[] = [];
  /** `cell`: the label of an executable cell (its plots are also `label-1`, `label-2`...). */
  readonly labels: { label: string; start: number; cell?: boolean }[] = [];
  /** Labels of example-list items (`(@good)`): `@good` refers to the example, it cites nothing. */
  readonly examples = new Set<string>();
  /** Files this one includes (`{{< include x.qmd >}}`, `!INCLUDE "x.md"`, `!include x.md`): their labels are this document's. */
  readonly includes: { path: string; start: number }[] = [];
  private brackets: Bracket[] = [];
  private paraEndCache = -1;
  /** Per closing delimiter, the paragraph end up to which it is known to be absent. */
  private missing = new Map<string, number>();
  /** No `-->` after the last `<!--` looked at: later ones cannot close either. */
  private noCommentEnd = false;
  /** A link destination opened before this offset was found unclosed on its line. */
  private noDestinationBefore = -1;
  /** Per fence character, the shortest fence known to have no closing line after `noFenceClose.at`. */
  private noFenceClose = new Map<string, { at: number; length: number }>();
  /** The first `>}}` at or after `from` (`at`: -1 when none); `from` is where it was looked for. */
  private shortcodeClose: { from: number; at: number } | undefined;
  /** Where the last key ended: `@a@b` cites both (a citation is no word for the next `@`). */
  private lastKeyEnd = -1;
  private readonly raw: RawSpans;

  constructor(
    private readonly text: string,
    private readonly dialect: MarkdownDialect,
  ) {
    this.raw = new RawSpans(text);
  }

  run(stop: number): this {
    const t = this.text;
    const fm = findFrontMatter(t);
    let pos = 0;
    if (fm) {
      this.metadata(fm.contentStart, fm.contentEnd);
      pos = fm.end;
    }
    // `options`: still in the leading `#| option` lines of an executable cell (```` ```{r} ````).
    let fence: { char: string; length: number; options: boolean; captions?: boolean } | undefined;
    let prevBlank = true;
    let indented = false;
    let linkDefinition = false;
    const containers: Container[] = [];
    while (pos < t.length && pos <= stop) {
      let end = this.lineEnd(pos);
      const line = t.slice(pos, t[end - 1] === '\r' ? end - 1 : end);
      const wasBlank = prevBlank;
      prevBlank = false;
      if (fence) {
        const close = fenceClose.exec(line);
        if (close && close[1][0] === fence.char && close[1].length >= fence.length) fence = undefined;
        else if (fence.options && (fence.options = cellOption.test(line))) end = this.cellOption(line, pos, end, fence);
        pos = end + 1;
        continue;
      }
      const quote = quotePrefix.exec(line);
      const body = quote ? line.slice(quote[0].length) : line;
      if (body.trim() === '') {
        prevBlank = true;
        this.endParagraph();
        pos = end + 1;
        continue;
      }
      const width = indentWidth(body);
      if (wasBlank && !quote) while (containers.length && width < containers[containers.length - 1].content) containers.pop();
      const base = quote ? 0 : (containers[containers.length - 1]?.content ?? 0);
      if (width >= base + 4 && (wasBlank || indented)) {
        indented = true; // indented code
        pos = end + 1;
        continue;
      }
      indented = false;
      const wasLinkDefinition = linkDefinition;
      linkDefinition = false;
      const rawHtmlEnd = wasBlank ? this.raw.htmlBlockEnd(line, pos) : -1;
      let include: RegExpExecArray | null;
      const open = fenceOpen.exec(line);
      if (open && !(open[1][0] === '`' && open[2].includes('`')) && this.fenceCloses(open[1], end)) {
        this.endParagraph();
        fence = { char: open[1][0], length: open[1].length, options: /^[ \t]*\{[ \t]*[A-Za-z]/.test(open[2]) };
        this.infoLabels(open[2], pos + line.length - open[2].length);
      } else if (wasBlank && isYamlBlockStart(line, this.nextLine(end))) {
        end = this.yamlBlock(end);
      } else if (rawHtmlEnd >= 0) {
        end = this.lineEnd(rawHtmlEnd - 1); // a raw HTML block: its content is no Markdown
      } else if ((include = includeLine.exec(line))) {
        // markdown-pp's `!INCLUDE "x.md"`, pandoc-include's `!include x.md`: replaced by the file before pandoc reads it.
        const path = include[2] ?? include[3];
        this.includes.push({ path, start: pos + line.indexOf(path) });
      } else if ((wasBlank || wasLinkDefinition) && isLinkDefinition(line)) {
        linkDefinition = true;
        const next = this.nextLine(end);
        if (next !== undefined && isLinkDefinitionTitle(next)) end = this.lineEnd(end + 1);
      } else {
        end = this.blockLine(line, pos, end, width, wasBlank, containers);
      }
      pos = end + 1;
    }
    this.endParagraph();
    return this;
  }

  /** A line of paragraph text, perhaps opening a list item, a footnote or a heading. Returns its end. */
  private blockLine(line: string, pos: number, end: number, width: number, wasBlank: boolean, containers: Container[]): number {
    const item = wasBlank || containers.length ? listMarker(line) : undefined;
    if (item) {
      this.endParagraph();
      while (containers.length && width <= containers[containers.length - 1].marker) containers.pop();
      containers.push({ marker: width, content: item.content });
      if (item.example !== undefined) {
        if (item.example) this.examples.add(item.example);
        return this.inline(pos + item.length, end);
      }
    } else if (wasBlank && footnoteDefinition.test(line)) {
      this.endParagraph();
      containers.length = 0;
      containers.push({ marker: width, content: 4 });
    }
    const isHeading = heading.test(line);
    if (isHeading) this.endParagraph();
    end = this.inline(pos, end);
    if (isHeading) this.endParagraph();
    return end;
  }

  /** A `#| option` line of an executable cell: its label, and the citations of its caption. */
  private cellOption(line: string, pos: number, end: number, fence: { captions?: boolean }): number {
    const m = cellLabel.exec(line);
    if (m) this.label(m[1], pos + m[0].length - m[1].length, true);
    // Captions are Markdown: `#| fig-cap: "Map [@nato2024]"`, and the items of a `fig-subcap:` list.
    const head = cellCaption.exec(line);
    const caption = head ?? (fence.captions ? cellListItem.exec(line) : null);
    // A caption key with no value on its line is a list (`fig-subcap:` then `#|   - "..."` lines).
    fence.captions = head ? /:[ \t]*$/.test(line) : !!caption;
    if (!caption) return end;
    end = Math.min(end, this.inline(pos + caption[0].length, end));
    this.endParagraph();
    return end;
  }

  /** Whether a fence opened by `run` on the line ending at `end` has a closing line (pandoc: else it is no fence). */
  private fenceCloses(run: string, end: number): boolean {
    const char = run[0];
    const known = this.noFenceClose.get(char);
    if (known && known.at <= end && known.length <= run.length) return false;
    for (let pos = end + 1; pos < this.text.length; ) {
      const lineEnd = this.lineEnd(pos);
      const close = fenceClose.exec(this.text.slice(pos, lineEnd));
      if (close && close[1][0] === char && close[1].length >= run.length) return true;
      pos = lineEnd + 1;
    }
    this.noFenceClose.set(char, { at: end, length: Math.min(run.length, known?.length ?? Infinity) });
    return false;
  }

  /** A YAML block inside the document, opened on the line ending at `end`: its fields read like the front matter's. */
  private yamlBlock(end: number): number {
    const contentStart = end + 1;
    for (let pos = contentStart; pos < this.text.length; ) {
      const lineEnd = this.lineEnd(pos);
      if (isYamlBlockEnd(this.text.slice(pos, lineEnd))) {
        this.metadata(contentStart, pos);
        return lineEnd;
      }
      pos = lineEnd + 1;
    }
    return end; // unclosed: a horizontal rule
  }

  private lineEnd(pos: number): number {
    const k = this.text.indexOf('\n', pos);
    return k < 0 ? this.text.length : k;
  }

  private nextLine(end: number): string | undefined {
    if (end >= this.text.length) return undefined;
    return this.text.slice(end + 1, this.lineEnd(end + 1)).replace(/\r$/, '');
  }

  /**
   * A YAML metadata block's content: `nocite:` cites its keys; the fields pandoc and Quarto print as
   * text (`title`, `abstract`...) are Markdown, and their citations are citations.
   */
  private metadata(start: number, end: number): void {
    this.nocite(start, end);
    for (let pos = start; pos < end; ) {
      const lineEnd = Math.min(this.lineEnd(pos), end);
      const m = proseFields.exec(this.text.slice(pos, lineEnd));
      if (!m) {
        pos = lineEnd + 1;
        continue;
      }
      const valueEnd = this.yamlValueEnd(pos + m[0].length, end);
      for (let i = pos + m[0].length; i < valueEnd; ) {
        const e = Math.min(this.lineEnd(i), valueEnd);
        if (this.text.slice(i, e).trim() === '') this.endParagraph();
        else this.inline(i, e);
        i = e + 1;
      }
      this.endParagraph();
      pos = valueEnd + 1;
    }
  }

  /** End of the YAML value that starts at `i`: the rest of its line and the indented (or blank) lines under it. */
  private yamlValueEnd(i: number, end: number): number {
    const next = /\n(?![ \t]|\r?\n)/g;
    next.lastIndex = i;
    return Math.min(end, next.exec(this.text)?.index ?? end);
  }

  /** `nocite:` in the front matter: its `@keys` (and `@*`) are citations. */
  private nocite(start: number, end: number): void {
    const m = /^nocite[ \t]*:/m.exec(this.text.slice(start, end));
    if (!m) return;
    const from = start + m.index + m[0].length;
    const stop = this.yamlValueEnd(from, end);
    for (let i = this.text.indexOf('@', from); i >= 0 && i < stop; i = this.text.indexOf('@', i + 1)) {
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
        case 0x7b: i = this.attributes(i); break; // {
        case 0x3a: i = this.bareUrl(i); break; // :
        default: i++;
      }
      if (i > end) end = this.lineEnd(i);
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

  /**
   * Raw LaTeX (`\\begin{x}...\\end{x}`, `\\textbf{...}`: pandoc keeps it raw, its `@` cites nothing), `\\(...\\)`
   * math in R Markdown, or an escaped punctuation character (`\\@`).
   */
  private backslash(i: number): number {
    const next = this.text[i + 1] ?? '';
    if (/[A-Za-z]/.test(next)) {
      const env = this.raw.environmentEnd(i);
      return env >= 0 ? env : Math.max(i + 1, this.raw.commandEnd(i, this.paragraphEnd(i)));
    }
    const k = next === '(' && this.dialect.rmarkdown ? this.find('\\)', i + 2) : -1;
    if (k >= 0) return k + 2;
    return /[!-/:-@[-`{-~]/.test(next) ? i + 2 : i + 1;
  }

  /**
   * A code span closes with a backtick run of the same length. With none in the paragraph, pandoc reads
   * the first backtick as text and tries again from the next one (```` ````x `` ` ```` is `` ` `` then code).
   */
  private codeSpan(i: number): number {
    const t = this.text;
    let j = i;
    while (t[j] === '`') j++;
    // The opener is the run's last `m` backticks, for the longest `m` with a closer (runs past 16 only whole).
    for (let m = j - i; m >= 1; m--) {
      if (m > 16 && m !== j - i) continue;
      const k = this.find('`'.repeat(m), j, (k) => t[k - 1] !== '`' && t[k + m] !== '`');
      if (k >= 0) return k + m;
    }
    return j;
  }

  /**
   * `$$...$$`, or `$...$` opened before a non-space: pandoc closes it at the next unescaped `$`, which must
   * follow a non-space and not come before a digit; otherwise that `$` was no math at all.
   */
  private math(i: number): number {
    const t = this.text;
    if (t[i + 1] === '$') {
      const k = this.find('$$', i + 2);
      return k >= 0 ? k + 2 : i + 2;
    }
    if (i + 1 >= t.length || /\s/.test(t[i + 1])) return i + 1;
    const k = this.find('$', i + 1, (k) => !isEscaped(t, k));
    return k >= 0 && !/\s/.test(t[k - 1]) && !/[0-9]/.test(t[k + 1] ?? '') ? k + 1 : i + 1;
  }

  /** HTML comments (which may cross blank lines), autolinks `<https://...>` and HTML tags with their attributes. */
  private angle(i: number): number {
    const t = this.text;
    if (t.startsWith('<!--', i)) {
      const k = this.noCommentEnd ? -1 : t.indexOf('-->', i + 4);
      if (k < 0) this.noCommentEnd = true;
      return k >= 0 ? k + 3 : i + 4;
    }
    autolink.lastIndex = i;
    if (autolink.test(t)) return autolink.lastIndex;
    const end = this.raw.tagEnd(i);
    if (end < 0) return i + 1;
    // `<div id="fig:growth">`: pandoc reads a div with that id, a label (pandoc-crossref's subfigures).
    const id = /^<[A-Za-z][\w-]*\s[^>]*?\bid\s*=\s*(["']?)([\w:.-]+)\1/.exec(t.slice(i, end));
    if (id) this.label(id[2], i + id.index + id[0].length - id[2].length - id[1].length);
    return end;
  }

  /** A bare URL `https://host/@user`, skipped to its end in R Markdown (`autolink_bare_uris`; in pandoc's Markdown, `@user` cites). */
  private bareUrl(i: number): number {
    const t = this.text;
    if (!this.dialect.rmarkdown || t[i + 1] !== '/' || t[i + 2] !== '/' || !/[A-Za-z]/.test(t[i - 1] ?? '')) return i + 1;
    urlRest.lastIndex = i;
    urlRest.test(t);
    return urlRest.lastIndex;
  }

  /**
   * `{#fig-x ...}`: a label, when its type is a cross-reference type. An attribute block after a link, span,
   * image or code span, or ending its line (a heading's, a div's), is skipped whole: `{title="@a"}` cites nothing.
   */
  private attributes(i: number): number {
    const t = this.text;
    if (t.startsWith('{{<', i)) return this.shortcode(i);
    attrId.lastIndex = i;
    const m = attrId.exec(t);
    if (m) this.label(m[1], attrId.lastIndex - m[1].length);
    attributeBlock.lastIndex = i;
    if (!attributeBlock.test(t)) return i + 1;
    const end = attributeBlock.lastIndex;
    return ')]`'.includes(t[i - 1]) || /^[ \t]*(?:\r?\n|$)/.test(t.slice(end, end + 8)) ? end : i + 1;
  }

  /**
   * A Quarto shortcode `{{< name args >}}`, skipped whole; `{{< embed notebook.qmd#fig-x >}}` brings the cell
   * labelled `fig-x` into this document, label and all (a manuscript's figures live in its notebooks).
   */
  private shortcode(i: number): number {
    const t = this.text;
    // The next `>}}` is remembered: later `{{<` before it share it (linear on a text of unclosed `{{<`).
    let known = this.shortcodeClose;
    if (!known || i + 3 < known.from || (known.at >= 0 && i + 3 > known.at)) known = this.shortcodeClose = { from: i + 3, at: t.indexOf('>}}', i + 3) };
    const end = known.at;
    if (end < 0 || end > this.lineEnd(i)) return i + 1;
    const m = /^\{\{<\s*embed\s+[^\s#>]*#([\w:.-]+)/.exec(t.slice(i, end));
    if (m) this.label(m[1], i + m[0].length - m[1].length);
    const include = /^\{\{<\s*include\s+(["']?)([^\s"'>]+)\1/.exec(t.slice(i, end));
    if (include) this.includes.push({ path: include[2], start: i + include[0].length - include[2].length - include[1].length });
    return end + 3;
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
    // After a word or a period no `@` cites (`nato@x.org`, `e.g.@a`, `.@a`), but right after a key one does (`@a@b`).
    if (i !== this.lastKeyEnd && (afterString(t, i) || t[i - 1] === '.')) return i + 1;
    const suppressAuthor = t[i - 1] === '-' && !afterString(t, i - 1);
    const top = this.brackets[this.brackets.length - 1];
    const site: Site = { at: i, keyStart: i + 1, keyEnd: i + 1, braced: false, closed: true, suppressAuthor, inText: !top?.cite, nocite: false };
    this.sites.push(site);
    if (top?.cite) top.sites.push(site);
    if (t[i + 1] !== '{') {
      site.keyEnd = this.lastKeyEnd = simpleKeyEnd(t, i + 1, false);
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

/** Whether the character at `k` is escaped by an odd number of backslashes. */
function isEscaped(text: string, k: number): boolean {
  let n = 0;
  while (text[k - 1 - n] === '\\') n++;
  return n % 2 === 1;
}

/**
 * A list item's marker at the start of `line`: the column its later paragraphs are indented to (pandoc:
 * the marker's width with the spaces after it; five or more spaces count as one) and, for an example list
 * (`(@good)`), the example's label.
 */
function listMarker(line: string): { content: number; length: number; example?: string } | undefined {
  const example = exampleListMarker(line);
  const m = example ? undefined : listItem.exec(line);
  if (!example && !m) return undefined;
  const length = example?.length ?? m![0].length;
  const marker = line.slice(0, length).trimEnd();
  const spaces = length - marker.length;
  const content = indentWidth(line.slice(0, length).replace(/[^ \t]/g, ' ')) - (spaces > 4 ? spaces - 1 : 0);
  return { content: spaces === 0 ? indentWidth(marker.replace(/[^ \t]/g, ' ')) + 1 : content, length, example: example?.label };
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
