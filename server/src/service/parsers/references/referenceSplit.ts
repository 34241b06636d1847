/**
 * A pasted reference list cut into references: one per line or paragraph. When blank lines separate the
 * references, each paragraph is one; otherwise a line that does not start like a reference (names, then a
 * date within the first 300 characters) continues the one before it, and a blank line ends a reference. A "References" heading and list markers ("1.", "-", "[3]") are dropped.
 */

export interface TypedSource {
  /** The reference's text, its lines joined. */
  text: string;
  /** 0-based line of its first line in the pasted text. */
  line: number;
}

const HEADING = /^\s*(?:#+\s*)?(?:References|Reference list|Bibliography|Works cited|Sources|Literature)\s*:?\s*$/i;
const MARKER = /^\s*(?:[-*•]\s+|\[\d+\]\s*|\d{1,3}[.)]\s+)/;
/** Names then a year: "(2022", "(n.d.)", ". 2022." or " 2022." near the start of a line. */
const STARTS = /^[\p{Lu}“"'‘\p{Lo}][^\n]{0,300}?(?:\((?:\d{4}[a-z]?[,)]|n\.\s?d\.\))|[.,]\s\d{4}[a-z]?[.,]\s|^[^\n(]{1,120}\s\(\d{4}[a-z]?\))/u;

/** Joins a wrapped line to the one before: no space inside a URL or after a hyphen that broke a word. */
function join(before: string, line: string): string {
  if (/https?:\/\/\S*$/.test(before) && !/\s$/.test(before) && /^\S/.test(line) && !/[.)]$/.test(before)) return before + line;
  if (/\p{Ll}-$/u.test(before) && /^\p{Ll}/u.test(line)) return before + line;
  return `${before} ${line}`;
}

/**
 * Paragraph mode (each paragraph one reference, whatever its lines look like) when blank lines separate
 * the references: about one line that starts like a reference per paragraph (a fifth more, or one, for a
 * wrapped line that happens to look like a start). Otherwise line mode.
 */
function paragraphMode(lines: readonly string[]): boolean {
  let paragraphs = 0;
  let starts = 0;
  let inParagraph = false;
  for (const line of lines) {
    if (!line) inParagraph = false;
    else if (!HEADING.test(line)) {
      if (!inParagraph) paragraphs++;
      inParagraph = true;
      if (STARTS.test(line)) starts++;
    }
  }
  return paragraphs >= 2 && starts <= paragraphs + Math.max(1, paragraphs / 5);
}

export function splitReferences(text: string): TypedSource[] {
  const out: TypedSource[] = [];
  let current: TypedSource | undefined;
  const lines = text.split(/\r\n|\r|\n/).map((raw) => raw.replace(MARKER, '').trim());
  const paragraphs = paragraphMode(lines);
  lines.forEach((line, i) => {
    if (!line) {
      current = undefined;
      return;
    }
    if (!current && !out.length && HEADING.test(line)) return;
    if (!current || (!paragraphs && STARTS.test(line))) {
      current = { text: line, line: i };
      out.push(current);
    } else {
      current.text = join(current.text, line);
    }
  });
  return out;
}
