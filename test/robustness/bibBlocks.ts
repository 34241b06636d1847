/**
 * Random bibliographies and drafts for the edit properties (edits.test.ts), built from small blocks:
 * entries of each format with duplicate keys, odd spacing, comments and CRLF line breaks. Each text is a
 * list of segments; a key segment says whether it names the key as a reference does (an entry's key,
 * a link field's name, a citation), so the text a rename must give is known without parsing.
 */
import fc from 'fast-check';
import type { BibFormat } from '../../server/src/service/model';

/** A key written in the text: `entry` (an entry's own key), `link` (a BibTeX link field's name), `cite` (a citation). */
export interface KeySegment {
  key: string;
  kind: 'entry' | 'link' | 'cite';
}
export type Segment = string | KeySegment;

export interface Generated {
  segments: Segment[];
  crlf: boolean;
}

/** The key every property renames; `smith2020x` and prose mentions of it must never change. */
export const renamed = 'smith2020';
export const keys = ['smith2020', 'a', 'b:2', 'smith2020x'];
/** A key of the pool, the renamed one more often (so that it is defined, duplicated and linked to in most files). */
const key = fc.oneof({ arbitrary: fc.constant(renamed), weight: 2 }, { arbitrary: fc.constantFrom(...keys), weight: 3 });

/** The text, with the `kind` segments naming `rename[0]` written `rename[1]`. */
export function render(g: Generated, rename?: { from: string; to: string; kinds: readonly KeySegment['kind'][] }): string {
  const text = g.segments.map((s) => (typeof s === 'string' ? s : rename && s.key === rename.from && rename.kinds.includes(s.kind) ? rename.to : s.key)).join('');
  return g.crlf ? text.replace(/\n/g, '\r\n') : text;
}

/** Whether the text defines `k` (has an entry keyed by it). */
export function defines(g: Generated, k: string): boolean {
  return g.segments.some((s) => typeof s !== 'string' && s.kind === 'entry' && s.key === k);
}

const space = fc.constantFrom('', ' ', '  ', '\t');
const lineBreak = fc.constantFrom('\n', ' ', '\n  ', '\n\t', '\n\n  ');

/** `{a, smith2020}`, `"a,b:2"`: the names as link segments. */
const linkValue = (max: number) =>
  fc.record({ names: fc.array(key, { minLength: 1, maxLength: max }), quote: fc.boolean(), sep: fc.constantFrom(',', ', ', ' , ') }).map(({ names, quote, sep }) => {
    const out: Segment[] = [quote ? '"' : '{'];
    names.forEach((k, i) => out.push(...(i ? [sep] : []), { key: k, kind: 'link' }));
    out.push(quote ? '"' : '}');
    return out;
  });

const bibtexLinks = fc.uniqueArray(fc.constantFrom('crossref', 'xref', 'xdata', 'related', 'entryset'), { maxLength: 3 }).chain((fields) =>
  fc.tuple(...fields.map((f) => linkValue(f === 'crossref' || f === 'xref' ? 1 : 3).map((v): Segment[] => [`${f} = `, ...v]))),
);

const bibtexEntry = fc
  .record({
    type: fc.constantFrom('book', 'incollection', 'mvbook', 'xdata', 'set', 'article'),
    key,
    paren: fc.boolean(),
    s1: space,
    s2: space,
    br: lineBreak,
    end: fc.constantFrom('', '\n', ' '),
    links: bibtexLinks,
    note: fc.boolean(),
  })
  .map(({ type, key: k, paren, s1, s2, br, end, links, note }): Segment[] => {
    const fields: Segment[][] = [['title = {A title}'], ...links, ...(note ? [['note = {see smith2020, not a link}']] : [])];
    const body = fields.flatMap((f, i) => [...(i ? [`,${br}`] : []), ...f]);
    return [`@${type}${paren ? '(' : '{'}${s1}`, { key: k, kind: 'entry' }, `${s2},${br}`, ...body, `${end}${paren ? ')' : '}'}`];
  });

const bibtexSeparator = fc.constantFrom('\n', '\n\n', '\n% a comment on smith2020\n', '\n@comment{smith2020}\n', '  \n', '\nfree text on smith2020\n');

/** Entries joined by separators, with a separator before the first and maybe a line break at the end. */
function joined(entries: fc.Arbitrary<Segment[]>, separator: fc.Arbitrary<string>, max = 5): fc.Arbitrary<Segment[]> {
  return fc.tuple(fc.array(fc.tuple(separator, entries), { maxLength: max }), fc.constantFrom('', '\n')).map(([items, end]) => [...items.flat(2), end]);
}

const bibtex = joined(bibtexEntry, bibtexSeparator);

const jsonSpace = fc.constantFrom('', ' ', '\n    ', '\n\n  ');
const cslJsonItem = fc
  .record({ key, a: jsonSpace, b: jsonSpace, c: fc.constantFrom('', ' '), titleFirst: fc.boolean() })
  .map(({ key: k, a, b, c, titleFirst }): Segment[] => {
    const id: Segment[] = [`"id":${c}"`, { key: k, kind: 'entry' }, '"'];
    const rest = `"type":${c}"book",${b}"title":${c}"On smith2020"`;
    return titleFirst ? [`{${a}${rest},${b}`, ...id, `${a}}`] : [`{${a}`, ...id, `,${b}${rest}${a}}`];
  });

const cslJson = fc
  .record({ items: fc.array(cslJsonItem, { maxLength: 5 }), ws: fc.constantFrom('', ' ', '\n  ', '\n'), wrapper: fc.boolean(), end: fc.constantFrom('', '\n') })
  .map(({ items, ws, wrapper, end }): Segment[] => {
    const list: Segment[] = ['[', ws, ...items.flatMap((item, i) => [...(i ? [`,${ws}`] : []), ...item]), items.length ? ws.replace(/ +$/, '') : '', ']'];
    return wrapper ? ['{"items": ', ...list, '}', end] : [...list, end];
  });

const yamlItem = (indent: string) =>
  fc
    .record({ key, after: fc.constantFrom(' ', '   '), quote: fc.constantFrom('', '"', "'"), titleFirst: fc.boolean(), comment: fc.boolean() })
    .map(({ key: k, after, quote, titleFirst, comment }): Segment[] => {
      const inner = `\n${indent}${' '.repeat(1 + after.length)}`;
      const id: Segment[] = [`id: ${quote}`, { key: k, kind: 'entry' }, quote];
      const title = 'title: On smith2020';
      const item = titleFirst ? [title, inner, ...id] : [...id, inner, title];
      return [...(comment ? [`${indent}# smith2020\n`] : []), `${indent}-${after}`, ...item, '\n'];
    });

const cslYaml = fc
  .record({ indent: fc.constantFrom('', '  ', '    '), references: fc.boolean(), marker: fc.boolean() })
  .chain(({ indent, references, marker }) =>
    fc.array(yamlItem(references ? indent : ''), { maxLength: 5 }).map((items): Segment[] => [marker ? '---\n' : '', references ? 'references:\n' : '', ...items.flat()]),
  );

const risRecord = fc
  .record({ key, blank: fc.constantFrom('', '\n'), type: fc.constantFrom('BOOK', 'JOUR') })
  .map(({ key: k, blank, type }): Segment[] => [`TY  - ${type}\nID  - `, { key: k, kind: 'entry' }, `\nTI  - On smith2020\nER  - \n${blank}`]);

const ris = fc.array(risRecord, { maxLength: 5 }).map((records) => records.flat());

const bibliographies: Record<BibFormat, fc.Arbitrary<Segment[]>> = { bibtex, 'csl-json': cslJson, 'csl-yaml': cslYaml, ris };
export const extensions: Record<BibFormat, string> = { bibtex: 'bib', 'csl-json': 'json', 'csl-yaml': 'yaml', ris: 'ris' };

/** A random bibliography in `format`. */
export function bibliography(format: BibFormat): fc.Arbitrary<Generated> {
  return fc.record({ segments: bibliographies[format], crlf: fc.boolean() });
}

/** The typo a did-you-mean fix corrects, the key a stub is made for, the acronym a first-use fix expands. */
export const typo = 'smith202O';
export const missing = 'newkey2025';

const citation = fc.constantFrom<[string, string]>(['[@', ']'], ['@', ' says'], ['[see @', ', p. 3]'], ['[-@', ']'], ['[@a; @', ']']).chain(([open, close]) =>
  key.map((k): Segment[] => [open, { key: k, kind: 'cite' }, close]),
);

/** A Markdown draft citing pool keys (one citation of `renamed` at least), the typo, the missing key, and using VJTF. */
export function markdownDraft(bibFile: string): fc.Arbitrary<Generated> {
  return fc
    .record({ cites: fc.array(fc.tuple(citation, fc.constantFrom(' ', '\n', '\n\n', ' and smith2020 ')), { maxLength: 4 }), crlf: fc.boolean() })
    .map(({ cites, crlf }) => ({
      segments: [`---\nbibliography: ${bibFile}\n---\nThe VJTF moved. See [@`, { key: renamed, kind: 'cite' as const }, `].\n`, ...cites.flat(2), `\nAlso [@${typo}] and [@${missing}].\n`],
      crlf,
    }));
}
