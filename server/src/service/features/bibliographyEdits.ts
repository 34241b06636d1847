/**
 * Exact edits of a bibliography's text, placed by its current parse: a stub entry added after the
 * last entry, an entry removed whole. Each leaves a file of the same format that parses with no new
 * error: a CSL-JSON item goes with exactly one of its commas, a CSL-YAML item with its `-`.
 */
import type { TextEdit } from 'vscode-languageserver-types';
import type { BibEntry, BibFormat } from '../model';
import { LineIndex } from '../text';
import { stringify } from 'yaml';
import { parseBibliography } from '../index/bibliographies';

/** An exact insertion of an empty entry for `key` at the right place of a bibliography in `format`. */
export function stubInsertion(text: string, format: string, key: string): TextEdit | undefined {
  switch (format) {
    case 'bibtex':
      return entryInsertion(text, format, { block: [`@misc{${key},`, '  author = {},', '  title = {},', '  year = {},', '}'] });
    case 'ris':
      return entryInsertion(text, format, { block: ['TY  - GEN', `ID  - ${key}`, 'TI  - ', 'ER  - '] });
    default:
      return entryInsertion(text, format, { item: { id: key, type: 'document', title: '' } });
  }
}

/**
 * What an insertion adds: the lines of a BibTeX or RIS entry (`block`, written after the last entry), or a CSL
 * item (`item`, written as JSON or YAML after the last item, at its indentation).
 */
export type NewEntry = { block: string[] } | { item: Record<string, unknown> };

/** An exact insertion of an entry after the last one of a bibliography in `format`; undefined where it cannot be placed as one. */
export function entryInsertion(text: string, format: string, entry: NewEntry): TextEdit | undefined {
  const lines = new LineIndex(text);
  const end = lines.positionAt(text.length);
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const lead = text.length === 0 || text.endsWith('\n') ? '' : nl;
  const block = (rows: string[]) => rows.join(nl) + nl;
  if ('block' in entry) {
    if (format === 'bibtex') return { range: { start: end, end }, newText: `${lead}${text.trim() ? nl : ''}${block(entry.block)}` };
    return format === 'ris' ? { range: { start: end, end }, newText: `${lead}${block(entry.block)}` } : undefined;
  }
  if (format === 'csl-json') return cslJsonInsertion(text, lines, entry.item, nl);
  if (format === 'csl-yaml') return cslYamlInsertion(text, lines, entry.item, nl);
  return undefined;
}

/** After the last item (at its indentation), or into an empty top-level array; nothing for other shapes. */
function cslJsonInsertion(text: string, lines: LineIndex, value: Record<string, unknown>, nl: string): TextEdit | undefined {
  const entries = parseBibliography(text, 'csl-json').value.entries;
  const item = (indent: string) => JSON.stringify(value, null, 2).split('\n').join(nl + indent);
  const last = entries[entries.length - 1];
  if (last) {
    const at = lines.offsetAt(last.range.end);
    const start = lines.offsetAt(last.range.start);
    // Only an element of an array: the next character closes it or separates the next element.
    if (!/^\s*[\],]/.test(text.slice(at)) || !/[[,]\s*$/.test(text.slice(0, start))) return undefined;
    const indent = indentBefore(text, start);
    const pos = lines.positionAt(at);
    return { range: { start: pos, end: pos }, newText: indent === undefined ? `, ${item('')}` : `,${nl}${indent}${item(indent)}` };
  }
  // An empty array, alone or as the `items`/`references` of a wrapper object.
  const empty = /^(\uFEFF?\s*(?:\{\s*"(?:items|references)"\s*:\s*)?\[)(\s*)\]\s*\}?\s*$/.exec(text);
  if (!empty || (text.trimStart().startsWith('{') !== text.trimEnd().endsWith('}'))) return undefined;
  const start = lines.positionAt(empty[1].length);
  const end = lines.positionAt(empty[1].length + empty[2].length);
  return { range: { start, end }, newText: `${nl}  ${item('  ')}${nl}` };
}

/** After the last item's last line, at its `-`'s indentation; or under an empty `references:`, or as the first item. */
function cslYamlInsertion(text: string, lines: LineIndex, value: Record<string, unknown>, nl: string): TextEdit | undefined {
  const entries = parseBibliography(text, 'csl-yaml').value.entries;
  const rows = (indent: string) => yamlItemRows(value).map((row, i) => `${indent}${i === 0 ? '- ' : '  '}${row}`).join(nl) + nl;
  const last = entries[entries.length - 1];
  if (last) {
    const dash = blockItemDash(text, lines.offsetAt(last.range.start));
    if (dash === undefined) return undefined;
    const after = lineEndAfter(text, lines.offsetAt(last.range.end));
    const pos = lines.positionAt(after);
    const lead = after === text.length && !text.endsWith('\n') ? nl : '';
    return { range: { start: pos, end: pos }, newText: lead + rows(' '.repeat(dash.column)) };
  }
  const meaningful = text.split(/\r?\n/).filter((l) => l.trim() && !/^\s*#/.test(l) && !/^(---|\.\.\.)\s*$/.test(l));
  const end = lines.positionAt(text.length);
  const lead = text.length === 0 || text.endsWith('\n') ? '' : nl;
  if (meaningful.length === 0) return { range: { start: end, end }, newText: lead + rows('') };
  if (meaningful.length === 1 && /^references[ \t]*:[ \t]*(#.*)?$/.test(meaningful[0])) return { range: { start: end, end }, newText: lead + rows('  ') };
  return undefined;
}

/** A CSL item as the lines of a YAML mapping (block style, no folded lines); an id that reads as plain text stays plain. */
function yamlItemRows(value: Record<string, unknown>): string[] {
  const { id, ...rest } = value;
  const key = String(id);
  const first = `id: ${/^[\p{L}\p{N}_][\p{L}\p{N}_:.\-/+]*$/u.test(key) && !/:$/.test(key) ? key : JSON.stringify(key)}`;
  const others = Object.keys(rest).length ? stringify(rest, { lineWidth: 0 }).replace(/\n$/, '').split('\n') : [];
  return [first, ...others];
}

/** The edit removing `entry` whole from `text` (its current parse), or undefined when it cannot be placed exactly. */
export function entryRemoval(text: string, format: BibFormat, entry: BibEntry): TextEdit | undefined {
  const lines = new LineIndex(text);
  const start = lines.offsetAt(entry.range.start);
  const end = lines.offsetAt(entry.range.end);
  let span: [number, number] | undefined;
  if (format === 'csl-json') span = elementSpan(text, start, end);
  else if (format === 'csl-yaml') span = yamlItemSpan(text, start, end);
  else span = wholeLines(text, start, end);
  return span && { range: lines.range(span[0], span[1]), newText: '' };
}

/** An array element with exactly one adjacent comma: the one before it, or the one after it when it is first. */
function elementSpan(text: string, start: number, end: number): [number, number] {
  let before = start;
  while (before > 0 && /\s/.test(text[before - 1])) before--;
  if (text[before - 1] === ',') return [before - 1, end];
  let after = end;
  while (after < text.length && /\s/.test(text[after])) after++;
  if (text[after] === ',') {
    after++;
    while (after < text.length && /\s/.test(text[after])) after++;
    return [start, after];
  }
  return wholeLines(text, start, end);
}

/** A block sequence item from its `-` to the end of its last line; a flow sequence element as in JSON. */
function yamlItemSpan(text: string, start: number, end: number): [number, number] | undefined {
  const dash = blockItemDash(text, start);
  if (dash) return [dash.lineStart, lineEndAfter(text, end)];
  let before = start;
  while (before > 0 && /\s/.test(text[before - 1])) before--;
  return text[before - 1] === '[' || text[before - 1] === ',' ? elementSpan(text, start, end) : undefined;
}

/** The `-` that starts the block sequence item whose content starts at `start`, alone on its line before it. */
function blockItemDash(text: string, start: number): { lineStart: number; column: number } | undefined {
  let i = start;
  while (i > 0 && ' \t\r\n'.includes(text[i - 1])) i--;
  if (text[i - 1] !== '-') return undefined;
  const dashAt = i - 1;
  const lineStart = text.lastIndexOf('\n', dashAt - 1) + 1;
  if (!/^[ ]*$/.test(text.slice(lineStart, dashAt))) return undefined;
  return { lineStart, column: dashAt - lineStart };
}

/** The offset just after the first line break from `offset` (or the text's end). */
function lineEndAfter(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

/**
 * The span widened to whole lines when nothing else stands on them (so removal leaves no blank line),
 * and over one blank line after it when a blank line also comes before (entries separated by blank lines).
 */
function wholeLines(text: string, start: number, end: number): [number, number] {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const nextBreak = text.indexOf('\n', end);
  const lineEnd = nextBreak < 0 ? text.length : nextBreak + 1;
  if (text.slice(lineStart, start).trim() || text.slice(end, lineEnd).trim()) return [start, end];
  const blank = /^[ \t]*\r?\n/.exec(text.slice(lineEnd));
  const blankBefore = lineStart === 0 || /\n[ \t]*\r?\n$/.test(text.slice(Math.max(0, lineStart - 200), lineStart));
  return [lineStart, blank && blankBefore ? lineEnd + blank[0].length : lineEnd];
}

/** The indentation of the line of `offset` when only blanks stand before it there, else undefined. */
function indentBefore(text: string, offset: number): string | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  return /^[ \t]*$/.test(before) ? before : undefined;
}
