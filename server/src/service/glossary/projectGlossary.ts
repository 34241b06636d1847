/**
 * Project glossaries: glossary files (YAML or JSON), Pandoc/Quarto front matter (`acronyms:`,
 * `glossary:`) and LaTeX definitions (`latexGlossary.ts`, re-exported here). All pure; they never
 * throw and return `{ value, errors }` with exact ranges (code `glossary.syntax`).
 *
 * Glossary files have the shape of `glossary.schema.json`, read leniently: a `terms:` list, a
 * top-level list, or a map from short form to a definition (string) or a term. A term needs a
 * `short` form and an `expansion` or a `definition`; `long`/`longname` and `description` are
 * accepted for them, a year may be a number. Unknown fields are warnings; a broken term is an
 * error and the other terms still count.
 *
 * Front matter `acronyms:` in the shapes of the Quarto/Pandoc filters:
 * - `acronyms: { keys: [{ shortname: NFM, longname: New Force Model }] }` (quarto-acronyms; key = shortname);
 * - `acronyms: { nfm: { short: NFM, long: New Force Model } }` (pandoc-acro; key = the map key);
 * - `acronyms: { NFM: New Force Model }` (key and short form = the map key);
 * - `acronyms: [{ short: NFM, long: New Force Model }]`.
 * `glossary:` takes what a glossary file takes; in its map shape a string value is a definition.
 * Syntax errors of the front matter are reported only inside those two blocks.
 */
import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import type { ParseError, ParseResult } from '../model';
import { LineIndex } from '../text';
import { findFrontMatter } from '../parsers/drafts/frontMatter';
import { yamlNestingOffset } from '../parsers/bibliography/cslYaml';
import { source } from './builtin';
import type { GlossaryTerm, TermOrigin, TermSource } from './model';

export { parseLatexGlossary } from './latexGlossary';

/** Deeper YAML costs the parser seconds and gigabytes; a glossary never needs it. */
const MAX_NESTING = 512;

const termFields = new Set(
  'id short forms expansion definition kind founded dissolved members related sources long longname shortname description key'.split(' '),
);

/** A project glossary file (`glossary.yaml`, `*.glossary.json`...). */
export function parseGlossaryFile(text: string, uri?: string): ParseResult<GlossaryTerm[]> {
  const ctx = new Context(text, 0, 'project-file', uri);
  try {
    const deep = yamlNestingOffset(text, MAX_NESTING);
    if (deep >= 0) {
      ctx.error([deep, deep + 1], `Nested more than ${MAX_NESTING} levels deep: not read.`);
      return ctx.result();
    }
    const doc = parseDocument(text, { uniqueKeys: false });
    for (const e of doc.errors) ctx.error(e.pos, e.message);
    const root = doc.contents as Node | null;
    if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return ctx.result();
    if (isMap(root) && root.has('terms')) {
      const terms = root.get('terms', true) as Node | undefined;
      if (isSeq(terms)) ctx.termList(terms.items as Node[]);
      else if (terms && !(isScalar(terms) && terms.value === null)) ctx.error(terms.range, '`terms` must be a list of terms');
    } else if (isSeq(root)) ctx.termList(root.items as Node[]);
    else if (isMap(root)) ctx.termMap(root.items as Pair<Node, Node | null>[], 'definition', false);
    else ctx.error(root.range, 'A glossary file holds a `terms:` list of terms');
  } catch {
    // Parsers never throw: what was read so far counts.
  }
  return ctx.result();
}

/** The `acronyms:` and `glossary:` blocks of a Markdown document's front matter. */
export function parseFrontMatterGlossary(text: string, uri?: string): ParseResult<GlossaryTerm[]> {
  const fm = findFrontMatter(text);
  if (!fm) return { value: [], errors: [] };
  const ctx = new Context(text, fm.contentStart, 'front-matter', uri);
  try {
    const yamlText = text.slice(fm.contentStart, fm.contentEnd);
    // The front matter's own nesting is reported where the draft declares its bibliography.
    if (yamlNestingOffset(yamlText, MAX_NESTING) >= 0) return ctx.result();
    const doc = parseDocument(yamlText, { uniqueKeys: false });
    const root = doc.contents;
    if (!isMap(root)) return ctx.result();
    const blocks: [number, number][] = [];
    for (const pair of root.items as Pair<Node, Node | null>[]) {
      const name = isScalar(pair.key) ? String(pair.key.value) : '';
      const value = pair.value;
      if ((name !== 'acronyms' && name !== 'glossary') || !value) continue;
      blocks.push([pair.key?.range?.[0] ?? 0, value.range?.[2] ?? 0]);
      if (name === 'acronyms') ctx.acronyms(value);
      else if (isMap(value) && value.has('terms')) {
        const terms = value.get('terms', true) as Node | undefined;
        if (isSeq(terms)) ctx.termList(terms.items as Node[]);
      } else if (isSeq(value)) ctx.termList(value.items as Node[]);
      else if (isMap(value)) ctx.termMap(value.items as Pair<Node, Node | null>[], 'definition', false);
      else ctx.error(value.range, '`glossary` must be a list of terms or a map from terms to definitions');
    }
    for (const e of doc.errors) if (blocks.some(([s, end]) => e.pos[0] >= s && e.pos[0] <= end)) ctx.error(e.pos, e.message);
  } catch {
    // Parsers never throw.
  }
  return ctx.result();
}

/** Kebab-case id from a short form: `Article 5` -> `article-5`. */
export function slugify(s: string): string {
  return (
    s
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'term'
  );
}

type Offsets = readonly [number, number, ...number[]] | null | undefined;

/** A node's range without the quotes of a quoted scalar (`"CJEF"` -> `CJEF`). */
function unquoted(node: Node): Offsets {
  const r = node.range;
  if (!r || !isScalar(node) || (node.type !== 'QUOTE_DOUBLE' && node.type !== 'QUOTE_SINGLE')) return r;
  return [r[0] + 1, Math.max(r[0] + 1, r[1] - 1)];
}

class Context {
  readonly value: GlossaryTerm[] = [];
  readonly errors: ParseError[] = [];
  private lines?: LineIndex;

  constructor(
    private readonly text: string,
    /** Offset of the parsed YAML in the text. */
    private readonly base: number,
    private readonly origin: TermOrigin,
    private readonly uri?: string,
  ) {}

  result(): ParseResult<GlossaryTerm[]> {
    return { value: this.value, errors: this.errors };
  }

  range(r: Offsets, toLineEnd = false) {
    this.lines ??= new LineIndex(this.text);
    const start = this.base + (r?.[0] ?? 0);
    let end = this.base + (r?.[1] ?? r?.[0] ?? 0);
    const eol = this.text.indexOf('\n', start);
    if (toLineEnd && eol >= 0) end = Math.min(end, eol);
    while (end > start && /\s/.test(this.text[end - 1])) end--;
    return this.lines.range(start, end);
  }

  error(r: Offsets, message: string, severity: 'error' | 'warning' = 'error', toLineEnd = false): void {
    const text = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    this.errors.push({ message: text, range: this.range(r, toLineEnd), code: 'glossary.syntax', severity });
  }

  termList(items: Node[], keyed = false): void {
    for (const item of items) {
      if (isMap(item)) this.term(item, undefined, undefined, keyed);
      else this.error(item?.range, 'A term must be a map with at least `short` and `expansion` or `definition`', 'error', true);
    }
  }

  /** `{ NFM: New Force Model }` or `{ nfm: { short: NFM, long: ... } }`; `text` is what a string value is. */
  termMap(items: Pair<Node, Node | null>[], text: 'expansion' | 'definition', keyed: boolean): void {
    for (const pair of items) {
      const k = pair.key;
      if (!isScalar(k) || k.value === null || String(k.value).trim() === '') {
        this.error(k?.range, 'Expected a term name');
        continue;
      }
      const name = String(k.value).trim();
      const v = pair.value;
      if (isScalar(v) && typeof v.value === 'string' && v.value.trim()) {
        this.push({ id: keyed ? name : slugify(name), short: name, forms: [], [text]: v.value.trim(), ...(keyed ? { key: name } : {}) }, unquoted(k), [
          k.range?.[0] ?? 0,
          v.range?.[1] ?? 0,
        ]);
      } else if (isMap(v)) this.term(v, name, unquoted(k), keyed);
      else this.error(v?.range ?? k.range, `\`${name}\`: expected ${text === 'expansion' ? 'the long form' : 'a definition'} or a map of fields`);
    }
  }

  /** `acronyms:` in any of the filters' shapes. */
  acronyms(value: Node): void {
    if (isSeq(value)) return this.termList(value.items as Node[], true);
    if (!isMap(value)) return this.error(value.range, '`acronyms` must be a map of acronyms or hold a `keys:` list');
    if (value.has('keys')) {
      const keys = value.get('keys', true) as Node | undefined;
      if (isSeq(keys)) for (const item of keys.items as Node[]) isMap(item) ? this.term(item, undefined, undefined, true) : this.error(item?.range, 'Expected `shortname` and `longname`');
      else this.error(keys?.range, '`keys` must be a list of `{ shortname, longname }`');
      return;
    }
    const options = new Set(['loa_title', 'insert_loa', 'sorting', 'style', 'fromfile', 'include_unused', 'non_existing', 'insert_links', 'id_prefix', 'on_duplicate', 'options']);
    const items = (value.items as Pair<Node, Node | null>[]).filter((p) => !(isScalar(p.key) && options.has(String(p.key.value))));
    this.termMap(items, 'expansion', true);
  }

  /** One term from a map; `name` (a map key) is its key and default short form. */
  term(map: YAMLMap, name?: string, nameRange?: Offsets, keyed = false): void {
    const get = (...fields: string[]) => {
      for (const f of fields) if (map.has(f)) return map.get(f, true) as Node | undefined;
      return undefined;
    };
    const text = (...fields: string[]): string | undefined => {
      const node = get(...fields);
      if (node === undefined || (isScalar(node) && node.value === null)) return undefined;
      if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) return String(node.value).trim() || undefined;
      this.error(node.range, `\`${fields[0]}\` must be text`);
      return undefined;
    };
    for (const pair of map.items as Pair<Node, Node | null>[]) {
      const field = isScalar(pair.key) ? String(pair.key.value) : '';
      if (this.origin === 'project-file' && !termFields.has(field) && !field.startsWith('x-')) this.error(pair.key?.range, `Unknown field \`${field}\` (ignored)`, 'warning');
    }
    const shortNode = get('short', 'shortname');
    const short = text('short', 'shortname') ?? name;
    const whole: Offsets = map.range;
    if (!short) return this.error(whole, 'A term needs a `short` form', 'error', true);
    const expansion = text('expansion', 'long', 'longname');
    const definition = text('definition', 'description');
    const shortRange = (shortNode && unquoted(shortNode)) ?? nameRange ?? whole;
    if (!expansion && !definition) return this.error(shortRange, `\`${short}\` needs an \`expansion\` or a \`definition\``);
    const key = text('key') ?? (keyed ? (name ?? short) : undefined);
    const founded = text('founded');
    if (founded && !/^\d{4}(?:-\d{2}(?:-\d{2})?)?$/.test(founded)) this.error(get('founded')?.range, '`founded` should be an ISO date (YYYY-MM-DD) or a year', 'warning');
    this.push(
      {
        id: text('id') ?? (keyed && key ? key : slugify(short)),
        short,
        forms: this.list(get('forms')),
        expansion,
        definition,
        kind: text('kind'),
        founded,
        dissolved: text('dissolved'),
        members: get('members') ? this.list(get('members')) : undefined,
        related: get('related') ? this.list(get('related')) : undefined,
        sources: get('sources') ? this.sources(get('sources')) : undefined,
        ...(key ? { key } : {}),
      },
      shortRange,
      nameRange ? [nameRange[0], whole?.[1] ?? nameRange[1]] : whole,
    );
  }

  private push(term: Omit<GlossaryTerm, 'origin'>, name: Offsets, full: Offsets): void {
    this.value.push({ ...term, origin: this.origin, uri: this.uri, range: this.range(name), fullRange: this.range(full) });
  }

  private list(node: Node | undefined): string[] {
    if (node === undefined || (isScalar(node) && node.value === null)) return [];
    if (isScalar(node)) return String(node.value).trim() ? [String(node.value).trim()] : [];
    if (!isSeq(node)) {
      this.error(node.range, 'Expected a list');
      return [];
    }
    const out: string[] = [];
    for (const item of node.items as Node[]) {
      if (isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number') && String(item.value).trim()) out.push(String(item.value).trim());
      else this.error(item?.range, 'Expected text', 'warning');
    }
    return out;
  }

  private sources(node: Node | undefined): TermSource[] {
    const items = isSeq(node) ? (node.items as Node[]) : node ? [node] : [];
    const out: TermSource[] = [];
    for (const item of items) {
      const s = source(item?.toJSON());
      if (s) out.push(s);
      else this.error(item?.range, 'A source needs a `title`', 'warning');
    }
    return out;
  }
}
