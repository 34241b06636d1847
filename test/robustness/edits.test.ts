/**
 * Property: every edit the service offers leaves a valid file with exactly the intended change. For random
 * bibliographies of each format (bibBlocks.ts) and a draft citing them, through the façade:
 * - "Remove this duplicate entry": one entry fewer, a later occurrence of a duplicated key, the others as written,
 *   also when the file changed (an entry written above) between the diagnostics and the request;
 * - "Add a stub entry": the same entries as written and one more, with the key;
 * - rename of `smith2020`: the text with exactly the references to it renamed (entry keys, BibTeX link
 *   fields, citations), nowhere else (`smith2020x`, comments, notes, prose keep it);
 * - "Change to" (did-you-mean) and "Expand on first use": one replacement at the diagnostic's place;
 * - a key another bibliography of the workspace defines (in each format): "Add extra.x to this document's
 *   bibliography" (a scalar, flow or block `bibliography:`) declares it and changes nothing else, "Copy the entry"
 *   adds it with the same title, year and authors, in the target's format.
 * Each result parses with no more errors than before. Seeded and bounded: ENTENTE_FUZZ_SEED replays a run,
 * ENTENTE_EDIT_RUNS sets the runs per format (default 40).
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { isMap, isSeq, parseDocument } from 'yaml';
import type { CodeAction, Diagnostic, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import type { BibFormat } from '../../server/src/service/model';
import { parseBibliography } from '../../server/src/service/index/bibliographies';
import { LineIndex } from '../../server/src/service/text';
import { serviceFor, uriOf } from '../unit/memoryWorkspace';
import { applyEdits } from '../unit/fixture';
import { bibliography, defines, extensions, markdownDraft, missing, render, renamed, typo, type Generated } from './bibBlocks';
import { fuzzSeed } from './inputs';

const runs = Number(process.env.ENTENTE_EDIT_RUNS ?? 40);
/** How many edits each property applied and checked (printed after the suite: a property that checks nothing is no property). */
const checked = new Map<string, number>();
const count = (what: string) => checked.set(what, (checked.get(what) ?? 0) + 1);
const formats: BibFormat[] = ['bibtex', 'csl-json', 'csl-yaml', 'ris'];
/** An entry written above the others between the diagnostics and the code action request. */
const fresh: Record<BibFormat, (text: string, nl: string) => string> = {
  bibtex: (t, nl) => `@book{fresh, title = {F}}${nl}${t}`,
  'csl-json': (t) => t.replace('[', '[{"id": "fresh"}' + (/\[\s*\{/.test(t) ? ',' : '')),
  'csl-yaml': (t, nl) => (/^(---\r?\n)?references:/.test(t) ? t.replace(/references:\r?\n/, (m) => `${m}${/\n( *)-/.exec(t)?.[1] ?? ''}- id: fresh${nl}`) : `- id: fresh${nl}${t.replace(/^---\r?\n/, '')}`),
  ris: (t, nl) => `TY  - BOOK${nl}ID  - fresh${nl}ER  - ${nl}${t}`,
};

interface Case {
  format: BibFormat;
  bib: Generated;
  draft: Generated;
}

const bibFile = (format: BibFormat) => `refs.${extensions[format]}`;

/** Errors (not warnings) of a bibliography text, and its entries as written (key and text). */
function parsed(text: string, format: BibFormat) {
  const result = parseBibliography(text, format);
  const lines = new LineIndex(text);
  const entries = result.value.entries.map((e) => ({ key: e.key, text: text.slice(lines.offsetAt(e.range.start), lines.offsetAt(e.range.end)) }));
  return { errors: result.errors.filter((e) => e.severity !== 'warning').length, entries };
}

/** How many elements the list of entries has, as JSON and YAML read it (an empty `- ` item counts); entries otherwise. */
function elements(text: string, format: BibFormat): number {
  if (format === 'csl-yaml') {
    const contents = parseDocument(text.replace(/^---\r?\n/, '')).contents;
    const list = isMap(contents) ? contents.get('references', true) : contents;
    return isSeq(list) ? list.items.length : 0;
  }
  if (format === 'csl-json') {
    const value = JSON.parse(text) as unknown[] | { items: unknown[] };
    return (Array.isArray(value) ? value : value.items).length;
  }
  return parseBibliography(text, format).value.entries.length;
}

function applied(edit: WorkspaceEdit | undefined, uri: string, text: string): string {
  return applyEdits(text, (edit?.changes?.[uri] ?? []) as TextEdit[]);
}

/** The entries of `after` are those of `before` without the one at some index that repeats an earlier key; which. */
function removedIndex(before: ReturnType<typeof parsed>, after: ReturnType<typeof parsed>): number {
  assert.equal(after.entries.length, before.entries.length - 1, 'one entry fewer');
  let i = 0;
  while (i < after.entries.length && after.entries[i].text === before.entries[i].text) i++;
  assert.deepEqual(after.entries.slice(i), before.entries.slice(i + 1), 'the other entries as written');
  assert.ok(before.entries.slice(0, i).some((e) => e.key === before.entries[i].key), `entry ${i} ('${before.entries[i].key}') is no later duplicate`);
  return i;
}

async function checkRemovals(c: Case, stale: boolean): Promise<void> {
  const text = render(c.bib);
  const name = bibFile(c.format);
  const { workspace, service } = serviceFor({ [name]: text });
  const diagnostics = (await service.getDiagnostics(workspace.openDoc(name))).filter((d) => d.code === 'bib.duplicate-key');
  const now = stale ? fresh[c.format](text, c.bib.crlf ? '\r\n' : '\n') : text;
  const before = parsed(now, c.format);
  const doc = workspace.openDoc(name, undefined, now);
  for (const d of diagnostics) {
    const remove = (await service.getCodeActions(doc, [d])).find((a) => a.title.startsWith('Remove this duplicate'));
    assert.ok(remove, `no removal for ${d.message}`);
    const after = parsed(applied(remove.edit, uriOf(name), now), c.format);
    assert.equal(elements(applied(remove.edit, uriOf(name), now), c.format), elements(now, c.format) - 1, 'one element fewer in the list');
    assert.ok(after.errors <= before.errors, `new errors in:\n${JSON.stringify(applied(remove.edit, uriOf(name), now))}`);
    assert.equal(before.entries[removedIndex(before, after)].key, (d.data as { key: string }).key);
    count(stale ? 'stale removals' : 'removals');
  }
}

async function draftService(c: Case) {
  const files = { [bibFile(c.format)]: render(c.bib), 'paper.md': render(c.draft) };
  const { workspace, service } = serviceFor(files);
  const doc = workspace.openDoc('paper.md');
  return { files, service, doc, diagnostics: await service.getDiagnostics(doc) };
}

async function checkStub(c: Case): Promise<void> {
  const { files, service, doc, diagnostics } = await draftService(c);
  const d = diagnostics.find((x) => x.code === 'citation.undefined' && (x.data as { key: string }).key === missing)!;
  const stub = (await service.getCodeActions(doc, [d])).find((a) => a.title.startsWith('Add a stub'));
  const name = bibFile(c.format);
  const before = parsed(files[name], c.format);
  assert.ok(stub || before.errors > 0, 'no stub offered for a valid file');
  if (!stub) return;
  const text = applied(stub.edit, uriOf(name), files[name]);
  const after = parsed(text, c.format);
  assert.ok(after.errors <= before.errors, `new errors in:\n${JSON.stringify(text)}`);
  assert.deepEqual(after.entries.slice(0, -1), before.entries, `the entries before, as written:\n${JSON.stringify(text)}`);
  assert.equal(after.entries[after.entries.length - 1]?.key, missing);
  if (before.errors === 0) assert.equal(elements(text, c.format), elements(files[name], c.format) + 1, 'one element more in the list');
  count('stubs');
}

async function checkRename(c: Case): Promise<void> {
  const { files, service, doc } = await draftService(c);
  const text = files['paper.md'];
  const at = new LineIndex(text).positionAt(text.indexOf(`@${renamed}]`) + 2);
  const edit = await service.rename(doc, at, 'renamed2025');
  const name = bibFile(c.format);
  // Link fields name the key only where an entry defines it (a rename starts from a definition).
  const kinds = defines(c.bib, renamed) ? (['entry', 'link', 'cite'] as const) : (['cite'] as const);
  const rename = { from: renamed, to: 'renamed2025', kinds };
  assert.equal(applied(edit, uriOf(name), files[name]), render(c.bib, rename), 'the bibliography');
  assert.equal(applied(edit, uriOf('paper.md'), text), render(c.draft, rename), 'the draft');
  count(c.bib.segments.some((x) => typeof x !== 'string' && x.kind === 'link' && x.key === renamed && kinds.length > 1) ? 'renames with links' : 'renames');
}

/** The entry for `missing` in another bibliography of the workspace, in each format: accents, braces, an `and` in a non-name field. */
const elsewhere: Record<BibFormat, string> = {
  bibtex: `@techreport{${missing},\n  author = {Hooker, Richard D. and Bar{\\'a}ny, Zolt{\\'a}n},\n  title = {{NATO} and the War in Ukraine: Lessons},\n  institution = {Center for Strategic and International Studies},\n  year = {2024},\n  doi = {10.1234/x_y}\n}\n`,
  'csl-json': `[\n  {\n    "id": "${missing}",\n    "type": "report",\n    "title": "NATO and the War in Ukraine: Lessons",\n    "author": [{"family": "Hooker", "given": "Richard D."}, {"family": "Barány", "given": "Zoltán"}],\n    "publisher": "Center for Strategic and International Studies",\n    "issued": {"date-parts": [[2024]]}\n  }\n]\n`,
  'csl-yaml': `- id: ${missing}\n  type: report\n  title: "NATO and the War in Ukraine: Lessons"\n  author:\n    - family: Hooker\n      given: Richard D.\n    - family: Barány\n      given: Zoltán\n  publisher: Center for Strategic and International Studies\n  issued:\n    date-parts: [[2024]]\n`,
  ris: `TY  - RPRT\nID  - ${missing}\nAU  - Hooker, Richard D.\nAU  - Barány, Zoltán\nTI  - NATO and the War in Ukraine: Lessons\nPY  - 2024\nPB  - Center for Strategic and International Studies\nER  - \n`,
};
/** How a draft declares its bibliography: the generated scalar, or a flow or block list of it. */
const declarationStyles = [(f: string) => `bibliography: ${f}`, (f: string) => `bibliography: [${f}]`, (f: string) => `bibliography:\n  - ${f}`];

/**
 * A key defined in another bibliography of the workspace: "Add extra.x to this document's bibliography" declares it
 * (the draft otherwise unchanged), "Copy the entry" adds it to the draft's bibliography as one more entry with the
 * same title, year and authors, the entries before as written.
 */
async function checkElsewhere(c: Case, source: BibFormat, style: number): Promise<void> {
  const name = bibFile(c.format);
  const extra = `extra.${extensions[source]}`;
  const draft = render(c.draft).replace(`bibliography: ${name}`, declarationStyles[style](name));
  const files = { [name]: render(c.bib), [extra]: elsewhere[source], 'paper.md': draft };
  const { workspace, service } = serviceFor(files);
  const doc = workspace.openDoc('paper.md');
  const d = (await service.getDiagnostics(doc)).find((x) => x.code === 'citation.undefined' && (x.data as { key: string }).key === missing);
  // A generated bibliography may define the key itself (it holds random keys): nothing to fix then.
  if (!d) return;
  const actions = await service.getCodeActions(doc, [d]);
  const add = actions.find((a) => a.title === `Add ${extra} to this document's bibliography`);
  assert.ok(add, `no addition offered: ${actions.map((a) => a.title).join(' | ')}`);
  assert.equal(actions.indexOf(add), 0, 'the addition first');
  const declared = applied(add.edit, doc.uri, draft);
  const frontMatter = (t: string) => /^---\r?\n([\s\S]*?)\r?\n---/.exec(t)!;
  assert.equal(declared.slice(frontMatter(declared)[0].length), draft.slice(frontMatter(draft)[0].length), 'the text after the front matter');
  const paths = parseDocument(frontMatter(declared)[1]).toJS() as { bibliography: string[] };
  assert.deepEqual(paths.bibliography, [name, extra]);
  count('bibliography additions');
  const copy = actions.find((a) => a.title === `Copy the entry for ${missing} from ${extra} into ${name}`);
  const before = parsed(files[name], c.format);
  if (before.errors === 0 && (c.format !== 'ris' || source === 'ris')) assert.ok(copy, `no copy offered: ${actions.map((a) => a.title).join(' | ')}`);
  assert.equal(actions[actions.length - 1].title.startsWith('Add a stub') || !actions.some((a) => a.title.startsWith('Add a stub')), true, 'the stub last');
  if (!copy) return;
  const text = applied(copy.edit, uriOf(name), files[name]);
  const after = parsed(text, c.format);
  assert.ok(after.errors <= before.errors, `new errors in:\n${JSON.stringify(text)}`);
  assert.deepEqual(after.entries.slice(0, -1), before.entries, `the entries before, as written:\n${JSON.stringify(text)}`);
  const copied = parseBibliography(text, c.format).value.entries.at(-1)!;
  const original = parseBibliography(elsewhere[source], source).value.entries[0];
  assert.equal(copied.key, missing);
  assert.equal(copied.title, original.title, text);
  assert.equal(copied.year, original.year);
  assert.deepEqual(copied.authors.map((a) => a.family), original.authors.map((a) => a.family));
  if (before.errors === 0) assert.equal(elements(text, c.format), elements(files[name], c.format) + 1, 'one element more in the list');
  count(`copies ${source} to ${c.format}`);
}

/** Each edit of a quick fix replaces the text at the diagnostic's range, and only there. */
async function checkReplacements(c: Case): Promise<void> {
  const { files, service, doc, diagnostics } = await draftService(c);
  const text = files['paper.md'];
  const targets = diagnostics.filter((d) => (d.code === 'citation.undefined' && (d.data as { key: string }).key === typo) || d.code === 'glossary.first-use');
  assert.ok(targets.some((d) => d.code === 'glossary.first-use'), 'VJTF is reported');
  for (const d of targets) {
    for (const action of (await service.getCodeActions(doc, [d])).filter((a: CodeAction) => a.edit?.changes?.[doc.uri])) {
      const [edit] = action.edit!.changes![doc.uri];
      assert.deepEqual(edit.range, d.range, action.title);
      const after = applied(action.edit, doc.uri, text);
      assert.equal(after, spliced(text, d, edit.newText), action.title);
      count(d.code === 'glossary.first-use' ? 'expansions' : 'changes of key');
    }
  }
}

function spliced(text: string, d: Diagnostic, newText: string): string {
  const lines = new LineIndex(text);
  return text.slice(0, lines.offsetAt(d.range.start)) + newText + text.slice(lines.offsetAt(d.range.end));
}

const properties: [string, (c: Case) => Promise<void>][] = [
  ['removes a duplicate entry whole, keeping the others as written', (c) => checkRemovals(c, false)],
  ['removes the same duplicate after an entry was written above it', (c) => checkRemovals(c, true)],
  ['adds a stub entry that parses, after the others', checkStub],
  ['renames the key everywhere it is referred to, and nowhere else', checkRename],
  ['replaces a mistyped key or an acronym at the diagnostic, and only there', checkReplacements],
  ...formats.map((source, i): [string, (c: Case) => Promise<void>] => [`declares or copies a key defined in a ${source} file of the workspace`, (c) => checkElsewhere(c, source, i % declarationStyles.length)]),
];

describe(`offered edits leave valid files with exactly the intended change (seed ${fuzzSeed}, ${runs} runs per format; replay with ENTENTE_FUZZ_SEED=${fuzzSeed})`, function () {
  this.timeout(120000);
  after(() => console.log(`      edits (seed ${fuzzSeed}): ${[...checked].map(([what, n]) => `${n} ${what}`).join(', ')}`));
  for (const format of formats) {
    for (const [title, check] of properties) {
      it(`${format}: ${title}`, async () => {
        const cases = fc.record({ format: fc.constant(format), bib: bibliography(format), draft: markdownDraft(bibFile(format)) });
        await fc.assert(
          fc.asyncProperty(cases, async (c) => {
            try {
              await check(c);
            } catch (e) {
              if (e instanceof Error) e.message = `${e.message}\n      bibliography: ${JSON.stringify(render(c.bib))}\n      draft: ${JSON.stringify(render(c.draft))}`;
              throw e;
            }
          }),
          { seed: fuzzSeed, numRuns: runs },
        );
      });
    }
  }
});
