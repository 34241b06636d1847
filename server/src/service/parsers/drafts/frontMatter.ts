/**
 * The YAML metadata block at the very start of a Pandoc/Quarto Markdown document.
 *
 * Pandoc's rules (extension `yaml_metadata_block`), for a block at the top of the document:
 * - the first line is exactly `---` (a BOM before it and trailing spaces after it are allowed);
 * - that line is not followed by a blank line (`---` then a blank line is a horizontal rule);
 * - the block ends at the first line that is exactly `---` or `...` (trailing spaces allowed).
 * No closing line: no front matter. Line breaks may be `\n` or `\r\n`.
 */

/** Offsets of a front matter block; `text.slice(contentStart, contentEnd)` is the YAML. */
export interface FrontMatter {
  /** Offset of the opening `---` (after a BOM, if any). */
  start: number;
  /** Offset just after the closing `---`/`...` line, before its line break. */
  end: number;
  /** Offset of the first line after the opening `---`. */
  contentStart: number;
  /** Offset of the closing line; the content keeps the line break of its last line. */
  contentEnd: number;
}

export function findFrontMatter(text: string): FrontMatter | undefined {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const firstEnd = lineEnd(text, start);
  if (delimiter(text, start, firstEnd) !== '---' || firstEnd >= text.length) return undefined;
  const contentStart = firstEnd + 1;
  for (let pos = contentStart; pos < text.length; ) {
    const end = lineEnd(text, pos);
    if (pos === contentStart && text.slice(pos, end).trim() === '') return undefined; // a horizontal rule
    const d = delimiter(text, pos, end);
    if (d === '---' || d === '...') return { start, end: trimCr(text, pos, end), contentStart, contentEnd: pos };
    pos = end + 1;
  }
  return undefined;
}

/** Offset of the `\n` ending the line that starts at `pos`, or the text length. */
function lineEnd(text: string, pos: number): number {
  const i = text.indexOf('\n', pos);
  return i < 0 ? text.length : i;
}

/** The line without its trailing spaces, tabs and `\r`, when it could be a delimiter. */
function delimiter(text: string, pos: number, end: number): string | undefined {
  if (end - pos < 3) return undefined;
  const line = text.slice(pos, end);
  return /^(?:---|\.\.\.)[ \t]*\r?$/.test(line) ? line.slice(0, 3) : undefined;
}

function trimCr(text: string, pos: number, end: number): number {
  return end > pos && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
}
