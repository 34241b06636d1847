/** The Markdown prose scanner (see `prose.ts`). */
import { findFrontMatter } from '../parsers/drafts/frontMatter';
import { Scanner, glossaryCommands, isLetter, lineEnd, type ProseView } from './proseScanner';
import { indentWidth } from '../parsers/drafts/markdownScanner';

// ---------------------------------------------------------------------------------------------
// Markdown

const fenceOpen = /^(?:[ \t]*>)*[ \t]*(`{3,}|~{3,})(.*)$/;
const fenceClose = /^(?:[ \t]*>)*[ \t]*(`{3,}|~{3,})[ \t]*$/;
const listItem = /^[ \t]{0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)/;
const atxHeading = /^ {0,3}#{1,6}(?:[ \t]|$)/;
const setextUnderline = /^ {0,3}(?:=+|-+)[ \t]*$/;
const divFence = /^ {0,3}:{3,}/;
const referenceDefinition = /^ {0,3}\[(\^?)[^\]\n]+\]:/;
const htmlTag = /<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/y;
const autolink = /<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>/y;
const urlRest = /[^\s<>"'`[\]]*/y;
const citeKey = /-?@(?:\{[^{}\s]*\}?|[\p{L}\p{N}_](?:[\p{L}\p{N}_]|[:.#$%&\-+?<>~/](?=[\p{L}\p{N}_]))*)/uy;
const inlineSpecial = /[\\`$<@[\]{:\n]/g;

export class MarkdownScanner extends Scanner {
  run(): ProseView {
    const t = this.text;
    const fm = findFrontMatter(t);
    let pos = 0;
    if (fm) {
      this.mask(0, fm.end);
      pos = fm.end;
    }
    let fence: { char: string; length: number } | undefined;
    let prevBlank = true;
    let prevParagraph: [number, number] | undefined;
    let indented = false;
    let inList = false;
    while (pos < t.length) {
      let end = lineEnd(t, pos);
      const line = t.slice(pos, t[end - 1] === '\r' ? end - 1 : end);
      const wasBlank = prevBlank;
      const paragraph = prevParagraph;
      prevBlank = false;
      prevParagraph = undefined;
      if (fence) {
        const close = fenceClose.exec(line);
        if (close && close[1][0] === fence.char && close[1].length >= fence.length) fence = undefined;
        this.mask(pos, end);
      } else if (line.trim() === '') {
        prevBlank = true;
      } else if (indentWidth(line) >= 4 && !inList && (wasBlank || indented)) {
        indented = true;
        this.mask(pos, end);
      } else {
        indented = false;
        const open = fenceOpen.exec(line);
        if (open && !(open[1][0] === '`' && open[2].includes('`'))) {
          fence = { char: open[1][0], length: open[1].length };
          this.mask(pos, end);
        } else if (divFence.test(line)) {
          this.mask(pos, end);
        } else if (paragraph && setextUnderline.test(line)) {
          this.headings.push(paragraph);
          this.mask(pos, end);
        } else {
          const ref = referenceDefinition.exec(line);
          if (ref && !ref[1]) {
            this.mask(pos, end);
          } else {
            if (ref) this.mask(pos, pos + ref[0].length);
            if (listItem.test(line)) inList = true;
            else if (wasBlank && indentWidth(line) === 0) inList = false;
            const heading = atxHeading.test(line);
            const lineStart = pos;
            end = this.inline(ref ? pos + ref[0].length : pos, end);
            if (heading) this.headings.push([lineStart, end]);
            else if (end === lineEnd(t, lineStart)) prevParagraph = [lineStart, end];
          }
        }
      }
      pos = end + 1;
    }
    return this.view();
  }

  /** Inline content from `i` to its line end (or the end of the line a span crossed to); returns that end. */
  private inline(i: number, end: number): number {
    const t = this.text;
    while (i < end) {
      inlineSpecial.lastIndex = i;
      if (!inlineSpecial.test(t) || (i = inlineSpecial.lastIndex - 1) >= end) return end;
      const before = i;
      switch (t[i]) {
        case '\\': i = this.backslash(i); break;
        case '`': i = this.codeSpan(i); break;
        case '$': i = this.math(i); break;
        case '<': i = this.angle(i); break;
        case '@': i = this.at(i); break;
        case '[': i = t[i + 1] === '^' ? this.hideGroup(i) : i + 1; break;
        case ']': i = t[i + 1] === '(' || t[i + 1] === '[' ? this.hideGroup(i + 1) : i + 1; break;
        case '{': i = this.brace(i); break;
        case ':': i = this.bareUrl(i); break;
        default: i++;
      }
      if (i <= before) i = before + 1;
      if (i > end) end = lineEnd(t, i);
    }
    return end;
  }

  private hideGroup(i: number): number {
    const g = this.groupEnd(i, false);
    const end = g.closed ? g.end : i + 1;
    this.mask(i, end);
    return end;
  }

  private backslash(i: number): number {
    const t = this.text;
    const next = t[i + 1] ?? '';
    if (next === '(' || next === '[') {
      const close = next === '(' ? '\\)' : '\\]';
      const k = this.next(close, i + 2);
      const end = k >= 0 && k < this.paragraphEnd(i) ? k + 2 : i + 2;
      this.mask(i, end);
      return end;
    }
    let j = i + 1;
    while (isLetter(t.charCodeAt(j)) && t[j] !== '@') j++;
    if (j === i + 1) {
      this.mask(i, i + 1);
      return i + 2;
    }
    const name = t.slice(i + 1, j);
    const end = glossaryCommands.has(name) ? this.glossaryCommand(i, name, j, false) : j;
    this.mask(i, end);
    return end;
  }

  private codeSpan(i: number): number {
    const t = this.text;
    let j = i;
    while (t[j] === '`') j++;
    const run = t.slice(i, j);
    const limit = this.paragraphEnd(i);
    for (let k = this.next(run, j); k >= 0 && k < limit; k = this.next(run, k + 1)) {
      if (t[k - 1] !== '`' && t[k + run.length] !== '`') {
        this.mask(i, k + run.length);
        return k + run.length;
      }
    }
    this.mask(i, j);
    return j;
  }

  /** `$$...$$`, or `$...$` opened before a non-space and closed after one, not before a digit (Pandoc). */
  private math(i: number): number {
    const t = this.text;
    const limit = this.paragraphEnd(i);
    if (t[i + 1] === '$') {
      const k = this.next('$$', i + 2);
      const end = k >= 0 && k < limit ? k + 2 : i + 2;
      if (end > i + 2) this.mask(i, end);
      return end;
    }
    if (i + 1 >= t.length || /\s/.test(t[i + 1])) return i + 1;
    for (let k = this.next('$', i + 1); k >= 0 && k < limit; k = this.next('$', k + 1)) {
      if (!/\s/.test(t[k - 1]) && t[k - 1] !== '\\' && !/[0-9]/.test(t[k + 1] ?? '')) {
        this.mask(i, k + 1);
        return k + 1;
      }
    }
    return i + 1;
  }

  private angle(i: number): number {
    const t = this.text;
    if (t.startsWith('<!--', i)) {
      const k = this.next('-->', i + 4);
      const end = k >= 0 ? k + 3 : i + 4;
      this.mask(i, end);
      return end;
    }
    for (const re of [autolink, htmlTag]) {
      re.lastIndex = i;
      if (re.test(t)) {
        this.mask(i, re.lastIndex);
        return re.lastIndex;
      }
    }
    return i + 1;
  }

  /** A citation key (`@key`, `-@key`, `@{key}`), or an e-mail address. */
  private at(i: number): number {
    const t = this.text;
    if (i > 0 && /[\p{L}\p{N}._%+-]/u.test(t[i - 1]) && t[i - 1] !== '-') {
      let s = i;
      while (s > 0 && /[\p{L}\p{N}._%+-]/u.test(t[s - 1])) s--;
      let e = i + 1;
      while (e < t.length && /[\p{L}\p{N}.-]/u.test(t[e])) e++;
      while (e > i + 1 && t[e - 1] === '.') e--;
      this.mask(s, e);
      return e;
    }
    const start = t[i - 1] === '-' ? i - 1 : i;
    citeKey.lastIndex = start;
    const end = citeKey.test(t) ? citeKey.lastIndex : i + 1;
    this.mask(start, end);
    return end;
  }

  /** Shortcodes `{{< ... >}}` (the acronyms extension's `{{< acr KEY >}}` is a glossary command) and attributes `{#id .class key=value}`, `{-}`. */
  private brace(i: number): number {
    const t = this.text;
    if (t.startsWith('{{<', i)) {
      const k = this.next('>}}', i + 3);
      const end = k >= 0 ? k + 3 : i + 3;
      const acr = k >= 0 ? /^\{\{<[ \t]*acr[ \t]+([^\s>]+)[ \t]*>\}\}$/.exec(t.slice(i, end)) : null;
      if (acr) {
        const keyStart = i + acr[0].lastIndexOf(acr[1], acr[0].length - 3);
        this.refs.push({ key: acr[1], command: 'acr', keyStart, keyEnd: keyStart + acr[1].length, start: i, end, introduces: true });
      }
      this.mask(i, end);
      return end;
    }
    const m = /\{[ \t]*(?:[#.=-]|[\w-]+=)[^{}\n]*\}/y;
    m.lastIndex = i;
    if (!m.test(t)) return i + 1;
    this.mask(i, m.lastIndex);
    return m.lastIndex;
  }

  /** A bare URL `https://...`: from its scheme to its end, without trailing punctuation. */
  private bareUrl(i: number): number {
    const t = this.text;
    if (t[i + 1] !== '/' || t[i + 2] !== '/') return i + 1;
    let s = i;
    while (s > 0 && /[A-Za-z0-9+.-]/.test(t[s - 1])) s--;
    if (s === i) return i + 1;
    urlRest.lastIndex = i;
    urlRest.test(t);
    let e = urlRest.lastIndex;
    while (e > i + 3 && /[.,;:!?)]/.test(t[e - 1])) e--;
    this.mask(s, e);
    return e;
  }
}

