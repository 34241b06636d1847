/**
 * Property tests over every parser: random strings, syntax soups and damaged slices of real files
 * (see inputs.ts). Each parse must return (never throw) within a gross time bound proportional
 * to its input, with every range inside the text, and keys whose ranges spell them.
 *
 * Seeded and bounded: ENTENTE_FUZZ_SEED replays a run (the seed is in the suite's title and in
 * fast-check's failure report, with the path of the shrunk counterexample), ENTENTE_FUZZ_RUNS
 * sets the runs per parser, ENTENTE_FUZZ_MAX_SLICE the longest slice of a real file (default 4,000).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import type { BibEntry, BibFile, ParseResult, Range } from '../../server/src/service/model';
import { parseBibtex, resolveInheritance, type BibtexEntry } from '../../server/src/service/parsers/bibliography/bibtex';
import { LibraryPreview, ScopePreview } from '../../server/src/service/index/libraryPreview';
import { parseCslJson } from '../../server/src/service/parsers/bibliography/cslJson';
import { parseCslYaml } from '../../server/src/service/parsers/bibliography/cslYaml';
import { parseRis } from '../../server/src/service/parsers/bibliography/ris';
import { findFrontMatter } from '../../server/src/service/parsers/drafts/frontMatter';
import { markdownCompletionContext, parseMarkdownCitations } from '../../server/src/service/parsers/drafts/markdownCitations';
import { latexCompletionContext, parseLatexCitations, parseLatexStructure } from '../../server/src/service/parsers/drafts/latexCitations';
import { latexRefCompletionContext, parseLatexLabels } from '../../server/src/service/parsers/drafts/latexLabels';
import { computeFacts } from '../../server/src/service/index/documents';
import { parseFrontMatterGlossary, parseGlossaryFile, parseLatexGlossary } from '../../server/src/service/glossary/projectGlossary';
import { builtinGlossaryText, builtinTerms } from '../../server/src/service/glossary/builtin';
import { Glossary } from '../../server/src/service/glossary/model';
import { proseView } from '../../server/src/service/glossary/prose';
import { importReferences } from '../../server/src/service/features/importReferences';
import { projectRoot } from '../paths';
import { checkErrors, corpora, fuzzInputs, fuzzRuns, fuzzSeed, Lines, show, timed, type Corpora } from './inputs';

type KeyRule = (keyText: string, entry: BibEntry) => boolean;

/** An entry's ranges lie in the text, its key range inside its range, and the key range spells the key (`rule` allows exceptions). */
function checkEntries(lines: Lines, file: BibFile, rule: KeyRule = () => false): void {
  for (const e of file.entries) {
    assert.equal(typeof e.key, 'string');
    assert.ok(e.key.length > 0, 'an entry with an empty key');
    const [start, end] = lines.range(e.range, `entry '${e.key}' range`);
    const [keyStart, keyEnd] = lines.range(e.keyRange, `entry '${e.key}' key range`);
    assert.ok(start <= keyStart && keyEnd <= end, `the key range of '${e.key}' is outside its entry`);
    const keyText = lines.text.slice(keyStart, keyEnd);
    assert.ok(keyText === e.key || rule(keyText, e), `the key range of '${e.key}' spells ${JSON.stringify(keyText)}`);
  }
}

function checkBibFile(text: string, result: ParseResult<BibFile>, format: BibFile['format'], rule?: KeyRule): void {
  const lines = new Lines(text);
  assert.equal(result.value.format, format);
  checkErrors(lines, result.errors);
  checkEntries(lines, result.value, rule);
}

/** Offsets where completion is worth asking: after `@ { , [`, at both ends (at most 12). */
function completionOffsets(text: string): number[] {
  const out = [0, text.length];
  for (let i = 0; i < text.length && out.length < 12; i++) if ('@{,['.includes(text[i])) out.push(i + 1);
  return out;
}

/** A completion context: a range around the cursor whose start..cursor is the prefix. */
function checkContext(lines: Lines, offset: number, ctx: { prefix: string; range: Range } | undefined, what: string): void {
  if (!ctx) return;
  const [s, e] = lines.range(ctx.range, what);
  assert.ok(s <= offset && offset <= e, `${what}: cursor ${offset} outside ${s}..${e}`);
  assert.equal(lines.text.slice(s, offset), ctx.prefix, `${what}: the prefix is not the text before the cursor`);
}

/** The preview of a library (issue 17): each entry it is sure of is the full parse's entry at the same place, read the same. */
function checkPreview(text: string, entries: readonly BibtexEntry[]): void {
  const lib = new LibraryPreview('file:///fuzz.bib', text);
  if (!timed('previewBibtex', text, () => new ScopePreview([lib]).usable)) return;
  const byStart = new Map(entries.map((e) => [e.start, e]));
  const shown = (e: BibEntry) => JSON.stringify([e.key, e.type, e.fields, e.authors, e.year ?? '', e.title ?? '']);
  const { starts } = lib.quick!;
  for (let i = 0; i < starts.length; i++) {
    const mine = lib.entry(i);
    if (!mine) continue;
    const theirs = byStart.get(starts[i]);
    assert.ok(theirs, `the preview's entry at ${starts[i]} (${mine.key}) is not one of the parse`);
    assert.equal(shown(mine), shown(theirs), `the preview reads entry ${mine.key} otherwise`);
  }
}

interface Target {
  name: string;
  inputs: (c: Corpora) => string[];
  check: (text: string) => void;
}

const targets: Target[] = [
  {
    name: 'BibTeX (parseBibtex, resolveInheritance)',
    inputs: (c) => c.bibtex,
    check(text) {
      const result = timed('parseBibtex', text, () => parseBibtex(text));
      checkBibFile(text, result, 'bibtex');
      const byKey = new Map<string, BibEntry>();
      for (const e of result.value.entries) if (!byKey.has(e.key)) byKey.set(e.key, e);
      timed('resolveInheritance', text, () => resolveInheritance(result.value.entries, (k) => byKey.get(k)));
      checkPreview(text, result.value.entries as BibtexEntry[]);
    },
  },
  {
    name: 'CSL-JSON (parseCslJson)',
    inputs: (c) => c.cslJson,
    check(text) {
      // A string id may be written with escapes: its range then spells the JSON source of the key.
      const escaped: KeyRule = (keyText, e) => keyText.includes('\\') && tryJson(`"${keyText}"`) === e.key;
      checkBibFile(text, timed('parseCslJson', text, () => parseCslJson(text)), 'csl-json', escaped);
    },
  },
  {
    name: 'CSL-YAML (parseCslYaml)',
    inputs: (c) => c.cslYaml,
    check(text) {
      // Quoted ids with escapes and folded multi-line scalars are spelled differently from their value.
      const spelled: KeyRule = (keyText) => /[\\'"\r\n]/.test(keyText);
      checkBibFile(text, timed('parseCslYaml', text, () => parseCslYaml(text)), 'csl-yaml', spelled);
    },
  },
  {
    name: 'RIS (parseRis)',
    inputs: (c) => c.ris,
    check(text) {
      // Without an ID, the key is generated (Pandoc's `Family_Year`) and its range is the `TY` line.
      const generated: KeyRule = (keyText) => keyText.startsWith('TY');
      checkBibFile(text, timed('parseRis', text, () => parseRis(text)), 'ris', generated);
    },
  },
  {
    name: 'Markdown citations (parseMarkdownCitations, markdownCompletionContext)',
    inputs: (c) => c.markdown,
    check(text) {
      const lines = new Lines(text);
      const result = timed('parseMarkdownCitations', text, () => parseMarkdownCitations(text));
      for (const c of result.citations) assert.equal(lines.slice(c.range, `citation '${c.key}'`), c.key);
      for (const l of [...result.crossRefs, ...result.labels]) assert.equal(lines.slice(l.range, `label '${l.label}'`), l.label);
      for (const offset of completionOffsets(text)) {
        const ctx = timed('markdownCompletionContext', text, () => markdownCompletionContext(text, offset));
        checkContext(lines, offset, ctx, `completion at ${offset}`);
      }
    },
  },
  {
    name: 'Markdown front matter (findFrontMatter)',
    inputs: (c) => c.markdown,
    check(text) {
      const fm = timed('findFrontMatter', text, () => findFrontMatter(text));
      if (!fm) return;
      assert.ok(0 <= fm.start && fm.start < fm.contentStart && fm.contentStart <= fm.contentEnd && fm.contentEnd <= fm.end && fm.end <= text.length, JSON.stringify(fm));
      assert.equal(text.slice(fm.start, fm.start + 3), '---');
    },
  },
  {
    name: 'LaTeX citations and structure (parseLatexCitations, parseLatexStructure, latexCompletionContext)',
    inputs: (c) => c.latex,
    check(text) {
      const lines = new Lines(text);
      const citations = timed('parseLatexCitations', text, () => parseLatexCitations(text, ['mycite']));
      for (const c of citations) assert.equal(lines.slice(c.range, `citation '${c.key}'`), c.key);
      const structure = timed('parseLatexStructure', text, () => parseLatexStructure(text));
      for (const p of [...structure.bibliographies, ...structure.inputs]) lines.range(p.range, `path '${p.path}'`);
      if (structure.texRoot) lines.range(structure.texRoot.range, 'TeX root');
      for (const offset of completionOffsets(text)) {
        const ctx = timed('latexCompletionContext', text, () => latexCompletionContext(text, offset));
        checkContext(lines, offset, ctx, `completion at ${offset}`);
      }
    },
  },
  {
    name: 'LaTeX labels (parseLatexLabels, latexRefCompletionContext)',
    inputs: (c) => c.latex,
    check(text) {
      const lines = new Lines(text);
      const result = timed('parseLatexLabels', text, () => parseLatexLabels(text));
      for (const l of [...result.labels, ...result.refs]) assert.equal(lines.slice(l.range, `label '${l.label}'`), l.label);
      for (const offset of completionOffsets(text)) {
        const ctx = timed('latexRefCompletionContext', text, () => latexRefCompletionContext(text, offset));
        checkContext(lines, offset, ctx, `reference completion at ${offset}`);
      }
    },
  },
  {
    name: 'document facts of drafts (computeFacts: Markdown and LaTeX)',
    inputs: (c) => [...c.markdown, ...c.latex],
    check(text) {
      const lines = new Lines(text);
      for (const [uri, languageId] of [['file:///ws/a.md', 'markdown'], ['file:///ws/a.tex', 'latex']]) {
        const facts = timed(`computeFacts (${languageId})`, text, () => computeFacts({ uri, languageId, version: 1, getText: () => text }));
        for (const c of facts.citations) lines.range(c.range, `citation '${c.key}'`);
        for (const l of [...facts.labels, ...facts.refs]) lines.range(l.range, `label '${l.label}'`);
        for (const h of facts.headings) lines.range(h.range, `heading '${h.title}'`);
        for (const d of facts.markdown?.bibliography ?? []) lines.range(d.range, `bibliography '${d.path}'`);
        if (facts.markdown?.references) checkEntries(lines, { format: 'csl-yaml', entries: facts.markdown.references.entries }, () => true);
      }
    },
  },
  {
    name: 'glossary files (parseGlossaryFile)',
    inputs: (c) => [...c.cslYaml, builtinYaml()],
    check(text) {
      const lines = new Lines(text);
      const result = timed('parseGlossaryFile', text, () => parseGlossaryFile(text, 'file:///ws/glossary.yaml'));
      checkErrors(lines, result.errors, 'glossary.syntax');
      for (const t of result.value) if (t.range) lines.range(t.range, `term '${t.short}'`);
    },
  },
  {
    name: 'glossaries in drafts (parseFrontMatterGlossary, parseLatexGlossary, proseView, term matching)',
    inputs: (c) => [...c.markdown, ...c.latex],
    check(text) {
      const lines = new Lines(text);
      const fromFrontMatter = timed('parseFrontMatterGlossary', text, () => parseFrontMatterGlossary(text, 'file:///ws/a.md'));
      const fromLatex = timed('parseLatexGlossary', text, () => parseLatexGlossary(text, 'file:///ws/a.tex'));
      for (const r of [fromFrontMatter, fromLatex]) {
        checkErrors(lines, r.errors, 'glossary.syntax');
        for (const t of r.value) if (t.range) lines.range(t.range, `term '${t.short}'`);
      }
      // Compiling a matcher per input would dominate the run: the built-in one is shared unless the input defines terms.
      const project = [...fromFrontMatter.value, ...fromLatex.value];
      const glossary = project.length ? Glossary.create({ project: [project], builtin: builtinTerms() }) : builtinGlossary();
      for (const kind of ['markdown', 'latex'] as const) {
        const view = timed(`proseView (${kind})`, text, () => proseView(text, kind));
        assert.equal(view.masked.length, text.length, 'the prose view keeps the text length');
        for (const m of timed('findMentions', text, () => glossary.findMentions(view.masked))) {
          assert.ok(0 <= m.start && m.start < m.end && m.end <= text.length, `mention ${m.start}..${m.end} outside the text`);
        }
      }
    },
  },
  {
    name: 'typed reference lists (importReferences: BibLaTeX and CSL-JSON)',
    inputs: (c) => [...typedReferenceLists(), ...c.markdown],
    check(text) {
      const bib = timed('importReferences', text, () => importReferences(text, 'bibtex'));
      // Every reference is an entry or a report line, and what is written reads back with no error.
      assert.equal(bib.report.length >= bib.references.length - bib.count, true, 'a reference neither written nor reported');
      const parsed = parseBibtex(bib.text);
      assert.deepEqual(parsed.errors, [], 'the BibLaTeX written does not parse');
      assert.equal(parsed.value.entries.length, bib.count);
      const csl = importReferences(text, 'csl-json');
      assert.deepEqual(parseCslJson(csl.text).errors, [], 'the CSL-JSON written does not parse');
    },
  },
];

/** The typed reference lists of the unit tests. */
function typedReferenceLists(): string[] {
  const dir = path.join(projectRoot, 'test', 'fixtures', 'typed-references');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
}

let shared: Glossary | undefined;
function builtinGlossary(): Glossary {
  shared ??= Glossary.create({ builtin: builtinTerms() });
  return shared;
}

let builtinText: string | undefined;
/** The built-in glossary's YAML: a large real glossary file to damage. */
function builtinYaml(): string {
  builtinText ??= builtinGlossaryText() ?? '';
  return builtinText;
}

function tryJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

describe(`parsers under fuzzing (seed ${fuzzSeed}, ${fuzzRuns} runs each; replay with ENTENTE_FUZZ_SEED=${fuzzSeed})`, function () {
  this.timeout(120000);
  const tried = new Map<string, number>();

  after(() => {
    const total = [...tried.values()].reduce((a, b) => a + b, 0);
    const c = corpora();
    const real = `${c.bibtex.length} .bib, ${c.cslJson.length + c.cslYaml.length + c.ris.length} CSL/RIS, ${c.markdown.length + c.latex.length} draft files`;
    console.log(`      fuzz (seed ${fuzzSeed}): ${total} inputs (slices of ${real}), ${[...tried].map(([n, k]) => `${n.replace(/ \(.*/, '')} ${k}`).join(', ')}`);
  });

  for (const target of targets) {
    it(`${target.name} never throws, never hangs, and keeps every range inside the text`, () => {
      let count = 0;
      fc.assert(
        fc.property(fuzzInputs(target.inputs(corpora())), (text) => {
          count++;
          try {
            target.check(text);
          } catch (e) {
            // fast-check reports the seed and shrinking path; this says which input, readably.
            if (e instanceof Error) e.message = `${e.message}\n      input: ${show(text)}`;
            throw e;
          }
        }),
        { seed: fuzzSeed, numRuns: fuzzRuns },
      );
      tried.set(target.name, count);
    });
  }
});

describe('inputs the fuzzer once broke', () => {
  const check = (prefix: string, text: string) => targets.find((t) => t.name.startsWith(prefix))!.check(text);

  it('CSL-YAML: an id whose quote never closes yields no entry, not one keyed by the rest of the file', () => {
    for (const text of ['- id: base\n  title: T\n- id: "\n  title: *t\n- id: 1e3\n\n', "- id: 'inline\n  title: T\n"]) {
      check('CSL-YAML', text);
      const result = parseCslYaml(text);
      assert.ok(result.value.entries.every((e) => !e.key.includes('\n') && !e.key.includes('title')), JSON.stringify(result.value.entries.map((e) => e.key)));
      assert.ok(result.errors.some((e) => /quote/i.test(e.message)));
    }
    check('document facts', "---\ntitle: x\nreferences:\n- id: 'inline\n  title: T\n---\n# A\n");
  });

  it('CSL-YAML: an entry contains its key range even when its item ends early (`id: \\r`, a stray scalar)', () => {
    check('CSL-YAML', '- id: \r');
    assert.deepEqual(parseCslYaml('- id: \r').value.entries, []); // a blank id is no id
    const text = '- id: base \n𐀀𐀀𐀀TY  - title\n  author: x\n';
    check('CSL-YAML', text);
    assert.deepEqual(parseCslYaml(text).value.entries.map((e) => e.key), ['base']);
  });
});
