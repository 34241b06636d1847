/**
 * CSL-YAML bibliographies: a top-level sequence of CSL items, or a mapping whose `references:`
 * holds them (Pandoc's format, also written inline in a Markdown front matter).
 *
 * Positions come from the `yaml` package's node ranges (offsets into `text`), so a caller may pass
 * a whole Markdown document whose non-front-matter text was blanked out with spaces: the ranges
 * then land in the Markdown document. Several YAML documents in one stream are all read.
 *
 * Safety: the YAML is parsed once (linear); aliases are expanded per item with `maxAliasCount`,
 * so an alias bomb costs one error on the item that expands it, never a hang.
 */
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, visit } from 'yaml';
import type { Document, Node as YamlNode, YAMLError } from 'yaml';
import type { BibEntry, BibFile, ParseError, ParseResult } from '../../model';
import { LineIndex } from '../../text';
import { entryFromCsl, normalizeCslDates } from './csl';
import { drain, eachPaced, type Steps } from '../../pacing';

const MAX_ALIAS_COUNT = 100;
/**
 * Deeper nesting is refused before `yaml` sees it: its composer recurses (the stack overflows near
 * 1,000 levels) and its parser keeps every level, so 10 MB of `[` would exhaust the heap. Real CSL nests < 10.
 */
const MAX_NESTING = 512;

export function parseCslYaml(source: string): ParseResult<BibFile> {
  return drain(parseCslYamlSteps(source));
}

/** `parseCslYaml`, pausing between items once the YAML is read (`yaml` itself reads a document in one go). */
export function* parseCslYamlSteps(source: string): Steps<ParseResult<BibFile>> {
  const entries: BibEntry[] = [];
  const errors: ParseError[] = [];
  const lines = new LineIndex(source);
  const error = (start: number, end: number, message: string, severity: 'error' | 'warning' = 'error') =>
    errors.push({ message, range: lines.range(start, end), code: 'bib.syntax', severity });
  let text = source;
  try {
    const deep = yamlNestingOffset(text, MAX_NESTING);
    if (deep >= 0) {
      // The lines before it still count (offsets into the prefix are offsets into the text).
      error(deep, deep + 1, `YAML nested more than ${MAX_NESTING} levels deep: the rest of the file is not read`);
      text = text.slice(0, text.lastIndexOf('\n', deep) + 1);
    }
    const docs = parseAllDocuments(text, { prettyErrors: false, logLevel: 'error' });
    // An empty stream is an empty array that may still carry stream-level errors.
    if (!Array.isArray(docs) || docs.length === 0) {
      reportYamlErrors(docs as { errors?: YAMLError[]; warnings?: YAMLError[] }, undefined, text, lines, error);
    }
    for (const doc of docs) {
      reportYamlErrors(doc, doc, text, lines, error);
      const items = itemSequence(doc.contents, error);
      yield* eachPaced(items?.items ?? [], (node) => {
        const entry = itemEntry(node as YamlNode, doc, text, lines, error);
        if (entry) entries.push(entry);
      });
    }
  } catch (e) {
    error(0, 0, `Could not read this CSL-YAML: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { value: { format: 'csl-yaml', entries }, errors };
}

type Report = (start: number, end: number, message: string, severity?: 'error' | 'warning') => void;

/**
 * Where flow collections (`[`, `{`) or compact block collections (`- - -` on one line) nest deeper
 * than `max`, or -1. One linear pass that ignores quoting: a bracket counts only where a value may
 * start (line start, after `:`, `-`, `?`, `,`, `[`, `{`), so `title: A [draft` adds no level.
 */
export function yamlNestingOffset(text: string, max: number): number {
  let depth = 0;
  let prev = -1; // the last non-blank character on the line, -1 at its start
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (prev === -1 && c !== 0x20 && c !== 0x09) {
      let compact = 0;
      for (let j = i; j < text.length; j++) {
        const d = text.charCodeAt(j);
        if (d === 0x20 || d === 0x09) continue;
        // `-`, `?` or `:` followed by a blank opens one more level.
        if ((d === 0x2d || d === 0x3f || d === 0x3a) && (text.charCodeAt(j + 1) === 0x20 || text.charCodeAt(j + 1) === 0x09)) {
          if (++compact > max) return j;
          j++;
        } else break;
      }
    }
    if (c === 0x5b || c === 0x7b) {
      const valueStart = prev === -1 || prev === 0x3a || prev === 0x2d || prev === 0x3f || prev === 0x2c || prev === 0x5b || prev === 0x7b;
      if (valueStart && ++depth > max) return i;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
    if (c === 0x0a || c === 0x0d) prev = -1;
    else if (c !== 0x20 && c !== 0x09) prev = c;
  }
  return -1;
}

/**
 * The parser's own errors, at most one per line and one per run of unexpected tokens: a tab used
 * as indentation, say, makes `yaml` report every following token, and only the first is useful.
 */
function reportYamlErrors(
  stream: { errors?: YAMLError[]; warnings?: YAMLError[] },
  doc: Document | undefined,
  text: string,
  lines: LineIndex,
  error: Report,
): void {
  const reported = new Set<number>();
  let previous: string | undefined;
  const report = (e: YAMLError, severity: 'error' | 'warning') => {
    // After one unexpected token, `yaml` reports each following token of the confused stretch too.
    const cascade = e.code === 'UNEXPECTED_TOKEN' && previous === 'UNEXPECTED_TOKEN';
    previous = e.code;
    if (cascade) return;
    let [start, end] = e.pos;
    // An unclosed quote runs to the end of the document, where `yaml` reports it: point at the opening quote.
    const quote = e.code === 'MISSING_CHAR' && e.message.includes('quote') && doc ? openingQuote(doc, start) : undefined;
    if (quote !== undefined) [start, end] = [quote, lineEnd(text, quote)];
    const line = lines.positionAt(start).line;
    if (reported.has(line)) return;
    reported.add(line);
    error(start, end, e.message, severity);
  };
  for (const e of stream.errors ?? []) report(e, 'error');
  for (const w of stream.warnings ?? []) report(w, 'warning');
}

/** Start of the quoted scalar that ends at `end` (where `yaml` reports its missing closing quote). */
function openingQuote(doc: Document, end: number): number | undefined {
  let start: number | undefined;
  visit(doc, {
    Scalar(_key, node) {
      if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && node.range?.[1] === end) {
        start = node.range[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return start;
}

/** The sequence holding the items: the document itself, or its `references:` value. */
function itemSequence(contents: unknown, error: Report) {
  if (contents === null || contents === undefined) return undefined;
  if (isSeq(contents)) return contents;
  if (isMap(contents)) {
    const refs = contents.get('references', true);
    if (refs === undefined || refs === null || (isScalar(refs) && refs.value === null)) return undefined;
    if (isSeq(refs)) return refs;
    const [start, end] = (refs as YamlNode).range ?? [0, 0];
    error(start, end, '`references` must be a list of CSL items');
    return undefined;
  }
  if (isScalar(contents) && contents.value === null) return undefined;
  const [start, end] = (contents as YamlNode).range ?? [0, 0];
  error(start, end, 'Expected a list of CSL items or a `references:` mapping');
  return undefined;
}

/** One sequence element -> an entry, or an error at the element and undefined. */
function itemEntry(node: YamlNode, doc: Document, text: string, lines: LineIndex, error: Report): BibEntry | undefined {
  const start = node.range?.[0] ?? 0;
  // A block mapping's value range runs over its final line break: the item ends at its last character.
  let end = node.range?.[1] ?? start;
  while (end > start && /\s/.test(text[end - 1])) end--;
  if (!isMap(node)) {
    // A null element is an empty `-` line a user is still typing: not worth an error of its own.
    if (!(isScalar(node) && node.value === null)) error(start, end, isAlias(node) ? 'Aliases are not supported as CSL items' : 'Expected a CSL item (a mapping)');
    return undefined;
  }
  let idNode: YamlNode | undefined;
  for (const pair of node.items) {
    if (isScalar(pair.key) && pair.key.value === 'id') idNode = (pair.value ?? undefined) as YamlNode | undefined;
  }
  if (!idNode || (isScalar(idNode) && (idNode.value === null || (typeof idNode.value === 'string' && !idNode.value.trim())))) {
    error(start, Math.min(end, lineEnd(text, start)), 'This CSL item has no `id`');
    return undefined;
  }
  if (!isScalar(idNode) || !idNode.range || typeof idNode.value === 'object') {
    const [s, e] = idNode.range ?? [start, start];
    error(s, e, 'The `id` of a CSL item must be a string or a number');
    return undefined;
  }
  let [keyStart, keyEnd] = idNode.range;
  // A plain scalar is keyed as written (`id: 1e3` is "1e3", not "1000"); quotes are not part of the key.
  const key = typeof idNode.value === 'string' ? idNode.value : text.slice(keyStart, keyEnd).trim();
  if (idNode.type === 'QUOTE_DOUBLE' || idNode.type === 'QUOTE_SINGLE') {
    // An unclosed quote (`yaml` reports it) runs on to the end of the document: no key to index.
    if (keyEnd - keyStart < 2 || text[keyEnd - 1] !== (idNode.type === 'QUOTE_DOUBLE' ? '"' : "'")) return undefined;
    [keyStart, keyEnd] = [keyStart + 1, Math.min(keyEnd - 1, end)];
  }
  let item: Record<string, unknown>;
  try {
    item = node.toJS(doc, { maxAliasCount: MAX_ALIAS_COUNT }) as Record<string, unknown>;
  } catch (e) {
    // yaml throws a ReferenceError for excessive aliases (a resource-exhaustion attack).
    error(start, Math.min(end, lineEnd(text, start)), `This CSL item was skipped: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
  normalizeCslDates(item);
  // The entry contains its key even when the item's trimmed end cuts into it (`id: \r`, a stray scalar after it).
  return entryFromCsl(item, key, lines.range(keyStart, keyEnd), lines.range(start, Math.max(end, keyEnd)));
}

function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl > 0 && text[nl - 1] === '\r' ? nl - 1 : nl;
}
