/**
 * "Add 'NQSV' to the project glossary": offered on an acronym the glossary lacks and the draft spells out,
 * at the cursor only; it creates or extends the project glossary file with an exact edit, after which the
 * term hovers and the action is gone. (The acronyms are made up, so that no built-in term ever names them.)
 */
import * as assert from 'node:assert/strict';
import type { CodeAction, TextDocumentEdit, TextEdit } from 'vscode-languageserver-types';
import { parseGlossaryFile } from '../../server/src/service/glossary/projectGlossary';
import { termInsertion } from '../../server/src/service/features/glossaryAddTerm';
import { serviceFor, uriOf } from './memoryWorkspace';
import { applyEdits, cursor } from './fixture';

const spelled = 'The Nordic Quick Shield Venture (NQSV) buys air defence together. ';

/** The actions at the `|` of `draft` (a file of `files`), with no diagnostic asked about. */
async function actionsAt(files: Record<string, string>, draft: string) {
  const fixture = cursor(files[draft]);
  const all = { ...files, [draft]: fixture.text };
  const { workspace, service } = serviceFor(all);
  const actions = await service.getCodeActions(workspace.openDoc(draft), [], { start: fixture.position, end: fixture.position });
  return { actions: actions.filter((a) => a.title.startsWith('Add ')), workspace, service, files: all };
}

/** The text of `file` after the action's edit (created when the edit creates it). */
function applied(action: CodeAction, files: Record<string, string>, file: string): string {
  const uri = uriOf(file);
  const changes = action.edit!.changes?.[uri] ?? (action.edit!.documentChanges!.find((c) => 'textDocument' in c && c.textDocument.uri === uri) as TextDocumentEdit).edits;
  return applyEdits(files[file] ?? '', changes as TextEdit[]);
}

describe("add an acronym to the project glossary", () => {
  it('creates glossary.yaml beside a lone draft with the expansion the draft gives, and the term then hovers', async () => {
    const { actions, files, workspace } = await actionsAt({ 'notes/paper.md': `${spelled}Later the NQ|SV grew.\n` }, 'notes/paper.md');
    assert.deepEqual(actions.map((a) => a.title), ["Add 'NQSV' to the project glossary (Nordic Quick Shield Venture)"]);
    assert.deepEqual(actions[0].edit!.documentChanges![0], { kind: 'create', uri: uriOf('notes/glossary.yaml'), options: { ignoreIfExists: true } });
    const text = applied(actions[0], files, 'notes/glossary.yaml');
    assert.equal(text, 'terms:\n  - short: NQSV\n    expansion: "Nordic Quick Shield Venture"\n');
    assert.deepEqual(parseGlossaryFile(text).value.map((t) => [t.short, t.expansion]), [['NQSV', 'Nordic Quick Shield Venture']]);
    // Once the file is there, the acronym is a term: it hovers, and the action is gone.
    const after = serviceFor({ ...files, 'notes/glossary.yaml': text });
    const doc = after.workspace.openDoc('notes/paper.md');
    const at = { line: 0, character: files['notes/paper.md'].indexOf('NQSV grew') + 1 };
    const hover = await after.service.getHover(doc, at);
    assert.match((hover!.contents as { value: string }).value, /^\*\*NQSV\*\* — Nordic Quick Shield Venture/);
    assert.deepEqual((await after.service.getCodeActions(doc, [], { start: at, end: at })).map((a) => a.title), []);
    assert.ok(workspace);
  });

  it('creates it in the folder of the whole project (a Quarto book), not beside the chapter', async () => {
    const files = { '_quarto.yml': 'project:\n  type: book\nbook:\n  chapters: [index.qmd, chapters/one.qmd]\n', 'index.qmd': 'Preface.\n', 'chapters/one.qmd': `${spelled}The NQ|SV.\n` };
    const { actions } = await actionsAt(files, 'chapters/one.qmd');
    assert.equal((actions[0].edit!.documentChanges![0] as { uri: string }).uri, uriOf('glossary.yaml'));
  });

  it('extends the innermost glossary file serving the draft, at the end of its list, whatever follows it', async () => {
    const glossary = '# Our terms\nterms:\n    -   short: JEF\n        expansion: Joint Expeditionary Force\n    - short: B9\n      expansion: Bucharest Nine\nversion: 2\n';
    const files = { 'glossary.yaml': 'terms: []\n', 'book/glossary.yaml': glossary, 'book/ch.md': `${spelled}The N|QSV.\n` };
    const { actions } = await actionsAt(files, 'book/ch.md');
    assert.equal(actions[0].edit!.changes![uriOf('glossary.yaml')], undefined);
    const text = applied(actions[0], files, 'book/glossary.yaml');
    assert.equal(text, glossary.replace('version: 2', '    -   short: NQSV\n        expansion: "Nordic Quick Shield Venture"\nversion: 2'));
    assert.deepEqual(parseGlossaryFile(text).errors, []);
    assert.deepEqual(parseGlossaryFile(text).value.map((t) => t.short), ['JEF', 'B9', 'NQSV']);
  });

  it('writes the shape the file has: a plain list, a map, a file of comments; nothing in a shape it cannot extend exactly', () => {
    const term = { short: 'NQSV', expansion: 'Nordic Quick Shield Venture' };
    const insert = (text: string) => {
      const at = termInsertion(text, term);
      return at && text.slice(0, at.offset) + at.newText + text.slice(at.offset);
    };
    assert.equal(insert('- short: JEF\n  expansion: Joint Expeditionary Force'), '- short: JEF\n  expansion: Joint Expeditionary Force\n- short: NQSV\n  expansion: "Nordic Quick Shield Venture"\n');
    assert.equal(insert('JEF: A UK-led coalition.\n'), 'JEF: A UK-led coalition.\nNQSV: { expansion: "Nordic Quick Shield Venture" }\n');
    assert.equal(insert('# terms to come\n'), '# terms to come\nterms:\n  - short: NQSV\n    expansion: "Nordic Quick Shield Venture"\n');
    for (const text of ['terms: [{ short: JEF, expansion: Joint Expeditionary Force }]\n', 'terms:\n', 'terms:\n  - short: [broken\n', '{"terms": []}']) {
      assert.equal(insert(text), undefined, text);
      for (const t of [insert(text)].filter(Boolean)) assert.deepEqual(parseGlossaryFile(t!).errors, []);
    }
    for (const text of ['- short: JEF\n  expansion: Joint Expeditionary Force', 'JEF: A UK-led coalition.\n', '# terms to come\n']) {
      assert.deepEqual(parseGlossaryFile(insert(text)!).value.map((t) => t.short).slice(-1), ['NQSV'], text);
    }
  });

  it('offers to override a built-in term the draft spells out as another thing, and the project term then hovers', async () => {
    const draft = 'The European Development Fund (EDF) pays. The E|DF is no defence fund.\n';
    const { actions, files } = await actionsAt({ 'paper.md': draft }, 'paper.md');
    assert.deepEqual(actions.map((a) => a.title), ["Add 'EDF' to the project glossary (European Development Fund)"]);
    const after = serviceFor({ ...files, 'glossary.yaml': applied(actions[0], files, 'glossary.yaml') });
    const hover = await after.service.getHover(after.workspace.openDoc('paper.md'), { line: 0, character: files['paper.md'].indexOf('EDF is') + 1 });
    assert.match((hover!.contents as { value: string }).value, /^\*\*EDF\*\* — European Development Fund/);
    // Spelled out as the built-in term itself: nothing to add.
    assert.deepEqual((await actionsAt({ 'paper.md': 'The European Defence Fund (EDF) pays. The E|DF grew.\n' }, 'paper.md')).actions, []);
  });

  it('offers nothing for an acronym the draft never spells out, a known term, a well-known one, a Roman numeral, code or a heading', async () => {
    const none = async (draft: string, files: Record<string, string> = {}) => (await actionsAt({ ...files, 'paper.md': draft }, 'paper.md')).actions.map((a) => a.title);
    assert.deepEqual(await none('The NQ|SV grew.\n'), []);
    assert.deepEqual(await none('The North Atlantic Treaty Organization (NATO) and N|ATO.\n'), []);
    assert.deepEqual(await none('The Quick Reaction Zone (QRZ) and the Q|RZ.\n'), ["Add 'QRZ' to the project glossary (Quick Reaction Zone)"]);
    const ignored = serviceFor({ 'paper.md': 'The Quick Reaction Zone (QRZ) and the QRZ.\n' }, { glossaryFirstUseIgnore: ['QRZ'] });
    const at = { line: 0, character: 'The Quick Reaction Zone (QRZ) and the Q'.length };
    assert.deepEqual(await ignored.service.getCodeActions(ignored.workspace.openDoc('paper.md'), [], { start: at, end: at }), []);
    assert.deepEqual(await none('Interior Volume (IV) and Book I|V.\n'), []);
    assert.deepEqual(await none(`${spelled}Run \`NQ|SV\` now.\n`), []);
    assert.deepEqual(await none(`${spelled}\n\n# The NQ|SV\n`), []);
    // A glossary file the action cannot extend exactly (a flow list): nothing, rather than a new file beside it.
    assert.deepEqual(await none(`${spelled}The NQ|SV.\n`, { 'glossary.yaml': 'terms: [{ short: JEF, expansion: Joint Expeditionary Force }]\n' }), []);
  });
});
