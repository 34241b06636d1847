import { escapeRegExp } from '../../text';

/**
 * What pandoc's Markdown reader takes out of the text before it looks for citations, as the
 * scanner (`markdownScanner.ts`) needs it: raw HTML (blocks whose content is not Markdown, and the
 * tags themselves), raw LaTeX (environments and commands with their arguments), link reference
 * definitions, example-list markers, and the YAML blocks and fields that pandoc reads as Markdown.
 * Each function looks at one place and says where the construct ends (or -1 when there is none);
 * none scans further than its construct or its paragraph, and a miss that would repeat is cached.
 */

/** HTML elements whose content pandoc keeps raw when they open a block (`<style>`, `<script>`...). */
const rawContentBlock = /^[ \t]{0,3}<(style|script|pre|textarea)(?=[\s>])[^>\n]*>/i;

/** An HTML tag as pandoc's `htmlTag` reads it: name, attributes (quoted values without line breaks), `/>`. */
const htmlTag = /<\/?[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w:.-]*(?:\s*=\s*(?:"[^"\n]*"|'[^'\n]*'|[^\s"'=<>`]+))?)*\s*\/?>/y;

/** `\begin{name}`: a LaTeX environment, raw when its `\end{name}` follows. */
const beginEnvironment = /\\begin\{([A-Za-z*@]+)\}/y;

/** A LaTeX control word and the `{...}`/`[...]` groups right after it (spaces between, no line break). */
const controlWord = /\\[A-Za-z@]+\*?/y;

/** `[label]: destination "title"`: a link reference definition (not a footnote `[^1]:`). */
const linkDefinition = /^ {0,3}\[(?!\^)(?:[^\]\\\n]|\\.){1,999}\]:[ \t]*\S/;
const linkDefinitionTitle = /^[ \t]+(?:"[^"\n]*"|'[^'\n]*'|\([^)\n]*\))[ \t]*$/;

/** An example-list marker at a line's start: `(@)`, `(@good)`, `@good.`, `@)`, then a space. */
const exampleMarker = /^[ \t]{0,3}(?:\(@([\w-]*)\)|@([\w-]*)[.)])(?:[ \t]+|$)/;

/** The front matter fields pandoc and Quarto set as text (their citations are rendered, and checked). */
export const proseFields = /^(?:title|subtitle|abstract|description|thanks|summary|subject)[ \t]*:/;

export class RawSpans {
  /** Per closing text (`</style>`, `\end{x}`), an offset after which it is known to be absent. */
  private absentAfter = new Map<string, number>();
  /** Per opening bracket, the groups matched from `from` to `limit`: opening offset -> offset after its close. */
  private groups = new Map<string, { from: number; limit: number; ends: Map<number, number> }>();

  constructor(private readonly text: string) {}

  /** A `<style>`, `<script>`, `<pre>` or `<textarea>` block starting `line` at `pos`: the offset after its closing tag. */
  htmlBlockEnd(line: string, pos: number): number {
    const m = rawContentBlock.exec(line);
    if (!m) return -1;
    const close = `</${m[1].toLowerCase()}>`;
    const k = this.indexOfClose(close, pos + m[0].length, true);
    return k < 0 ? -1 : k + close.length;
  }

  /** An inline HTML tag (or a block's opening tag) at `i`: the offset after its `>`. */
  tagEnd(i: number): number {
    htmlTag.lastIndex = i;
    return htmlTag.test(this.text) ? htmlTag.lastIndex : -1;
  }

  /** `\begin{x}` at `i` with its `\end{x}` (nested ones counted): the offset after `\end{x}`. */
  environmentEnd(i: number): number {
    beginEnvironment.lastIndex = i;
    const m = beginEnvironment.exec(this.text);
    if (!m) return -1;
    const begin = m[0];
    const end = `\\end{${m[1]}}`;
    let depth = 1;
    let from = beginEnvironment.lastIndex;
    for (;;) {
      const k = this.indexOfClose(end, from, false);
      if (k < 0) return -1;
      // Nested environments of the same name between here and `k` need their own `\end`.
      for (let b = this.text.indexOf(begin, from); b >= 0 && b < k; b = this.text.indexOf(begin, b + 1)) depth++;
      if (--depth === 0) return k + end.length;
      from = k + end.length;
    }
  }

  /**
   * A control word at `i` and its argument groups (`\textbf{x}`, `\foo[o]{y}`), which pandoc reads as raw
   * LaTeX: the offset after the last group, or after the word. Groups close before `limit` (the paragraph's end).
   */
  commandEnd(i: number, limit: number): number {
    controlWord.lastIndex = i;
    if (!controlWord.test(this.text)) return -1;
    let end = controlWord.lastIndex;
    for (;;) {
      let j = end;
      while (this.text[j] === ' ' || this.text[j] === '\t') j++;
      const open = this.text[j];
      if (open !== '{' && open !== '[') return end;
      const close = this.groupEnd(j, limit);
      if (close < 0) return end;
      end = close;
    }
  }

  /**
   * The offset after the group opened at `i` by `{` or `[` (balanced, `\` escaping) when it closes before `limit`
   * (the paragraph's end) and within 10,000 characters, else -1. The groups of the rest of the paragraph are
   * matched in one pass and kept: a paragraph of unclosed `\a{` costs one pass, not one per `{`.
   */
  private groupEnd(i: number, limit: number): number {
    const open = this.text[i];
    let known = this.groups.get(open);
    if (!known || i < known.from || limit !== known.limit) {
      known = { from: i, limit, ends: matchGroups(this.text, i, limit, open) };
      this.groups.set(open, known);
    }
    const end = known.ends.get(i) ?? -1;
    return end >= 0 && end - i <= 10_000 ? end : -1;
  }

  /** `text.indexOf(close, from)` (ASCII case-insensitive when asked), remembering a miss. */
  private indexOfClose(close: string, from: number, ignoreCase: boolean): number {
    const absent = this.absentAfter.get(close);
    if (absent !== undefined && absent <= from) return -1;
    const k = ignoreCase ? indexOfIgnoringCase(this.text, close, from) : this.text.indexOf(close, from);
    if (k < 0) this.absentAfter.set(close, Math.min(absent ?? from, from));
    return k;
  }
}

/** The `open`...close groups between `from` and `limit` (`\` escaping the next character), in one stack pass. */
function matchGroups(text: string, from: number, limit: number, open: string): Map<number, number> {
  const close = open === '{' ? '}' : ']';
  const ends = new Map<number, number>();
  const stack: number[] = [];
  for (let j = from; j < limit; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (c === open) stack.push(j);
    else if (c === close && stack.length) ends.set(stack.pop()!, j + 1);
  }
  return ends;
}

function indexOfIgnoringCase(text: string, needle: string, from: number): number {
  const first = new RegExp(escapeRegExp(needle), 'gi');
  first.lastIndex = from;
  return first.exec(text)?.index ?? -1;
}

/** Whether `line` is a link reference definition (`[ref]: https://... "title"`). */
export function isLinkDefinition(line: string): boolean {
  return linkDefinition.test(line);
}

/** Whether `line` is a definition's title alone on the line after it. */
export function isLinkDefinitionTitle(line: string): boolean {
  return linkDefinitionTitle.test(line);
}

/** An example-list marker at the start of `line`: its label ('' for `(@)`) and its length; undefined when none. */
export function exampleListMarker(line: string): { label: string; length: number } | undefined {
  const m = exampleMarker.exec(line);
  return m ? { label: m[1] ?? m[2], length: m[0].length } : undefined;
}

/** A YAML metadata block inside the document (pandoc reads one wherever a blank line comes before it). */
export function isYamlBlockStart(line: string, next: string | undefined): boolean {
  return /^---[ \t]*\r?$/.test(line) && next !== undefined && /^[A-Za-z0-9_-]+[ \t]*:/.test(next);
}

/** Whether `line` closes a YAML metadata block. */
export function isYamlBlockEnd(line: string): boolean {
  return /^(?:---|\.\.\.)[ \t]*\r?$/.test(line);
}
