/**
 * Pandoc as the oracle of Entente's Markdown citation grammar: each snippet of `pandocCorpus.ts` is
 * read by pandoc 3 (`pandoc -f markdown -t json`, run offline by the `pandoc-wasm` devDependency)
 * and by `parseMarkdownCitations`; the citations each finds (key, and whether author-in-text,
 * suppressed-author or normal) must be the same.
 *
 * Where Entente differs from pandoc on purpose, `deliberate` says how and why; those snippets are
 * checked against Entente's own expectation instead.
 */
import * as assert from 'assert';
import { parseMarkdownCitations } from '../../server/src/service/parsers/drafts/markdownCitations';
import { pandocCorpus, type Snippet } from './pandocCorpus';

/**
 * The citations found, sorted: pandoc's metadata is a map, so its order is not the text's (the
 * snippets are short enough for the multiset to say what matters).
 */
type Found = string[];

type Convert = (options: object, stdin: string, files: object) => Promise<{ stdout: string; stderr: string }>;

/** `mode` as pandoc names it, written after the key: `a` in text, `a-` suppressed author, `a[]` normal. */
function show(key: string, mode: string): string {
  return key + (mode === 'AuthorInText' ? '' : mode === 'SuppressAuthor' ? '-' : '[]');
}

function pandocCites(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const n of node) pandocCites(n, out);
  } else if (node && typeof node === 'object') {
    const n = node as { t?: string; c?: unknown };
    // A figure's image repeats the caption as its alt text: one citation in the text, counted once.
    if (n.t === 'Figure') {
      const [, caption, blocks] = n.c as [unknown, unknown, unknown];
      pandocCites(caption, out);
      pandocCites(JSON.parse(JSON.stringify(blocks), (k, v) => (v?.t === 'Image' ? null : v)), out);
      return out;
    }
    if (n.t === 'Cite') {
      const [citations, inlines] = n.c as [{ citationId: string; citationMode: { t: string }; citationPrefix: unknown; citationSuffix: unknown }[], unknown];
      for (const c of citations) {
        out.push(show(c.citationId, c.citationMode.t));
        pandocCites(c.citationPrefix, out);
        pandocCites(c.citationSuffix, out);
      }
      return out;
    }
    for (const v of Object.values(n)) pandocCites(v, out);
  }
  return out;
}

async function pandocFound(convert: Convert, text: string): Promise<Found> {
  const result = await convert({ from: 'markdown', to: 'json' }, text, {});
  const ast = JSON.parse(result.stdout) as { meta: unknown; blocks: unknown };
  return [...pandocCites(ast.meta), ...pandocCites(ast.blocks)].sort();
}

function ententeFound(text: string): Found {
  const parsed = parseMarkdownCitations(text);
  const mode = (c: { inText?: boolean; suppressAuthor?: boolean }) => (c.suppressAuthor ? 'SuppressAuthor' : c.inText ? 'AuthorInText' : 'NormalCitation');
  return [
    // `nocite: @a` is a bare `@a` for pandoc: author in text.
    ...parsed.citations.map((c) => show(c.key, c.command === 'nocite' ? 'AuthorInText' : mode(c))),
    // A Quarto cross-reference is a citation for pandoc (without Quarto's filter); its mode is the citation's.
    ...parsed.crossRefs.map((r) => show(r.label, mode(r))),
  ].sort();
}

/** Where Entente says something else than pandoc on purpose: the snippet's name, then Entente's answer and why. */
const deliberate: Record<string, { entente: Found; why: string }> = {
  'an unreferenced footnote': {
    entente: ['a'],
    why: 'pandoc drops a note no text refers to, and its citations with it; the note is still the writer\'s text, and a wrong key in it is still wrong',
  },
  'Quarto cell with options': {
    entente: ['a[]'],
    why: 'Quarto renders a cell\'s `fig-cap` as Markdown, with its citations; pandoc alone sees code',
  },
  'an empty braced key': {
    entente: [],
    why: 'pandoc reads `@{}` as a citation of the empty key, which citeproc then cannot find; Entente reports it as `citation.empty-key` (`emptyKeys`), not as a citation',
  },
  'a handle in a custom field': {
    entente: [],
    why: 'pandoc reads every metadata string as Markdown; Entente only the fields printed as text (title, abstract...): a handle or an id in another field is not a citation a writer meant',
  },
  'a citation in an author field': {
    entente: [],
    why: 'as for any field not printed as prose: saying less',
  },
};

describe('Markdown citations agree with pandoc 3', function () {
  this.timeout(300_000);
  let convert: Convert;
  let version = '';

  before(async function () {
    // Loaded at run time: an ES module (with a top-level await that compiles 56 MB of WebAssembly).
    const pandoc = await import('pandoc-wasm');
    convert = pandoc.convert;
    version = String(await pandoc.query({ query: 'version' }));
  });

  it('on at least 99% of a corpus of at least 500 snippets, and on every snippet not listed as deliberate', async function () {
    const corpus = pandocCorpus();
    assert.ok(corpus.length >= 500, `only ${corpus.length} snippets`);
    const disagreements: string[] = [];
    for (const s of corpus) {
      const ours = ententeFound(s.text);
      const theirs = await pandocFound(convert, s.text);
      const expected = deliberate[s.name]?.entente ?? theirs;
      if (JSON.stringify(ours) !== JSON.stringify(expected)) disagreements.push(describeDisagreement(s, ours, theirs));
    }
    const agreement = 1 - disagreements.length / corpus.length;
    const summary = `pandoc ${version}: ${corpus.length - disagreements.length}/${corpus.length} snippets agree (${(agreement * 100).toFixed(1)}%)`;
    if (disagreements.length) assert.fail(`${summary}\n${disagreements.join('\n')}`);
    assert.ok(agreement >= 0.99, summary);
  });

  it('every deliberate difference names a snippet of the corpus and differs from pandoc', async function () {
    const byName = new Map(pandocCorpus().map((s) => [s.name, s]));
    for (const [name, d] of Object.entries(deliberate)) {
      const s = byName.get(name);
      assert.ok(s, `no snippet named ${name}`);
      assert.notDeepStrictEqual(await pandocFound(convert, s.text), d.entente, `${name}: pandoc now agrees (${d.why})`);
    }
  });
});

describe('Quarto cross-references, which pandoc alone reads as citations', function () {
  it('are cross-references for Entente, not citations of the bibliography', function () {
    const parsed = parseMarkdownCitations('See @fig-map, [-@tbl-x] and @sec-intro.');
    assert.deepStrictEqual(parsed.citations, []);
    assert.deepStrictEqual(parsed.crossRefs.map((r) => r.label), ['fig-map', 'tbl-x', 'sec-intro']);
  });
});

function describeDisagreement(s: Snippet, ours: Found, theirs: Found): string {
  return `  ${s.name}: ${JSON.stringify(s.text)}\n    pandoc:  ${JSON.stringify(theirs)}\n    entente: ${JSON.stringify(ours)}`;
}
