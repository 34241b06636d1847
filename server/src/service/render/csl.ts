/**
 * Formats references with citation-js (CSL): entry -> CSL-JSON -> formatted reference,
 * in the user's style, as Markdown for hovers and completion documentation.
 * Results are cached: formatting is never on the hot path of completion listing.
 */
import type { BibEntry, Name } from '../model';

type CitationJs = typeof import('@citation-js/core');
let citationJsModule: CitationJs | undefined;

/** citation-js with its BibTeX and CSL plugins, loaded on first use: server start-up need not wait ~40 ms for it. */
function citationJs(): CitationJs {
  if (!citationJsModule) {
    /* eslint-disable @typescript-eslint/no-require-imports */
    citationJsModule = require('@citation-js/core') as CitationJs;
    require('@citation-js/plugin-bibtex');
    require('@citation-js/plugin-csl');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const styles = cslStyles(citationJsModule);
    for (const name of builtinStyles) styles.set(name, withoutSort(styles.get(name)));
  }
  return citationJsModule;
}

interface StyleRegister { get(name: string): string; set(name: string, xml: string): void }

/** citation-js's register of CSL styles (XML by name), from which it builds its citeproc engines. */
function cslStyles(cite: CitationJs): StyleRegister {
  return (cite.plugins.config.get('@csl') as { styles: StyleRegister }).styles;
}

/**
 * The style without its `<sort>` elements (and comments, lest one hide a `<sort>`). We format one
 * reference at a time, so sorting changes nothing; yet citeproc-js compiles each sort key by
 * inlining its macros, recursively, once per use: APA's two sorts become ~138,000 tokens that the
 * cached engine keeps, ~93 MB of heap and 0.6 s on the first hover, for nothing.
 */
export function withoutSort(xml: string): string {
  return cutSpans(cutSpans(xml, '<!--', () => '-->'), '<sort', (open) => (open.endsWith('/>') ? '' : '</sort'));
}

/**
 * `xml` without the spans from each `open` to the next `close(openingTag)` and the `>` after it (none when the
 * opening tag ends with `/>`). Linear: a span that does not close means none after it does either (no regex
 * retried at each `<!--`: 200,000 unclosed ones took 40 s).
 */
function cutSpans(xml: string, open: string, close: (openingTag: string) => string): string {
  let out = '';
  let from = 0;
  for (let i = xml.indexOf(open); i >= 0; i = xml.indexOf(open, from)) {
    const tagEnd = open === '<!--' ? i + open.length - 1 : xml.indexOf('>', i);
    if (tagEnd < 0) break; // no `>` after this one: none after the next either
    // `<sort` must be the whole element name (`<sorted>` is another element).
    if (open === '<sort' && !/[\s/>]/.test(xml[i + open.length] ?? '')) {
      out += xml.slice(from, i + open.length);
      from = i + open.length;
      continue;
    }
    const closing = close(xml.slice(i, tagEnd + 1));
    const at = closing ? xml.indexOf(closing, tagEnd + 1) : tagEnd;
    const end = at < 0 ? -1 : closing === '-->' ? at + 2 : xml.indexOf('>', at);
    if (end < 0) break;
    out += xml.slice(from, i);
    from = end + 1;
  }
  return out + xml.slice(from);
}

/** Most nodes a style may expand to once its macros are inlined (APA: about 2,000; a macro bomb: 2^22). */
const maxExpandedNodes = 200_000;

/**
 * Why a style cannot be used, or undefined: citeproc inlines each macro at each call, so 22 macros each calling
 * the previous twice expand to millions of nodes (4 GB and a crash at the first hover); a macro calling itself
 * never ends. Counted on the macro graph, in linear time.
 */
export function styleProblem(xml: string): string | undefined {
  // Macros do not nest: each body runs from its tag to the next `</macro` (one pass of indexOf).
  const bodies = new Map<string, string>();
  for (let i = xml.indexOf('<macro'); i >= 0; i = xml.indexOf('<macro', i + 1)) {
    const tagEnd = xml.indexOf('>', i);
    const end = tagEnd < 0 ? -1 : xml.indexOf('</macro', tagEnd);
    if (end < 0) break;
    const name = /\sname="([^"]*)"/.exec(xml.slice(i, tagEnd))?.[1];
    if (name !== undefined) bodies.set(name, xml.slice(tagEnd + 1, end));
    i = end;
  }
  const size = new Map<string, number>();
  const visiting = new Set<string>();
  const expanded = (name: string): number => {
    const known = size.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) return Infinity;
    const body = bodies.get(name);
    if (body === undefined) return 1;
    visiting.add(name);
    let n = (body.match(/<[A-Za-z]/g) ?? []).length;
    for (const call of body.matchAll(/\smacro="([^"]*)"/g)) n += expanded(call[1]);
    visiting.delete(name);
    size.set(name, Math.min(n, Number.MAX_SAFE_INTEGER));
    return n;
  };
  let total = 0;
  for (const call of xml.matchAll(/\smacro="([^"]*)"/g)) total += expanded(call[1]);
  if (total === Infinity) return 'a macro of the style calls itself';
  if (total > maxExpandedNodes) return `its macros expand to ${total.toExponential(1)} elements (at most ${maxExpandedNodes.toLocaleString('en-US')})`;
  return undefined;
}

/** Styles citation-js ships with. */
export const builtinStyles = ['apa', 'vancouver', 'harvard1'];

/**
 * The built-in style nearest a biblatex style: its numeric styles (`numeric`, `numeric-comp`, `ieee`, `nature`,
 * `vancouver`...) -> vancouver, its author-year and author-title ones -> harvard1, `apa` -> apa; undefined for
 * the others (`alphabetic`, `reading`...), which none of them resembles.
 */
export function builtinForBiblatex(style: string | undefined): string | undefined {
  if (!style) return undefined;
  if (/^(numeric|ieee|nature|science|phys|chem-|vancouver|trad-|lncs|nejm|musuos|bwl-|aip|acs|rsc)/.test(style)) return 'vancouver';
  if (/^(authoryear|authortitle|verbose|chicago-authordate|ext-authoryear|ext-authortitle|harvard)/.test(style)) return 'harvard1';
  return style === 'apa' || style.startsWith('apa') ? 'apa' : undefined;
}

export class ReferenceRenderer {
  /**
   * Formatted references by entry object, then style. An entry object never changes once parsed
   * (a re-parse makes new objects for the entries that changed and keeps the others), so a
   * library that changes keeps the references formatted for its other entries; and entries that
   * are gone take theirs with them.
   */
  private cache = new WeakMap<BibEntry, Map<string, string>>();
  private readonly registered = new Set<string>(builtinStyles);

  /** Registers a CSL style given as XML under `name` (a user's `.csl` file). Returns why it cannot, or undefined. */
  registerStyle(name: string, xml: string): string | undefined {
    if (this.registered.has(name)) return undefined;
    if (!/<style[\s>]/.test(xml) || !/xmlns="http:\/\/purl\.org\/net\/xbiblio\/csl"/.test(xml)) return 'it is not a CSL style';
    const stripped = withoutSort(xml);
    const problem = styleProblem(stripped);
    if (problem) return problem;
    try {
      cslStyles(citationJs()).set(name, stripped);
      this.registered.add(name);
      return undefined;
    } catch (e) {
      return `citeproc refused it (${e instanceof Error ? e.message : String(e)})`;
    }
  }

  hasStyle(name: string): boolean {
    return this.registered.has(name);
  }

  /** The reference as Markdown in `style` (falls back to APA for an unknown style). */
  render(entry: BibEntry, style: string): string {
    const name = this.registered.has(style) ? style : 'apa';
    let byStyle = this.cache.get(entry);
    const hit = byStyle?.get(name);
    if (hit !== undefined) return hit;
    const out = this.format(entry, name) ?? (name === 'apa' ? undefined : this.format(entry, 'apa')) ?? plainReference(entry);
    if (!byStyle) this.cache.set(entry, (byStyle = new Map()));
    byStyle.set(name, out);
    return out;
  }

  /** citation-js formatting; undefined when the style or the entry makes it fail. */
  private format(entry: BibEntry, style: string): string | undefined {
    try {
      const html = new (citationJs().Cite)(toCsl(entry)).format('bibliography', { format: 'html', template: style, lang: 'en-US' });
      return htmlToMarkdown(html) || undefined;
    } catch {
      return undefined;
    }
  }

  clear(): void {
    this.cache = new WeakMap();
  }
}

/**
 * The entry as a CSL-JSON item: CSL sources as they are, BibTeX through citation-js (our own
 * mapping when it fails). citation-js is asked for its BibLaTeX mapping, which also reads
 * BibTeX; its BibTeX mapping silently drops `date`, `urldate` and `journaltitle`.
 */
export function toCsl(entry: BibEntry): Record<string, unknown> {
  if (entry.csl) return { ...Object.fromEntries(Object.entries(entry.csl).map(([k, v]) => [k, typeof v === 'string' ? clipField(v) : v])), id: entry.key };
  if (entry.rawFields) {
    try {
      const data = new (citationJs().Cite)(bibtexText(entry), { forceType: '@biblatex/text' }).data as Record<string, unknown>[];
      if (data.length === 1) return { ...joinedLists(data[0]), id: entry.key };
    } catch {
      // citation-js rejects some valid BibLaTeX; our own mapping below keeps the hover working.
    }
  }
  return cslFromFields(entry);
}

/**
 * The item with each list of texts as one text. biblatex reads `publisher`, `institution`, `organization` and
 * `location` as lists separated by `and`, and citation-js gives CSL a list, of which citeproc shows the first:
 * "Center for Strategic and International Studies" became "Center for Strategic". Joined again with `and`, the
 * field reads as written (and as biblatex prints a list of two). Names are lists of objects, untouched.
 */
function joinedLists(item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) out[k] = Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string') && k !== '_graph' ? v.join(' and ') : v;
  return out;
}

/** A CSL item as a classic BibTeX entry with the key `key` (citation-js's BibTeX output), or undefined when it fails. */
export function bibtexOfCsl(item: Record<string, unknown>, key: string): string | undefined {
  try {
    const text = new (citationJs().Cite)({ ...item, id: key, 'citation-key': key }).format('bibtex') as string;
    return text.trim().replace(/\t/g, '  ') || undefined;
  } catch {
    return undefined;
  }
}

/** One entry as BibTeX text, macros already expanded by our parser, so citation-js needs nothing else. */
export function bibtexText(entry: BibEntry): string {
  const fields = Object.entries(entry.rawFields ?? {})
    .filter(([name]) => name !== 'crossref' && name !== 'xdata')
    .map(([name, value]) => `  ${name} = {${clipField(value)}}`);
  return `@${entry.type}{${entry.key},\n${fields.join(',\n')}\n}`;
}

/** Characters of a field a reference shows: a 10 MB title makes no 10 MB hover (nor 2 s of citeproc). */
const maxFieldChars = 2000;

/** The field cut at `maxFieldChars`, its braces balanced again (a cut may fall inside `{...}`). */
export function clipField(value: string): string {
  if (value.length <= maxFieldChars) return value;
  let cut = value.slice(0, maxFieldChars).replace(/\\+$/, '');
  let depth = 0;
  for (const c of cut) depth += c === '{' ? 1 : c === '}' ? -1 : 0;
  if (depth < 0) cut = cut.replace(/[{}]/g, '');
  return `${cut}…${'}'.repeat(Math.max(0, depth))}`;
}

const cslTypes: Record<string, string> = {
  article: 'article-journal', book: 'book', mvbook: 'book', inbook: 'chapter', incollection: 'chapter',
  inproceedings: 'paper-conference', conference: 'paper-conference', proceedings: 'book', report: 'report',
  techreport: 'report', thesis: 'thesis', phdthesis: 'thesis', mastersthesis: 'thesis', online: 'webpage',
  www: 'webpage', manual: 'book', misc: 'document', unpublished: 'manuscript', patent: 'patent', dataset: 'dataset',
};

function cslName(n: Name): Record<string, string> {
  if (n.literal) return { literal: n.literal };
  const out: Record<string, string> = {};
  if (n.family) out.family = n.family;
  if (n.given) out.given = n.given;
  if (n.dropping) out['non-dropping-particle'] = n.dropping;
  if (n.suffix) out.suffix = n.suffix;
  return out;
}

/** A CSL item from the entry's Unicode fields: enough for a correct, if plain, reference. */
export function cslFromFields(entry: BibEntry): Record<string, unknown> {
  const f = entry.fields;
  const item: Record<string, unknown> = { id: entry.key, type: cslTypes[entry.type] ?? 'document', title: entry.title ?? f.title };
  if (entry.authors.length) item.author = entry.authors.map(cslName);
  if (entry.editors?.length) item.editor = entry.editors.map(cslName);
  if (entry.year) item.issued = { 'date-parts': [[Number(entry.year)]] };
  const container = f.journaltitle ?? f.journal ?? f.booktitle ?? f.maintitle;
  if (container) item['container-title'] = container;
  const publisher = f.publisher ?? f.institution ?? f.organization ?? f.school;
  if (publisher) item.publisher = publisher;
  const map: [string, string][] = [['volume', 'volume'], ['number', 'issue'], ['pages', 'page'], ['doi', 'DOI'], ['url', 'URL'], ['address', 'publisher-place'], ['location', 'publisher-place'], ['edition', 'edition']];
  for (const [from, to] of map) if (f[from] && item[to] === undefined) item[to] = f[from];
  return item;
}

/** Author (Year). Title. — when even CSL formatting fails. */
export function plainReference(entry: BibEntry): string {
  const who = shortAuthors(entry) || 'Anonymous';
  const parts = [`${escapeMarkdown(who)} (${entry.year ?? 'n.d.'}).`];
  if (entry.title) parts.push(`*${escapeMarkdown(entry.title)}*.`);
  return parts.join(' ');
}

/** "Biscop", "Biscop & Smith", "Biscop et al." */
export function shortAuthors(entry: Pick<BibEntry, 'authors'>): string {
  const names = entry.authors.map((n) => n.literal ?? [n.dropping, n.family].filter(Boolean).join(' ') ?? n.given ?? '').filter(Boolean);
  if (names.length === 0) return '';
  if (names.length === 1) return names[0];
  if (names.length === 2) return `${names[0]} & ${names[1]}`;
  return `${names[0]} et al.`;
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return entities[e.toLowerCase()] ?? m;
  });
}

export function escapeMarkdown(s: string): string {
  return s.replace(/([\\`*_[\]<>#|])/g, '\\$1');
}

/** Text with its URLs as Markdown links (every client renders them, not only those that auto-link). */
function linkify(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(/https?:\/\/[^\s<>"]+/g)) {
    const url = m[0].replace(/[.,;:)\]]+$/, '');
    out += escapeMarkdown(text.slice(last, m.index)) + `[${escapeMarkdown(url)}](${encodeURI(url).replace(/\(/g, '%28').replace(/\)/g, '%29')})`;
    last = m.index! + url.length;
  }
  return out + escapeMarkdown(text.slice(last));
}

/**
 * citation-js HTML (`<i>`, `<b>`, `<sup>`, entities) -> Markdown with the text escaped. A numeric style's
 * citation number (`<div class="csl-left-margin">1.</div>`) is left out: one reference alone has no number, and
 * its block ran into the text ("1.Biscop S."); the boundaries of blocks are spaces.
 */
export function htmlToMarkdown(html: string): string {
  let out = '';
  const withoutNumber = html.replace(/<div class="csl-left-margin">[^<]*<\/div>/g, '');
  for (const part of withoutNumber.split(/(<[^>]+>)/)) {
    if (part.startsWith('<')) {
      const tag = /^<\/?\s*([a-z0-9]+)/i.exec(part)?.[1]?.toLowerCase();
      if (tag === 'i' || tag === 'em') out += '*';
      else if (tag === 'b' || tag === 'strong') out += '**';
      else if (tag === 'div' || tag === 'p' || tag === 'br') out += ' ';
    } else out += linkify(decodeEntities(part));
  }
  return out.replace(/\s+/g, ' ').trim();
}
